/**
 * One container specification, two runners: what `ServiceContainer` (a `docker_container`) and
 * `SwarmService` (the `container_spec` of a `docker_service`'s tasks) have in common, checked and
 * with its defaults applied, once. Read it top to bottom: the props' JavaScript types (all
 * problems of them at once, before anything reads a value), then each value (tokens pass
 * unjudged) with its default, every problem collected (`Problems`). Value objects check
 * themselves: a `Healthcheck` (`_resolve`), an image (`bind`), a `Secret` (`_reference`).
 *
 * The props are in `container-spec-props`; the rendering into each provider schema is in
 * `_container-render`.
 */
import { IConstruct } from 'constructs';
import { Token } from 'cdktf';
import type { DockerHost } from './docker-host';
import type { IContainerImage, ImageBinding } from './container-image';
import type { ContainerSpecProps, VolumeMount } from './container-spec-props';
import { DataVolume } from './data-volume';
import { Healthcheck } from './healthcheck';
import { Secret } from './secret';
import { SUPERVISOR_LABEL } from './_labels';
import { Problems } from './_problems';
import {
  checkBoolean, checkContainerPath, checkEnvName, checkInstance, checkInteger, checkMap, checkOptionalString, checkStringArray, fail,
  isUnresolved, isUserSpec, safeText,
} from './_validate';
import { checkKnownKeys } from './_known-keys';
import { VOLUME_MOUNT_KEYS } from './_props-keys';

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

/** One environment variable as rendered: its value is a secret's reference (never the secret) when `secret` is true. */
export interface EnvEntry {
  readonly value: string;
  readonly secret: boolean;
}

export const CAPABILITY = /^[A-Z][A-Z0-9_]*$/;
/** The largest memory or tmpfs size accepted, in MiB: 1 TiB. */
const MAX_SIZE_MIB = 1024 * 1024;

/** The specification of one container, checked and with its defaults applied; the runner that owns it renders it. */
export class ContainerSpec {
  /**
   * Checks `props` for the construct `scope` (whose path every error names) on `host` and
   * applies the defaults; the problems go to `problems` (the types' at once: thrown before any
   * value is read). The image is bound (declared on the host) here.
   */
  public static resolve(scope: IConstruct, host: DockerHost, props: ContainerSpecProps, problems: Problems): ContainerSpec {
    const where = scope.node.path;
    const types = new Problems(where);
    checkSpecPropTypes(types, where, props);
    types.throwIfAny();
    return new ContainerSpec(scope, host, props, problems);
  }

  /** The bound image (undefined only when binding failed, which `problems` then holds). */
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
  public readonly tmpfsPaths: string[] = ['/tmp'];
  public readonly tmpfsSizeMiB: number;
  /** `/tmp` is among the writable paths: not mounted noexec in a container. */
  public readonly tmpExecutable: boolean;
  public readonly logMaxSizeMiB: number;
  public readonly logMaxFiles: number;
  public readonly stopTimeoutSeconds: number;
  /** The props' health check, as given. */
  public readonly healthcheck?: Healthcheck;
  /** Its timing with defaults, when there is one (and it checked out). */
  public readonly health?: HealthcheckTiming;
  /** The environment by name. */
  public readonly env = new Map<string, EnvEntry>();
  /** The labels by key. */
  public readonly labels = new Map<string, string>();

  private readonly where: string;
  /** Container paths already mounted (tmpfs, volumes, bind mounts): each once. Made on the first mount after the tmpfs ones. */
  private mounted?: Set<string>;

