import { Construct } from 'constructs';
import { TerraformStack, Token, dependable } from 'cdktf';
import * as net from 'net';
import { DockerHost } from './docker-host';
import { IContainerImage } from './container-image';
import { DataVolume } from './data-volume';
import { ServiceNetwork } from './service-network';
import { PortMapping, Protocol } from './port-mapping';
import { Healthcheck } from './healthcheck';
import { RestartPolicy } from './restart-policy';
import { Secret } from './secret';
import {
  Container, ContainerConfig, ContainerHealthcheck, ContainerLabels, ContainerNetworksAdvanced, ContainerPorts, ContainerVolumes,
} from './_provider';
import { SUPERVISOR_LABEL } from './_labels';
import { labelBlocks, nameFromId } from './_names';
import {
  checkArray, checkBoolean, checkContainerPath, checkEnvName, checkHostPath, checkInstance, checkInteger, checkMap, checkObjectName,
  checkOptionalString, checkPort, checkProps, checkStringArray, fail, isUnresolved, safeText,
} from './_validate';

/** A named volume mounted into a container. */
export interface VolumeMount {
  /** The volume. */
  readonly volume: DataVolume;
  /** Absolute path inside the container. */
  readonly containerPath: string;
  /** Mount read-only. @default false */
  readonly readOnly?: boolean;
}

/** A host folder or file mounted into a container. */
export interface BindMount {
  /** Absolute path on the Docker host. */
  readonly hostPath: string;
  /** Absolute path inside the container. */
  readonly containerPath: string;
  /** Mount read-only. @default true */
  readonly readOnly?: boolean;
}

export interface ServiceContainerProps {
  /** The image: `ContainerImage.fromRegistry(...)` or a `MinimalImage`. */
  readonly image: IContainerImage;
  /** The Docker host. @default - the stack's default host (`DockerHost.of`) */
  readonly host?: DockerHost;
  /** Service name: the container's name and its network alias; 2 to 128 characters (Docker refuses one). @default - the construct id */
  readonly serviceName?: string;
  /** Command (exec form). @default - the image's CMD */
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
  /** Secret environment variables from sensitive Terraform variables (never in the synthesized JSON). @default - none */
  readonly secretEnvironment?: Record<string, Secret>;
  /** User-defined networks to join; the service name is the alias on each. At least one, here or by `connect`. @default - none */
  readonly networks?: ServiceNetwork[];
  /** Published ports. @default - none */
  readonly ports?: PortMapping[];
  /** Named volumes. @default - none */
  readonly volumes?: VolumeMount[];
  /** Bind mounts of host paths. @default - none */
  readonly bindMounts?: BindMount[];
  /** Paths that stay writable on a read-only root, as tmpfs mounts (`/tmp` always is). @default - only /tmp */
  readonly writablePaths?: string[];
  /** Size of each tmpfs mount in MiB. @default 64 */
  readonly tmpfsSizeMiB?: number;
  /** Mount the root filesystem read-only (CIS 5.12). @default true */
  readonly readOnlyRootFilesystem?: boolean;
  /** Memory limit in MiB (CIS 5.10); Docker's minimum is 6. Swap is off: `memory_swap` equals the limit. @default 512 */
  readonly memoryMiB?: number;
  /** CPU limit in CPUs, e.g. 0.5. @default - no limit */
  readonly cpus?: number;
  /** Restart policy. @default RestartPolicy.UNLESS_STOPPED */
  readonly restartPolicy?: RestartPolicy;
  /** Restart attempts with `RestartPolicy.ON_FAILURE`. @default - unlimited */
  readonly maxRetryCount?: number;
  /** Run an init process that forwards signals and reaps zombies. @default true */
  readonly init?: boolean;
  /** Drop all Linux capabilities (CIS 5.3). @default true */
  readonly dropAllCapabilities?: boolean;
  /** Capabilities to add back, e.g. `['NET_BIND_SERVICE']`. @default - none */
  readonly addCapabilities?: string[];
  /** Forbid privilege escalation through setuid binaries (CIS 5.25). @default true */
  readonly noNewPrivileges?: boolean;
  /** Health check. @default - none (the image's own HEALTHCHECK, if any) */
  readonly healthcheck?: Healthcheck;
  /**
   * Wait, when creating the container, until its health check passes, so that dependents start
   * on a healthy service (the provider's `wait`; it applies at create time only).
   * @default true when there is a health check
   */
  readonly waitForHealthy?: boolean;
  /** Seconds to wait for healthy. @default 60 */
  readonly waitTimeoutSeconds?: number;
  /** Containers created (and, when they have a health check, healthy) before this one. @default - none */
  readonly dependsOn?: ServiceContainer[];
  /** Size of a log file before rotation, in MiB. @default 10 */
  readonly logMaxSizeMiB?: number;
  /** Log files kept. @default 3 */
  readonly logMaxFiles?: number;
  /** Seconds between SIGTERM and SIGKILL on stop. @default 10 */
  readonly stopTimeoutSeconds?: number;
  /** Labels of the container. @default - none */
  readonly labels?: Record<string, string>;
}

