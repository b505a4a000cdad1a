import { Construct } from 'constructs';
import { DockerHost } from './docker-host';
import { OverlayNetwork } from './overlay-network';
import { Protocol } from './port-mapping';
import { PublishMode, ServicePort } from './service-port';
import { ServiceNetwork } from './service-network';
import { SwarmConfig } from './swarm-config';
import { SwarmSecret } from './swarm-secret';
import type { Healthcheck } from './healthcheck';
import { ContainerSpec, ContainerSpecProps, ResolvedVolumeMount, VolumeMount, goDuration } from './_container-spec';
import {
  ServiceConfig, ServiceEndpointSpecPorts, ServiceResource, ServiceRollbackConfig, ServiceTaskSpecContainerSpecConfigs,
  ServiceTaskSpecContainerSpecSecrets, ServiceTaskSpecPlacement, ServiceTaskSpecRestartPolicy, swarmResources,
} from './_provider';
import { labelBlocks, nameFromId } from './_names';
import {
  checkArray, checkInstance, checkInteger, checkMap, checkPort, checkProps, checkStringArray, fail, isUnresolved,
} from './_validate';

/** How many tasks a swarm service runs. */
export enum ServiceMode {
  /** A set number of tasks (`replicas`), placed by the scheduler. */
  REPLICATED = 'replicated',
  /** One task on every node that meets the placement constraints. */
  GLOBAL = 'global',
}

/** How other tasks reach a service's tasks by its name. */
export enum EndpointMode {
  /** One virtual IP per network, balanced over the tasks by IPVS in the kernel. */
  VIP = 'vip',
  /** DNS round robin: the name resolves to every task's address; no IPVS, no ingress ports. */
  DNSRR = 'dnsrr',
}

/** When the swarm replaces a task whose container exited. */
export enum RestartCondition {
  /** Never. */
  NONE = 'none',
  /** After a non-zero exit (or a failed health check). */
  ON_FAILURE = 'on-failure',
  /** After any exit. */
  ANY = 'any',
}

/** The order of stopping the old task and starting the new one in an update or rollback. */
export enum UpdateOrder {
  /** Start the new task, and stop the old one once the new one runs (healthy): no gap, briefly one task more. */
  START_FIRST = 'start-first',
  /** Stop the old task, then start the new one: a gap per task, never a task more. */
  STOP_FIRST = 'stop-first',
}

/** What the swarm does when an updated (or rolled back) task fails within the monitor period. */
export enum UpdateFailureAction {
  /** Roll the service back to its previous specification (updates only). */
  ROLLBACK = 'rollback',
  /** Stop the update; the service keeps what it has. */
  PAUSE = 'pause',
  /** Go on with the next tasks. */
  CONTINUE = 'continue',
}

/** When the swarm replaces a failed task. */
export interface ServiceRestartPolicy {
  /** When. @default RestartCondition.ON_FAILURE */
  readonly condition?: RestartCondition;
  /** Seconds between a task's exit and its replacement. @default 5 */
  readonly delaySeconds?: number;
  /** Replacements before giving up, counted within `windowSeconds`. @default - unlimited (0) */
  readonly maxAttempts?: number;
  /** Seconds over which `maxAttempts` counts. @default - unbounded (0) */
  readonly windowSeconds?: number;
}

/** How the swarm rolls a change (or its rollback) out over the tasks. */
export interface ServiceUpdateConfig {
  /** Tasks changed at once (0: all). @default 1 */
  readonly parallelism?: number;
  /** Seconds between one batch and the next. @default 0 */
  readonly delaySeconds?: number;
  /**
   * Start the new task before stopping the old one, or the other way round.
   * @default UpdateOrder.START_FIRST, or UpdateOrder.STOP_FIRST when the service publishes a port in host mode (an old and a new task cannot bind one node's port)
   */
  readonly order?: UpdateOrder;
  /** What a failure within the monitor period does. @default UpdateFailureAction.ROLLBACK for an update, UpdateFailureAction.PAUSE for a rollback */
  readonly failureAction?: UpdateFailureAction;
  /**
   * Seconds after each task's change during which its failure counts. For an update it must be
   * longer than the health check's start period plus interval × retries (the time a task may take
   * to be found unhealthy).
   * @default - the health check's start period + interval × retries + timeout (45 s with the default timing, also without a health check)
   */
  readonly monitorSeconds?: number;
}

