/**
 * The props of `DockerHost`: where the daemon is, how to reach it, its registries and the
 * provider release its stacks deploy with.
 */
import type { RegistryCredentials } from './registry-credentials';

/** TLS material for a `tcp://` Docker host. Pass key material through sensitive Terraform variables, never as literals. */
export interface DockerHostTls {
  /**
   * Folder on the machine running Terraform that holds `ca.pem`, `cert.pem` and `key.pem`.
   * @default - none; use the `*Material` props instead
   */
  readonly certPath?: string;
  /** PEM-encoded CA certificate. @default - none */
  readonly caMaterial?: string;
  /** PEM-encoded client certificate. @default - none */
  readonly certMaterial?: string;
  /** PEM-encoded client key: use a sensitive `TerraformVariable`'s value. @default - none */
  readonly keyMaterial?: string;
}

export interface DockerHostProps {
  /**
   * Address of the Docker daemon: `unix:///path`, `tcp://host:port` (with `tls`) or `ssh://user@host[:port]`.
   * @default 'unix:///var/run/docker.sock'
   */
  readonly url?: string;
  /** TLS material; only with a `tcp://` url. @default - no TLS material */
  readonly tls?: DockerHostTls;
  /** Extra options for the `ssh` client; only with an `ssh://` url. @default - none */
  readonly sshOptions?: string[];
  /**
   * Provider alias, needed when one stack targets several hosts.
   * @default - the default (unaliased) docker provider of the stack
   */
  readonly alias?: string;
  /**
   * Registries the host pulls from and pushes to, one entry per registry. The provider pushes only
   * to a registry listed here (or given to `RegistryPush` as `credentials`); a registry without login
   * takes `RegistryCredentials.anonymous(address)`.
   * @default - none
   */
  readonly registries?: RegistryCredentials[];
  /**
   * The kreuzwerker/docker provider release that deploys this host's stack: written as the
   * stack's `required_providers` version constraint. One of `DockerHost.PROVIDER_VERSIONS`; all
   * hosts with a provider in one stack must name the same.
   * @default DockerHost.DEFAULT_PROVIDER_VERSION ('3.6.2', the release the bindings were generated for)
   */
  readonly providerVersion?: string;
  /**
   * The daemon is a swarm manager (`docker swarm init` or `join --token <manager token>` ran on
   * it): `SwarmService`, `OverlayNetwork`, `SwarmSecret` and `SwarmConfig` deploy only to such a
   * host, as the engine refuses them elsewhere. A manager runs `ServiceContainer`s as well.
   * @default false
   */
  readonly swarm?: boolean;
}