/** Adds an environment variable after construction. */
interface EnvEntry {
  readonly value: string;
  readonly secret: boolean;
}

// Public name, defined once in `_labels` (the review reads it too): the label that names the
// outside supervisor of a container whose Docker restart policy is off.
export { SUPERVISOR_LABEL };

const CAPABILITY = /^[A-Z][A-Z0-9_]*$/;
const MEBIBYTE_LIMIT = 1024 * 1024; // 1 TiB in MiB

/**
 * One service in one container, with production defaults: restart unless stopped, an init
 * process, no capabilities, no privilege escalation, a read-only root, a memory limit,
 * rotated logs, user-defined networks only, and an ordered, healthy start after its
 * dependencies. Every default is a prop to opt out of.
 */
export class ServiceContainer extends Construct {
  /** The host the container runs on. */
  public readonly host: DockerHost;
  /** The service name: container name and network alias. */
  public readonly serviceName: string;
  /** The image reference. */
  public readonly imageName: string;
  /** The health check, if any. */
  public readonly healthcheck?: Healthcheck;
  /** Stop grace period in seconds. */
  public readonly stopTimeoutSeconds: number;
  /** The L1 resource. */
  public readonly resource: Container;

  private readonly env = new Map<string, EnvEntry>();
  private readonly portList: PortMapping[] = [];
  private readonly networkList: { network: ServiceNetwork; aliases: string[] }[] = [];
  private readonly dependencyList = new Set<ServiceContainer>();
  private readonly labelMap = new Map<string, string>();
  private supervisor?: string;
  /** How many containers depend on this one (directly). */
  private dependents = 0;
  /** The `depends_on` reference to this container's resource, made once and shared by its dependents. */
  private dependableRef?: string;

