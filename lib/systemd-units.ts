import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Construct, IConstruct } from 'constructs';
import { App, Aspects, AssetType, Lazy, TerraformAsset, TerraformOutput, TerraformStack } from 'cdktf';
import { addCustomSynthesis } from 'cdktf/lib/synthesize/synthesizer';
import { DockerHost } from './docker-host';
import { SUPERVISOR_LABEL } from './_labels';
import { ServiceContainer } from './service-container';
import { checkInteger, fail, isUnresolved } from './_validate';

/** When systemd restarts a container's unit (the unit's `Restart=`). */
export enum SystemdRestart {
  /**
   * Whatever the exit: the equivalent of Docker's `unless-stopped` (`systemctl stop` is the
   * operator's stop). Also re-attaches the unit after a deploy replaced the container.
   */
  ALWAYS = 'always',
  /** After a non-zero exit code (143, a stop by SIGTERM, counts as success), a signal, a timeout or a watchdog. */
  ON_FAILURE = 'on-failure',
  /** After a signal, a timeout or a watchdog, but not after an exit code. */
  ON_ABNORMAL = 'on-abnormal',
}

export interface SystemdUnitsProps {
  /** The Docker host whose containers the units run; the units are installed on that machine. @default - the stack's default host (`DockerHost.of`) */
  readonly host?: DockerHost;
  /**
   * The containers that get a unit; each one's dependencies are added to the list, as a unit
   * requires the units of its dependencies.
   * @default - every ServiceContainer of `host` in this stack, also the ones added after this construct
   */
  readonly containers?: ServiceContainer[];
  /** Prefix of each unit's name: the unit of container `api` is `<unitPrefix>api.service`. Not empty, so a unit never shadows a distribution's own (`redis.service`). @default 'docker-' */
  readonly unitPrefix?: string;
  /** The unit of the Docker daemon, which every container unit requires and starts after. @default 'docker.service' */
  readonly dockerUnit?: string;
  /** Absolute path of the Docker CLI on the Docker host. @default '/usr/bin/docker' (Debian's and Ubuntu's docker.io, Docker's own packages) */
  readonly dockerPath?: string;
  /** When systemd restarts a container. @default SystemdRestart.ALWAYS */
  readonly restart?: SystemdRestart;
  /** Seconds systemd waits before a restart (`RestartSec=`). @default 5 */
  readonly restartDelaySeconds?: number;
  /**
   * Count a container with a health check as started only once it is healthy (or after
   * `waitTimeoutSeconds`), so that the units ordered after it start on a healthy dependency.
   * @default true
   */
  readonly waitForHealthy?: boolean;
  /** Seconds a unit waits for its container to become healthy before its dependents start anyway. @default 60 */
  readonly waitTimeoutSeconds?: number;
  /** The target that starts the units at boot (`[Install] WantedBy=`). @default 'multi-user.target' */
  readonly wantedBy?: string;
}

/** Where every unit file is installed. */
const UNIT_DIRECTORY = '/etc/systemd/system';
const UNIT_NAME_PART = /^[A-Za-z0-9:_.-]+$/;
const UNIT_NAME = /^[A-Za-z0-9:_.@-]+\.(service|socket|target)$/;
const EXECUTABLE = /^\/[A-Za-z0-9._+/-]+$/;
const DEFAULT_SOCKETS = ['unix:///var/run/docker.sock', 'unix:///run/docker.sock'];
/** The stack's SystemdUnits by host, to refuse a second set of units for the same containers. */
const registry = new WeakMap<TerraformStack, Map<DockerHost, SystemdUnits>>();

/**
 * systemd units that start the containers of one Docker host at boot, in dependency order,
 * and keep them running: the service-manager duties of the talk, with systemd as the one
 * supervisor. For each container, a `<unitPrefix><serviceName>.service` that requires and
 * starts after the Docker daemon's unit and the units of the container's dependencies,
 * attaches to the existing container (`docker start -a`), stops it with its stop timeout and
 * is restarted by systemd; the container's Docker restart policy becomes `no` (and the label
 * `cdktf-docker-production/supervisor=systemd` records why), so two supervisors never fight.
 *
 * The unit files are written at synth into the stack's output as an asset
 * (`cdktf.out/stacks/<stack>/assets/...`); the stack output `<id>_install` is the command that
 * installs and enables them on the Docker host.
 */
