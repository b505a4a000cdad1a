/**
 * Networks: the top-level `networks` the enabled services use (user-defined bridge networks, the
 * project's `default` one included, with their IPAM subnet), and a service's `networks` (aliases,
 * a static IPv4 address inside the network's subnet). Containers never sit on the default bridge.
 */
import * as ipaddr from 'ipaddr.js';
import { isObjectName } from '../_validate';
import { ServiceDraft } from './draft';
import { NetworkModel, ServiceNetworkModel } from './model';
import { LoadContext } from './load-context';
import { Mutable, Reader, isMap } from './reader';

type Ipam = { subnet?: string; gateway?: string; ipRange?: string };

// ------------------------------------------------------------------------------------------------
// Top-level networks

/** The networks the enabled services use: the default network first, then the declared ones in file order; unused ones noted. */
export function declaredNetworks(ctx: LoadContext): NetworkModel[] {
  const keys = [...ctx.usedNetworks.keys()];
  const declared = Object.keys(ctx.topNetworks);
  keys.sort((a, b) => (a === 'default' ? -1 : b === 'default' ? 1 : declared.indexOf(a) - declared.indexOf(b)));
  const out = keys.map((key) => network(ctx, key));
  for (const key of declared) {
    if (!ctx.usedNetworks.has(key)) ctx.r.note(`networks.${key}`, `network ${key} is not used by any enabled service: not declared (as compose does)`);
  }
  return out;
}

function network(ctx: LoadContext, key: string): NetworkModel {
  const p = `networks.${key}`;
  const def = ctx.topNetworks[key];
  const id = ctx.usedNetworks.get(key) as string;
  const base = { key, id, source: ctx.r.ref(p, true), networkName: `${ctx.projectName}_${key}` };
  if (def === undefined || def === null) return base;
  if (!isMap(def)) ctx.r.fail(p, def, 'a network definition (a mapping, or empty)');
  const out: Mutable<NetworkModel> = { ...base };
  for (const [k, v] of Object.entries(def)) networkKey(ctx, out, `${p}.${k}`, k, v);
  return out;
}

function networkKey(ctx: LoadContext, out: Mutable<NetworkModel>, kp: string, k: string, v: unknown): void {
  const r: Reader = ctx.r;
  switch (k) {
    case 'name': out.networkName = r.objectName(kp, v, 1); break;
    case 'driver_opts': out.driverOptions = r.stringMap(kp, v, 'a mapping of driver options'); break;
    case 'internal': out.internal = r.bool(kp, v); break;
    case 'attachable': out.attachable = r.bool(kp, v); break;
    case 'labels': out.labels = r.labels(kp, v); break;
    case 'ipam': Object.assign(out, ipam(ctx, kp, v)); break;
    case 'driver':
      if (v !== 'bridge') r.fail(kp, v, "bridge: the library's networks are user-defined bridge networks on one engine (overlay, macvlan and others are not declared)");
      break;
    case 'external':
      if (v === true) r.fail(kp, v, 'a network the project declares: an external network is not managed here, and the library joins only networks it declares (remove external, or declare the network in another stack)');
      if (v !== false) r.fail(kp, v, 'true or false');
      break;
    case 'enable_ipv6':
      if (v === true) r.fail(kp, v, 'false: the library declares IPv4 networks');
      r.bool(kp, v);
      break;
    case 'enable_ipv4':
      if (v === false) r.fail(kp, v, 'true: the library declares IPv4 networks');
      r.bool(kp, v);
      break;
    default:
      if (!k.startsWith('x-')) r.fail(kp, k, 'a network key: name, driver, driver_opts, internal, attachable, labels, ipam, external, enable_ipv6', true);
  }
}

function ipam(ctx: LoadContext, p: string, v: unknown): Ipam {
  const r: Reader = ctx.r;
  if (!isMap(v)) r.fail(p, v, 'an ipam mapping with config');
  let out: Ipam = {};
  for (const [k, val] of Object.entries(v)) {
    const kp = `${p}.${k}`;
    if (k === 'driver') {
      if (val !== 'default') r.fail(kp, val, 'default (the only IPAM driver the library declares)');
    } else if (k === 'config') {
      out = ipamConfig(ctx, kp, val) ?? out;
    } else if (k === 'options') {
      r.fail(kp, val, 'driver and config: IPAM driver options have no counterpart in the library', true);
    } else {
      r.fail(kp, k, 'driver or config', true);
    }
  }
  return out;
}

/** `ipam.config`: one IPv4 subnet with its range and gateway; undefined for an empty list. */
function ipamConfig(ctx: LoadContext, kp: string, val: unknown): Ipam | undefined {
  const r: Reader = ctx.r;
  if (!Array.isArray(val)) r.fail(kp, val, 'a list with one subnet configuration');
  if (val.length > 1) r.fail(`${kp}[1]`, val[1], 'one IPv4 subnet per network (the library declares one)');
  const c = val[0];
  if (c === undefined) return undefined;
  if (!isMap(c)) r.fail(`${kp}[0]`, c, 'a mapping with subnet, ip_range, gateway');
  const out: Ipam = {};
  for (const [ck, cv] of Object.entries(c)) {
    const ckp = `${kp}[0].${ck}`;
    if (ck === 'subnet') out.subnet = r.str(ckp, cv, 'an IPv4 subnet in CIDR notation, e.g. 10.20.0.0/24');
    else if (ck === 'gateway') out.gateway = r.str(ckp, cv, 'an IPv4 address');
    else if (ck === 'ip_range') out.ipRange = r.str(ckp, cv, 'an IPv4 range in CIDR notation');
    else if (ck === 'aux_addresses') r.fail(ckp, cv, 'subnet, ip_range and gateway: auxiliary addresses have no counterpart in the provider release the library targets', true);
    else r.fail(ckp, ck, 'subnet, ip_range or gateway', true);
  }
  if (out.subnet !== undefined && !/^\d+\.\d+\.\d+\.\d+\/\d+$/.test(out.subnet)) {
    r.fail(`${kp}[0].subnet`, out.subnet, 'an IPv4 subnet in CIDR notation (the library declares IPv4 networks)');
  }
  return out;
}

