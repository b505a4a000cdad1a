/**
 * The keys of every props (and options) interface the library takes, listed once: `checkKnownKeys`
 * refuses any other key. `keysOf` makes each list fail to compile when it misses a key of its
 * interface or names one the interface lacks.
 */
import type { ContainerSpecProps, VolumeMount } from './container-spec-props';
import type { ComposeProjectProps } from './compose-project';
import type { FromRegistryOptions } from './container-image';
import type { DataVolumeProps } from './data-volume';
import type { DockerHostProps, DockerHostTls } from './docker-host-props';
import type { HealthcheckOptions } from './healthcheck';
import type { MinimalImageProps } from './minimal-image';
import type { OverlayNetworkProps } from './overlay-network';
import type { ProductionChecksProps } from './production-checks';

import type { RegistryPushProps } from './registry-push';
import type { BindMount, ServiceContainerProps } from './service-container-props';
import type { ServiceNetworkProps } from './service-network';
import type { SwarmConfigProps } from './swarm-config';
import type { SwarmSecretProps } from './swarm-secret';
import type { ServiceRestartPolicy, ServiceUpdateConfig, SwarmConfigMount, SwarmSecretMount, SwarmServiceProps } from './swarm-service';
import type { SystemdUnitsProps } from './systemd-settings';
import { keysOf } from './_known-keys';

export const PRODUCTION_CHECKS_PROPS_KEYS = keysOf<ProductionChecksProps>()('ProductionChecksProps', 'reportFile');
export const DOCKER_HOST_TLS_KEYS = keysOf<DockerHostTls>()('DockerHostTls', 'certPath', 'caMaterial', 'certMaterial', 'keyMaterial');
export const DOCKER_HOST_PROPS_KEYS = keysOf<DockerHostProps>()('DockerHostProps',
  'url', 'tls', 'sshOptions', 'alias', 'registries', 'providerVersion', 'swarm');
export const SERVICE_NETWORK_PROPS_KEYS = keysOf<ServiceNetworkProps>()('ServiceNetworkProps',
  'host', 'networkName', 'internal', 'subnet', 'gateway', 'ipRange', 'attachable', 'labels');
export const OVERLAY_NETWORK_PROPS_KEYS = keysOf<OverlayNetworkProps>()('OverlayNetworkProps',
  'encrypted', 'host', 'networkName', 'internal', 'subnet', 'gateway', 'ipRange', 'attachable', 'labels');
export const DATA_VOLUME_PROPS_KEYS = keysOf<DataVolumeProps>()('DataVolumeProps', 'host', 'volumeName', 'driver', 'driverOptions', 'labels');
export const FROM_REGISTRY_OPTIONS_KEYS = keysOf<FromRegistryOptions>()('FromRegistryOptions', 'keepLocally', 'platform');
export const MINIMAL_IMAGE_PROPS_KEYS = keysOf<MinimalImageProps>()('MinimalImageProps',
  'context', 'name', 'dockerfile', 'buildArgs', 'target', 'platform', 'host', 'keepLocally');
export const HEALTHCHECK_OPTIONS_KEYS = keysOf<HealthcheckOptions>()('HealthcheckOptions',
  'intervalSeconds', 'timeoutSeconds', 'retries', 'startPeriodSeconds', 'startIntervalSeconds');
/** The container specification's keys, which ServiceContainerProps and SwarmServiceProps share. */
const SPEC = [
  'image', 'command', 'entrypoint', 'workingDir', 'user', 'environment', 'secretEnvironment', 'writablePaths', 'tmpfsSizeMiB',
  'readOnlyRootFilesystem', 'memoryMiB', 'cpus', 'init', 'dropAllCapabilities', 'addCapabilities', 'healthcheck', 'logMaxSizeMiB',
  'logMaxFiles', 'stopTimeoutSeconds', 'labels',
] as const satisfies readonly (keyof ContainerSpecProps)[];
export const CONTAINER_SPEC_PROPS_KEYS = keysOf<ContainerSpecProps>()('ContainerSpecProps', ...SPEC);
export const VOLUME_MOUNT_KEYS = keysOf<VolumeMount>()('VolumeMount', 'volume', 'containerPath', 'readOnly');
export const BIND_MOUNT_KEYS = keysOf<BindMount>()('BindMount', 'hostPath', 'containerPath', 'readOnly');
export const SERVICE_CONTAINER_PROPS_KEYS = keysOf<ServiceContainerProps>()('ServiceContainerProps',
  'host', 'serviceName', 'networks', 'ports', 'volumes', 'bindMounts', 'restartPolicy', 'maxRetryCount', 'noNewPrivileges',
  'waitForHealthy', 'waitTimeoutSeconds', 'dependsOn', ...SPEC);
export const SWARM_SECRET_PROPS_KEYS = keysOf<SwarmSecretProps>()('SwarmSecretProps', 'value', 'secretName', 'host', 'labels');
export const SWARM_CONFIG_PROPS_KEYS = keysOf<SwarmConfigProps>()('SwarmConfigProps', 'content', 'file', 'configName', 'host', 'labels');
export const SERVICE_RESTART_POLICY_KEYS = keysOf<ServiceRestartPolicy>()('ServiceRestartPolicy',
  'condition', 'delaySeconds', 'maxAttempts', 'windowSeconds');
export const SERVICE_UPDATE_CONFIG_KEYS = keysOf<ServiceUpdateConfig>()('ServiceUpdateConfig',
  'parallelism', 'delaySeconds', 'order', 'failureAction', 'monitorSeconds');
export const SWARM_SECRET_MOUNT_KEYS = keysOf<SwarmSecretMount>()('SwarmSecretMount', 'secret', 'target', 'mode', 'uid', 'gid');
export const SWARM_CONFIG_MOUNT_KEYS = keysOf<SwarmConfigMount>()('SwarmConfigMount', 'config', 'target', 'mode', 'uid', 'gid');
export const SWARM_SERVICE_PROPS_KEYS = keysOf<SwarmServiceProps>()('SwarmServiceProps',
  'host', 'serviceName', 'mode', 'replicas', 'networks', 'endpointMode', 'ports', 'secrets', 'configs', 'memoryReservationMiB',
  'volumes', 'cpuReservation', 'restartPolicy', 'updateConfig', 'rollbackConfig', 'placementConstraints', 'maxReplicasPerNode',
  'placementPreferences', 'waitForConvergence', 'convergeTimeoutSeconds', ...SPEC);
export const REGISTRY_PUSH_PROPS_KEYS = keysOf<RegistryPushProps>()('RegistryPushProps',
  'image', 'repository', 'tags', 'keepRemotely', 'credentials');
export const SYSTEMD_UNITS_PROPS_KEYS = keysOf<SystemdUnitsProps>()('SystemdUnitsProps',
  'host', 'containers', 'unitPrefix', 'dockerUnit', 'dockerPath', 'restart', 'restartDelaySeconds', 'waitForHealthy', 'waitTimeoutSeconds',
  'wantedBy');
export const COMPOSE_PROJECT_PROPS_KEYS = keysOf<ComposeProjectProps>()('ComposeProjectProps',
  'file', 'projectName', 'profiles', 'environment', 'host', 'allowUnpinnedImages', 'buildTag');