export class SystemdUnits extends Construct {
  /** The supervisor recorded on each container (`ServiceContainer.supervisedBy`). */
  public static readonly SUPERVISOR = 'systemd';

  /** The Docker host of the containers. */
  public readonly host: DockerHost;
  /** The unit name prefix. */
  public readonly unitPrefix: string;
  /** The asset holding the unit files (a folder). */
  public readonly asset: TerraformAsset;
  /** The stack output with the install command. */
  public readonly installOutput: TerraformOutput;

  private readonly stack: TerraformStack;
  private readonly explicit?: ServiceContainer[];
  private readonly dockerUnit: string;
  private readonly dockerPath: string;
  private readonly restart: SystemdRestart;
  private readonly restartDelay: number;
  private readonly waitForHealthy: boolean;
  private readonly waitTimeout: number;
  private readonly wantedBy: string;
  private readonly staging: string;
  private readonly outputName: string;
  private staged: string[] = [];

  constructor(scope: Construct, id: string, props: SystemdUnitsProps = {}) {
    super(scope, id);
    const where = this.node.path;
    if (!props || typeof props !== 'object') fail(where, 'props', props, 'an object (all props are optional)');
    this.stack = TerraformStack.of(this);

    if (props.host !== undefined && !(props.host instanceof DockerHost)) fail(where, 'host', props.host, 'a DockerHost');
    this.host = props.host ?? DockerHost.of(this);
    if (this.host.node.root !== this.node.root) fail(where, 'host', this.host.node.path, 'a DockerHost of the same app');

    this.unitPrefix = props.unitPrefix ?? 'docker-';
    if (typeof this.unitPrefix !== 'string' || !UNIT_NAME_PART.test(this.unitPrefix) || this.unitPrefix.length > 64) {
      fail(where, 'unitPrefix', this.unitPrefix, "a non-empty unit name prefix of letters, digits and : _ . - (at most 64 characters), e.g. 'docker-'");
    }
    this.dockerUnit = props.dockerUnit ?? 'docker.service';
    if (typeof this.dockerUnit !== 'string' || !UNIT_NAME.test(this.dockerUnit)) {
      fail(where, 'dockerUnit', this.dockerUnit, "a systemd unit name ending in .service, .socket or .target, e.g. 'docker.service'");
    }
    this.dockerPath = props.dockerPath ?? '/usr/bin/docker';
    if (typeof this.dockerPath !== 'string' || !EXECUTABLE.test(this.dockerPath) || this.dockerPath.split('/').includes('..')) {
      fail(where, 'dockerPath', this.dockerPath, "an absolute path of the Docker CLI without spaces or '..', e.g. '/usr/bin/docker'");
    }
    this.restart = props.restart ?? SystemdRestart.ALWAYS;
    if (!Object.values(SystemdRestart).includes(this.restart)) {
      fail(where, 'restart', this.restart, `one of ${Object.values(SystemdRestart).join(', ')}`);
    }
    this.restartDelay = props.restartDelaySeconds ?? 5;
    checkLiteralInteger(where, 'restartDelaySeconds', this.restartDelay, 0, 3600);
    this.waitForHealthy = props.waitForHealthy ?? true;
    if (typeof this.waitForHealthy !== 'boolean') fail(where, 'waitForHealthy', this.waitForHealthy, 'true or false');
    this.waitTimeout = props.waitTimeoutSeconds ?? 60;
    checkLiteralInteger(where, 'waitTimeoutSeconds', this.waitTimeout, 1, 3600);
    this.wantedBy = props.wantedBy ?? 'multi-user.target';
    if (typeof this.wantedBy !== 'string' || !/^[A-Za-z0-9:_.@-]+\.target$/.test(this.wantedBy)) {
      fail(where, 'wantedBy', this.wantedBy, "a systemd target name, e.g. 'multi-user.target'");
    }

    if (props.containers !== undefined) {
      if (!Array.isArray(props.containers)) fail(where, 'containers', props.containers, 'a list of ServiceContainers');
      props.containers.forEach((c, i) => this.checkContainer(c, `containers[${i}]`));
      const seen = new Set<ServiceContainer>();
      props.containers.forEach((c, i) => {
        if (seen.has(c)) fail(where, `containers[${i}]`, c.node.path, 'each container once');
        seen.add(c);
      });
      this.explicit = [...props.containers];
    }

    let units = registry.get(this.stack);
    if (!units) {
      units = new Map();
      registry.set(this.stack, units);
    }
    const previous = units.get(this.host);
    if (previous) {
      fail(where, 'host', this.host.node.path, `a host no other SystemdUnits of stack ${this.stack.node.path} covers (${previous.node.path} already writes its units)`);
    }
    const outputName = this.outputName = `${this.node.id.replace(/[^A-Za-z0-9_-]/g, '_').replace(/^([^A-Za-z_])/, '_$1')}_install`;
    const clash = [...units.values()].find((u) => u.outputName === outputName);
    if (clash) fail(where, 'id', this.node.id, `an id whose output name ${outputName} no other SystemdUnits of the stack uses (${clash.node.path} does)`);
    units.set(this.host, this);

    // Containers known now hand over their restarts at once, so that everything that looks at
    // them before synth (an Aspect, a test) sees the final state; later ones at synth (below).
    for (const c of this.selectContainers()) c._superviseExternally(SystemdUnits.SUPERVISOR);

    this.staging = stagingDirectory(this);
    // TerraformAsset needs its source folder when constructed (it hashes it then) and copies it
    // during synth: the Aspect below writes the files and sets the hash from them just before.
    this.asset = new TerraformAsset(this, 'Units', { path: this.staging, type: AssetType.DIRECTORY, assetHash: 'PENDING' });
    this.installOutput = new TerraformOutput(this, 'Install', {
      value: Lazy.stringValue({ produce: () => this.installCommand() }),
      description: `Installs and enables the systemd units of the containers on ${this.host.node.path}; run it on that machine (${isUnresolved(this.host.url) ? 'its Docker host' : this.host.url})${isLocal(this.host.url) ? '' : ' after copying the folder there'}.`,
    });
    this.installOutput.overrideLogicalId(outputName);

    // Aspects run at synth before validation, asset copying and rendering (also in Testing.synth).
    // This one acts on the stack node, which is visited before any container node; only an Aspect
    // added to the stack before this construct and acting on the stack node itself runs earlier.
    Aspects.of(this.stack).add({ visit: (node: IConstruct) => { if (node === this.stack) this.stage(); } });
    // Custom synthesis runs children first: this runs after the asset copied the staged files.
    addCustomSynthesis(this, { onSynthesize: () => removeStagingDirectory(this.staging) });
    this.node.addValidation({
      // Thrown rather than returned, like the other constructs', so that synth fails with a ValidationError.
      validate: () => (this.selectContainers().length === 0
        ? fail(where, 'containers', [], `at least one ServiceContainer on host ${this.host.node.path} in stack ${this.stack.node.path}`)
        : []),
    });
  }

