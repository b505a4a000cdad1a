/**
 * The construct that writes systemd units for the containers of one Docker host. Reading order:
 * the props and their defaults (`unitSettings`), which containers get a unit (`selectContainers`,
 * a walk of the stack's construct tree), their order (`_dependency-order`), each unit's text
 * (`_systemd-unit-file`), and the asset the files are staged into at synth (`_unit-staging`);
 * the props, their defaults and checks are in `systemd-settings`.
 */
import { Construct, IConstruct } from 'constructs';
import { Aspects, Lazy, TerraformAsset, TerraformOutput, TerraformStack } from 'cdktf';
import { addCustomSynthesis } from 'cdktf/lib/synthesize/synthesizer';
import { DockerHost } from './docker-host';
import { dependencyOrder } from './_dependency-order';
import { renderUnitFile, UnitSettings } from './_systemd-unit-file';
import { isLocal, SystemdUnitsProps, unitPrefixOf, unitSettings } from './systemd-settings';
import { UnitStaging } from './_unit-staging';
import { ServiceContainer } from './service-container';
import { ValidationError } from './errors';
import { addSynthCheck, failWithStackProblems } from './_synth-checks';
import { fail, isUnresolved } from './_validate';
import { checkKnownKeys } from './_known-keys';
import { SYSTEMD_UNITS_PROPS_KEYS } from './_props-keys';
import { getOrCreate } from './_collections';

export * from './systemd-settings';

/** Where every unit file is installed. */
const UNIT_DIRECTORY = '/etc/systemd/system';
/** The stack's SystemdUnits by host, to refuse a second set of units for the same containers. */
const registry = new WeakMap<TerraformStack, Map<DockerHost, SystemdUnits>>();

