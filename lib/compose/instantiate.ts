/**
 * The model → the library's constructs, with their public API only. `convert.ts` writes the
 * same calls as TypeScript; a test compares what both synthesize.
 *
 * A construct that refuses a value throws the library's ValidationError with its own path and
 * prop; here that error is given the compose file, line, column and key path the value came
 * from (`<file>:<line>:<col> services.web.ports[1] (ports[1])`).
 */
import { Construct } from 'constructs';
import { DataVolume } from '../data-volume';
import { DockerHost } from '../docker-host';
import { ContainerImage, IContainerImage } from '../container-image';
import { ValidationError } from '../errors';
import { Healthcheck, HealthcheckOptions } from '../healthcheck';
import { MinimalImage } from '../minimal-image';
import { PortMapping, Protocol } from '../port-mapping';
import { RestartPolicy } from '../restart-policy';
import { Secret } from '../secret';
import { ServiceContainer, ServiceContainerProps } from '../service-container';
import { ServiceNetwork } from '../service-network';
import {
  ComposeModel, HealthcheckModel, ImageKind, ImageModel, NetworkModel, PortModel, ResourceSetting, ServiceModel, SourceRef, VolumeModel,
} from './model';
import { parentPath } from './source';
import { UnpinnedImage } from './unpinned-image';

export interface Declared {
  readonly services: Map<string, ServiceContainer>;
  /** By compose key (`default` for the default network). */
  readonly networks: Map<string, ServiceNetwork>;
  /** By compose key (named volumes only). */
  readonly volumes: Map<string, DataVolume>;
}

/**
 * The declaration of one project: its networks, volumes and images at construction, then each
 * service. `ComposeProject` creates and connects the containers itself, from a frame near the top
 * of its constructor (`serviceProps`, `network`, `finishService`): cdktf captures a full stack trace for every
 * token a resource makes, so every frame between the caller and the resource costs time for each
 * of a container's ~20 tokens, the more the further into its function the call sits (see
 * ServiceContainer's constructor).
 */
export class Declaration {
  public readonly declared: Declared = { services: new Map(), networks: new Map(), volumes: new Map() };
  private readonly networksById = new Map<string, ServiceNetwork>();
  private readonly volumesById = new Map<string, DataVolume>();
  private readonly images = new Map<string, IContainerImage>();

  constructor(private readonly scope: Construct, model: ComposeModel, private readonly host: DockerHost | undefined) {
    for (const n of model.networks) {
      this.claimId(n.id, n.source);
      const net = located(n.source, {}, () => this.declareNetwork(n));
      this.networksById.set(n.id, net);
      this.declared.networks.set(n.key, net);
    }
    for (const v of model.volumes) {
      this.claimId(v.id, v.source);
      const vol = located(v.source, {}, () => this.declareVolume(v));
      this.volumesById.set(v.id, vol);
      if (!v.anonymous) this.declared.volumes.set(v.key, vol);
    }
    for (const i of model.images) {
      if (i.kind === ImageKind.BUILD) this.claimId(i.id, i.source);
      this.images.set(i.id, located(i.source, {}, () => image(scope, i, host)));
    }
  }

  /** The props of a service's container; checks that its construct id is free. */
  public serviceProps(s: ServiceModel): ServiceContainerProps {
    this.claimId(s.name, s.source);
    const services = this.declared.services;
    return {
      ...s.props,
      host: this.host,
      image: this.images.get(s.image) as IContainerImage,
      restartPolicy: s.props.restartPolicy as RestartPolicy | undefined,
      ports: s.ports.length > 0 ? s.ports.map(portMapping) : undefined,
      volumes: s.volumes.length > 0 ? s.volumes.map((v) => ({ volume: this.volumesById.get(v.volume) as DataVolume, containerPath: v.containerPath, readOnly: v.readOnly })) : undefined,
      bindMounts: s.bindMounts.length > 0 ? s.bindMounts.map((b) => ({ hostPath: b.hostPath, containerPath: b.containerPath, readOnly: b.readOnly })) : undefined,
      secretEnvironment: Object.keys(s.secretEnvironment).length > 0
        ? Object.fromEntries(Object.entries(s.secretEnvironment).map(([k, v]) => [k, Secret.fromVariable(v)]))
        : undefined,
      healthcheck: s.healthcheck ? healthcheck(s.healthcheck) : undefined,
      dependsOn: s.dependsOn.length > 0 ? s.dependsOn.map((d) => services.get(d) as ServiceContainer) : undefined,
    };
  }

  /** The network of construct id `id`. */
  public network(id: string): ServiceNetwork {
    return this.networksById.get(id) as ServiceNetwork;
  }

  /** Makes the settings the constructs have no prop for on a service's container (connected to its networks by the caller) and records it. */
  public finishService(s: ServiceModel, c: ServiceContainer): ServiceContainer {
    for (const r of s.resource) applySetting(c, r);
    this.declared.services.set(s.name, c);
    return c;
  }

  /** A construct's refusal while declaring `s`, given the compose place of the prop it names. */
  public relocated(e: unknown, s: ServiceModel): unknown {
    return relocated(e, s.source, s.propSources);
  }

