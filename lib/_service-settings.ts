/**
 * What a `SwarmService` decides beyond the shared container specification, checked and with its
 * defaults: mode and replicas, endpoint, convergence, reservations, restarts, rollout, placement
 * and the secret and config files. Every problem is collected; a check that depends on another
 * prop (the monitor period on the health check, a reservation on its limit) is skipped when that
 * prop had a problem of its own, so that one mistake is reported once.
 */
import { Construct } from 'constructs';
import type { DockerHost } from './docker-host';
import type { ContainerSpec, ResolvedVolumeMount } from './_container-spec';
import type { Problems } from './_problems';
import { SwarmConfig } from './swarm-config';
import { SwarmSecret } from './swarm-secret';
import {
  EndpointMode, RestartCondition, ServiceMode, ServiceRestartPolicy, ServiceUpdateConfig, SwarmServiceProps, UpdateFailureAction, UpdateOrder,
} from './swarm-service-props';
import { checkKnownKeys } from './_known-keys';
import { SWARM_CONFIG_MOUNT_KEYS, SWARM_SECRET_MOUNT_KEYS } from './_props-keys';
import { checkInteger, checkOneOf, fail, isUnresolved, safeText } from './_validate';

/** A rollout (update or rollback), ready to render. */
export interface RolloutSettings {
  readonly parallelism: number;
  readonly delaySeconds: number;
  readonly order: string;
  readonly failureAction: string;
  readonly monitorSeconds: number;
}

/** A secret or config file of the tasks, ready to render. */
export interface MountedFile {
  readonly id: string;
  readonly name: string;
  readonly path: string;
  readonly mode: number;
  readonly uid: string;
  readonly gid: string;
}

/** A service's own settings, ready to render. */
export interface ServiceSettings {
  readonly mode: ServiceMode;
  readonly replicas: number;
  readonly endpointMode: EndpointMode;
  readonly waitForConvergence: boolean;
  readonly convergeTimeoutSeconds: number;
  readonly memoryReservationMiB?: number;
  readonly cpuReservation?: number;
  readonly restart: { condition: string; delaySeconds: number; maxAttempts: number; windowSeconds: number };
  readonly update: RolloutSettings;
  readonly rollback: RolloutSettings;
  readonly placement?: { constraints?: string[]; prefs?: string[]; maxReplicas?: number };
  readonly volumes: ResolvedVolumeMount[];
  readonly secrets: MountedFile[];
  readonly configs: MountedFile[];
}

const CONSTRAINT = /^\s*[A-Za-z][\w.-]*\s*(==|!=)\s*\S.*$/;

/** Mode, replicas and endpoint mode: what the ports and the rollout depend on. */
export function serviceShape(where: string, props: SwarmServiceProps, problems: Problems): { mode: ServiceMode; replicas: number; endpointMode: EndpointMode } {
  const mode = props.mode ?? ServiceMode.REPLICATED;
  problems.check(() => {
    if (!Object.values(ServiceMode).includes(mode)) fail(where, 'mode', mode, `one of ${Object.values(ServiceMode).join(', ')}`);
    if (mode === ServiceMode.GLOBAL && props.replicas !== undefined) fail(where, 'replicas', props.replicas, 'a replica count only with ServiceMode.REPLICATED');
  });
  const replicas = props.replicas ?? 2;
  problems.check(() => checkInteger(where, 'replicas', replicas, 0, 10000, 'a number of tasks from 0 to 10000'));
  const endpointMode = props.endpointMode ?? EndpointMode.VIP;
  problems.check(() => checkOneOf(where, 'endpointMode', endpointMode, EndpointMode));
  return { mode, replicas, endpointMode };
}

