import { Construct } from 'constructs';
import * as ipaddr from 'ipaddr.js';
import { DockerHost } from './docker-host';
import { Network, NetworkDriver } from './_provider';
import { labelBlocks, nameFromId } from './_names';
import { checkBoolean, checkInstance, checkObjectName, checkProps, checkStringMap, fail, isUnresolved } from './_validate';
import { checkKnownKeys, KnownKeys } from './_known-keys';
import { SERVICE_NETWORK_PROPS_KEYS } from './_props-keys';
import { getOrCreate } from './_collections';

export interface ServiceNetworkProps {
  /** The Docker host. @default - the stack's default host (`DockerHost.of`) */
  readonly host?: DockerHost;
  /** Network name on the host. @default - the construct id */
  readonly networkName?: string;
  /**
   * No route to the outside world: only containers on the network reach each other.
   * @default false
   */
  readonly internal?: boolean;
  /** IPv4 subnet in CIDR notation, e.g. `10.20.0.0/24`. @default - Docker picks one */
  readonly subnet?: string;
  /**
   * IPv4 gateway inside `subnet`.
   * @default - with a `subnet`, the address Docker would pick, written out: the first of `ipRange` (or of the
   *   subnet) that is not the subnet's network address. Docker reports a gateway it picked only after a daemon
   *   restart, and a gateway that appears in the plan then forces the network's replacement
   */
  readonly gateway?: string;
  /** IPv4 range (CIDR) inside `subnet` that containers get addresses from. @default - the whole subnet */
  readonly ipRange?: string;
  /** Whether containers not managed here may attach to it. @default false */
  readonly attachable?: boolean;
  /** Labels of the network. @default - none */
  readonly labels?: Record<string, string>;
}

/**
 * A user-defined bridge network. Containers on it reach each other by service name;
 * the library never puts containers on Docker's default bridge or uses legacy links.
 */
export class ServiceNetwork extends Construct {
  /** The host the network lives on. */
  public readonly host: DockerHost;
  /** The network name (a reference that carries the dependency). */
  public readonly networkName: string;
  /** Whether the network is internal. */
  public readonly internal: boolean;
  /** The IPv4 subnet, if declared. */
  public readonly subnet?: string;
  /** Whether containers not managed here may attach to it. */
  public readonly attachable: boolean;
  /** The L1 resource. */
  public readonly resource: Network;

  constructor(scope: Construct, id: string, props: ServiceNetworkProps = {}) {
    super(scope, id);
    const where = this.node.path;
    checkProps(where, props, false, 'an object of ServiceNetworkProps (all optional)');
    checkKnownKeys(where, props, this._propsKeys());
    checkInstance(where, 'host', props.host, DockerHost, 'a DockerHost');
    checkBoolean(where, 'internal', props.internal);
    checkBoolean(where, 'attachable', props.attachable);
    checkStringMap(where, 'labels', props.labels, 'network labels');
    this.host = props.host ?? DockerHost.of(this);
    const driver = this._driver(props);
    const name = props.networkName ?? nameFromId(this);
    checkObjectName(where, 'networkName', name);
    if (!isUnresolved(name)) {
      if (['bridge', 'host', 'none', 'default'].includes(name)) {
        fail(where, 'networkName', name, "a user-defined network name, not one of Docker's predefined networks bridge, host, none");
      }
      this.host._claim(`network:${name}`, 'a network name', this, 'networkName', name);
    }
    this.internal = props.internal ?? false;
    this.attachable = props.attachable ?? false;
    this.subnet = props.subnet;
    const ipam = checkAddressing(this, props);

    this.resource = new Network(this, 'Resource', {
      provider: this.host.providerFor(this),
      name,
      internal: this.internal,
      attachable: this.attachable,
      ipamConfig: ipam ? [ipam] : undefined,
      ...driver,
      labels: labelBlocks({ ...props.labels, ...driver.labels }),
    });
    this.networkName = this.resource.name;
  }

  /**
   * The keys the props may have (an overlay network takes more).
   * @internal
   */
  protected _propsKeys(): KnownKeys {
    return SERVICE_NETWORK_PROPS_KEYS;
  }

  /**
   * The driver and what goes with it: `bridge` here; `OverlayNetwork` answers for the overlay
   * driver. Called by the constructor, after the props' types and the host are known, before
   * anything is declared.
   * @internal
   */
  protected _driver(_props: ServiceNetworkProps): NetworkDriver {
    return { driver: 'bridge' };
  }
}

interface Subnet {
  readonly range: [ipaddr.IPv4, number];
  readonly owner: string;
}
/**
 * The subnets declared on one host, indexed so that an overlap check is a fixed number of map
 * lookups (at most 34) rather than a scan of every other network: two IPv4 prefixes overlap
 * exactly when one contains the other.
 */
