/**
 * One container specification, two runners. What `ServiceContainer` (a `docker_container`) and
 * `SwarmService` (the `container_spec` of a `docker_service`'s tasks) have in common lives here,
 * once: the props, their JavaScript types, their validation and defaults, and the rendering into
 * each provider schema. Read it top to bottom:
 *
 * 1. `ContainerSpecProps`: the shared props, each with its `@default`;
 * 2. `ContainerSpec.resolve`: checks the props' types, then each value (tokens pass unjudged), and
 *    applies the defaults, into one resolved specification. Value objects check themselves:
 *    a `Healthcheck` (`_resolve`), an image (`bind`), a `Secret` (`_reference`);
 * 3. `containerAttributes` and friends: the specification as `docker_container` attributes;
 * 4. `serviceContainerSpec` and friends: the specification as a `docker_service`'s task.
 *
 * Each runner adds what is its own: a container its restart policy, ordered start, ports, bind
 * mounts and `no-new-privileges`; a service its mode, rollout, placement, endpoint, secrets and
 * configs. Rendering is eager (plain values, no Lazy tokens): cdktf captures a stack trace for each
 * token it makes, which makes Lazy-per-container synth of large stacks markedly slower.
 */
import { IConstruct } from 'constructs';
import { Op, Token } from 'cdktf';
import type { DockerHost } from './docker-host';
import type { IContainerImage, ImageBinding } from './container-image';
import { DataVolume } from './data-volume';
import { Healthcheck } from './healthcheck';
import { Secret } from './secret';
import { SUPERVISOR_LABEL } from './_labels';
import { labelBlocks } from './_names';
import type {
  ContainerConfig, ContainerHealthcheck, ContainerLabels, ServiceTaskSpecContainerSpec, ServiceTaskSpecContainerSpecHealthcheck,
  ServiceTaskSpecContainerSpecMounts, ServiceTaskSpecLogDriver, ServiceTaskSpecResources,
} from './_provider';
import {
  checkBoolean, checkContainerPath, checkEnvName, checkInstance, checkInteger, checkMap, checkOptionalString, checkStringArray, fail,
  isUnresolved, safeText,
} from './_validate';

// ---------------------------------------------------------------------------------------------
// 1. The props
// ---------------------------------------------------------------------------------------------

/**
 * What runs in a container, however it is run: the props `ServiceContainerProps` and
 * `SwarmServiceProps` share, with the same defaults. Where a `SwarmService` cannot express a
 * default (provider 3.6.2's `docker_service` has no field for it), the prop's doc says so.
 */
export interface ContainerSpecProps {
  /**
   * The image: `ContainerImage.fromRegistry(...)` or a `MinimalImage`. Bound by its `image_id`,
   * never its name (a name makes the provider replace the container, or update the service, on every plan).
   */
  readonly image: IContainerImage;
  /** Command (exec form): the image's CMD replaced. @default - the image's CMD */
  readonly command?: string[];
  /** Entrypoint (exec form). @default - the image's ENTRYPOINT */
  readonly entrypoint?: string[];
  /** Working directory. @default - the image's WORKDIR */
  readonly workingDir?: string;
  /**
   * User (name or UID[:GID]) the process runs as.
   * @default - the image's USER; not forced, as a forced UID breaks images that expect their own (the review warns about root)
   */
  readonly user?: string;
  /** Plain environment variables (visible in plan and state). @default - none */
  readonly environment?: Record<string, string>;
  /**
   * Secret environment variables from sensitive Terraform variables (never in the synthesized JSON;
   * a swarm service's environment is readable with `docker service inspect`: prefer a `SwarmSecret` file there).
   * @default - none
   */
  readonly secretEnvironment?: Record<string, Secret>;
  /** Paths that stay writable on a read-only root, as tmpfs mounts (`/tmp` always is). @default - only /tmp */
  readonly writablePaths?: string[];
  /** Size of each tmpfs mount in MiB. @default 64 */
  readonly tmpfsSizeMiB?: number;
  /** Mount the root filesystem read-only (CIS 5.12). @default true */
  readonly readOnlyRootFilesystem?: boolean;
  /**
   * Memory limit in MiB (CIS 5.10); Docker's minimum is 6. A container's swap is off (`memory_swap`
   * equals the limit); a swarm service cannot set swap (docker_service has no such field).
   * @default 512
   */
  readonly memoryMiB?: number;
  /** CPU limit in CPUs, e.g. 0.5. @default - no limit */
  readonly cpus?: number;
  /**
   * Run an init process that forwards signals and reaps zombies. A swarm service gets it with the
   * 4.6 provider line only (provider 3.6.2's docker_service has no `init`).
   * @default true
   */
  readonly init?: boolean;
  /** Drop all Linux capabilities (CIS 5.3). @default true */
  readonly dropAllCapabilities?: boolean;
  /** Capabilities to add back, e.g. `['NET_BIND_SERVICE']`. @default - none */
  readonly addCapabilities?: string[];
  /**
   * Health check (a swarm service takes no `startIntervalSeconds`: docker_service has no such field).
   * @default - none (the image's own HEALTHCHECK, if any)
   */
  readonly healthcheck?: Healthcheck;
  /** Size of a log file before rotation, in MiB. @default 10 */
  readonly logMaxSizeMiB?: number;
  /** Log files kept. @default 3 */
  readonly logMaxFiles?: number;
  /** Seconds between SIGTERM and SIGKILL on stop. @default 10 */
  readonly stopTimeoutSeconds?: number;
  /** Labels of the container (of a swarm service: of its tasks' containers and of the service). @default - none */
  readonly labels?: Record<string, string>;
}