/** The rest of the service's settings; `hostPorts` when a port is published in host mode (stop-first rollouts). */
export function serviceSettings(
  scope: Construct, host: DockerHost, spec: ContainerSpec, props: SwarmServiceProps, shape: ReturnType<typeof serviceShape>, hostPorts: boolean,
  problems: Problems,
): ServiceSettings {
  const where = scope.node.path;
  const global = shape.mode === ServiceMode.GLOBAL;
  if (spec.health?.startIntervalSeconds !== undefined) {
    problems.check(() => fail(where, 'healthcheck.startIntervalSeconds', spec.health?.startIntervalSeconds,
      "no start interval for a SwarmService: docker_service's healthcheck has no start_interval (leave it out; the start period still applies)"));
  }
  // Without a checked health check (it had a problem), the monitor period is not judged against it.
  const monitor = props.healthcheck !== undefined && spec.health === undefined ? 60 : problems.check(() => monitorSeconds(where, spec, props.updateConfig)) ?? 60;
  const waitForConvergence = props.waitForConvergence ?? !global;
  problems.check(() => {
    if (waitForConvergence && global) {
      fail(where, 'waitForConvergence', true, 'false for a global service: the provider waits for convergence (converge_config) of replicated services only');
    }
  });
  problems.check(() => checkInteger(where, 'convergeTimeoutSeconds', props.convergeTimeoutSeconds, 1, 86400, 'seconds from 1 to 86400'));
  const replicas = shape.replicas;
  const countable = typeof replicas === 'number' && !isUnresolved(replicas) && !isUnresolved(monitor);
  const convergeTimeoutSeconds = props.convergeTimeoutSeconds ?? (countable ? Math.max(180, (replicas + 1) * monitor) : 180);

  const volumes: ResolvedVolumeMount[] = [];
  (props.volumes ?? []).forEach((v, i) => problems.check(() => volumes.push(spec.volumeMount(host, `volumes[${i}]`, v))));
  const secrets: MountedFile[] = [];
  (props.secrets ?? []).forEach((s, i) => problems.check(() => secrets.push(mountedFile(where, spec, `secrets[${i}]`, s, 'secret', host))));
  const configs: MountedFile[] = [];
  (props.configs ?? []).forEach((c, i) => problems.check(() => configs.push(mountedFile(where, spec, `configs[${i}]`, c, 'config', host))));
  checkReservations(where, spec, props, problems);
  return {
    ...shape,
    waitForConvergence,
    convergeTimeoutSeconds,
    memoryReservationMiB: props.memoryReservationMiB,
    cpuReservation: props.cpuReservation,
    restart: problems.check(() => restartPolicy(where, props.restartPolicy)) as ServiceSettings['restart'],
    placement: problems.check(() => placement(where, props)),
    update: problems.check(() => rollout(where, 'updateConfig', props.updateConfig, monitor, hostPorts, UpdateFailureAction.ROLLBACK)) as RolloutSettings,
    rollback: problems.check(() => rollout(where, 'rollbackConfig', props.rollbackConfig, monitor, hostPorts, UpdateFailureAction.PAUSE)) as RolloutSettings,
    volumes,
    secrets,
    configs,
  };
}

/** Reservations up to the limits (judged only against limits that checked out). */
function checkReservations(where: string, spec: ContainerSpec, props: SwarmServiceProps, problems: Problems): void {
  const reservedMemory = props.memoryReservationMiB;
  const memoryLimit = problems.about('memoryMiB') || isUnresolved(spec.memoryMiB) ? 1024 * 1024 : spec.memoryMiB;
  problems.check(() => checkInteger(where, 'memoryReservationMiB', reservedMemory, 1, memoryLimit,
    `a memory reservation in MiB: an integer from 1 to the memory limit (${safeText(spec.memoryMiB)})`));
  const reservedCpus = props.cpuReservation;
  const maxCpus = spec.cpus === undefined || isUnresolved(spec.cpus) || problems.about('cpus') ? 1024 : spec.cpus;
  problems.check(() => {
    if (reservedCpus !== undefined && !isUnresolved(reservedCpus) && (typeof reservedCpus !== 'number' || !Number.isFinite(reservedCpus) || reservedCpus <= 0 || reservedCpus > maxCpus)) {
      fail(where, 'cpuReservation', reservedCpus, `a number of CPUs greater than 0 and at most the CPU limit (${maxCpus})`);
    }
  });
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
  defaultAction: UpdateFailureAction): RolloutSettings {
  const o = c ?? {};
  const parallelism = o.parallelism ?? 1;
  checkInteger(where, `${prop}.parallelism`, parallelism, 0, 10000, 'tasks at once: an integer from 0 (all) to 10000');
  const delaySeconds = o.delaySeconds ?? 0;
  checkInteger(where, `${prop}.delaySeconds`, delaySeconds, 0, 86400, 'seconds from 0 to 86400');
  const order = o.order ?? (hostPorts ? UpdateOrder.STOP_FIRST : UpdateOrder.START_FIRST);
  checkOneOf(where, `${prop}.order`, order, UpdateOrder);
  const failureAction = o.failureAction ?? defaultAction;
  checkOneOf(where, `${prop}.failureAction`, failureAction, UpdateFailureAction);
  if (defaultAction === UpdateFailureAction.PAUSE && failureAction === UpdateFailureAction.ROLLBACK) {
    fail(where, `${prop}.failureAction`, failureAction, 'pause or continue: a rollback cannot roll back');
  }
  // A given period is checked; the default follows the health check's timing, however long.
  checkInteger(where, `${prop}.monitorSeconds`, o.monitorSeconds, 1, 86400, 'seconds from 1 to 86400');
  return { parallelism, delaySeconds, order, failureAction, monitorSeconds: o.monitorSeconds ?? monitor };
}