  constructor(scope: Construct, id: string, props: ServiceContainerProps) {
    super(scope, id);
    const where = this.node.path;
    // The checks and the rendering run in a closure that returns before the resource is made:
    // cdktf captures a full stack trace for each of the resource's ~20 token objects, and V8's
    // cost to place a frame in such a trace grows with how far into its function the frame's
    // call sits, so this long constructor would otherwise be a costly frame in every one of them.
    const config = ((): ContainerConfig => {
      checkProps(where, props, true, 'an object with at least `image`');
      checkPropTypes(where, props);
      this.host = props.host ?? DockerHost.of(this);
      if (!props.image || typeof (props.image as IContainerImage).bind !== 'function') {
        fail(where, 'image', props.image, 'ContainerImage.fromRegistry(reference) or a MinimalImage');
      }
      const image = props.image.bind(this, this.host, 'image');
      if (!image || typeof image !== 'object' || typeof image.imageId !== 'string' || typeof image.imageName !== 'string') {
        fail(where, 'image', props.image, 'an image whose bind() returns { imageId, imageName } strings, e.g. ContainerImage.fromRegistry(reference) or a MinimalImage');
      }
      this.imageName = image.imageName;

      this.serviceName = props.serviceName ?? nameFromId(this);
      checkObjectName(where, 'serviceName', this.serviceName, 2);
      if (!isUnresolved(this.serviceName)) this.host._claim(`container:${this.serviceName}`, 'a container name', this, 'serviceName', this.serviceName);

      const memory = props.memoryMiB ?? 512;
      checkInteger(where, 'memoryMiB', memory, 6, MEBIBYTE_LIMIT, "a memory limit in MiB: an integer of at least 6 (Docker's minimum)");
      if (props.cpus !== undefined && !isUnresolved(props.cpus) && (typeof props.cpus !== 'number' || !Number.isFinite(props.cpus) || props.cpus <= 0 || props.cpus > 1024)) {
        fail(where, 'cpus', props.cpus, 'a number of CPUs greater than 0 and at most 1024, e.g. 0.5');
      }
      const restart = props.restartPolicy ?? RestartPolicy.UNLESS_STOPPED;
      if (!isUnresolved(restart) && !Object.values(RestartPolicy).includes(restart)) {
        fail(where, 'restartPolicy', restart, `one of ${Object.values(RestartPolicy).join(', ')}`);
      }
      if (props.maxRetryCount !== undefined && !isUnresolved(restart) && restart !== RestartPolicy.ON_FAILURE) {
        fail(where, 'maxRetryCount', props.maxRetryCount, 'a retry count only with RestartPolicy.ON_FAILURE');
      }
      checkInteger(where, 'maxRetryCount', props.maxRetryCount, 0, 1000);
      const tmpfsSize = props.tmpfsSizeMiB ?? 64;
      checkInteger(where, 'tmpfsSizeMiB', tmpfsSize, 1, MEBIBYTE_LIMIT, 'a tmpfs size in MiB: a positive integer');
      const logSize = props.logMaxSizeMiB ?? 10;
      checkInteger(where, 'logMaxSizeMiB', logSize, 1, 10240, 'a log file size in MiB from 1 to 10240');
      const logFiles = props.logMaxFiles ?? 3;
      checkInteger(where, 'logMaxFiles', logFiles, 1, 100, 'a number of log files from 1 to 100');
      this.stopTimeoutSeconds = props.stopTimeoutSeconds ?? 10;
      checkInteger(where, 'stopTimeoutSeconds', this.stopTimeoutSeconds, 0, 3600, 'seconds from 0 to 3600');
      const waitTimeout = props.waitTimeoutSeconds ?? 60;
      checkInteger(where, 'waitTimeoutSeconds', waitTimeout, 1, 3600, 'seconds from 1 to 3600');
      checkList(where, 'command', props.command);
      checkList(where, 'entrypoint', props.entrypoint);
      checkContainerPath(where, 'workingDir', props.workingDir);
      if (props.user !== undefined && !isUnresolved(props.user) && !/^[a-zA-Z0-9_][a-zA-Z0-9_.-]*(:[a-zA-Z0-9_][a-zA-Z0-9_.-]*)?$/.test(props.user)) {
        fail(where, 'user', props.user, 'a user name or UID, optionally with :group or :GID');
      }

      const capAdd = (props.addCapabilities ?? []).map((c, i) => {
        if (isUnresolved(c)) return c;
        const cap = typeof c === 'string' ? c.toUpperCase().replace(/^CAP_/, '') : c;
        if (typeof cap !== 'string' || !CAPABILITY.test(cap) || cap === 'ALL') {
          fail(where, `addCapabilities[${i}]`, c, 'a Linux capability name such as NET_BIND_SERVICE (ALL is not allowed)');
        }
        return cap;
      });

      const tmpfs: Record<string, string> = { '/tmp': `rw,noexec,nosuid,size=${tmpfsSize}m` };
      (props.writablePaths ?? []).forEach((p, i) => {
        checkContainerPath(where, `writablePaths[${i}]`, p, true);
        if (tmpfs[p] !== undefined && p !== '/tmp') fail(where, `writablePaths[${i}]`, p, 'each path once');
        tmpfs[p] = `rw,nosuid,size=${tmpfsSize}m`;
      });

      for (const [key, value] of Object.entries(props.labels ?? {})) {
        if (typeof value !== 'string' || key === '' || key.startsWith(SUPERVISOR_LABEL)) {
          fail(where, `labels.${key}`, value, `a string label value under a non-empty key (${SUPERVISOR_LABEL} is reserved)`);
        }
        this.labelMap.set(key, value);
      }
      for (const [name, value] of Object.entries(props.environment ?? {})) this.addEnvironment(name, value);
      for (const [name, secret] of Object.entries(props.secretEnvironment ?? {})) this.addSecretEnvironment(name, secret);
      for (const port of props.ports ?? []) this.addPort(port);
      for (const network of props.networks ?? []) this.connect(network);

      this.healthcheck = props.healthcheck;
      const health = props.healthcheck ? renderHealthcheck(where, props.healthcheck) : undefined;
      const wait = props.waitForHealthy ?? props.healthcheck !== undefined;
      if (wait && !props.healthcheck) fail(where, 'waitForHealthy', wait, 'true only with a `healthcheck`');

      const volumes: ContainerVolumes[] = [];
      const mounted = new Set<string>(Object.keys(tmpfs));
      const mount = (prop: string, containerPath: string) => {
        checkContainerPath(where, prop, containerPath, true);
        if (mounted.has(containerPath)) fail(where, prop, containerPath, 'a container path not already mounted');
        mounted.add(containerPath);
      };
      (props.volumes ?? []).forEach((v, i) => {
        if (!v || typeof v !== 'object') fail(where, `volumes[${i}]`, v, 'a volume mount { volume, containerPath, readOnly? }');
        if (!(v.volume instanceof DataVolume)) fail(where, `volumes[${i}].volume`, v.volume, 'a DataVolume');
        checkBoolean(where, `volumes[${i}].readOnly`, v.readOnly);
        if (v.volume.host !== this.host) {
          fail(where, `volumes[${i}].volume`, v.volume.node.path, `a volume on the container's host ${this.host.node.path}`);
        }
        mount(`volumes[${i}].containerPath`, v.containerPath);
        volumes.push({ volumeName: v.volume.volumeName, containerPath: v.containerPath, readOnly: v.readOnly ?? false });
      });
      (props.bindMounts ?? []).forEach((b, i) => {
        if (!b || typeof b !== 'object') fail(where, `bindMounts[${i}]`, b, 'a bind mount { hostPath, containerPath, readOnly? }');
        checkHostPath(where, `bindMounts[${i}].hostPath`, b.hostPath, true);
        checkBoolean(where, `bindMounts[${i}].readOnly`, b.readOnly);
        mount(`bindMounts[${i}].containerPath`, b.containerPath);
        volumes.push({ hostPath: b.hostPath, containerPath: b.containerPath, readOnly: b.readOnly ?? true });
      });

      return {
        provider: this.host.providerFor(this),
        name: this.serviceName,
        image: image.imageId,
        restart,
        maxRetryCount: props.maxRetryCount,
        mustRun: true,
        init: props.init ?? true,
        capabilities: (props.dropAllCapabilities ?? true) || capAdd.length > 0
          // Added capabilities carry the CAP_ prefix: the engine reports them so, and the provider would
          // otherwise see a change (that forces replacement) on every plan.
          ? { drop: (props.dropAllCapabilities ?? true) ? ['ALL'] : undefined, add: capAdd.length > 0 ? [...new Set(capAdd)].sort().map(capName) : undefined }
          : undefined,
        securityOpts: (props.noNewPrivileges ?? true) ? ['no-new-privileges:true'] : undefined,
        readOnly: props.readOnlyRootFilesystem ?? true,
        tmpfs,
        memory,
        // Equal to the limit: no swap. Left out, Docker sets twice the limit and the provider reads
        // that back, a change on every plan.
        memorySwap: memory,
        cpus: props.cpus !== undefined ? String(props.cpus) : undefined,
        logDriver: 'json-file',
        logOpts: { 'max-size': `${logSize}m`, 'max-file': String(logFiles) },
        command: props.command,
        entrypoint: props.entrypoint,
        workingDir: props.workingDir,
        user: props.user,
        // Rendered now and again on each later change (see addPort, putEnv, connect), not as Lazy
        // tokens: each token captures a full stack trace when created and runs produce() at every
        // resolve, which made synth of large stacks markedly slower than the raw bindings.
        env: this.renderEnv(),
        networksAdvanced: this.renderNetworks(),
        ports: this.renderPorts(),
        volumes: volumes.length > 0 ? volumes : undefined,
        healthcheck: health,
        wait,
        waitTimeout: wait ? waitTimeout : undefined,
        stopTimeout: this.stopTimeoutSeconds,
        labels: this.renderLabels(),
      };
    })();
    this.resource = new Container(this, 'Resource', config);
    this.host._registerContainer(this);
    (props.dependsOn ?? []).forEach((d, i) => this.addDependency(d, `dependsOn[${i}]`));
    this.node.addValidation({
      // Thrown rather than returned, so that the caller of synth gets the library's ValidationError.
      validate: () => (this.networkList.length === 0
        ? fail(where, 'networks', [], "at least one ServiceNetwork, in `networks` or by connect(); containers never sit on Docker's default bridge")
        : []),
    });
  }