  /** The unit names, dependencies first (the order `systemctl` starts them in at boot). */
  public get unitNames(): string[] {
    return this.orderedContainers().map((c) => this.unitNameOf(c));
  }

  /** The unit name of a container. */
  public unitNameOf(container: ServiceContainer): string {
    const name = container.serviceName;
    if (isUnresolved(name)) {
      fail(container.node.path, 'serviceName', name, `a literal service name: ${this.node.path} writes it into a unit file at synth`);
    }
    return `${this.unitPrefix}${name}.service`;
  }

  /** The unit file of a container, as written. */
  public renderUnit(container: ServiceContainer): string {
    const where = this.node.path;
    const name = container.serviceName;
    const unit = this.unitNameOf(container);
    if (unit === this.dockerUnit) fail(where, 'unitPrefix', this.unitPrefix, `a prefix that does not make the unit of ${container.node.path} the Docker unit ${this.dockerUnit}`);
    const stop = container.stopTimeoutSeconds;
    if (isUnresolved(stop)) fail(container.node.path, 'stopTimeoutSeconds', stop, `a literal number: ${where} writes it into a unit file at synth`);
    const requires = [this.dockerUnit, ...container.dependencies.map((d) => this.unitNameOf(d))].join(' ');
    const docker = this.dockerPath;
    const url = this.host.url;
    const wait = this.waitForHealthy && container.healthcheck !== undefined;
    return [
      `# Generated by cdktf-docker-production (${esc(where)}): synthesize again instead of editing.`,
      `# Supervises the existing container "${name}" of ${esc(container.node.path)}, whose Docker restart`,
      `# policy is "no" (label ${SUPERVISOR_LABEL}=${SystemdUnits.SUPERVISOR}); Terraform creates and replaces it.`,
      '[Unit]',
      `Description=Container ${name} (${esc(container.node.path)})`,
      `Requires=${requires}`,
      `After=${requires}`,
      '',
      '[Service]',
      'Type=simple',
      ...(isLocal(url) && !DEFAULT_SOCKETS.includes(url) ? [`Environment="DOCKER_HOST=${esc(url)}"`] : []),
      // Attached, the CLI runs as long as the container: the unit is active exactly while it runs.
      `ExecStart=${docker} start -a ${name}`,
      // Started = healthy, so that units ordered after this one start on a healthy container;
      // bounded and non-fatal ('-'), so that a slow dependency delays its dependents, never strands them.
      ...(wait
        ? [`ExecStartPost=-/usr/bin/timeout ${this.waitTimeout} /bin/sh -c 'until [ "$$(${docker} inspect -f "{{.State.Health.Status}}" ${name})" = healthy ]; do sleep 1; done'`]
        : []),
      `ExecStop=${docker} stop -t ${stop} ${name}`,
      // A container stopped by `docker stop` exits with 143 (SIGTERM): a clean stop, not a failure.
      'SuccessExitStatus=143',
      `Restart=${this.restart}`,
      `RestartSec=${this.restartDelay}`,
      ...(wait ? [`TimeoutStartSec=${this.waitTimeout + 30}`] : []),
      `TimeoutStopSec=${stop + 30}`,
      '',
      '[Install]',
      `WantedBy=${this.wantedBy}`,
      '',
    ].join('\n');
  }