/** A secret a service reads as a file. */
export interface SwarmSecretMount {
  /** The secret. */
  readonly secret: SwarmSecret;
  /** The file: a name under /run/secrets, or an absolute path. @default - the secret's `secretName` (/run/secrets/<secretName>) */
  readonly target?: string;
  /** File mode, e.g. `0o440`. @default 0o400 (the owner reads) */
  readonly mode?: number;
  /** Owner UID of the file: the service's user, when it is not root, must be able to read it. @default '0' */
  readonly uid?: string;
  /** Owner GID of the file. @default '0' */
  readonly gid?: string;
}

/** A config a service reads as a file. */
export interface SwarmConfigMount {
  /** The config. */
  readonly config: SwarmConfig;
  /** Absolute path of the file in the container. @default - /<configName> (Docker's default) */
  readonly target?: string;
  /** File mode. @default 0o444 (configs are not secrets; processes of any user read them) */
  readonly mode?: number;
  /** Owner UID of the file. @default '0' */
  readonly uid?: string;
  /** Owner GID of the file. @default '0' */
  readonly gid?: string;
}

/**
 * A `SwarmService`: the container specification (image, command, environment, limits,
 * hardening, health check, logs; shared with `ServiceContainer`) and how the swarm runs it.
 */
export interface SwarmServiceProps extends ContainerSpecProps {
  /** The swarm manager (`DockerHost` with `swarm: true`). @default - the stack's default host (`DockerHost.of`) */
  readonly host?: DockerHost;
  /**
   * The service name: how other tasks reach it, and its alias on each network. Letters and digits,
   * with - or _ between them, at most 63 characters (a DNS label).
   * @default - the construct id
   */
  readonly serviceName?: string;
  /** Replicated (`replicas` tasks) or global (one per node). @default ServiceMode.REPLICATED */
  readonly mode?: ServiceMode;
  /** Tasks of a replicated service. @default 2 (one may fail or be updated while the other serves) */
  readonly replicas?: number;
  /** Overlay networks to join, with the service name as alias; at least one. @default - none (an error: services never sit on no network) */
  readonly networks?: OverlayNetwork[];
  /** How other tasks reach the service by name. @default EndpointMode.VIP */
  readonly endpointMode?: EndpointMode;
  /** Published ports, each with its publish mode. @default - none */
  readonly ports?: ServicePort[];
  /** Secrets read as files. @default - none */
  readonly secrets?: SwarmSecretMount[];
  /** Configs read as files. @default - none */
  readonly configs?: SwarmConfigMount[];
  /** Memory in MiB the scheduler reserves on the node for each task (at most `memoryMiB`). @default - none */
  readonly memoryReservationMiB?: number;
  /**
   * Named volumes. A `DataVolume` lives on the manager: a task on another node gets an empty
   * volume of that name there. Pin such a service with `placementConstraints`.
   * @default - none
   */
  readonly volumes?: VolumeMount[];
  /** CPUs the scheduler reserves for each task (at most `cpus`). @default - none */
  readonly cpuReservation?: number;
  /** When a failed task is replaced. @default - on failure, after 5 s, without limit */
  readonly restartPolicy?: ServiceRestartPolicy;
  /** How a change rolls out. @default - one task at a time, start-first, rolled back on failure */
  readonly updateConfig?: ServiceUpdateConfig;
  /** How a rollback rolls out. @default - one task at a time, start-first (stop-first with host-mode ports), paused on failure */
  readonly rollbackConfig?: ServiceUpdateConfig;
  /** Constraints on the nodes that may run tasks, e.g. `node.role==manager`, `node.labels.zone==a`. @default - none */
  readonly placementConstraints?: string[];
  /** Most tasks of the service on one node. @default - unlimited */
  readonly maxReplicasPerNode?: number;
  /** Spread descriptors the scheduler spreads tasks over, e.g. `node.labels.zone` (no `spread=` prefix). @default - none */
  readonly placementPreferences?: string[];
  /**
   * Let `cdktf deploy` return only when the service has converged: all tasks running (and healthy),
   * an update completed or rolled back (the provider's `converge_config`). Not for a global service
   * (the provider refuses it there).
   * @default true for a replicated service
   */
  readonly waitForConvergence?: boolean;
  /** Seconds to wait for convergence. @default - 180, or (replicas + 1) × the update's monitor period when longer */
  readonly convergeTimeoutSeconds?: number;
}