  /** Publishes a port; the same host address, port and protocol twice on one host is an error. */
  public addPort(port: PortMapping): void {
    const where = this.node.path;
    const prop = `ports[${this.portList.length}]`;
    if (!(port instanceof PortMapping)) fail(where, prop, port, 'a PortMapping from PortMapping.public, PortMapping.local or PortMapping.onInterface');
    // Both ports are required: an omitted host port would make Docker pick a random one.
    checkPort(where, `${prop}.hostPort`, port.hostPort, true);
    checkPort(where, `${prop}.containerPort`, port.containerPort, true);
    if (!isUnresolved(port.protocol) && !Object.values(Protocol).includes(port.protocol)) fail(where, `${prop}.protocol`, port.protocol, `one of ${Object.values(Protocol).join(', ')}`);
    if (typeof port.hostIp !== 'string' || (!isUnresolved(port.hostIp) && net.isIP(port.hostIp) === 0)) fail(where, `${prop}.hostIp`, port.hostIp, 'an IPv4 or IPv6 address of the host, e.g. 127.0.0.1');
    // The provider reads published ports back sorted by container port only, with the bindings of one
    // container port in the engine's order (the reverse of the declared one, and random across
    // protocols): a second binding of a container port would replace the container on every plan.
    const twin = isUnresolved(port.containerPort) ? undefined : this.portList.find((p) => p.containerPort === port.containerPort);
    if (twin) {
      fail(where, prop, `${port.hostIp}:${port.hostPort}->${port.containerPort}/${port.protocol}`,
        `a container port not already published (it is, as ${twin.hostIp}:${twin.hostPort}/${twin.protocol}): the provider reads several bindings of one container port back ` +
        'in another order than declared and would replace the container on every plan; publish it once (PortMapping.public for all interfaces)');
    }
    if (!isUnresolved(port.hostPort) && !isUnresolved(port.hostIp)) this.host._claimPort(port.hostIp, port.hostPort, port.protocol, this, prop);
    this.portList.push(port);
    if (this.resource) this.resource.putPorts(this.renderPorts() as ContainerPorts[]);
  }

