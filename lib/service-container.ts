import { Construct } from 'constructs';
import { TerraformStack, dependable } from 'cdktf';
import * as net from 'net';
import { DockerHost } from './docker-host';
import { ServiceNetwork } from './service-network';
import { OverlayNetwork } from './overlay-network';
import { PortMapping, Protocol } from './port-mapping';
import { RestartPolicy } from './restart-policy';
import type { Healthcheck } from './healthcheck';
import type { Secret } from './secret';
import { ContainerSpec, ContainerSpecProps, VolumeMount } from './_container-spec';
import { Container, ContainerConfig, ContainerLabels, ContainerNetworksAdvanced, ContainerPorts, ContainerVolumes } from './_provider';
import { SUPERVISOR_LABEL } from './_labels';
import { nameFromId } from './_names';
import {
  checkArray, checkBoolean, checkHostPath, checkInstance, checkInteger, checkObjectName, checkPort, checkProps, checkStringArray, fail, isUnresolved,
} from './_validate';

// Shared with SwarmService, defined with the container specification.
export type { ContainerSpecProps, VolumeMount };

/** A host folder or file mounted into a container. */
export interface BindMount {
  /** Absolute path on the Docker host. */
  readonly hostPath: string;
  /** Absolute path inside the container. */
  readonly containerPath: string;
  /** Mount read-only. @default true */
  readonly readOnly?: boolean;
}

/**
 * A `ServiceContainer`: the container specification (image, command, environment, limits,
 * hardening, health check, logs; shared with `SwarmService`) and how Docker runs it on one host.
 */
export interface ServiceContainerProps extends ContainerSpecProps {
  /** The Docker host. @default - the stack's default host (`DockerHost.of`) */
  readonly host?: DockerHost;
  /** Service name: the container's name and its network alias; 2 to 128 characters (Docker refuses one). @default - the construct id */
  readonly serviceName?: string;
  /**
   * User-defined networks to join; the service name is the alias on each. At least one, here or by
   * `connect`. An `OverlayNetwork` only when it is `attachable`.
   * @default - none
   */
  readonly networks?: ServiceNetwork[];
  /** Published ports. @default - none */
  readonly ports?: PortMapping[];
  /** Named volumes. @default - none */
  readonly volumes?: VolumeMount[];
  /** Bind mounts of host paths. @default - none */
  readonly bindMounts?: BindMount[];
  /** Restart policy. @default RestartPolicy.UNLESS_STOPPED */
  readonly restartPolicy?: RestartPolicy;
  /** Restart attempts with `RestartPolicy.ON_FAILURE`. @default - unlimited */
  readonly maxRetryCount?: number;
  /** Forbid privilege escalation through setuid binaries (CIS 5.25). @default true */
  readonly noNewPrivileges?: boolean;
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
}

