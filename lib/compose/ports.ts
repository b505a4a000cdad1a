/**
 * A service's `ports` (short `[IP:]HOST:CONTAINER[/PROTOCOL]` with ranges, and long syntax) as
 * `PortMapping`s on a declared host port, and `expose` (noted: the port stays on the networks).
 */
import * as ipaddr from 'ipaddr.js';
import { ServiceDraft } from './draft';
import { PortModel } from './model';
import { Reader, isMap } from './reader';
import { PlainMap } from './source';

/** A port as written: host address, host port (or range), container port (or range), protocol. */
interface WrittenPort {
  hostIp?: string;
  host?: string;
  container: string;
  protocol: string;
}

const LONG_KEYS = ['target', 'published', 'host_ip', 'protocol', 'mode', 'name', 'app_protocol'];

/** `ports` into the draft's ports (a range gives one per port), then `expose` as notes. */
export function readPorts(d: ServiceDraft): void {
  const r: Reader = d.r;
  const { p, def } = d;
  if (def.ports !== undefined) {
    r.list(`${p}.ports`, def.ports, 'a list of ports (short or long syntax)').forEach((entry, i) => {
      for (const port of readPort(r, `${p}.ports[${i}]`, entry)) {
        d.src(`ports[${d.ports.length}]`, `${p}.ports[${i}]`);
        d.ports.push(port);
      }
    });
  }
  if (def.expose !== undefined) {
    r.list(`${p}.expose`, def.expose, 'a list of ports').forEach((e, i) => {
      const at = `${p}.expose[${i}]`;
      if (typeof e !== 'string' && typeof e !== 'number') r.fail(at, e, 'a port (number) or a port/protocol');
      r.note(at, `expose ${e}: no Terraform counterpart; the port stays reachable from the service's networks, it is not published on the host`);
    });
  }
}

function readPort(r: Reader, p: string, v: unknown): PortModel[] {
  let w: WrittenPort;
  if (typeof v === 'number') w = { container: String(v), protocol: 'tcp' };
  else if (typeof v === 'string') w = shortPort(r, p, v);
  else if (isMap(v)) w = longPort(r, p, v);
  else return r.fail(p, v, 'a port: "HOST:CONTAINER", "IP:HOST:CONTAINER[/udp]" or { target, published, host_ip, protocol }');
  const protocol = w.protocol.toLowerCase();
  if (!['tcp', 'udp', 'sctp'].includes(protocol)) r.fail(p, v, 'a protocol of tcp, udp or sctp');
  if (w.host === undefined || w.host === '') {
    r.fail(p, v, 'a host port, e.g. "8080:80": without one Docker picks a random host port, and the library publishes each port on a declared one');
  }
  if (w.hostIp !== undefined && (w.hostIp === '' || !ipaddr.isValid(w.hostIp))) r.fail(p, v, 'a host address that is an IPv4 or IPv6 address, e.g. 127.0.0.1');
  const hosts = portRange(r, p, v, w.host);
  const containers = portRange(r, p, v, w.container);
  if (hosts.length !== containers.length) {
    r.fail(p, v, 'host and container port ranges of the same length (a host range for one container port lets Docker pick: not declared)');
  }
  const ip = w.hostIp ?? '0.0.0.0';
  const factory = ip === '0.0.0.0' ? 'public' : ip === '127.0.0.1' ? 'local' : 'onInterface';
  return hosts.map((h, i) => ({ factory, hostIp: ip, hostPort: h, containerPort: containers[i], protocol: protocol as PortModel['protocol'], source: r.ref(p) }));
}

/** `[HOST_IP:]HOST_PORT:CONTAINER_PORT[/PROTOCOL]`, an IPv6 host address in brackets. */
function shortPort(r: Reader, p: string, v: string): WrittenPort {
  let text = v.trim();
  let protocol = 'tcp';
  const slash = text.lastIndexOf('/');
  if (slash >= 0) {
    protocol = text.slice(slash + 1);
    text = text.slice(0, slash);
  }
  if (text.startsWith('[')) {
    const close = text.indexOf(']');
    if (close < 0 || text[close + 1] !== ':') r.fail(p, v, 'a port such as [::1]:8080:80');
    const parts = text.slice(close + 2).split(':');
    if (parts.length !== 2) r.fail(p, v, '[HOST_IP]:HOST_PORT:CONTAINER_PORT');
    return { hostIp: text.slice(1, close), host: parts[0], container: parts[1], protocol };
  }
  const parts = text.split(':');
  if (parts.length === 1) return { container: parts[0], protocol };
  if (parts.length === 2) return { host: parts[0], container: parts[1], protocol };
  if (parts.length === 3) return { hostIp: parts[0], host: parts[1], container: parts[2], protocol };
  return r.fail(p, v, '[HOST_IP:]HOST_PORT:CONTAINER_PORT[/PROTOCOL] (an IPv6 host address in brackets)');
}

/** `{ target, published, host_ip, protocol, mode, name, app_protocol }`. */
function longPort(r: Reader, p: string, v: PlainMap): WrittenPort {
  for (const k of Object.keys(v)) {
    if (!LONG_KEYS.includes(k) && !k.startsWith('x-')) r.fail(`${p}.${k}`, k, 'target, published, host_ip, protocol, mode, name or app_protocol', true);
  }
  if (v.target === undefined) r.fail(p, v, 'a long-syntax port with target (the container port)');
  const w: WrittenPort = { container: r.scalarText(`${p}.target`, v.target, 'a container port'), protocol: 'tcp' };
  if (v.published !== undefined) w.host = r.scalarText(`${p}.published`, v.published, 'a host port or range');
  if (v.host_ip !== undefined) w.hostIp = r.str(`${p}.host_ip`, v.host_ip, 'an IPv4 or IPv6 address of the host');
  if (v.protocol !== undefined) w.protocol = r.str(`${p}.protocol`, v.protocol, 'tcp, udp or sctp');
  if (v.mode !== undefined && v.mode !== 'host' && v.mode !== 'ingress') r.fail(`${p}.mode`, v.mode, 'host or ingress (the same on one engine)');
  for (const k of ['name', 'app_protocol']) if (v[k] !== undefined) r.note(`${p}.${k}`, `port ${k} ${String(v[k])}: no counterpart in the plan`);
  return w;
}

/** `8080` or `8000-8005`: the ports, at most 1000. */
function portRange(r: Reader, p: string, v: unknown, text: string): number[] {
  const m = text.match(/^(\d+)(?:-(\d+))?$/);
  const ok = (n: number) => Number.isInteger(n) && n >= 1 && n <= 65535;
  if (!m || !ok(Number(m[1])) || (m[2] !== undefined && (!ok(Number(m[2])) || Number(m[2]) < Number(m[1])))) {
    r.fail(p, v, 'ports from 1 to 65535 (a range as 8000-8005)');
  }
  const from = Number(m[1]);
  const to = m[2] === undefined ? from : Number(m[2]);
  if (to - from > 1000) r.fail(p, v, 'a port range of at most 1000 ports');
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}
