/**
 * The one place the library imports the Docker provider bindings from.
 *
 * Each resource comes from its own module: the package index loads every
 * resource and data source of the provider, which costs start-up time the
 * library does not need. A later move to CDK Terrain or to provider 4.x
 * is a change in this file.
 */
export { DockerProvider } from '@cdktf/provider-docker/lib/provider';
export type { DockerProviderConfig, DockerProviderRegistryAuth } from '@cdktf/provider-docker/lib/provider';
export { Container } from '@cdktf/provider-docker/lib/container';
export type {
  ContainerConfig, ContainerHealthcheck, ContainerMounts, ContainerNetworksAdvanced, ContainerPorts, ContainerVolumes, ContainerLabels,
} from '@cdktf/provider-docker/lib/container';
export { Image } from '@cdktf/provider-docker/lib/image';
export type { ImageBuild } from '@cdktf/provider-docker/lib/image';
export { Network } from '@cdktf/provider-docker/lib/network';
export type { NetworkIpamConfig } from '@cdktf/provider-docker/lib/network';
export { Volume } from '@cdktf/provider-docker/lib/volume';
export { RegistryImage } from '@cdktf/provider-docker/lib/registry-image';
export { Tag } from '@cdktf/provider-docker/lib/tag';