  /** Adds a plain environment variable (visible in plan and state: use `addSecretEnvironment` for secrets). */
  public addEnvironment(name: string, value: string): void {
    const prop = `environment.${safeText(name)}`;
    checkEnvName(this.node.path, prop, name);
    this.putEnv(prop, name, value, false);
  }

  /** Adds an environment variable whose value comes from a sensitive Terraform variable. */
  public addSecretEnvironment(name: string, secret: Secret): void {
    const prop = `secretEnvironment.${safeText(name)}`;
    checkEnvName(this.node.path, prop, name);
    if (!(secret instanceof Secret)) fail(this.node.path, prop, secret, 'a Secret from Secret.fromVariable or Secret.fromTerraformVariable');
    this.putEnv(prop, name, secret._reference(this, prop), true);
  }

  /** Joins a user-defined network; the service name is always an alias, `aliases` adds more. */
  public connect(network: ServiceNetwork, aliases: string[] = []): void {
    const where = this.node.path;
    const prop = `networks[${this.networkList.length}]`;
    if (!(network instanceof ServiceNetwork)) fail(where, prop, network, 'a ServiceNetwork');
    if (network.host !== this.host) {
      fail(where, prop, network.node.path, `a network on the container's host ${this.host.node.path} (it is on ${network.host.node.path})`);
    }
    if (this.networkList.some((n) => n.network === network)) fail(where, prop, network.node.path, 'each network once');
    checkStringArray(where, `${prop}.aliases`, aliases, 'a list of extra network aliases (Docker object names)');
    aliases.forEach((a, i) => checkObjectName(where, `${prop}.aliases[${i}]`, a));
    this.networkList.push({ network, aliases: [...new Set([this.serviceName, ...aliases])] });
    if (this.resource) this.resource.putNetworksAdvanced(this.renderNetworks() as ContainerNetworksAdvanced[]);
  }

