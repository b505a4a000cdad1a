/**
 * The `SwarmService` construct. Reading order: the props' types, then the shared container
 * specification (`_container-spec`), the service's own settings (`_service-settings`), the
 * networks and ports, every problem collected and thrown once; then the resource, rendered by
 * `_service-render`. The props and enums are in `swarm-service-props`.
 */
import { Construct } from 'constructs';
import { DockerHost } from './docker-host';
import { OverlayNetwork } from './overlay-network';
import { Protocol } from './port-mapping';
import { PublishMode, ServicePort } from './service-port';
import { ServiceNetwork } from './service-network';
import type { Healthcheck } from './healthcheck';
import { ContainerSpec } from './_container-spec';
import { Problems } from './_problems';
import { ServiceEndpointSpecPorts, ServiceResource, swarmResources } from './_provider';
import { nameFromId } from './_names';
import { serviceSettings, serviceShape } from './_service-settings';
import { serviceConfig } from './_service-render';
import { warnOptOuts } from './_opt-outs';
import { EndpointMode, ServiceMode, SwarmServiceProps } from './swarm-service-props';
import { checkArray, checkInstance, checkMap, checkOneOf, checkPort, checkProps, checkStringArray, fail, isUnresolved } from './_validate';
import { checkKnownKeys } from './_known-keys';
import { SERVICE_RESTART_POLICY_KEYS, SERVICE_UPDATE_CONFIG_KEYS, SWARM_SERVICE_PROPS_KEYS } from './_props-keys';

export * from './swarm-service-props';

const SERVICE_NAME = /^[a-zA-Z0-9](?:[-_]*[a-zA-Z0-9]+)*$/;

/**
 * One service in a Docker swarm, built from the same container specification as a
 * `ServiceContainer` (same defaults: no capabilities, a read-only root with tmpfs for writable
 * paths, memory limit, rotated logs, init with the 4.6 provider), run by the swarm: replicated or
 * global, restarted on failure, updated one task at a time start-first with automatic rollback,
 * on overlay networks only, with secrets and configs as files, and a deploy that returns once the
 * service has converged. What docker_service cannot express (no-new-privileges, swap, a port's
 * host interface) is listed in the README's table.
 */
export class SwarmService extends Construct {
  /** The swarm manager the service is declared on. */
  public readonly host: DockerHost;
  /** The service name: its DNS name and its alias on each network. */
  public readonly serviceName: string;
  /** The image reference (as given; the tasks run it by digest or id). */
  public readonly imageName: string;
  /** Replicated or global. */
  public readonly mode: ServiceMode;
  /** The health check, if any. */
  public readonly healthcheck?: Healthcheck;
  /** The L1 resource (`docker_service`). */
  public readonly resource: ServiceResource;

  private readonly networkList: OverlayNetwork[] = [];
  private readonly portList: ServicePort[] = [];

  constructor(scope: Construct, id: string, props: SwarmServiceProps) {
    super(scope, id);
    const where = this.node.path;
    checkProps(where, props, true, 'an object with at least `image`');
    checkServicePropTypes(where, props);
    this.host = props.host ?? DockerHost.of(this);
    this.host._requireSwarm(this, 'a swarm service');
    const problems = new Problems(where);
    const spec = ContainerSpec.resolve(this, this.host, props, problems);
    this.imageName = spec.image?.imageName;
    this.healthcheck = spec.healthcheck;
    this.serviceName = props.serviceName ?? nameFromId(this);
    problems.check(() => this.claimName());
    const shape = serviceShape(where, props, problems);
    this.mode = shape.mode;
    (props.networks ?? []).forEach((n, i) => problems.check(() => this.join(n, `networks[${i}]`)));
    if (this.networkList.length === 0 && !problems.about('networks')) {
      problems.check(() => fail(where, 'networks', props.networks ?? [], 'at least one OverlayNetwork: a service on no network has no name other tasks can reach'));
    }
    (props.ports ?? []).forEach((p, i) => problems.check(() => this.publish(p, `ports[${i}]`, shape.endpointMode)));
    const hostPorts = this.portList.some((p) => p.publishMode === PublishMode.HOST);
    const settings = serviceSettings(this, this.host, spec, props, shape, hostPorts, problems);
    problems.throwIfAny();

    this.resource = new (swarmResources().Service)(this, 'Resource', serviceConfig(spec, settings, {
      provider: this.host.providerFor(this),
      name: this.serviceName,
      labels: props.labels,
      ports: this.renderPorts(),
      // Provider 3.6.2 knows a network only by `name` (which takes an id too); the 4.6 line reads
      // back `id` only and deprecates `name`: written below, for that line, instead.
      networks: this.host._providerMajor < 4 ? this.networkList.map((n) => ({ name: n.networkId, aliases: [this.serviceName] })) : undefined,
    }));
    this.adjustForProvider(settings.placement !== undefined, props.init ?? true);
    // A published port of a service listens on every interface of every node: nothing to opt out of, no warning.
    warnOptOuts(this, { dropAllCapabilities: spec.dropAllCapabilities, readOnlyRootFilesystem: spec.readOnlyRootFilesystem });
  }

  /** Overlay networks joined. */
  public get networks(): OverlayNetwork[] {
    return [...this.networkList];
  }

  /** Published ports. */
  public get ports(): ServicePort[] {
    return [...this.portList];
  }

  /** Checks the service name and claims it on the host. */
  private claimName(): void {
    const name = this.serviceName;
    if (isUnresolved(name)) return;
    if (typeof name !== 'string' || !SERVICE_NAME.test(name) || name.length > 63) {
      fail(this.node.path, 'serviceName', name, 'a swarm service name: letters and digits, with - or _ between them, at most 63 characters');
    }
    this.host._claim(`service:${name}`, 'a service name', this, 'serviceName', name);
  }