const SERVICE_NAME = /^[a-zA-Z0-9](?:[-_]*[a-zA-Z0-9]+)*$/;
const CONSTRAINT = /^\s*[A-Za-z][\w.-]*\s*(==|!=)\s*\S.*$/;

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
    // Checked and rendered in a closure that returns before the resource is made (cdktf captures a
    // stack trace per token of the resource; see ServiceContainer).
    const config = ((): ServiceConfig => {
      const where = this.node.path;
      checkProps(where, props, true, 'an object with at least `image`');
      checkServicePropTypes(where, props);
      this.host = props.host ?? DockerHost.of(this);
      this.host._requireSwarm(this, 'a swarm service');
      const spec = ContainerSpec.resolve(this, this.host, props);
      this.imageName = spec.image.imageName;
      this.healthcheck = spec.healthcheck;

      this.serviceName = props.serviceName ?? nameFromId(this);
      if (!isUnresolved(this.serviceName)) {
        if (typeof this.serviceName !== 'string' || !SERVICE_NAME.test(this.serviceName) || this.serviceName.length > 63) {
          fail(where, 'serviceName', this.serviceName, 'a swarm service name: letters and digits, with - or _ between them, at most 63 characters');
        }
        this.host._claim(`service:${this.serviceName}`, 'a service name', this, 'serviceName', this.serviceName);
      }

      this.mode = props.mode ?? ServiceMode.REPLICATED;
      const global = this.mode === ServiceMode.GLOBAL;
      if (!Object.values(ServiceMode).includes(this.mode)) fail(where, 'mode', this.mode, `one of ${Object.values(ServiceMode).join(', ')}`);
      if (global && props.replicas !== undefined) fail(where, 'replicas', props.replicas, 'a replica count only with ServiceMode.REPLICATED');
      const replicas = props.replicas ?? 2;
      checkInteger(where, 'replicas', replicas, 0, 10000, 'a number of tasks from 0 to 10000');

      (props.networks ?? []).forEach((n, i) => this.join(n, `networks[${i}]`));
      if (this.networkList.length === 0) {
        fail(where, 'networks', props.networks ?? [], 'at least one OverlayNetwork: a service on no network has no name other tasks can reach');
      }
      const endpointMode = props.endpointMode ?? EndpointMode.VIP;
      checkOneOf(where, 'endpointMode', endpointMode, EndpointMode);
      (props.ports ?? []).forEach((p, i) => this.publish(p, `ports[${i}]`, endpointMode));
      const hostPorts = this.portList.some((p) => p.publishMode === PublishMode.HOST);

      const monitor = monitorSeconds(where, spec, props.updateConfig);
      const waitForConvergence = props.waitForConvergence ?? !global;
      if (waitForConvergence && global) {
        fail(where, 'waitForConvergence', true, 'false for a global service: the provider waits for convergence (converge_config) of replicated services only');
      }
      checkInteger(where, 'convergeTimeoutSeconds', props.convergeTimeoutSeconds, 1, 86400, 'seconds from 1 to 86400');
      const convergeTimeout = props.convergeTimeoutSeconds ?? (isUnresolved(replicas) || isUnresolved(monitor) ? 180 : Math.max(180, (replicas + 1) * monitor));

      const volumes: ResolvedVolumeMount[] = (props.volumes ?? []).map((v, i) => spec.volumeMount(this.host, `volumes[${i}]`, v));
      const secrets = (props.secrets ?? []).map((s, i): ServiceTaskSpecContainerSpecSecrets => {
        const file = mountedFile(where, `secrets[${i}]`, s, 'secret', SwarmSecret, 'a secret mount { secret, target?, mode?, uid?, gid? }', this.host);
        const target = file.target ?? s.secret.secretName;
        const path = target.startsWith('/') || isUnresolved(target) ? target : `/run/secrets/${target}`;
        spec.claimMount(`secrets[${i}].target`, path);
        const ref = s.secret._reference();
        return { secretId: ref.id, secretName: ref.name, fileName: path, fileMode: file.mode ?? 0o400, fileUid: file.uid ?? '0', fileGid: file.gid ?? '0' };
      });
      const configs = (props.configs ?? []).map((c, i): ServiceTaskSpecContainerSpecConfigs => {
        const file = mountedFile(where, `configs[${i}]`, c, 'config', SwarmConfig, 'a config mount { config, target?, mode?, uid?, gid? }', this.host);
        const path = file.target ?? `/${c.config.configName}`;
        spec.claimMount(`configs[${i}].target`, path);
        const ref = c.config._reference();
        return { configId: ref.id, configName: ref.name, fileName: path, fileMode: file.mode ?? 0o444, fileUid: file.uid ?? '0', fileGid: file.gid ?? '0' };
      });

      const reservedMemory = props.memoryReservationMiB;
      checkInteger(where, 'memoryReservationMiB', reservedMemory, 1, isUnresolved(spec.memoryMiB) ? 1024 * 1024 : spec.memoryMiB,
        `a memory reservation in MiB: an integer from 1 to the memory limit (${spec.memoryMiB})`);
      const reservedCpus = props.cpuReservation;
      const maxCpus = spec.cpus === undefined || isUnresolved(spec.cpus) ? 1024 : spec.cpus;
      if (reservedCpus !== undefined && !isUnresolved(reservedCpus) && (typeof reservedCpus !== 'number' || !Number.isFinite(reservedCpus) || reservedCpus <= 0 || reservedCpus > maxCpus)) {
        fail(where, 'cpuReservation', reservedCpus, `a number of CPUs greater than 0 and at most the CPU limit (${maxCpus})`);
      }

      const task = {
        containerSpec: { ...spec.serviceContainerSpec(volumes), secrets: secrets.length > 0 ? secrets : undefined, configs: configs.length > 0 ? configs : undefined },
        resources: spec.serviceResources(reservedMemory, reservedCpus),
        restartPolicy: restartPolicy(where, props.restartPolicy),
        placement: placement(where, props),
        logDriver: spec.serviceLogDriver(),
        // Provider 3.6.2 knows a network only by `name` (which takes an id too); the 4.6 line reads
        // back `id` only and deprecates `name`: written below, for that line, instead.
        networksAdvanced: this.host._providerMajor < 4 ? this.networkList.map((n) => ({ name: n.networkId, aliases: [this.serviceName] })) : undefined,
      };
      return {
        provider: this.host.providerFor(this),
        name: this.serviceName,
        labels: labelBlocks(props.labels),
        taskSpec: task,
        mode: global ? { global: true } : { replicated: { replicas } },
        updateConfig: rollout(where, 'updateConfig', props.updateConfig, monitor, hostPorts, UpdateFailureAction.ROLLBACK),
        rollbackConfig: rollout(where, 'rollbackConfig', props.rollbackConfig, monitor, hostPorts, UpdateFailureAction.PAUSE),
        endpointSpec: { mode: endpointMode, ports: this.portList.length > 0 ? this.renderPorts() : undefined },
        convergeConfig: waitForConvergence ? { delay: '5s', timeout: goDuration(convergeTimeout) } : undefined,
      };
    })();
    this.resource = new (swarmResources().Service)(this, 'Resource', config);
    if (config.taskSpec.placement) {
      // The engine writes the image's platforms into a placement block on create; the provider reads
      // them back as a change to none on every plan (seen on provider 4.6.0). They are the engine's, not ours.
      this.resource.lifecycle = { ignoreChanges: ['task_spec[0].placement[0].platforms'] };
    }
    if (this.host._providerMajor >= 4) {
      // Attributes of the 4.6 line that the 3.6.2 bindings lack.
      this.resource.addOverride('task_spec.networks_advanced', this.networkList.map((n) => ({ id: n.networkId, aliases: [this.serviceName] })));
      this.resource.addOverride('task_spec.container_spec.init', props.init ?? true);
    }
  }

  /** Overlay networks joined. */
  public get networks(): OverlayNetwork[] {
    return [...this.networkList];
  }

  /** Published ports. */
  public get ports(): ServicePort[] {
    return [...this.portList];
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

/** JavaScript types of the service's own props (the spec checks the shared ones). */
function checkServicePropTypes(where: string, props: SwarmServiceProps): void {
  checkInstance(where, 'host', props.host, DockerHost, 'a DockerHost');
  checkArray(where, 'networks', props.networks, 'a list of OverlayNetwork');
  checkArray(where, 'ports', props.ports, 'a list of ServicePort');
  checkArray(where, 'secrets', props.secrets, 'a list of secret mounts { secret, target?, mode?, uid?, gid? }');
  checkArray(where, 'configs', props.configs, 'a list of config mounts { config, target?, mode?, uid?, gid? }');
  checkArray(where, 'volumes', props.volumes, 'a list of volume mounts { volume, containerPath, readOnly? }');
  checkStringArray(where, 'placementConstraints', props.placementConstraints, "a list of constraints, e.g. ['node.role==manager']");
  checkStringArray(where, 'placementPreferences', props.placementPreferences, "a list of spread descriptors, e.g. ['node.labels.zone']");
  for (const prop of ['restartPolicy', 'updateConfig', 'rollbackConfig'] as const) {
    checkMap(where, prop, props[prop], `an object of ${prop === 'restartPolicy' ? 'ServiceRestartPolicy' : 'ServiceUpdateConfig'} (all optional)`);
  }
  if (props.waitForConvergence !== undefined && typeof props.waitForConvergence !== 'boolean') fail(where, 'waitForConvergence', props.waitForConvergence, 'true or false');
}

/** A value of a string enum (tokens pass). */
function checkOneOf(where: string, prop: string, value: unknown, values: Record<string, string>): void {
  if (isUnresolved(value)) return;
  if (!Object.values(values).includes(value as string)) fail(where, prop, value, `one of ${Object.values(values).join(', ')}`);
}

/**
 * The update's monitor period: given, or the time a task may take to be found unhealthy and then
 * some (start period + interval × retries + timeout). A given one must exceed that time, or a task
 * that fails its health check late is never rolled back.
 */
function monitorSeconds(where: string, spec: ContainerSpec, update: ServiceUpdateConfig | undefined): number {
  const h = spec.health ?? { startPeriodSeconds: 10, intervalSeconds: 10, retries: 3, timeoutSeconds: 5 };
  const known = [h.startPeriodSeconds, h.intervalSeconds, h.retries, h.timeoutSeconds].every((n) => !isUnresolved(n));
  const untilUnhealthy = known ? h.startPeriodSeconds + h.intervalSeconds * h.retries : 0;
  const given = update?.monitorSeconds;
  if (given === undefined) return known ? untilUnhealthy + h.timeoutSeconds : 60;
  checkInteger(where, 'updateConfig.monitorSeconds', given, untilUnhealthy + 1, 86400,
    `seconds longer than the health check's start period + interval × retries (${untilUnhealthy} s), at most 86400: a task found unhealthy later is never rolled back`);
  return given;
}

function rollout(where: string, prop: string, c: ServiceUpdateConfig | undefined, monitor: number, hostPorts: boolean,
  defaultAction: UpdateFailureAction): ServiceRollbackConfig {
  const o = c ?? {};
  const parallelism = o.parallelism ?? 1;
  checkInteger(where, `${prop}.parallelism`, parallelism, 0, 10000, 'tasks at once: an integer from 0 (all) to 10000');
  const delay = o.delaySeconds ?? 0;
  checkInteger(where, `${prop}.delaySeconds`, delay, 0, 86400, 'seconds from 0 to 86400');
  const order = o.order ?? (hostPorts ? UpdateOrder.STOP_FIRST : UpdateOrder.START_FIRST);
  checkOneOf(where, `${prop}.order`, order, UpdateOrder);
  const failureAction = o.failureAction ?? defaultAction;
  checkOneOf(where, `${prop}.failureAction`, failureAction, UpdateFailureAction);
  if (defaultAction === UpdateFailureAction.PAUSE && failureAction === UpdateFailureAction.ROLLBACK) {
    fail(where, `${prop}.failureAction`, failureAction, 'pause or continue: a rollback cannot roll back');
  }
  // A given period is checked; the default follows the health check's timing, however long.
  checkInteger(where, `${prop}.monitorSeconds`, o.monitorSeconds, 1, 86400, 'seconds from 1 to 86400');
  const seconds = o.monitorSeconds ?? monitor;
  return { parallelism, delay: goDuration(delay), order, failureAction, monitor: goDuration(seconds) };
}

function restartPolicy(where: string, r: ServiceRestartPolicy | undefined): ServiceTaskSpecRestartPolicy {
  const o = r ?? {};
  const condition = o.condition ?? RestartCondition.ON_FAILURE;
  checkOneOf(where, 'restartPolicy.condition', condition, RestartCondition);
  const delay = o.delaySeconds ?? 5;
  checkInteger(where, 'restartPolicy.delaySeconds', delay, 0, 86400, 'seconds from 0 to 86400');
  const maxAttempts = o.maxAttempts ?? 0;
  checkInteger(where, 'restartPolicy.maxAttempts', maxAttempts, 0, 1000, 'attempts from 0 (unlimited) to 1000');
  const window = o.windowSeconds ?? 0;
  checkInteger(where, 'restartPolicy.windowSeconds', window, 0, 86400, 'seconds from 0 (unbounded) to 86400');
  // Every field written: the engine reads back 0s and 0 for those left out, a change on every plan.
  return { condition, delay: goDuration(delay), maxAttempts, window: goDuration(window) };
}

function placement(where: string, props: SwarmServiceProps): ServiceTaskSpecPlacement | undefined {
  const constraints = props.placementConstraints ?? [];
  constraints.forEach((c, i) => {
    if (!isUnresolved(c) && !CONSTRAINT.test(c)) fail(where, `placementConstraints[${i}]`, c, "a constraint '<attribute> == <value>' or '<attribute> != <value>', e.g. 'node.role==manager'");
  });
  const prefs = props.placementPreferences ?? [];
  prefs.forEach((p, i) => {
    if (!isUnresolved(p) && (!/^[A-Za-z][\w.-]*$/.test(p))) {
      fail(where, `placementPreferences[${i}]`, p, "a spread descriptor such as 'node.labels.zone', without 'spread=': the provider sends the whole text as the descriptor");
    }
  });
  const maxReplicas = props.maxReplicasPerNode;
  checkInteger(where, 'maxReplicasPerNode', maxReplicas, 1, 10000, 'tasks per node: an integer from 1 to 10000');
  if (constraints.length === 0 && prefs.length === 0 && maxReplicas === undefined) return undefined;
  return {
    constraints: constraints.length > 0 ? constraints : undefined,
    prefs: prefs.length > 0 ? prefs : undefined,
    maxReplicas,
  };
}

interface FileMount {
  readonly target?: string;
  readonly mode?: number;
  readonly uid?: string;
  readonly gid?: string;
}

/** Checks a secret or config mount entry (`prop`) and its file options; returns them. */
function mountedFile(where: string, prop: string, entry: unknown, key: 'secret' | 'config',
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  type: Function, allowed: string, host: DockerHost): FileMount {
  if (!entry || typeof entry !== 'object') fail(where, prop, entry, allowed);
  const object: unknown = (entry as Record<string, unknown>)[key];
  if (!(object instanceof type)) {
    fail(where, `${prop}.${key}`, Construct.isConstruct(object) ? object.node.path : object, key === 'secret' ? 'a SwarmSecret' : 'a SwarmConfig');
  }
  const owned = object as SwarmSecret | SwarmConfig;
  if (owned.host !== host) fail(where, `${prop}.${key}`, owned.node.path, `a ${key} on the service's host ${host.node.path}`);
  const f = entry as FileMount;
  if (f.target !== undefined && !isUnresolved(f.target)) {
    if (typeof f.target !== 'string') fail(where, `${prop}.target`, f.target, 'a file name or an absolute path');
    if (key === 'secret' ? !f.target.startsWith('/') && !/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(f.target) : !f.target.startsWith('/')) {
      fail(where, `${prop}.target`, f.target, key === 'secret' ? 'a file name under /run/secrets (letters, digits, _ . -) or an absolute path' : 'an absolute path in the container');
    }
  }
  checkInteger(where, `${prop}.mode`, f.mode, 0, 0o777, 'a file mode from 0 to 0o777, e.g. 0o440');
  for (const id of ['uid', 'gid'] as const) {
    const v = f[id];
    if (v !== undefined && !isUnresolved(v) && (typeof v !== 'string' || !/^\d+$/.test(v))) fail(where, `${prop}.${id}`, v, 'a numeric id as a string, e.g. "1000"');
  }
  return f;
}