  /** Creates this container only after `other` is created (and healthy, when it has a health check). */
  public addDependency(other: ServiceContainer, prop: string = `dependsOn[${this.dependencyList.size}]`): void {
    const where = this.node.path;
    if (!(other instanceof ServiceContainer)) fail(where, prop, other, 'a ServiceContainer');
    if (other.host !== this.host) fail(where, prop, other.node.path, `a container on the same host ${this.host.node.path}`);
    if (TerraformStack.of(other) !== TerraformStack.of(this)) {
      fail(where, prop, other.node.path, `a container of the same stack ${TerraformStack.of(this).node.path} (Terraform orders creation only within one stack)`);
    }
    // Only a container that others depend on can close a cycle: skipping the walk otherwise keeps
    // dependencies given at construction O(1) each (a walk per add is quadratic on long chains).
    if (other === this || (this.dependents > 0 && other.dependsOnTransitively(this))) {
      fail(where, prop, other.node.path, 'a container that does not (directly or transitively) depend on this one: dependencies must not form a cycle');
    }
    if (!this.dependencyList.has(other)) {
      this.dependencyList.add(other);
      other.dependents++;
      other.dependableRef ??= dependable(other.resource);
      // Appended in place: a copy per add would be quadratic in the number of dependencies.
      (this.resource.dependsOn ??= []).push(other.dependableRef);
    }
  }

  /**
   * Hands restarts to an outside supervisor (systemd units): Docker's restart policy becomes
   * `no` so that two supervisors never fight, and a label records who supervises.
   * @internal
   */
  public _superviseExternally(supervisor: string): void {
    if (this.supervisor !== undefined && this.supervisor !== supervisor) {
      fail(this.node.path, 'supervisor', supervisor, `one outside supervisor (already ${this.supervisor})`);
    }
    this.supervisor = supervisor;
    this.resource.restart = RestartPolicy.NO;
    this.resource.resetMaxRetryCount();
    this.labelMap.set(SUPERVISOR_LABEL, supervisor);
    this.resource.putLabels(this.renderLabels() as ContainerLabels[]);
  }