/** A named volume mounted into a container. */
export interface VolumeMount {
  /** The volume. */
  readonly volume: DataVolume;
  /** Absolute path inside the container. */
  readonly containerPath: string;
  /** Mount read-only. @default false */
  readonly readOnly?: boolean;
}

/** A health check's timing with the defaults applied, in seconds (what `Healthcheck._resolve` returns). */
export interface HealthcheckTiming {
  readonly test: string[];
  readonly intervalSeconds: number;
  readonly timeoutSeconds: number;
  readonly startPeriodSeconds: number;
  readonly retries: number;
  readonly startIntervalSeconds?: number;
}

/** A volume mount after its checks. */
export interface ResolvedVolumeMount {
  readonly volumeName: string;
  readonly containerPath: string;
  readonly readOnly: boolean;
}

/** The `docker_container` attributes the specification decides. */
export type ContainerSpecAttributes = Pick<ContainerConfig,
  'image' | 'init' | 'capabilities' | 'readOnly' | 'tmpfs' | 'memory' | 'memorySwap' | 'cpus' | 'logDriver' | 'logOpts' |
  'command' | 'entrypoint' | 'workingDir' | 'user' | 'env' | 'healthcheck' | 'stopTimeout' | 'labels'>;

interface EnvEntry {
  readonly value: string;
  readonly secret: boolean;
}

const CAPABILITY = /^[A-Z][A-Z0-9_]*$/;
const MEBIBYTE_LIMIT = 1024 * 1024; // 1 TiB in MiB
const MEBIBYTE = 1024 * 1024; // bytes

// ---------------------------------------------------------------------------------------------
// 2. Validation and defaults
// ---------------------------------------------------------------------------------------------

/** The specification of one container, checked and with its defaults applied; the runner that owns it renders it. */
export class ContainerSpec {
  /**
   * Checks `props` for the construct `scope` (whose path every error names) on `host` and
   * applies the defaults. The image is bound (declared on the host) here.
   */
  public static resolve(scope: IConstruct, host: DockerHost, props: ContainerSpecProps): ContainerSpec {
    return new ContainerSpec(scope, host, props);
  }

  public readonly image: ImageBinding;
  public readonly command?: string[];
  public readonly entrypoint?: string[];
  public readonly workingDir?: string;
  public readonly user?: string;
  public readonly memoryMiB: number;
  public readonly cpus?: number;
  public readonly init: boolean;
  public readonly readOnlyRootFilesystem: boolean;
  public readonly dropAllCapabilities: boolean;
  /** Added capabilities as the engine reports them: `CAP_<NAME>`, de-duplicated and sorted. */
  public readonly addedCapabilities: string[];
  /** `/tmp` and the writable paths, each a tmpfs mount of `tmpfsSizeMiB`. */
  public readonly tmpfsPaths: string[];
  public readonly tmpfsSizeMiB: number;
  /** `/tmp` is among the writable paths: not mounted noexec in a container. */
  public readonly tmpExecutable: boolean;
  public readonly logMaxSizeMiB: number;
  public readonly logMaxFiles: number;
  public readonly stopTimeoutSeconds: number;
  /** The props' health check, as given. */
  public readonly healthcheck?: Healthcheck;
  /** Its timing with defaults, when there is one. */
  public readonly health?: HealthcheckTiming;