  /** The containers that get a unit, in no particular order; validated. */
  private selectContainers(): ServiceContainer[] {
    if (this.explicit === undefined) {
      return this.host.containers.filter((c) => TerraformStack.of(c) === this.stack);
    }
    // The explicit containers and, depth first, their dependencies; a loop, not recursion: a long
    // chain of dependencies must not exhaust the call stack.
    const selected = new Set<ServiceContainer>();
    const todo = [...this.explicit].reverse();
    while (todo.length > 0) {
      const c = todo.pop() as ServiceContainer;
      if (selected.has(c)) continue;
      selected.add(c);
      todo.push(...c.dependencies.reverse()); // a copy
    }
    for (const other of this.host.containers) {
      if (selected.has(other) || TerraformStack.of(other) !== this.stack) continue;
      const needed = other.dependencies.find((d) => selected.has(d));
      if (needed) {
        fail(this.node.path, 'containers', other.node.path,
          `a list that also holds ${other.node.path}: it depends on ${needed.node.path}, which systemd starts only after Docker, so Docker's restart policy would start it first at boot`);
      }
    }
    return [...selected];
  }

  /**
   * The containers, dependencies first, otherwise in the order they were added to the host: each
   * step takes the earliest added container whose dependencies are all placed (Kahn's algorithm,
   * the ready ones in a heap by that order: O(n log n) for the large stacks of an Aspect's synth).
   */
  private orderedContainers(): ServiceContainer[] {
    const selected = new Set(this.selectContainers());
    const containers = this.host.containers.filter((c) => selected.has(c));
    const rank = new Map(containers.map((c, i) => [c, i]));
    const waitingFor = containers.map((c) => c.dependencies.length);
    const dependents: number[][] = containers.map(() => []);
    containers.forEach((c, i) => {
      for (const d of c.dependencies) {
        const j = rank.get(d);
        if (j !== undefined) dependents[j].push(i); // else never ready: reported below
      }
    });
    const ready = new MinHeap();
    waitingFor.forEach((n, i) => { if (n === 0) ready.push(i); });
    const ordered: ServiceContainer[] = [];
    for (let i = ready.pop(); i !== undefined; i = ready.pop()) {
      ordered.push(containers[i]);
      for (const j of dependents[i]) if (--waitingFor[j] === 0) ready.push(j);
    }
    if (ordered.length < containers.length) {
      // ServiceContainer refuses cycles; this only guards the invariant.
      const placed = new Set(ordered);
      fail(this.node.path, 'containers', containers.filter((c) => !placed.has(c)).map((c) => c.node.path), 'containers whose dependencies do not form a cycle');
    }
    return ordered;
  }

