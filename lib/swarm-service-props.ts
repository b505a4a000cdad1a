/**
 * The props of `SwarmService` and the enums they take: mode, endpoint, restarts, rollout, and the
 * secrets and configs a service reads as files (checked by `_service-settings`).
 */
import type { DockerHost } from './docker-host';
import type { ContainerSpecProps, VolumeMount } from './container-spec-props';
import type { OverlayNetwork } from './overlay-network';
import type { ServicePort } from './service-port';
import type { SwarmConfig } from './swarm-config';
import type { SwarmSecret } from './swarm-secret';

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
