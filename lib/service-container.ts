/**
 * The `ServiceContainer` construct. Reading order of its constructor: the props' types, the shared
 * container specification (`_container-spec`), the container's own settings
 * (`_container-settings`), ports, networks and dependencies — every problem collected and thrown
 * once — then the resource, rendered from the specification (`_container-render`) and the
 * settings. The props are in `service-container-props` and `container-spec-props`.
 */
import { Construct, IConstruct } from 'constructs';
import { TerraformStack, dependable } from 'cdktf';
import * as net from 'net';
import { DockerHost } from './docker-host';
import { ServiceNetwork } from './service-network';
import { OverlayNetwork } from './overlay-network';
import { PortMapping, Protocol } from './port-mapping';
import { RestartPolicy } from './restart-policy';
import type { Healthcheck } from './healthcheck';
import type { Secret } from './secret';
import type { ServiceContainerProps } from './service-container-props';
import { ContainerSpec } from './_container-spec';
import { containerConfig, containerEnv, containerLabels, containerPorts } from './_container-render';
import { ContainerSettings, checkContainerPropTypes, containerSettings } from './_container-settings';
import { Problems } from './_problems';
import { Container, ContainerConfig, ContainerLabels, ContainerNetworksAdvanced, ContainerPorts } from './_provider';
import { SUPERVISOR_LABEL } from './_labels';
import { addSynthCheck } from './_synth-checks';
import { warnOptOuts, warnPublicPorts } from './_opt-outs';
import { nameFromId } from './_names';
import { checkObjectName, checkOneOf, checkPort, checkProps, checkStringArray, fail, isUnresolved } from './_validate';

// Shared with SwarmService, defined with the container specification.
export type { ContainerSpecProps, VolumeMount } from './container-spec-props';

export * from './service-container-props';

// Public name, defined once in `_labels` (the review reads it too): the label that names the
// outside supervisor of a container whose Docker restart policy is off.
export { SUPERVISOR_LABEL };

/** Containers made so far in this process: gives each its place in creation order. */
let containersCreated = 0;

/**
 * One service in one container, with production defaults: restart unless stopped, an init
 * process, no capabilities, no privilege escalation, a read-only root, a memory limit,
 * rotated logs, user-defined networks only, and an ordered, healthy start after its
 * dependencies. Every default is a prop to opt out of.
 */
export class ServiceContainer extends Construct {
  /** The label that names a container's outside supervisor when its restart policy is off (`SUPERVISOR_LABEL`). */
  public static readonly SUPERVISOR_LABEL: string = SUPERVISOR_LABEL;

  /**
   * The service containers on `host` (of stack `scope`'s stack when `scope` is given, else of the
   * host's whole app), in creation order: a walk of the construct tree, so the host keeps no list.
   */
  public static allOn(host: DockerHost, scope?: IConstruct): ServiceContainer[] {
    const root = scope === undefined ? host.node.root : TerraformStack.of(scope);
    const found = root.node.findAll().filter((c): c is ServiceContainer => c instanceof ServiceContainer && c.host === host);
    return found.sort((a, b) => a.created - b.created);
  }

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
  /** Creation order among all containers of the process (the order `allOn` returns). */
  private readonly created = ++containersCreated;
  /** How many containers depend on this one (directly). */
  private dependents = 0;
  /** The `depends_on` reference to this container's resource, made once and shared by its dependents. */
  private dependableRef?: string;

  constructor(scope: Construct, id: string, props: ServiceContainerProps) {
    super(scope, id);
    const where = this.node.path;
    checkProps(where, props, true, 'an object with at least `image`');
    checkContainerPropTypes(where, props);
    this.host = props.host ?? DockerHost.of(this);
    const problems = new Problems(where);
    this.spec = ContainerSpec.resolve(this, this.host, props, problems);
    this.imageName = this.spec.image?.imageName;
    this.healthcheck = this.spec.healthcheck;
    this.stopTimeoutSeconds = this.spec.stopTimeoutSeconds;
    this.serviceName = props.serviceName ?? nameFromId(this);
    const settings = containerSettings(this, this.host, this.spec, this.serviceName, props, problems);
    (props.ports ?? []).forEach((port, i) => problems.check(() => this.publish(port, `ports[${i}]`)));
    (props.networks ?? []).forEach((network, i) => problems.check(() => this.join(network, [], `networks[${i}]`)));
    (props.dependsOn ?? []).forEach((d, i) => problems.check(() => this.checkDependency(d, `dependsOn[${i}]`)));
    problems.throwIfAny();

    this.resource = new Container(this, 'Resource', this.render(settings));
    warnOptOuts(this, {
      dropAllCapabilities: this.spec.dropAllCapabilities, readOnlyRootFilesystem: this.spec.readOnlyRootFilesystem, noNewPrivileges: settings.noNewPrivileges,
    });
    warnPublicPorts(this, this.portList);
    for (const d of props.dependsOn ?? []) this.applyDependency(d);
    addSynthCheck(this, () => {
      if (this.networkList.length === 0) {
        fail(where, 'networks', [], "at least one ServiceNetwork, in `networks` or by connect(); containers never sit on Docker's default bridge");
      }
    });
  }