  /** At synth: hands restarts over, writes the unit files and points the asset at their hash. */
  private stage(): void {
    const containers = this.orderedContainers();
    const files = containers.map((c) => ({ name: this.unitNameOf(c), text: this.renderUnit(c) }));
    for (const c of containers) c._superviseExternally(SystemdUnits.SUPERVISOR);
    fs.rmSync(this.staging, { recursive: true, force: true });
    fs.mkdirSync(this.staging, { recursive: true });
    const hash = crypto.createHash('sha256');
    for (const f of files) {
      fs.writeFileSync(path.join(this.staging, f.name), f.text, { mode: 0o644 });
      hash.update(`${f.name}\0${f.text}\0`);
    }
    this.asset.assetHash = hash.digest('hex').slice(0, 32).toUpperCase();
    this.staged = files.map((f) => f.name);
  }

  private installCommand(): string {
    const dir = `"\${abspath(path.module)}/${this.asset.path}"`;
    return [
      `sudo install -m 0644 -t ${UNIT_DIRECTORY} ${dir}/*.service`,
      'sudo systemctl daemon-reload',
      `sudo systemctl enable --now ${this.staged.join(' ')}`,
    ].join(' && ');
  }

  private checkContainer(c: ServiceContainer, prop: string): void {
    const where = this.node.path;
    if (!(c instanceof ServiceContainer)) fail(where, prop, c, 'a ServiceContainer');
    if (c.host !== this.host) {
      fail(where, prop, c.node.path, `a container on the units' host ${this.host.node.path} (it runs on ${c.host.node.path}): units run where their containers run`);
    }
    if (TerraformStack.of(c) !== this.stack) {
      fail(where, prop, c.node.path, `a container of stack ${this.stack.node.path}: put a SystemdUnits into each stack`);
    }
  }
}

/** A binary min-heap of integers. */
class MinHeap {
  private readonly items: number[] = [];

  public push(value: number): void {
    const a = this.items;
    let i = a.push(value) - 1;
    while (i > 0 && a[(i - 1) >> 1] > value) {
      a[i] = a[(i - 1) >> 1];
      i = (i - 1) >> 1;
    }
    a[i] = value;
  }

  /** The smallest value, removed; undefined when empty. */
  public pop(): number | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length === 0 || last === undefined) return top;
    let i = 0;
    for (let child = 1; child < a.length; child = 2 * i + 1) {
      if (child + 1 < a.length && a[child + 1] < a[child]) child++;
      if (a[child] >= last) break;
      a[i] = a[child];
      i = child;
    }
    a[i] = last;
    return top;
  }
}

/** An integer within [min, max] that is known at synth (it is written into a file). */
function checkLiteralInteger(where: string, prop: string, value: number, min: number, max: number): void {
  if (isUnresolved(value)) fail(where, prop, value, `a literal integer from ${min} to ${max}: it is written into unit files at synth`);
  checkInteger(where, prop, value, min, max);
}

/** True for a Docker host on this machine's socket. */
function isLocal(url: string): boolean {
  return !isUnresolved(url) && url.startsWith('unix://');
}

/** Text safe in a unit file: `%` starts a systemd specifier, a line break a new setting. */
function esc(text: string): string {
  return text.replace(/%/g, '%%').replace(/[\r\n]/g, ' ');
}

const STAGING = '.systemd-units-staging';

/**
 * The staging folder of `units`: in the app's output folder (removed once the asset copied it),
 * so that nothing is left behind in the system's temporary folder; a temporary folder when the
 * construct tree has no App.
 */
function stagingDirectory(units: SystemdUnits): string {
  let outdir: string | undefined;
  try {
    outdir = App.of(units).outdir;
  } catch {
    outdir = undefined;
  }
  const dir = outdir !== undefined
    ? path.resolve(outdir, STAGING, units.node.addr)
    : fs.mkdtempSync(path.join(os.tmpdir(), 'cdktf-systemd-units-'));
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

function removeStagingDirectory(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
  const parent = path.dirname(dir);
  if (path.basename(parent) === STAGING && fs.existsSync(parent) && fs.readdirSync(parent).length === 0) fs.rmdirSync(parent);
}