  private readonly where: string;
  private readonly env = new Map<string, EnvEntry>();
  private readonly labelMap = new Map<string, string>();
  /** Container paths already mounted (tmpfs, volumes, bind mounts): each once. Made on the first mount after the tmpfs ones. */
  private mounted?: Set<string>;

  private constructor(private readonly scope: IConstruct, host: DockerHost, props: ContainerSpecProps) {
    const where = scope.node.path;
    this.where = where;
    checkSpecPropTypes(where, props);

    if (!props.image || typeof (props.image as IContainerImage).bind !== 'function') {
      fail(where, 'image', props.image, 'ContainerImage.fromRegistry(reference) or a MinimalImage');
    }
    const image = props.image.bind(scope, host, 'image');
    if (!image || typeof image !== 'object' || typeof image.imageId !== 'string' || typeof image.imageName !== 'string') {
      fail(where, 'image', props.image, 'an image whose bind() returns { imageId, imageName } strings, e.g. ContainerImage.fromRegistry(reference) or a MinimalImage');
    }
    this.image = image;

    checkExecForm(where, 'command', props.command);
    checkExecForm(where, 'entrypoint', props.entrypoint);
    this.command = props.command;
    this.entrypoint = props.entrypoint;
    checkContainerPath(where, 'workingDir', props.workingDir);
    this.workingDir = props.workingDir;
    if (props.user !== undefined && !isUnresolved(props.user) && !/^[a-zA-Z0-9_][a-zA-Z0-9_.-]*(:[a-zA-Z0-9_][a-zA-Z0-9_.-]*)?$/.test(props.user)) {
      fail(where, 'user', props.user, 'a user name or UID, optionally with :group or :GID');
    }
    this.user = props.user;

    this.memoryMiB = props.memoryMiB ?? 512;
    checkInteger(where, 'memoryMiB', this.memoryMiB, 6, MEBIBYTE_LIMIT, "a memory limit in MiB: an integer of at least 6 (Docker's minimum)");
    if (props.cpus !== undefined && !isUnresolved(props.cpus) && (typeof props.cpus !== 'number' || !Number.isFinite(props.cpus) || props.cpus <= 0 || props.cpus > 1024)) {
      fail(where, 'cpus', props.cpus, 'a number of CPUs greater than 0 and at most 1024, e.g. 0.5');
    }
    this.cpus = props.cpus;
    this.tmpfsSizeMiB = props.tmpfsSizeMiB ?? 64;
    checkInteger(where, 'tmpfsSizeMiB', this.tmpfsSizeMiB, 1, MEBIBYTE_LIMIT, 'a tmpfs size in MiB: a positive integer');
    this.logMaxSizeMiB = props.logMaxSizeMiB ?? 10;
    checkInteger(where, 'logMaxSizeMiB', this.logMaxSizeMiB, 1, 10240, 'a log file size in MiB from 1 to 10240');
    this.logMaxFiles = props.logMaxFiles ?? 3;
    checkInteger(where, 'logMaxFiles', this.logMaxFiles, 1, 100, 'a number of log files from 1 to 100');
    this.stopTimeoutSeconds = props.stopTimeoutSeconds ?? 10;
    checkInteger(where, 'stopTimeoutSeconds', this.stopTimeoutSeconds, 0, 3600, 'seconds from 0 to 3600');

    this.init = props.init ?? true;
    this.readOnlyRootFilesystem = props.readOnlyRootFilesystem ?? true;
    this.dropAllCapabilities = props.dropAllCapabilities ?? true;
    const added = (props.addCapabilities ?? []).map((c, i) => {
      if (isUnresolved(c)) return c;
      const cap = typeof c === 'string' ? c.toUpperCase().replace(/^CAP_/, '') : c;
      if (typeof cap !== 'string' || !CAPABILITY.test(cap) || cap === 'ALL') {
        fail(where, `addCapabilities[${i}]`, c, 'a Linux capability name such as NET_BIND_SERVICE (ALL is not allowed)');
      }
      return cap;
    });
    // With the CAP_ prefix: the engine reports added capabilities so, and the provider would otherwise
    // see a change (that forces replacement) on every plan.
    this.addedCapabilities = [...new Set(added)].sort().map((cap) => (isUnresolved(cap) ? cap : `CAP_${cap}`));

    this.tmpfsPaths = ['/tmp'];
    (props.writablePaths ?? []).forEach((p, i) => {
      checkContainerPath(where, `writablePaths[${i}]`, p, true);
      if (p !== '/tmp' && this.tmpfsPaths.includes(p)) fail(where, `writablePaths[${i}]`, p, 'each path once');
      if (p !== '/tmp') this.tmpfsPaths.push(p);
    });
    // /tmp listed as a writable path: a container's /tmp is then not noexec.
    this.tmpExecutable = (props.writablePaths ?? []).includes('/tmp');

    for (const [key, value] of Object.entries(props.labels ?? {})) {
      if (typeof value !== 'string' || key === '' || key.startsWith(SUPERVISOR_LABEL)) {
        fail(where, `labels.${key}`, value, `a string label value under a non-empty key (${SUPERVISOR_LABEL} is reserved)`);
      }
      this.labelMap.set(key, value);
    }
    for (const [name, value] of Object.entries(props.environment ?? {})) this.addEnvironment(name, value);
    for (const [name, secret] of Object.entries(props.secretEnvironment ?? {})) this.addSecretEnvironment(name, secret);

    this.healthcheck = props.healthcheck;
    this.health = props.healthcheck?._resolve(where);
  }