interface SubnetIndex {
  /** Declared subnets by `<network number>/<prefix length>`. */
  readonly declared: Map<string, Subnet>;
  /** For every prefix that contains a declared subnet (the subnet itself included): one such subnet. */
  readonly within: Map<string, Subnet>;
}
const subnetsByHost = new WeakMap<DockerHost, SubnetIndex>();

/** `<network number>/<bits>` of the prefix of length `bits` that contains `addr`. */
function prefixKey(addr: ipaddr.IPv4, bits: number): string {
  const [a, b, c, d] = addr.octets;
  const n = ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return `${(n & mask) >>> 0}/${bits}`;
}

function parseCidr(where: string, prop: string, value: string): [ipaddr.IPv4, number] {
  try {
    const [addr, bits] = ipaddr.IPv4.parseCIDR(value);
    // Canonical text only, and no host bits: the address must be the network address.
    if (`${addr.toString()}/${bits}` !== value || ipaddr.IPv4.networkAddressFromCIDR(value).toString() !== addr.toString()) throw new Error();
    return [addr, bits];
  } catch {
    return fail(where, prop, value, 'an IPv4 network in CIDR notation with no host bits set, e.g. "10.20.0.0/24"');
  }
}

function checkAddressing(net: ServiceNetwork, props: ServiceNetworkProps): { subnet?: string; gateway?: string; ipRange?: string } | undefined {
  const where = net.node.path;
  const { subnet, gateway, ipRange } = props;
  if (subnet === undefined) {
    if (gateway !== undefined || ipRange !== undefined) {
      fail(where, gateway !== undefined ? 'gateway' : 'ipRange', gateway ?? ipRange, 'a gateway or IP range only together with `subnet`');
    }
    return undefined;
  }
  if (isUnresolved(subnet)) return { subnet, gateway, ipRange };
  const range = parseCidr(where, 'subnet', subnet);
  if (range[1] > 30) fail(where, 'subnet', subnet, 'a subnet with room for containers: a prefix length of at most /30');
  if (gateway !== undefined && !isUnresolved(gateway)) {
    let gw: ipaddr.IPv4 | undefined;
    try {
      gw = ipaddr.IPv4.isValidFourPartDecimal(gateway) ? ipaddr.IPv4.parse(gateway) : undefined;
    } catch {
      gw = undefined;
    }
    if (!gw) fail(where, 'gateway', gateway, 'an IPv4 address, e.g. "10.20.0.1"');
    if (!gw.match(range)) fail(where, 'gateway', gateway, `an address inside the subnet ${subnet}`);
  }
  let pool: ipaddr.IPv4 | undefined = range[0];
  if (ipRange !== undefined) {
    pool = undefined;
    if (!isUnresolved(ipRange)) {
      const inner = parseCidr(where, 'ipRange', ipRange);
      if (inner[1] < range[1] || !inner[0].match(range)) fail(where, 'ipRange', ipRange, `a range inside the subnet ${subnet}`);
      pool = inner[0];
    }
  }
  // Docker's own choice when none is given: the first address of the IP range (or of the subnet)
  // that is not the subnet's network address (unknown when the range is a token).
  const gatewayOrFirst = gateway ?? (pool === undefined ? undefined : pool.toString() === range[0].toString() ? nextAddress(pool) : pool.toString());
  const known = getOrCreate(subnetsByHost, net.host, () => ({ declared: new Map(), within: new Map() }));
  // A declared subnet that contains this one (a prefix of it, or itself), else one inside it.
  let other: Subnet | undefined;
  for (let bits = 0; bits <= range[1] && !other; bits++) other = known.declared.get(prefixKey(range[0], bits));
  other ??= known.within.get(prefixKey(range[0], range[1]));
  if (other) {
    fail(where, 'subnet', subnet, `a subnet that does not overlap another network's on host ${net.host.node.path} (${other.owner} has ${other.range[0].toString()}/${other.range[1]})`);
  }
  const entry: Subnet = { range, owner: where };
  known.declared.set(prefixKey(range[0], range[1]), entry);
  for (let bits = 0; bits <= range[1]; bits++) {
    const key = prefixKey(range[0], bits);
    if (!known.within.has(key)) known.within.set(key, entry);
  }
  return { subnet, gateway: gatewayOrFirst, ipRange };
}

/** The address after `network`'s. */
function nextAddress(network: ipaddr.IPv4): string {
  const o = [...network.octets];
  for (let i = 3; i >= 0; i--) {
    o[i] = (o[i] + 1) & 0xff;
    if (o[i] !== 0) break;
  }
  return o.join('.');
}