/**
 * systemd units that start the containers of one Docker host at boot, in dependency order,
 * and keep them running: the service-manager duties of the talk ("Docker in Production"), with
 * systemd as the one supervisor. For each container, a `<unitPrefix><serviceName>.service` that
 * requires and starts after the Docker daemon's unit and the units of the container's
 * dependencies, attaches to the existing container (`docker start -a`), stops it with its stop
 * timeout and is restarted by systemd; the container's Docker restart policy becomes `no` (and
 * the label `cdktf-docker-production/supervisor=systemd` records why), so two supervisors never fight.
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
  /** The stack output with the install command. */
  public readonly installOutput: TerraformOutput;

  private readonly stack: TerraformStack;
  private readonly settings: UnitSettings;
  private readonly explicit?: ServiceContainer[];
  private readonly staging: UnitStaging;
  private readonly outputName: string;
  /** What the last staging could not write (reported by the synth check). */
  private stageProblems: ValidationError[] = [];

  constructor(scope: Construct, id: string, props: SystemdUnitsProps = {}) {
    super(scope, id);
    const where = this.node.path;
    if (!props || typeof props !== 'object') fail(where, 'props', props, 'an object (all props are optional)');
    checkKnownKeys(where, props, SYSTEMD_UNITS_PROPS_KEYS);
    this.stack = TerraformStack.of(this);
    if (props.host !== undefined && !(props.host instanceof DockerHost)) fail(where, 'host', props.host, 'a DockerHost');
    this.host = props.host ?? DockerHost.of(this);
    if (this.host.node.root !== this.node.root) fail(where, 'host', this.host.node.path, 'a DockerHost of the same app');
    this.unitPrefix = unitPrefixOf(where, props.unitPrefix);
    this.settings = unitSettings(where, this.host, props, SystemdUnits.SUPERVISOR);
    this.explicit = this.explicitContainers(props.containers);
    this.outputName = this.register();

    // Containers known now hand over their restarts at once, so that everything that looks at
    // them before synth (an Aspect, a test) sees the final state; later ones at synth (below).
    for (const c of this.selectContainers()) c._superviseExternally(SystemdUnits.SUPERVISOR);

    this.staging = new UnitStaging(this, 'Units');
    this.installOutput = new TerraformOutput(this, 'Install', {
      value: Lazy.stringValue({ produce: () => this.installCommand() }),
      description: `Installs and enables the systemd units of the containers on ${this.host.node.path}; run it on that machine (${isUnresolved(this.host.url) ? 'its Docker host' : this.host.url})${isLocal(this.host.url) ? '' : ' after copying the folder there'}.`,
    });
    this.installOutput.overrideLogicalId(this.outputName);

    // Aspects run at synth before validation, asset copying and rendering (also in Testing.synth).
    // This one acts on the stack node, which is visited before any container node; only an Aspect
    // added to the stack before this construct and acting on the stack node itself runs earlier.
    Aspects.of(this.stack).add({ visit: (node: IConstruct) => { if (node === this.stack) this.stage(); } });
    // Custom synthesis runs children first: this runs after the asset copied the staged files.
    addCustomSynthesis(this, { onSynthesize: () => this.staging.clean() });
    addSynthCheck(this, () => (this.stageProblems.length > 0 ? this.stageProblems : this.selectContainers().length === 0
      ? [new ValidationError(where, 'containers', [], `at least one ServiceContainer on host ${this.host.node.path} in stack ${this.stack.node.path}`)]
      : []));
  }

  /** The asset holding the unit files (a folder), made on first use: the staging folder exists only from then on. */
  public get asset(): TerraformAsset {
    return this.staging.asset;
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
    const unit = this.unitNameOf(container);
    if (unit === this.settings.dockerUnit) {
      fail(where, 'unitPrefix', this.unitPrefix, `a prefix that does not make the unit of ${container.node.path} the Docker unit ${this.settings.dockerUnit}`);
    }
    const stop = container.stopTimeoutSeconds;
    if (isUnresolved(stop)) fail(container.node.path, 'stopTimeoutSeconds', stop, `a literal number: ${where} writes it into a unit file at synth`);
    return renderUnitFile(this.settings, {
      path: container.node.path,
      name: container.serviceName,
      stopTimeoutSeconds: stop,
      hasHealthcheck: container.healthcheck !== undefined,
      requires: container.dependencies.map((d) => this.unitNameOf(d)),
    });
  }

  /** The explicit `containers` prop, validated (undefined: every container of the host). */
  private explicitContainers(containers: ServiceContainer[] | undefined): ServiceContainer[] | undefined {
    if (containers === undefined) return undefined;
    const where = this.node.path;
    if (!Array.isArray(containers)) fail(where, 'containers', containers, 'a list of ServiceContainers');
    containers.forEach((c, i) => this.checkContainer(c, `containers[${i}]`));
    const seen = new Set<ServiceContainer>();
    containers.forEach((c, i) => {
      if (seen.has(c)) fail(where, `containers[${i}]`, c.node.path, 'each container once');
      seen.add(c);
    });
    return [...containers];
  }

  /** Records this construct as the stack's units of its host; returns the install output's name. */
  private register(): string {
    const where = this.node.path;
    const units = getOrCreate(registry, this.stack, () => new Map<DockerHost, SystemdUnits>());
    const previous = units.get(this.host);
    if (previous) {
      fail(where, 'host', this.host.node.path, `a host no other SystemdUnits of stack ${this.stack.node.path} covers (${previous.node.path} already writes its units)`);
    }
    const outputName = `${this.node.id.replace(/[^A-Za-z0-9_-]/g, '_').replace(/^([^A-Za-z_])/, '_$1')}_install`;
    const clash = [...units.values()].find((u) => u.outputName === outputName);
    if (clash) fail(where, 'id', this.node.id, `an id whose output name ${outputName} no other SystemdUnits of the stack uses (${clash.node.path} does)`);
    units.set(this.host, this);
    return outputName;
  }

  /** The host's containers of this stack, in creation order (a walk of the stack's construct tree). */
  private hostContainers(): ServiceContainer[] {
    return ServiceContainer.allOn(this.host, this.stack);
  }

  /** The containers that get a unit, in no particular order; validated. */
  private selectContainers(): ServiceContainer[] {
    const all = this.hostContainers();
    if (this.explicit === undefined) return all;
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
    for (const other of all) {
      if (selected.has(other)) continue;
      const needed = other.dependencies.find((d) => selected.has(d));
      if (needed) {
        fail(this.node.path, 'containers', other.node.path,
          `a list that also holds ${other.node.path}: it depends on ${needed.node.path}, which systemd starts only after Docker, so Docker's restart policy would start it first at boot`);
      }
    }
    return [...selected];
  }

  /** The containers, dependencies first, otherwise in the order they were created. */
  private orderedContainers(): ServiceContainer[] {
    const selected = new Set(this.selectContainers());
    const { ordered, unplaced } = dependencyOrder(this.hostContainers().filter((c) => selected.has(c)), (c) => c.dependencies);
    // ServiceContainer refuses cycles; this only guards the invariant.
    if (unplaced.length > 0) fail(this.node.path, 'containers', unplaced.map((c) => c.node.path), 'containers whose dependencies do not form a cycle');
    return ordered;
  }

  /**
   * At synth: hands restarts over, writes the unit files and points the asset at their hash. The
   * problems found here (units that cannot be written) fail the synth at once, with the stack's
   * other problems (this construct's synth check reports them).
   */
  private stage(): void {
    this.stageProblems = [];
    const keep = (e: unknown) => {
      if (!(e instanceof ValidationError)) throw e;
      this.stageProblems.push(e);
    };
    let containers: ServiceContainer[];
    try {
      containers = this.orderedContainers();
    } catch (e) {
      keep(e);
      failWithStackProblems(this);
      return;
    }
    const files: { name: string; text: string }[] = [];
    for (const c of containers) {
      try {
        files.push({ name: this.unitNameOf(c), text: this.renderUnit(c) });
        c._superviseExternally(SystemdUnits.SUPERVISOR);
      } catch (e) {
        keep(e);
      }
    }
    if (this.stageProblems.length > 0) failWithStackProblems(this);
    this.staging.write(files);
  }

  private installCommand(): string {
    const dir = `"\${abspath(path.module)}/${this.asset.path}"`;
    return [
      `sudo install -m 0644 -t ${UNIT_DIRECTORY} ${dir}/*.service`,
      'sudo systemctl daemon-reload',
      `sudo systemctl enable --now ${this.staging.names.join(' ')}`,
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