  /** The outside supervisor of the container, if any (e.g. `systemd`). */
  public get supervisedBy(): string | undefined {
    return this.supervisor;
  }

  /** Published ports. */
  public get ports(): PortMapping[] {
    return [...this.portList];
  }

  /** Networks joined. */
  public get networks(): ServiceNetwork[] {
    return this.networkList.map((n) => n.network);
  }

  /** Containers this one starts after. */
  public get dependencies(): ServiceContainer[] {
    return [...this.dependencyList];
  }

  /** Names of the environment variables (values of secret ones are never exposed). */
  public get environmentNames(): string[] {
    return [...this.env.keys()].sort();
  }

  private dependsOnTransitively(target: ServiceContainer): boolean {
    const seen = new Set<ServiceContainer>();
    const stack: ServiceContainer[] = [this];
    while (stack.length > 0) {
      const c = stack.pop() as ServiceContainer;
      for (const d of c.dependencyList) {
        if (d === target) return true;
        if (!seen.has(d)) {
          seen.add(d);
          stack.push(d);
        }
      }
    }
    return false;
  }

  /** Records a variable; the caller has checked its name. */
  private putEnv(prop: string, name: string, value: string, secret: boolean): void {
    const where = this.node.path;
    // A number token (e.g. a number variable) is rendered as a string reference.
    if (typeof value === 'number' && isUnresolved(value)) value = Token.asString(value);
    if (typeof value !== 'string') fail(where, prop, value, 'a string value');
    if (this.env.has(name)) fail(where, prop, name, 'each environment variable name once (plain or secret)');
    this.env.set(name, { value, secret });
    if (this.resource) this.resource.env = this.renderEnv() as string[];
  }

  // The render methods return undefined for an empty list, so that the attribute is omitted.
  private renderEnv(): string[] | undefined {
    if (this.env.size === 0) return undefined;
    return [...this.env.keys()].sort().map((k) => `${k}=${(this.env.get(k) as EnvEntry).value}`);
  }

  private renderNetworks(): ContainerNetworksAdvanced[] | undefined {
    if (this.networkList.length === 0) return undefined;
    return this.networkList.map((n) => ({ name: n.network.networkName, aliases: n.aliases }));
  }

  private renderPorts(): ContainerPorts[] | undefined {
    if (this.portList.length === 0) return undefined;
    // In the order the provider reads them back (by container port), so that a re-plan matches;
    // ports that are tokens keep their place after the known ones.
    const key = (p: PortMapping) => (isUnresolved(p.containerPort) ? Infinity : p.containerPort);
    return [...this.portList].sort((a, b) => key(a) - key(b))
      .map((p) => ({ internal: p.containerPort, external: p.hostPort, ip: p.hostIp, protocol: p.protocol }));
  }

  private renderLabels(): ContainerLabels[] | undefined {
    return labelBlocks(Object.fromEntries(this.labelMap));
  }
}

/** Types of the props whose values the constructor iterates or passes on (JavaScript callers can pass anything). */
function checkPropTypes(where: string, props: ServiceContainerProps): void {
  checkInstance(where, 'host', props.host, DockerHost, 'a DockerHost');
  const lists: [string, unknown, string][] = [
    ['networks', props.networks, 'a list of ServiceNetwork'],
    ['ports', props.ports, 'a list of PortMapping'],
    ['volumes', props.volumes, 'a list of volume mounts { volume, containerPath, readOnly? }'],
    ['bindMounts', props.bindMounts, 'a list of bind mounts { hostPath, containerPath, readOnly? }'],
    ['dependsOn', props.dependsOn, 'a list of ServiceContainer'],
  ];
  for (const [prop, value, allowed] of lists) checkArray(where, prop, value, allowed);
  checkStringArray(where, 'writablePaths', props.writablePaths, "a list of absolute container paths, e.g. ['/var/cache/nginx']");
  checkStringArray(where, 'addCapabilities', props.addCapabilities, "a list of Linux capability names, e.g. ['NET_BIND_SERVICE']");
  checkMap(where, 'environment', props.environment, 'an object of environment variables: names to string values');
  checkMap(where, 'secretEnvironment', props.secretEnvironment, 'an object of environment variable names to Secret');
  checkMap(where, 'labels', props.labels, 'an object of container labels: string keys and string values');
  checkOptionalString(where, 'user', props.user, 'a user name or UID, optionally with :group or :GID');
  checkInstance(where, 'healthcheck', props.healthcheck, Healthcheck, 'a Healthcheck from Healthcheck.command, .shell, .http or .tcp');
  for (const prop of ['init', 'dropAllCapabilities', 'noNewPrivileges', 'readOnlyRootFilesystem', 'waitForHealthy'] as const) {
    checkBoolean(where, prop, props[prop]);
  }
}

