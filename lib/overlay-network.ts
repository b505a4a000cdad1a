import { Construct } from 'constructs';
import { ServiceNetwork, ServiceNetworkProps } from './service-network';
import type { NetworkDriver } from './_provider';
import { ENCRYPTED_LABEL } from './_labels';
import { nameFromId } from './_names';
import { fail, isUnresolved } from './_validate';
import type { KnownKeys } from './_known-keys';
import { OVERLAY_NETWORK_PROPS_KEYS } from './_props-keys';

export interface OverlayNetworkProps extends ServiceNetworkProps {
  /**
   * Encrypt the data traffic of the network between nodes (IPsec: the overlay driver's `encrypted`
   * option; the swarm's control traffic is encrypted anyway). Costs CPU on every node; needs IP
   * protocol 50 (ESP) between the nodes. Fixed at creation: changing it replaces the network and,
   * with it, the services on it.
   * @default false
   */
  readonly encrypted?: boolean;
}

/**
 * A swarm-scoped overlay network on a swarm manager (`DockerHost` `swarm: true`): the tasks of
 * the `SwarmService`s on it reach each other by service name across the swarm's nodes.
 *
 * It is a `ServiceNetwork` (same props, the same subnet, gateway and overlap rules, one name per
 * host), so that a `ServiceContainer` can join it too: a standalone container may join an
 * overlay network only when it is `attachable` (the library refuses one that is not, as the
 * engine would). A `SwarmService`, in turn, joins only an `OverlayNetwork`, never a bridge.
 */
export class OverlayNetwork extends ServiceNetwork {
  /** Whether the data traffic between nodes is encrypted. */
  public readonly encrypted: boolean;
  /** The network ID reference, made once (each read of `resource.id` makes a new token). */
  private idRef?: string;

  constructor(scope: Construct, id: string, props: OverlayNetworkProps = {}) {
    super(scope, id, props);
    this.encrypted = props.encrypted ?? false;
  }

  /**
   * The network's ID (a reference). Services name their networks by ID: the engine stores a
   * service's networks by ID and the provider reads them back so, which makes a name a change on
   * every plan.
   */
  public get networkId(): string {
    this.idRef ??= this.resource.id;
    return this.idRef;
  }

  /** @internal */
  protected _propsKeys(): KnownKeys {
    return OVERLAY_NETWORK_PROPS_KEYS;
  }

  /** @internal */
  protected _driver(props: OverlayNetworkProps): NetworkDriver {
    const where = this.node.path;
    if (props.encrypted !== undefined && typeof props.encrypted !== 'boolean') {
      fail(where, 'encrypted', props.encrypted, 'true or false (known at synth)');
    }
    this.host._requireSwarm(this, 'an overlay network');
    const name = props.networkName ?? nameFromId(this);
    if (typeof name === 'string' && !isUnresolved(name) && ['ingress', 'docker_gwbridge'].includes(name)) {
      fail(where, 'networkName', name, "a name other than the swarm's own networks ingress and docker_gwbridge");
    }
    if (!props.encrypted) return { driver: 'overlay' };
    return {
      driver: 'overlay',
      // As `docker network create --opt encrypted` sends it. The engine adds options of its own
      // (the VXLAN id, `com.docker.network.driver.overlay.vxlanid_list`) that the provider reads
      // back: options written here would then differ on every plan and, being ForceNew, replace
      // the network. They are ignored after creation; the label below carries the choice instead,
      // so that changing `encrypted` still replaces the network (labels are ForceNew).
      options: { encrypted: '' },
      lifecycle: { ignoreChanges: ['options'] },
      labels: { [ENCRYPTED_LABEL]: 'true' },
    };
  }
}