  private declareNetwork(n: NetworkModel): ServiceNetwork {
    const net = new ServiceNetwork(this.scope, n.id, {
      host: this.host, networkName: n.networkName, internal: n.internal, subnet: n.subnet, gateway: n.gateway, ipRange: n.ipRange, attachable: n.attachable, labels: n.labels,
    });
    if (n.driverOptions) net.resource.options = n.driverOptions;
    return net;
  }

  private declareVolume(v: VolumeModel): DataVolume {
    return new DataVolume(this.scope, v.id, { host: this.host, volumeName: v.volumeName, driver: v.driver, driverOptions: v.driverOptions, labels: v.labels });
  }

  private claimId(id: string, ref: SourceRef): void {
    if (this.scope.node.tryFindChild(id)) {
      throw relocate(new ValidationError(`${this.scope.node.path}/${id}`, 'id', id, 'a construct id not used by another service, network, volume or image of the project'), ref);
    }
  }
}

function image(scope: Construct, i: ImageModel, host: DockerHost | undefined): IContainerImage {
  switch (i.kind) {
    case ImageKind.BUILD:
      return new MinimalImage(scope, i.id, {
        host, context: i.context as string, name: i.reference, dockerfile: i.dockerfile, buildArgs: i.buildArgs, target: i.target, platform: i.platform,
      });
    case ImageKind.REGISTRY:
      return ContainerImage.fromRegistry(i.reference, i.platform ? { platform: i.platform } : undefined);
    default:
      return new UnpinnedImage(i.reference, i.platform);
  }
}

function portMapping(p: PortModel): PortMapping {
  const protocol = p.protocol as Protocol;
  if (p.factory === 'public') return PortMapping.public(p.hostPort, p.containerPort, protocol);
  if (p.factory === 'local') return PortMapping.local(p.hostPort, p.containerPort, protocol);
  return PortMapping.onInterface(p.hostIp, p.hostPort, p.containerPort, protocol);
}

/** The health check's timing as HealthcheckOptions (only what the compose file gives: the library's defaults apply to the rest). */
export function healthcheckOptions(h: HealthcheckModel): HealthcheckOptions {
  const o: { -readonly [K in keyof HealthcheckOptions]: HealthcheckOptions[K] } = {};
  if (h.intervalSeconds !== undefined) o.intervalSeconds = h.intervalSeconds;
  if (h.timeoutSeconds !== undefined) o.timeoutSeconds = h.timeoutSeconds;
  if (h.retries !== undefined) o.retries = h.retries;
  if (h.startPeriodSeconds !== undefined) o.startPeriodSeconds = h.startPeriodSeconds;
  if (h.startIntervalSeconds !== undefined) o.startIntervalSeconds = h.startIntervalSeconds;
  return o;
}

function healthcheck(h: HealthcheckModel): Healthcheck {
  return h.kind === 'shell' ? Healthcheck.shell(h.script as string, healthcheckOptions(h)) : Healthcheck.command(h.command as string[], healthcheckOptions(h));
}

function applySetting(c: ServiceContainer, r: ResourceSetting): void {
  const resource = c.resource as unknown as Record<string, unknown>;
  if (r.kind === 'set') resource[r.name] = r.value;
  else if (r.kind === 'put') (resource[r.name] as (v: unknown) => void).call(c.resource, r.value);
  else c.resource.addOverride(r.name, r.value);
}

/** Runs `fn`; a ValidationError it throws is given the compose place of the prop it names. */
function located<T>(ref: SourceRef, propSources: Record<string, SourceRef>, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw relocated(e, ref, propSources);
  }
}

/** `e` with the compose place of the prop it names, when it is the library's error without one. */
function relocated(e: unknown, ref: SourceRef, propSources: Record<string, SourceRef>): unknown {
  if (!(e instanceof ValidationError) || /^\S+:\d+:\d+/.test(e.prop)) return e;
  let prop = e.prop;
  let at: SourceRef | undefined;
  while (prop !== '' && !(at = propSources[prop])) {
    const parent = parentPath(prop);
    if (parent === prop) break;
    prop = parent;
  }
  return relocate(e, at ?? ref);
}

/** The same error with the compose place in its prop: `<file>:<line>:<col> <key path> (<construct prop>)`. */
function relocate(e: ValidationError, ref: SourceRef): ValidationError {
  const prop = `${ref.file}:${ref.line}:${ref.col} ${ref.path} (${e.prop})`;
  const head = `${e.constructPath}: invalid ${e.prop} `;
  const tail = `: ${e.allowed}`;
  const value = e.message.startsWith(head) && e.message.endsWith(tail) ? e.message.slice(head.length, e.message.length - tail.length) : '(see above)';
  const out = new ValidationError(e.constructPath, prop, undefined, e.allowed);
  out.message = `${e.constructPath}: invalid ${prop} ${value}: ${e.allowed}`;
  out.stack = `${out.name}: ${out.message}\n${(e.stack ?? '').split('\n').slice(1).join('\n')}`;
  return out;
}