  private constructor(private readonly scope: IConstruct, host: DockerHost, props: ContainerSpecProps, problems: Problems) {
    const where = this.where = scope.node.path;
    this.image = problems.check(() => bindImage(scope, host, props.image)) as ImageBinding;
    problems.check(() => checkExecForm(where, 'command', props.command));
    problems.check(() => checkExecForm(where, 'entrypoint', props.entrypoint));
    problems.check(() => checkContainerPath(where, 'workingDir', props.workingDir));
    problems.check(() => checkUser(where, props.user));
    this.command = props.command;
    this.entrypoint = props.entrypoint;
    this.workingDir = props.workingDir;
    this.user = props.user;

    this.memoryMiB = props.memoryMiB ?? 512;
    this.cpus = props.cpus;
    this.tmpfsSizeMiB = props.tmpfsSizeMiB ?? 64;
    this.logMaxSizeMiB = props.logMaxSizeMiB ?? 10;
    this.logMaxFiles = props.logMaxFiles ?? 3;
    this.stopTimeoutSeconds = props.stopTimeoutSeconds ?? 10;
    checkLimits(problems, where, this);

    this.init = props.init ?? true;
    this.readOnlyRootFilesystem = props.readOnlyRootFilesystem ?? true;
    this.dropAllCapabilities = props.dropAllCapabilities ?? true;
    this.addedCapabilities = addedCapabilities(problems, where, props.addCapabilities ?? []);
    (props.writablePaths ?? []).forEach((p, i) => problems.check(() => this.addWritablePath(`writablePaths[${i}]`, p)));
    this.tmpExecutable = (props.writablePaths ?? []).includes('/tmp');

    for (const [key, value] of Object.entries(props.labels ?? {})) problems.check(() => this.addLabel(key, value));
    for (const [name, value] of Object.entries(props.environment ?? {})) problems.check(() => this.addEnvironment(name, value));
    for (const [name, secret] of Object.entries(props.secretEnvironment ?? {})) problems.check(() => this.addSecretEnvironment(name, secret));
    this.healthcheck = props.healthcheck;
    this.health = problems.check(() => props.healthcheck?._resolve(where));
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
    this.labels.set(key, value);
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
    checkKnownKeys(where, v, VOLUME_MOUNT_KEYS, prop);
    if (!(v.volume instanceof DataVolume)) fail(where, `${prop}.volume`, v.volume, 'a DataVolume');
    checkBoolean(where, `${prop}.readOnly`, v.readOnly);
    if (v.volume.host !== host) {
      fail(where, `${prop}.volume`, v.volume.node.path, `a volume on the container's host ${host.node.path}`);
    }
    this.claimMount(`${prop}.containerPath`, v.containerPath);
    return { volumeName: v.volume.volumeName, containerPath: v.containerPath, readOnly: v.readOnly ?? false };
  }

  private addWritablePath(prop: string, p: string): void {
    checkContainerPath(this.where, prop, p, true);
    if (p !== '/tmp' && this.tmpfsPaths.includes(p)) fail(this.where, prop, p, 'each path once');
    if (p !== '/tmp') this.tmpfsPaths.push(p);
  }

  private addLabel(key: string, value: string): void {
    if (typeof value !== 'string' || key === '' || key.startsWith(SUPERVISOR_LABEL)) {
      fail(this.where, `labels.${key}`, value, `a string label value under a non-empty key (${SUPERVISOR_LABEL} is reserved)`);
    }
    this.labels.set(key, value);
  }

  /** Records a variable whose name the caller has checked. */
  private putEnv(prop: string, name: string, value: string, secret: boolean): void {
    // A number token (e.g. a number variable) is rendered as a string reference.
    if (typeof value === 'number' && isUnresolved(value)) value = Token.asString(value);
    if (typeof value !== 'string') fail(this.where, prop, value, 'a string value');
    if (this.env.has(name)) fail(this.where, prop, name, 'each environment variable name once (plain or secret)');
    this.env.set(name, { value, secret });
  }
}

/** The image bound on `host` (a pulled or built image's id, name and swarm reference). */
function bindImage(scope: IConstruct, host: DockerHost, given: IContainerImage): ImageBinding {
  const where = scope.node.path;
  if (!given || typeof (given as IContainerImage).bind !== 'function') {
    fail(where, 'image', given, 'ContainerImage.fromRegistry(reference) or a MinimalImage');
  }
  const image = given.bind(scope, host, 'image');
  if (!image || typeof image !== 'object' || typeof image.imageId !== 'string' || typeof image.imageName !== 'string') {
    fail(where, 'image', given, 'an image whose bind() returns { imageId, imageName } strings, e.g. ContainerImage.fromRegistry(reference) or a MinimalImage');
  }
  return image;
}