  /** Adds a plain environment variable; the same name twice (plain or secret) is an error. */
  public addEnvironment(name: string, value: string): void {
    const prop = `environment.${safeText(name)}`;
    checkEnvName(this.where, prop, name);
    this.putEnv(prop, name, value, false);
  }

  /** Adds an environment variable whose value is a sensitive Terraform variable's. */
  public addSecretEnvironment(name: string, secret: Secret): void {
    const prop = `secretEnvironment.${safeText(name)}`;
    checkEnvName(this.where, prop, name);
    if (!(secret instanceof Secret)) fail(this.where, prop, secret, 'a Secret from Secret.fromVariable or Secret.fromTerraformVariable');
    this.putEnv(prop, name, secret._reference(this.scope, prop), true);
  }

  /** Names of the environment variables, sorted. */
  public get environmentNames(): string[] {
    return [...this.env.keys()].sort();
  }

  /** Sets a label the library owns (e.g. the supervisor label). */
  public setLabel(key: string, value: string): void {
    this.labelMap.set(key, value);
  }

  /** Records a mount at `containerPath`; a path mounted twice is an error naming `prop`. */
  public claimMount(prop: string, containerPath: string): void {
    checkContainerPath(this.where, prop, containerPath, true);
    this.mounted ??= new Set(this.tmpfsPaths);
    if (this.mounted.has(containerPath)) fail(this.where, prop, containerPath, 'a container path not already mounted');
    this.mounted.add(containerPath);
  }

  /** Checks one entry of a `volumes` prop (`volumes[i]`): a DataVolume of `host` on a path not yet mounted. */
  public volumeMount(host: DockerHost, prop: string, v: VolumeMount): ResolvedVolumeMount {
    const where = this.where;
    if (!v || typeof v !== 'object') fail(where, prop, v, 'a volume mount { volume, containerPath, readOnly? }');
    if (!(v.volume instanceof DataVolume)) fail(where, `${prop}.volume`, v.volume, 'a DataVolume');
    checkBoolean(where, `${prop}.readOnly`, v.readOnly);
    if (v.volume.host !== host) {
      fail(where, `${prop}.volume`, v.volume.node.path, `a volume on the container's host ${host.node.path}`);
    }
    this.claimMount(`${prop}.containerPath`, v.containerPath);
    return { volumeName: v.volume.volumeName, containerPath: v.containerPath, readOnly: v.readOnly ?? false };
  }

  /** Records a variable whose name the caller has checked. */
  private putEnv(prop: string, name: string, value: string, secret: boolean): void {
    // A number token (e.g. a number variable) is rendered as a string reference.
    if (typeof value === 'number' && isUnresolved(value)) value = Token.asString(value);
    if (typeof value !== 'string') fail(this.where, prop, value, 'a string value');
    if (this.env.has(name)) fail(this.where, prop, name, 'each environment variable name once (plain or secret)');
    this.env.set(name, { value, secret });
  }