// ------------------------------------------------------------------------------------------------
// A service's networks

/** The networks the service joins (the default network when it names none), each with its aliases. */
export function readServiceNetworks(d: ServiceDraft): ServiceNetworkModel[] {
  const r: Reader = d.r;
  const { p, def, name } = d;
  const np = `${p}.networks`;
  const out: ServiceNetworkModel[] = [];
  if (def.networks === undefined || def.networks === null) {
    out.push({ network: useNetwork(d.ctx, 'default', p), aliases: [name] });
    return out;
  }
  if (Array.isArray(def.networks)) {
    def.networks.forEach((n, i) => {
      const key = r.str(`${np}[${i}]`, n, 'a network name');
      if (out.some((o) => o.network === `network-${key}`)) r.fail(`${np}[${i}]`, key, 'each network once');
      out.push({ network: useNetwork(d.ctx, key, `${np}[${i}]`), aliases: [name] });
    });
  } else if (isMap(def.networks)) {
    for (const [key, spec] of Object.entries(def.networks)) out.push(serviceNetwork(d, `${np}.${key}`, key, spec));
  } else {
    r.fail(np, def.networks, 'a list of network names or a mapping of network name to { aliases, ipv4_address }');
  }
  if (out.length === 0) r.fail(np, def.networks, 'at least one network: containers never sit on Docker\'s default bridge');
  return out;
}

/** Records that network `key` is used (it must be declared, or be `default`); its construct id. */
function useNetwork(ctx: LoadContext, key: string, at: string): string {
  if (key !== 'default' && !(key in ctx.topNetworks)) {
    ctx.r.fail(at, key, `a network declared under the top-level networks (${Object.keys(ctx.topNetworks).join(', ') || 'none declared'}), or default`);
  }
  if (!ctx.usedNetworks.has(key)) ctx.usedNetworks.set(key, `network-${key}`);
  return ctx.usedNetworks.get(key) as string;
}

/** One entry of the mapping form: `{ aliases, ipv4_address, priority }` or empty. */
function serviceNetwork(d: ServiceDraft, at: string, key: string, spec: unknown): ServiceNetworkModel {
  const r: Reader = d.r;
  const aliases = [d.name];
  let ipv4Address: string | undefined;
  if (spec !== null) {
    if (!isMap(spec)) r.fail(at, spec, 'a mapping with aliases, ipv4_address');
    for (const [k, v] of Object.entries(spec)) {
      const kp = `${at}.${k}`;
      if (k === 'aliases') {
        r.stringList(kp, v, 'a list of aliases').forEach((a, i) => {
          if (!isObjectName(a)) r.fail(`${kp}[${i}]`, a, 'an alias that is a Docker object name: letters, digits, and _ . - (not first)');
          if (!aliases.includes(a)) aliases.push(a);
        });
      } else if (k === 'ipv4_address') {
        ipv4Address = ipv4InNetwork(d.ctx, kp, v, key);
      } else if (k === 'priority' || k === 'gw_priority') {
        r.note(kp, `${k}: no counterpart in the plan (the provider connects networks in the order given)`);
      } else if (['ipv6_address', 'link_local_ips', 'mac_address', 'driver_opts', 'interface_name'].includes(k)) {
        r.fail(kp, v, `aliases and ipv4_address: ${k} has no counterpart in the library's network connections`, true);
      } else {
        r.fail(kp, k, 'aliases, ipv4_address or priority', true);
      }
    }
  }
  return { network: useNetwork(d.ctx, key, at), aliases, ipv4Address };
}

/** A static address: IPv4, inside the subnet the network declares. */
function ipv4InNetwork(ctx: LoadContext, p: string, v: unknown, key: string): string {
  const r: Reader = ctx.r;
  const ip = r.str(p, v, 'an IPv4 address');
  if (!ipaddr.IPv4.isValidFourPartDecimal(ip)) r.fail(p, v, 'an IPv4 address such as 10.20.0.10');
  if (!ctx.subnets.has(key)) {
    const def = ctx.topNetworks[key];
    const config = isMap(def) && isMap(def.ipam) && Array.isArray(def.ipam.config) ? def.ipam.config[0] : undefined;
    ctx.subnets.set(key, isMap(config) && typeof config.subnet === 'string' ? config.subnet : undefined);
  }
  const subnet = ctx.subnets.get(key);
  if (subnet === undefined) r.fail(p, ip, `an address on a network with a subnet: give networks.${key}.ipam.config a subnet (Docker assigns static addresses only from a declared subnet)`);
  try {
    if (!ipaddr.IPv4.parse(ip).match(ipaddr.IPv4.parseCIDR(subnet))) r.fail(p, ip, `an address inside the subnet ${subnet} of network ${key}`);
  } catch (e) {
    if (e instanceof Error && e.name === 'ValidationError') throw e;
    r.fail(p, ip, `an address inside the subnet ${subnet} of network ${key}`);
  }
  return ip;
}

/** Static addresses as overrides on the L1 container (the provider's networks_advanced, in the order joined). */
export function finishNetworks(d: ServiceDraft, networks: ServiceNetworkModel[]): void {
  networks.forEach((n, i) => {
    if (n.ipv4Address !== undefined) d.set('override', `networks_advanced.${i}.ipv4_address`, n.ipv4Address, `networks.${n.network.replace(/^network-/, '')}.ipv4_address`);
  });
}