  /** What the provider line needs beyond the bindings: the lifecycle of a placed service, the 4.6 line's attributes. */
  private adjustForProvider(placed: boolean, init: boolean): void {
    if (placed) {
      // The engine writes the image's platforms into a placement block on create; the provider reads
      // them back as a change to none on every plan (seen on provider 4.6.0). They are the engine's, not ours.
      this.resource.lifecycle = { ignoreChanges: ['task_spec[0].placement[0].platforms'] };
    }
    if (this.host._providerMajor >= 4) {
      // Attributes of the 4.6 line that the 3.6.2 bindings lack.
      this.resource.addOverride('task_spec.networks_advanced', this.networkList.map((n) => ({ id: n.networkId, aliases: [this.serviceName] })));
      this.resource.addOverride('task_spec.container_spec.init', init);
    }
  }

  private join(network: OverlayNetwork, prop: string): void {
    const where = this.node.path;
    const given: unknown = network;
    if (given instanceof ServiceNetwork && !(given instanceof OverlayNetwork)) {
      fail(where, prop, given.node.path, "an OverlayNetwork: a bridge ServiceNetwork exists on one host only, and a swarm service's tasks join swarm-scoped networks");
    }
    if (!(given instanceof OverlayNetwork)) fail(where, prop, given, 'an OverlayNetwork');
    if (network.host !== this.host) fail(where, prop, network.node.path, `a network on the service's host ${this.host.node.path} (it is on ${network.host.node.path})`);
    if (this.networkList.includes(network)) fail(where, prop, network.node.path, 'each network once');
    this.networkList.push(network);
  }

  private publish(port: ServicePort, prop: string, endpointMode: EndpointMode): void {
    const where = this.node.path;
    if (!(port instanceof ServicePort)) fail(where, prop, port, 'a ServicePort from ServicePort.ingress or ServicePort.host');
    checkPort(where, `${prop}.publishedPort`, port.publishedPort, true);
    checkPort(where, `${prop}.targetPort`, port.targetPort, true);
    checkOneOf(where, `${prop}.protocol`, port.protocol, Protocol);
    checkOneOf(where, `${prop}.publishMode`, port.publishMode, PublishMode);
    if (port.publishMode === PublishMode.INGRESS && endpointMode === EndpointMode.DNSRR) {
      fail(where, prop, `${port.publishedPort}->${port.targetPort}/${port.protocol} (ingress)`,
        'a port in host mode (ServicePort.host) with EndpointMode.DNSRR: the routing mesh balances over a virtual IP, which dnsrr has none of');
    }
    const twin = this.portList.find((p) => p.publishedPort === port.publishedPort && p.protocol === port.protocol);
    if (twin && !isUnresolved(port.publishedPort)) fail(where, prop, `${port.publishedPort}/${port.protocol}`, 'a published port and protocol not already published by this service');
    // A published port of a service listens on all interfaces of the node (ingress: of every node).
    if (!isUnresolved(port.publishedPort)) this.host._claimPort('0.0.0.0', port.publishedPort, port.protocol, this, prop);
    this.portList.push(port);
  }

  private renderPorts(): ServiceEndpointSpecPorts[] {
    return this.portList.map((p) => ({ targetPort: p.targetPort, publishedPort: p.publishedPort, protocol: p.protocol, publishMode: p.publishMode }));
  }
}

/** JavaScript types of the service's own props (the spec checks the shared ones): every problem at once. */
function checkServicePropTypes(where: string, props: SwarmServiceProps): void {
  const problems = new Problems(where);
  problems.check(() => checkKnownKeys(where, props, SWARM_SERVICE_PROPS_KEYS));
  problems.check(() => checkInstance(where, 'host', props.host, DockerHost, 'a DockerHost'));
  problems.check(() => checkArray(where, 'networks', props.networks, 'a list of OverlayNetwork'));
  problems.check(() => checkArray(where, 'ports', props.ports, 'a list of ServicePort'));
  problems.check(() => checkArray(where, 'secrets', props.secrets, 'a list of secret mounts { secret, target?, mode?, uid?, gid? }'));
  problems.check(() => checkArray(where, 'configs', props.configs, 'a list of config mounts { config, target?, mode?, uid?, gid? }'));
  problems.check(() => checkArray(where, 'volumes', props.volumes, 'a list of volume mounts { volume, containerPath, readOnly? }'));
  problems.check(() => checkStringArray(where, 'placementConstraints', props.placementConstraints, "a list of constraints, e.g. ['node.role==manager']"));
  problems.check(() => checkStringArray(where, 'placementPreferences', props.placementPreferences, "a list of spread descriptors, e.g. ['node.labels.zone']"));
  for (const prop of ['restartPolicy', 'updateConfig', 'rollbackConfig'] as const) {
    problems.check(() => {
      checkMap(where, prop, props[prop], `an object of ${prop === 'restartPolicy' ? 'ServiceRestartPolicy' : 'ServiceUpdateConfig'} (all optional)`);
      checkKnownKeys(where, props[prop], prop === 'restartPolicy' ? SERVICE_RESTART_POLICY_KEYS : SERVICE_UPDATE_CONFIG_KEYS, prop);
    });
  }
  problems.check(() => {
    if (props.waitForConvergence !== undefined && typeof props.waitForConvergence !== 'boolean') fail(where, 'waitForConvergence', props.waitForConvergence, 'true or false');
  });
  problems.throwIfAny();
}