  // -------------------------------------------------------------------------------------------
  // 3. As docker_container attributes
  // -------------------------------------------------------------------------------------------

  /** The container's attributes that the specification decides (the runner adds name, restart, networks...). */
  public containerAttributes(): ContainerSpecAttributes {
    const tmpfs: Record<string, string> = {};
    for (const p of this.tmpfsPaths) tmpfs[p] = `rw,${p === '/tmp' && !this.tmpExecutable ? 'noexec,' : ''}nosuid,size=${this.tmpfsSizeMiB}m`;
    const added = this.addedCapabilities;
    return {
      image: this.image.imageId,
      init: this.init,
      capabilities: this.dropAllCapabilities || added.length > 0
        ? { drop: this.dropAllCapabilities ? ['ALL'] : undefined, add: added.length > 0 ? added : undefined }
        : undefined,
      readOnly: this.readOnlyRootFilesystem,
      tmpfs,
      memory: this.memoryMiB,
      // Equal to the limit: no swap. Left out, Docker sets twice the limit and the provider reads
      // that back, a change on every plan.
      memorySwap: this.memoryMiB,
      cpus: this.cpus !== undefined ? String(this.cpus) : undefined,
      logDriver: 'json-file',
      logOpts: { 'max-size': `${this.logMaxSizeMiB}m`, 'max-file': String(this.logMaxFiles) },
      command: this.command,
      entrypoint: this.entrypoint,
      workingDir: this.workingDir,
      user: this.user,
      env: this.containerEnv(),
      healthcheck: this.containerHealthcheck(),
      stopTimeout: this.stopTimeoutSeconds,
      labels: this.containerLabels(),
    };
  }

  /** `NAME=value` entries sorted by name, or undefined when there are none (the attribute is then omitted). */
  public containerEnv(): string[] | undefined {
    if (this.env.size === 0) return undefined;
    return this.environmentNames.map((k) => `${k}=${(this.env.get(k) as EnvEntry).value}`);
  }

  /** The labels as the provider's `{label, value}` blocks, sorted; undefined when there are none. */
  public containerLabels(): ContainerLabels[] | undefined {
    return labelBlocks(Object.fromEntries(this.labelMap));
  }

  private containerHealthcheck(): ContainerHealthcheck | undefined {
    const h = this.health;
    if (!h) return undefined;
    return {
      test: h.test, interval: `${h.intervalSeconds}s`, timeout: `${h.timeoutSeconds}s`, startPeriod: `${h.startPeriodSeconds}s`,
      startInterval: h.startIntervalSeconds === undefined ? undefined : `${h.startIntervalSeconds}s`, retries: h.retries,
    };
  }

  // -------------------------------------------------------------------------------------------
  // 4. As a docker_service's task
  // -------------------------------------------------------------------------------------------

  /**
   * The task's `container_spec`. The image by digest where the image has one (any node pulls it),
   * else by id (see `ImageBinding.swarmImage`). A service's `command` is the entrypoint and its `args` the
   * command (the Docker API's naming). Durations are written as the provider reads them back
   * (Go's duration text, `1m30s`), so that a re-plan shows no change. `volumes` are the mounts of
   * named volumes the runner resolved; secrets and configs the runner adds.
   */
  public serviceContainerSpec(volumes: ResolvedVolumeMount[]): ServiceTaskSpecContainerSpec {
    const mounts: ServiceTaskSpecContainerSpecMounts[] = [
      ...this.tmpfsPaths.map((target) => ({ target, type: 'tmpfs', tmpfsOptions: { sizeBytes: bytes(this.tmpfsSizeMiB) } })),
      ...volumes.map((v) => ({ target: v.containerPath, type: 'volume', source: v.volumeName, readOnly: v.readOnly })),
    ];
    const env: Record<string, string> = {};
    for (const name of this.environmentNames) env[name] = (this.env.get(name) as EnvEntry).value;
    return {
      image: this.image.swarmImage ?? this.image.imageId,
      command: this.entrypoint,
      args: this.command,
      dir: this.workingDir,
      user: this.user,
      env: this.env.size > 0 ? env : undefined,
      readOnly: this.readOnlyRootFilesystem,
      capDrop: this.dropAllCapabilities ? ['ALL'] : undefined,
      capAdd: this.addedCapabilities.length > 0 ? this.addedCapabilities : undefined,
      mounts,
      healthcheck: this.serviceHealthcheck(),
      stopGracePeriod: goDuration(this.stopTimeoutSeconds),
      labels: this.containerLabels(),
    };
  }