// Public name, defined once in `_labels` (the review reads it too): the label that names the
// outside supervisor of a container whose Docker restart policy is off.
export { SUPERVISOR_LABEL };

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

  /** The container specification (shared with SwarmService): image, environment, limits, hardening, labels. */
  private readonly spec: ContainerSpec;
  private readonly portList: PortMapping[] = [];
  private readonly networkList: { network: ServiceNetwork; aliases: string[] }[] = [];
  private readonly dependencyList = new Set<ServiceContainer>();
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
      this.spec = ContainerSpec.resolve(this, this.host, props);
      this.imageName = this.spec.image.imageName;
      this.healthcheck = this.spec.healthcheck;
      this.stopTimeoutSeconds = this.spec.stopTimeoutSeconds;

      this.serviceName = props.serviceName ?? nameFromId(this);
      checkObjectName(where, 'serviceName', this.serviceName, 2);
      if (!isUnresolved(this.serviceName)) this.host._claim(`container:${this.serviceName}`, 'a container name', this, 'serviceName', this.serviceName);

      const restart = props.restartPolicy ?? RestartPolicy.UNLESS_STOPPED;
      if (!isUnresolved(restart) && !Object.values(RestartPolicy).includes(restart)) {
        fail(where, 'restartPolicy', restart, `one of ${Object.values(RestartPolicy).join(', ')}`);
      }
      if (props.maxRetryCount !== undefined && !isUnresolved(restart) && restart !== RestartPolicy.ON_FAILURE) {
        fail(where, 'maxRetryCount', props.maxRetryCount, 'a retry count only with RestartPolicy.ON_FAILURE');
      }
      checkInteger(where, 'maxRetryCount', props.maxRetryCount, 0, 1000);
      const waitTimeout = props.waitTimeoutSeconds ?? 60;
      checkInteger(where, 'waitTimeoutSeconds', waitTimeout, 1, 3600, 'seconds from 1 to 3600');
      const wait = props.waitForHealthy ?? props.healthcheck !== undefined;
      if (wait && !props.healthcheck) fail(where, 'waitForHealthy', wait, 'true only with a `healthcheck`');

      for (const port of props.ports ?? []) this.addPort(port);
      for (const network of props.networks ?? []) this.connect(network);
      const volumes: ContainerVolumes[] = (props.volumes ?? []).map((v, i) => this.spec.volumeMount(this.host, `volumes[${i}]`, v));
      (props.bindMounts ?? []).forEach((b, i) => {
        if (!b || typeof b !== 'object') fail(where, `bindMounts[${i}]`, b, 'a bind mount { hostPath, containerPath, readOnly? }');
        checkHostPath(where, `bindMounts[${i}].hostPath`, b.hostPath, true);
        checkBoolean(where, `bindMounts[${i}].readOnly`, b.readOnly);
        this.spec.claimMount(`bindMounts[${i}].containerPath`, b.containerPath);
        volumes.push({ hostPath: b.hostPath, containerPath: b.containerPath, readOnly: b.readOnly ?? true });
      });

      return {
        ...this.spec.containerAttributes(),
        provider: this.host.providerFor(this),
        name: this.serviceName,
        restart,
        maxRetryCount: props.maxRetryCount,
        mustRun: true,
        securityOpts: (props.noNewPrivileges ?? true) ? ['no-new-privileges:true'] : undefined,
        // Rendered now and again on each later change (see addPort, addEnvironment, connect), not as
        // Lazy tokens: each token captures a full stack trace when created and runs produce() at every
        // resolve, which made synth of large stacks markedly slower than the raw bindings.
        networksAdvanced: this.renderNetworks(),
        ports: this.renderPorts(),
        volumes: volumes.length > 0 ? volumes : undefined,
        wait,
        waitTimeout: wait ? waitTimeout : undefined,
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
    this.spec.addEnvironment(name, value);
    this.renderEnv();
  }

  /** Adds an environment variable whose value comes from a sensitive Terraform variable. */
  public addSecretEnvironment(name: string, secret: Secret): void {
    this.spec.addSecretEnvironment(name, secret);
    this.renderEnv();
  }

  /** Joins a user-defined network; the service name is always an alias, `aliases` adds more. */
  public connect(network: ServiceNetwork, aliases: string[] = []): void {
    const where = this.node.path;
    const prop = `networks[${this.networkList.length}]`;
    if (!(network instanceof ServiceNetwork)) fail(where, prop, network, 'a ServiceNetwork');
    if (network instanceof OverlayNetwork && !network.attachable) {
      fail(where, prop, network.node.path, 'a ServiceNetwork, or an OverlayNetwork with `attachable: true`: the engine lets a standalone container join a swarm network only when it is attachable');
    }
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
    this.spec.setLabel(SUPERVISOR_LABEL, supervisor);
    this.resource.putLabels(this.spec.containerLabels() as ContainerLabels[]);
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
    return this.spec.environmentNames;
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

  /** Writes the environment again after a change (the spec's sorted `NAME=value` list). */
  private renderEnv(): void {
    // During construction the resource does not exist yet: the config takes the whole list then.
    if (this.resource) this.resource.env = this.spec.containerEnv() as string[];
  }

  // The render methods return undefined for an empty list, so that the attribute is omitted.
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
}

/** Types of the container's own props whose values the constructor iterates or passes on (the spec checks the shared ones). */
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
  checkBoolean(where, 'noNewPrivileges', props.noNewPrivileges);
  checkBoolean(where, 'waitForHealthy', props.waitForHealthy);
}
