/**
 * A checked `SwarmService` (its container specification and `ServiceSettings`) rendered as the
 * `docker_service` resource's config. Durations are written as the provider reads them back
 * (Go's duration text, `1m30s`), and every restart field is written (the engine reads back `0s`
 * and 0 for those left out): a re-plan shows no change.
 */
import type { ContainerSpec } from './_container-spec';
import { goDuration, serviceContainerSpec, serviceLogDriver, serviceResources } from './_container-render';
import { labelBlocks } from './_names';
import type { ServiceConfig, ServiceEndpointSpecPorts, ServiceRollbackConfig } from './_provider';
import type { RolloutSettings, ServiceSettings } from './_service-settings';
import { ServiceMode } from './swarm-service-props';

/** What the service's config needs besides the specification and the settings. */
export interface ServiceRendering {
  readonly provider: ServiceConfig['provider'];
  readonly name: string;
  readonly labels?: Record<string, string>;
  readonly ports: ServiceEndpointSpecPorts[];
  /** Network ids with their aliases, for provider 3.6.2 (the 4.6 line takes them as an override). */
  readonly networks?: { name: string; aliases: string[] }[];
}

export function serviceConfig(spec: ContainerSpec, s: ServiceSettings, r: ServiceRendering): ServiceConfig {
  const secrets = s.secrets.map((f) => ({ secretId: f.id, secretName: f.name, fileName: f.path, fileMode: f.mode, fileUid: f.uid, fileGid: f.gid }));
  const configs = s.configs.map((f) => ({ configId: f.id, configName: f.name, fileName: f.path, fileMode: f.mode, fileUid: f.uid, fileGid: f.gid }));
  return {
    provider: r.provider,
    name: r.name,
    labels: labelBlocks(r.labels),
    taskSpec: {
      containerSpec: {
        ...serviceContainerSpec(spec, s.volumes), secrets: secrets.length > 0 ? secrets : undefined, configs: configs.length > 0 ? configs : undefined,
      },
      resources: serviceResources(spec, s.memoryReservationMiB, s.cpuReservation),
      restartPolicy: {
        condition: s.restart.condition, delay: goDuration(s.restart.delaySeconds), maxAttempts: s.restart.maxAttempts, window: goDuration(s.restart.windowSeconds),
      },
      placement: s.placement,
      logDriver: serviceLogDriver(spec),
      networksAdvanced: r.networks,
    },
    mode: s.mode === ServiceMode.GLOBAL ? { global: true } : { replicated: { replicas: s.replicas } },
    updateConfig: rollout(s.update),
    rollbackConfig: rollout(s.rollback),
    endpointSpec: { mode: s.endpointMode, ports: r.ports.length > 0 ? r.ports : undefined },
    convergeConfig: s.waitForConvergence ? { delay: '5s', timeout: goDuration(s.convergeTimeoutSeconds) } : undefined,
  };
}

function rollout(r: RolloutSettings): ServiceRollbackConfig {
  return { parallelism: r.parallelism, delay: goDuration(r.delaySeconds), order: r.order, failureAction: r.failureAction, monitor: goDuration(r.monitorSeconds) };
}