/** JavaScript types of the shared props (JavaScript callers can pass anything), each problem kept. */
function checkSpecPropTypes(problems: Problems, where: string, props: ContainerSpecProps): void {
  problems.check(() => checkStringArray(where, 'writablePaths', props.writablePaths, "a list of absolute container paths, e.g. ['/var/cache/nginx']"));
  problems.check(() => checkStringArray(where, 'addCapabilities', props.addCapabilities, "a list of Linux capability names, e.g. ['NET_BIND_SERVICE']"));
  problems.check(() => checkMap(where, 'environment', props.environment, 'an object of environment variables: names to string values'));
  problems.check(() => checkMap(where, 'secretEnvironment', props.secretEnvironment, 'an object of environment variable names to Secret'));
  problems.check(() => checkMap(where, 'labels', props.labels, 'an object of container labels: string keys and string values'));
  problems.check(() => checkOptionalString(where, 'user', props.user, 'a user name or UID, optionally with :group or :GID'));
  problems.check(() => checkInstance(where, 'healthcheck', props.healthcheck, Healthcheck, 'a Healthcheck from Healthcheck.command, .shell, .http or .tcp'));
  for (const prop of ['init', 'dropAllCapabilities', 'readOnlyRootFilesystem'] as const) problems.check(() => checkBoolean(where, prop, props[prop]));
}

function checkExecForm(where: string, prop: string, list: string[] | undefined): void {
  if (list === undefined || isUnresolved(list as unknown as string)) return;
  if (!Array.isArray(list) || list.length === 0 || list.some((x) => typeof x !== 'string')) {
    fail(where, prop, list, 'a non-empty list of strings (exec form)');
  }
}

function checkUser(where: string, user: string | undefined): void {
  if (user !== undefined && !isUnresolved(user) && !isUserSpec(user)) fail(where, 'user', user, 'a user name or UID, optionally with :group or :GID');
}

/** Memory, CPUs, tmpfs size, log rotation and stop timeout, each problem kept. */
function checkLimits(problems: Problems, where: string, spec: ContainerSpec): void {
  const cpus = spec.cpus;
  problems.check(() => checkInteger(where, 'memoryMiB', spec.memoryMiB, 6, MAX_SIZE_MIB, "a memory limit in MiB: an integer of at least 6 (Docker's minimum)"));
  problems.check(() => {
    if (cpus !== undefined && !isUnresolved(cpus) && (typeof cpus !== 'number' || !Number.isFinite(cpus) || cpus <= 0 || cpus > 1024)) {
      fail(where, 'cpus', cpus, 'a number of CPUs greater than 0 and at most 1024, e.g. 0.5');
    }
  });
  problems.check(() => checkInteger(where, 'tmpfsSizeMiB', spec.tmpfsSizeMiB, 1, MAX_SIZE_MIB, 'a tmpfs size in MiB: a positive integer'));
  problems.check(() => checkInteger(where, 'logMaxSizeMiB', spec.logMaxSizeMiB, 1, 10240, 'a log file size in MiB from 1 to 10240'));
  problems.check(() => checkInteger(where, 'logMaxFiles', spec.logMaxFiles, 1, 100, 'a number of log files from 1 to 100'));
  problems.check(() => checkInteger(where, 'stopTimeoutSeconds', spec.stopTimeoutSeconds, 0, 3600, 'seconds from 0 to 3600'));
}

/**
 * Added capabilities with the CAP_ prefix, de-duplicated and sorted: the engine reports them so,
 * and the provider would otherwise see a change (that forces replacement) on every plan.
 */
function addedCapabilities(problems: Problems, where: string, given: string[]): string[] {
  const names = given.map((c, i) => problems.check(() => {
    if (isUnresolved(c)) return c;
    const cap = typeof c === 'string' ? c.toUpperCase().replace(/^CAP_/, '') : c;
    if (typeof cap !== 'string' || !CAPABILITY.test(cap) || cap === 'ALL') {
      fail(where, `addCapabilities[${i}]`, c, 'a Linux capability name such as NET_BIND_SERVICE (ALL is not allowed)');
    }
    return cap;
  }));
  const known = names.filter((c): c is string => c !== undefined);
  return [...new Set(known)].sort().map((cap) => (isUnresolved(cap) ? cap : `CAP_${cap}`));
}