function restartPolicy(where: string, r: ServiceRestartPolicy | undefined): ServiceSettings['restart'] {
  const o = r ?? {};
  const condition = o.condition ?? RestartCondition.ON_FAILURE;
  checkOneOf(where, 'restartPolicy.condition', condition, RestartCondition);
  const delaySeconds = o.delaySeconds ?? 5;
  checkInteger(where, 'restartPolicy.delaySeconds', delaySeconds, 0, 86400, 'seconds from 0 to 86400');
  const maxAttempts = o.maxAttempts ?? 0;
  checkInteger(where, 'restartPolicy.maxAttempts', maxAttempts, 0, 1000, 'attempts from 0 (unlimited) to 1000');
  const windowSeconds = o.windowSeconds ?? 0;
  checkInteger(where, 'restartPolicy.windowSeconds', windowSeconds, 0, 86400, 'seconds from 0 (unbounded) to 86400');
  return { condition, delaySeconds, maxAttempts, windowSeconds };
}

function placement(where: string, props: SwarmServiceProps): ServiceSettings['placement'] {
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
  return { constraints: constraints.length > 0 ? constraints : undefined, prefs: prefs.length > 0 ? prefs : undefined, maxReplicas };
}

interface FileOptions {
  readonly target?: string;
  readonly mode?: number;
  readonly uid?: string;
  readonly gid?: string;
}

/** Checks a secret or config mount entry (`prop`) and its file options, and claims its path. */
function mountedFile(where: string, spec: ContainerSpec, prop: string, entry: unknown, key: 'secret' | 'config', host: DockerHost): MountedFile {
  if (!entry || typeof entry !== 'object') fail(where, prop, entry, `a ${key} mount { ${key}, target?, mode?, uid?, gid? }`);
  const object: unknown = (entry as Record<string, unknown>)[key];
  if (!(key === 'secret' ? object instanceof SwarmSecret : object instanceof SwarmConfig)) {
    fail(where, `${prop}.${key}`, Construct.isConstruct(object) ? object.node.path : object, key === 'secret' ? 'a SwarmSecret' : 'a SwarmConfig');
  }
  checkKnownKeys(where, entry, key === 'secret' ? SWARM_SECRET_MOUNT_KEYS : SWARM_CONFIG_MOUNT_KEYS, prop);
  const owned = object as SwarmSecret | SwarmConfig;
  if (owned.host !== host) fail(where, `${prop}.${key}`, owned.node.path, `a ${key} on the service's host ${host.node.path}`);
  const f = entry as FileOptions;
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
  let path: string;
  let ref: { id: string; name: string };
  if (owned instanceof SwarmSecret) {
    const target = f.target ?? owned.secretName;
    path = target.startsWith('/') || isUnresolved(target) ? target : `/run/secrets/${target}`;
    ref = owned._reference();
  } else {
    path = f.target ?? `/${(owned as SwarmConfig).configName}`;
    ref = (owned as SwarmConfig)._reference();
  }
  spec.claimMount(`${prop}.target`, path);
  return { id: ref.id, name: ref.name, path, mode: f.mode ?? (key === 'secret' ? 0o400 : 0o444), uid: f.uid ?? '0', gid: f.gid ?? '0' };
}