/** A capability as the engine reports it: `CAP_` and the name (a token is passed as it is). */
function capName(cap: string): string {
  return isUnresolved(cap) ? cap : `CAP_${cap}`;
}

function checkList(where: string, prop: string, list: string[] | undefined): void {
  if (list === undefined || isUnresolved(list as unknown as string)) return;
  if (!Array.isArray(list) || list.length === 0 || list.some((x) => typeof x !== 'string')) {
    fail(where, prop, list, 'a non-empty list of strings (exec form)');
  }
}

/** The provider's block for a check that `checkPropTypes` found to be a Healthcheck. */
function renderHealthcheck(where: string, check: Healthcheck): ContainerHealthcheck {
  if (check._kind === 'http' || check._kind === 'tcp') checkPort(where, 'healthcheck.port', check._port, true);
  if (check._path !== undefined && !isUnresolved(check._path) && (typeof check._path !== 'string' || !check._path.startsWith('/') || /\s/.test(check._path))) {
    fail(where, 'healthcheck.path', check._path, "a URL path starting with '/' without spaces");
  }
  if (check._kind === 'command' && !Array.isArray(check._command)) {
    fail(where, 'healthcheck.command', check._command, 'a non-empty list of strings (exec form), e.g. ["redis-cli", "ping"]');
  }
  if (!Array.isArray(check.test) || check.test.length < 2 || check.test.slice(1).some((x) => typeof x !== 'string') || check.test[1] === '') {
    fail(where, 'healthcheck.command', Array.isArray(check.test) ? check.test.slice(1) : check.test, 'a non-empty command');
  }
  const o = check.options ?? {};
  checkMap(where, 'healthcheck.options', o, 'HealthcheckOptions: an object with intervalSeconds, timeoutSeconds, retries, startPeriodSeconds, startIntervalSeconds');
  const interval = o.intervalSeconds ?? 10;
  const timeout = o.timeoutSeconds ?? 5;
  const startPeriod = o.startPeriodSeconds ?? 10;
  const retries = o.retries ?? 3;
  checkInteger(where, 'healthcheck.intervalSeconds', interval, 1, 86400, 'whole seconds from 1 to 86400');
  checkInteger(where, 'healthcheck.timeoutSeconds', timeout, 1, 3600, 'whole seconds from 1 to 3600');
  checkInteger(where, 'healthcheck.startPeriodSeconds', startPeriod, 0, 86400, 'whole seconds from 0 to 86400');
  checkInteger(where, 'healthcheck.retries', retries, 1, 100, 'an integer from 1 to 100');
  const startInterval = o.startIntervalSeconds;
  checkInteger(where, 'healthcheck.startIntervalSeconds', startInterval, 1, 86400, 'whole seconds from 1 to 86400');
  return {
    test: check.test, interval: `${interval}s`, timeout: `${timeout}s`, startPeriod: `${startPeriod}s`,
    startInterval: startInterval === undefined ? undefined : `${startInterval}s`, retries,
  };
}