  /** Limits, and the reservations the scheduler places by. */
  public serviceResources(memoryReservationMiB?: number, cpuReservation?: number): ServiceTaskSpecResources {
    const reserve = memoryReservationMiB !== undefined || cpuReservation !== undefined;
    return {
      limits: { memoryBytes: bytes(this.memoryMiB), nanoCpus: nanoCpus(this.cpus) },
      reservation: reserve ? { memoryBytes: bytes(memoryReservationMiB), nanoCpus: nanoCpus(cpuReservation) } : undefined,
    };
  }

  /** The same json-file rotation as a container's. */
  public serviceLogDriver(): ServiceTaskSpecLogDriver {
    return { name: 'json-file', options: { 'max-size': `${this.logMaxSizeMiB}m`, 'max-file': String(this.logMaxFiles) } };
  }

  private serviceHealthcheck(): ServiceTaskSpecContainerSpecHealthcheck | undefined {
    const h = this.health;
    if (!h) return undefined;
    if (h.startIntervalSeconds !== undefined) {
      fail(this.where, 'healthcheck.startIntervalSeconds', h.startIntervalSeconds,
        "no start interval for a SwarmService: docker_service's healthcheck has no start_interval (leave it out; the start period still applies)");
    }
    return {
      test: h.test, interval: goDuration(h.intervalSeconds), timeout: goDuration(h.timeoutSeconds),
      startPeriod: goDuration(h.startPeriodSeconds), retries: h.retries,
    };
  }
}

/** JavaScript types of the shared props (JavaScript callers can pass anything). */
function checkSpecPropTypes(where: string, props: ContainerSpecProps): void {
  checkStringArray(where, 'writablePaths', props.writablePaths, "a list of absolute container paths, e.g. ['/var/cache/nginx']");
  checkStringArray(where, 'addCapabilities', props.addCapabilities, "a list of Linux capability names, e.g. ['NET_BIND_SERVICE']");
  checkMap(where, 'environment', props.environment, 'an object of environment variables: names to string values');
  checkMap(where, 'secretEnvironment', props.secretEnvironment, 'an object of environment variable names to Secret');
  checkMap(where, 'labels', props.labels, 'an object of container labels: string keys and string values');
  checkOptionalString(where, 'user', props.user, 'a user name or UID, optionally with :group or :GID');
  checkInstance(where, 'healthcheck', props.healthcheck, Healthcheck, 'a Healthcheck from Healthcheck.command, .shell, .http or .tcp');
  for (const prop of ['init', 'dropAllCapabilities', 'readOnlyRootFilesystem'] as const) checkBoolean(where, prop, props[prop]);
}

function checkExecForm(where: string, prop: string, list: string[] | undefined): void {
  if (list === undefined || isUnresolved(list as unknown as string)) return;
  if (!Array.isArray(list) || list.length === 0 || list.some((x) => typeof x !== 'string')) {
    fail(where, prop, list, 'a non-empty list of strings (exec form)');
  }
}

/**
 * Whole seconds as Go writes a duration and the provider's `shortDur` reads it back
 * (`45s`, `1m30s`, `2m`, `1h`, `1h0m5s`): another spelling of the same time is a change on every plan.
 */
export function goDuration(seconds: number): string {
  if (isUnresolved(seconds)) return `${seconds}s`;
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  let text = h > 0 ? `${h}h${m}m${s}s` : m > 0 ? `${m}m${s}s` : `${s}s`;
  if (text.endsWith('m0s')) text = text.slice(0, -2);
  if (text.endsWith('h0m')) text = text.slice(0, -2);
  return text;
}

/** MiB as bytes (a token as a Terraform product). */
function bytes(mib: number | undefined): number | undefined {
  if (mib === undefined) return undefined;
  return isUnresolved(mib) ? Op.mul(mib, MEBIBYTE) : mib * MEBIBYTE;
}

/** CPUs as the API's nano-CPUs (whole numbers). */
function nanoCpus(cpus: number | undefined): number | undefined {
  if (cpus === undefined) return undefined;
  return isUnresolved(cpus) ? Op.mul(cpus, 1e9) : Math.round(cpus * 1e9);
}
