/**
 * A checked container specification (`_container-spec`) rendered into each provider schema:
 * `docker_container` attributes for `ServiceContainer`, a `docker_service` task for
 * `SwarmService`. Pure: plain values, no Lazy tokens (cdktf captures a stack trace for each token
 * it makes, which makes Lazy-per-container synth of large stacks markedly slower). Each runner adds
 * what is its own: a container its restart policy, ordered start, ports, bind mounts and
 * `no-new-privileges`; a service its mode, rollout, placement, endpoint, secrets and configs.
 */
import { Op } from 'cdktf';
import type { ContainerSpec, EnvEntry, ResolvedVolumeMount } from './_container-spec';
import { labelBlocks } from './_names';
import type {
  ContainerConfig, ContainerHealthcheck, ContainerLabels, ContainerPorts, ServiceTaskSpecContainerSpec, ServiceTaskSpecContainerSpecHealthcheck,
  ServiceTaskSpecContainerSpecMounts, ServiceTaskSpecLogDriver, ServiceTaskSpecResources,
} from './_provider';
import { isUnresolved } from './_validate';
import type { PortMapping } from './port-mapping';

const MEBIBYTE = 1024 * 1024; // bytes

/** A container's published ports, in the order the provider reads them back (by container port), so that a re-plan matches; ports that are tokens keep their place after the known ones. */
export function containerPorts(ports: readonly PortMapping[]): ContainerPorts[] | undefined {
  if (ports.length === 0) return undefined;
  const key = (p: PortMapping) => (isUnresolved(p.containerPort) ? Infinity : p.containerPort);
  return [...ports].sort((a, b) => key(a) - key(b))
    .map((p) => ({ internal: p.containerPort, external: p.hostPort, ip: p.hostIp, protocol: p.protocol }));
}

/** What a `ServiceContainer` decides itself (restart, ordered start, ports, mounts, networks, no-new-privileges). */
export type ContainerOwnAttributes = Pick<ContainerConfig,
  'provider' | 'name' | 'restart' | 'maxRetryCount' | 'securityOpts' | 'networksAdvanced' | 'ports' | 'volumes' | 'wait' | 'waitTimeout'>;

/**
 * The `docker_container` config: the specification's attributes and the container's own, in one
 * object literal (a spread of one into the other measured ~15 % slower to construct at 5,000
 * containers: the binding's constructor reads every attribute of it).
 */
export function containerConfig(spec: ContainerSpec, own: ContainerOwnAttributes): ContainerConfig {
  const tmpfs: Record<string, string> = {};
  for (const p of spec.tmpfsPaths) tmpfs[p] = `rw,${p === '/tmp' && !spec.tmpExecutable ? 'noexec,' : ''}nosuid,size=${spec.tmpfsSizeMiB}m`;
  const added = spec.addedCapabilities;
  return {
    image: spec.image.imageId,
    init: spec.init,
    capabilities: spec.dropAllCapabilities || added.length > 0
      ? { drop: spec.dropAllCapabilities ? ['ALL'] : undefined, add: added.length > 0 ? added : undefined }
      : undefined,
    readOnly: spec.readOnlyRootFilesystem,
    tmpfs,
    memory: spec.memoryMiB,
    // Equal to the limit: no swap. Left out, Docker sets twice the limit and the provider reads
    // that back, a change on every plan.
    memorySwap: spec.memoryMiB,
    cpus: spec.cpus !== undefined ? String(spec.cpus) : undefined,
    logDriver: 'json-file',
    logOpts: { 'max-size': `${spec.logMaxSizeMiB}m`, 'max-file': String(spec.logMaxFiles) },
    command: spec.command,
    entrypoint: spec.entrypoint,
    workingDir: spec.workingDir,
    user: spec.user,
    env: containerEnv(spec),
    healthcheck: containerHealthcheck(spec),
    stopTimeout: spec.stopTimeoutSeconds,
    labels: containerLabels(spec),
    provider: own.provider,
    name: own.name,
    restart: own.restart,
    maxRetryCount: own.maxRetryCount,
    mustRun: true,
    securityOpts: own.securityOpts,
    networksAdvanced: own.networksAdvanced,
    ports: own.ports,
    volumes: own.volumes,
    wait: own.wait,
    waitTimeout: own.waitTimeout,
  };
}

