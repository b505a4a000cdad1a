/**
 * The one place the library imports the Docker provider bindings from.
 *
 * Each resource comes from its own module: the package index loads every
 * resource and data source of the provider, which costs start-up time the
 * library does not need. A later move to CDK Terrain or to provider 4.x
 * is a change in this file.
 */
import type { Service as ServiceResource } from '@cdktf/provider-docker/lib/service';
import type { Secret as SecretResource } from '@cdktf/provider-docker/lib/secret';
import type { Config as ConfigResource } from '@cdktf/provider-docker/lib/config';
import type { NetworkConfig } from '@cdktf/provider-docker/lib/network';
export { DockerProvider } from '@cdktf/provider-docker/lib/provider';
export type { DockerProviderConfig, DockerProviderRegistryAuth } from '@cdktf/provider-docker/lib/provider';
export { Container } from '@cdktf/provider-docker/lib/container';
export type {
  ContainerConfig, ContainerHealthcheck, ContainerMounts, ContainerNetworksAdvanced, ContainerPorts, ContainerVolumes, ContainerLabels,
} from '@cdktf/provider-docker/lib/container';
export { Image } from '@cdktf/provider-docker/lib/image';
export type { ImageBuild } from '@cdktf/provider-docker/lib/image';
export { Network } from '@cdktf/provider-docker/lib/network';
export type { NetworkConfig, NetworkIpamConfig } from '@cdktf/provider-docker/lib/network';

/** What a network's driver decides of its `docker_network` (bridge for a ServiceNetwork, overlay for an OverlayNetwork). */
export interface NetworkDriver extends Pick<NetworkConfig, 'driver' | 'options' | 'lifecycle'> {
  /** Labels the driver adds (after the user's). */
  readonly labels?: Record<string, string>;
}
export { Volume } from '@cdktf/provider-docker/lib/volume';
export { RegistryImage } from '@cdktf/provider-docker/lib/registry-image';
export { Tag } from '@cdktf/provider-docker/lib/tag';

// The swarm resources are loaded on first use (`swarmResources`): most apps declare none, and
// loading the docker_service bindings (the provider's largest module) would slow every start.
export type { ServiceResource, SecretResource, ConfigResource };
export type {
  ServiceConfig, ServiceEndpointSpecPorts, ServiceRollbackConfig, ServiceTaskSpecContainerSpec, ServiceTaskSpecContainerSpecConfigs,
  ServiceTaskSpecContainerSpecHealthcheck, ServiceTaskSpecContainerSpecMounts, ServiceTaskSpecContainerSpecSecrets,
  ServiceTaskSpecLogDriver, ServiceTaskSpecPlacement, ServiceTaskSpecResources, ServiceTaskSpecRestartPolicy,
} from '@cdktf/provider-docker/lib/service';

interface SwarmResources {
  readonly Service: typeof ServiceResource;
  readonly Secret: typeof SecretResource;
  readonly Config: typeof ConfigResource;
}
let swarm: SwarmResources | undefined;

/** The classes of docker_service, docker_secret and docker_config, loaded on the first call. */
export function swarmResources(): SwarmResources {
  swarm ??= {
    Service: require('@cdktf/provider-docker/lib/service').Service,
    Secret: require('@cdktf/provider-docker/lib/secret').Secret,
    Config: require('@cdktf/provider-docker/lib/config').Config,
  };
  return swarm;
}