  /** Publishes a port; the same host address, port and protocol twice on one host is an error. */
  public addPort(port: PortMapping): void {
    this.publish(port, `ports[${this.portList.length}]`);
    this.resource.putPorts(containerPorts(this.portList) as ContainerPorts[]);
    warnPublicPorts(this, [port]);
  }

  /** Adds a port under the prop name `prop` (its place in `ports`). */
  private publish(port: PortMapping, prop: string): void {
    const where = this.node.path;
    if (!(port instanceof PortMapping)) fail(where, prop, port, 'a PortMapping from PortMapping.public, PortMapping.local or PortMapping.onInterface');
    // Both ports are required: an omitted host port would make Docker pick a random one.
    checkPort(where, `${prop}.hostPort`, port.hostPort, true);
    checkPort(where, `${prop}.containerPort`, port.containerPort, true);
    checkOneOf(where, `${prop}.protocol`, port.protocol, Protocol);
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
    this.join(network, aliases, `networks[${this.networkList.length}]`);
    this.resource.putNetworksAdvanced(this.renderNetworks() as ContainerNetworksAdvanced[]);
  }

  /** Joins a network under the prop name `prop` (its place in `networks`). */
  private join(network: ServiceNetwork, aliases: string[], prop: string): void {
    const where = this.node.path;
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
  }

  /** Creates this container only after `other` is created (and healthy, when it has a health check). */
  public addDependency(other: ServiceContainer, prop: string = `dependsOn[${this.dependencyList.size}]`): void {
    this.checkDependency(other, prop);
    this.applyDependency(other);
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
    this.resource.putLabels(containerLabels(this.spec) as ContainerLabels[]);
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

  /** Checks a dependency on `other` (named `prop`): same host and stack, no cycle. */
  private checkDependency(other: ServiceContainer, prop: string): void {
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
  }

  /** Records a checked dependency and writes it into `depends_on`. */
  private applyDependency(other: ServiceContainer): void {
    if (this.dependencyList.has(other)) return;
    this.dependencyList.add(other);
    other.dependents++;
    other.dependableRef ??= dependable(other.resource);
    // Appended in place: a copy per add would be quadratic in the number of dependencies.
    (this.resource.dependsOn ??= []).push(other.dependableRef);
  }

  /** The resource's config: the specification's attributes and the container's own. */
  private render(settings: ContainerSettings): ContainerConfig {
    return containerConfig(this.spec, {
      provider: this.host.providerFor(this),
      name: this.serviceName,
      restart: settings.restart,
      maxRetryCount: settings.maxRetryCount,
      securityOpts: settings.noNewPrivileges ? ['no-new-privileges:true'] : undefined,
      // Rendered now and again on each later change (see addPort, addEnvironment, connect), not as
      // Lazy tokens: each token captures a full stack trace when created and runs produce() at every
      // resolve, which made synth of large stacks markedly slower than the raw bindings.
      networksAdvanced: this.renderNetworks(),
      ports: containerPorts(this.portList),
      volumes: settings.volumes.length > 0 ? settings.volumes : undefined,
      wait: settings.wait,
      waitTimeout: settings.wait ? settings.waitTimeoutSeconds : undefined,
    });
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
    this.resource.env = containerEnv(this.spec) as string[];
  }

  // The render methods return undefined for an empty list, so that the attribute is omitted.
  private renderNetworks(): ContainerNetworksAdvanced[] | undefined {
    if (this.networkList.length === 0) return undefined;
    return this.networkList.map((n) => ({ name: n.network.networkName, aliases: n.aliases }));
  }
}