/** `NAME=value` entries sorted by name, or undefined when there are none (the attribute is then omitted). */
export function containerEnv(spec: ContainerSpec): string[] | undefined {
  if (spec.env.size === 0) return undefined;
  return spec.environmentNames.map((k) => `${k}=${(spec.env.get(k) as EnvEntry).value}`);
}

/** The labels as the provider's `{label, value}` blocks, sorted; undefined when there are none. */
export function containerLabels(spec: ContainerSpec): ContainerLabels[] | undefined {
  return labelBlocks(Object.fromEntries(spec.labels));
}

function containerHealthcheck(spec: ContainerSpec): ContainerHealthcheck | undefined {
  const h = spec.health;
  if (!h) return undefined;
  return {
    test: h.test, interval: `${h.intervalSeconds}s`, timeout: `${h.timeoutSeconds}s`, startPeriod: `${h.startPeriodSeconds}s`,
    startInterval: h.startIntervalSeconds === undefined ? undefined : `${h.startIntervalSeconds}s`, retries: h.retries,
  };
}


/**
 * The task's `container_spec`. The image by digest where the image has one (any node pulls it),
 * else by id (see `ImageBinding.swarmImage`). A service's `command` is the entrypoint and its `args` the
 * command (the Docker API's naming). Durations are written as the provider reads them back
 * (Go's duration text, `1m30s`), so that a re-plan shows no change. `volumes` are the mounts of
 * named volumes the runner resolved; secrets and configs the runner adds.
 */
export function serviceContainerSpec(spec: ContainerSpec, volumes: ResolvedVolumeMount[]): ServiceTaskSpecContainerSpec {
  const mounts: ServiceTaskSpecContainerSpecMounts[] = [
    ...spec.tmpfsPaths.map((target) => ({ target, type: 'tmpfs', tmpfsOptions: { sizeBytes: bytes(spec.tmpfsSizeMiB) } })),
    ...volumes.map((v) => ({ target: v.containerPath, type: 'volume', source: v.volumeName, readOnly: v.readOnly })),
  ];
  const env: Record<string, string> = {};
  for (const name of spec.environmentNames) env[name] = (spec.env.get(name) as EnvEntry).value;
  return {
    image: spec.image.swarmImage ?? spec.image.imageId,
    command: spec.entrypoint,
    args: spec.command,
    dir: spec.workingDir,
    user: spec.user,
    env: spec.env.size > 0 ? env : undefined,
    readOnly: spec.readOnlyRootFilesystem,
    capDrop: spec.dropAllCapabilities ? ['ALL'] : undefined,
    capAdd: spec.addedCapabilities.length > 0 ? spec.addedCapabilities : undefined,
    mounts,
    healthcheck: serviceHealthcheck(spec),
    stopGracePeriod: goDuration(spec.stopTimeoutSeconds),
    labels: containerLabels(spec),
  };
}

/** Limits, and the reservations the scheduler places by. */
export function serviceResources(spec: ContainerSpec, memoryReservationMiB?: number, cpuReservation?: number): ServiceTaskSpecResources {
  const reserve = memoryReservationMiB !== undefined || cpuReservation !== undefined;
  return {
    limits: { memoryBytes: bytes(spec.memoryMiB), nanoCpus: nanoCpus(spec.cpus) },
    reservation: reserve ? { memoryBytes: bytes(memoryReservationMiB), nanoCpus: nanoCpus(cpuReservation) } : undefined,
  };
}

/** The same json-file rotation as a container's. */
export function serviceLogDriver(spec: ContainerSpec): ServiceTaskSpecLogDriver {
  return { name: 'json-file', options: { 'max-size': `${spec.logMaxSizeMiB}m`, 'max-file': String(spec.logMaxFiles) } };
}

function serviceHealthcheck(spec: ContainerSpec): ServiceTaskSpecContainerSpecHealthcheck | undefined {
  const h = spec.health;
  if (!h) return undefined;
  return {
    test: h.test, interval: goDuration(h.intervalSeconds), timeout: goDuration(h.timeoutSeconds),
    startPeriod: goDuration(h.startPeriodSeconds), retries: h.retries,
  };
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
