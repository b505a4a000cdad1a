/**
 * The service keys the constructs have no prop for, made as settings on the service's L1
 * `Container` (`svc.resource`) so the review sees them: host and domain name, stop signal,
 * runtime, privileged, stdin/tty, sysctls, storage options, DNS, groups, CPU shares and set,
 * shm size, pid/ipc/userns modes, extra hosts, devices and ulimits.
 */
import * as ipaddr from 'ipaddr.js';
import { KeyReader, ServiceDraft } from './draft';
import { MIB, Reader, isMap } from './reader';
import { parseByteSize } from './units';

/** A setting made with `resource.<name> = value`, as read by `value`. */
function setting(name: string, value: (r: Reader, kp: string, v: unknown) => unknown): KeyReader {
  return (d, kp, v, key) => d.set('set', name, value(d.r, kp, v), key);
}

/** A boolean setting, made only when true. */
function flag(name: string): KeyReader {
  return (d, kp, v, key) => {
    if (d.r.bool(kp, v)) d.set('set', name, true, key);
  };
}

const addressList = (r: Reader, kp: string, v: unknown) => (typeof v === 'string' ? [v] : r.stringList(kp, v, 'an address or a list'));

/** Readers of the keys of this family, by service key. */
export const ENGINE_KEYS: Record<string, KeyReader> = {
  hostname: setting('hostname', (r, kp, v) => r.str(kp, v, 'a host name')),
  domainname: setting('domainname', (r, kp, v) => r.str(kp, v, 'a host name')),
  stop_signal: setting('stopSignal', (r, kp, v) => r.str(kp, v, 'a signal name such as SIGINT')),
  runtime: setting('runtime', (r, kp, v) => r.str(kp, v, 'a runtime name')),
  privileged: flag('privileged'),
  stdin_open: flag('stdinOpen'),
  tty: flag('tty'),
  sysctls: setting('sysctls', (r, kp, v) => r.keyValues(kp, v, 'sysctls')),
  storage_opt: setting('storageOpts', (r, kp, v) => r.stringMap(kp, v, 'a mapping of storage options')),
  dns: setting('dns', addressList),
  dns_search: setting('dnsSearch', addressList),
  dns_opt: setting('dnsOpts', (r, kp, v) => r.stringList(kp, v, 'a list of resolver options')),
  group_add: setting('groupAdd', (r, kp, v) => r.list(kp, v, 'a list of groups').map((g, i) => r.scalarText(`${kp}[${i}]`, g, 'a group name or GID'))),
  cpu_shares: setting('cpuShares', (r, kp, v) => r.integer(kp, v, 2, 262144)),
  cpuset: setting('cpuSet', (r, kp, v) => r.scalarText(kp, v, 'CPUs such as 0-3 or 0,1')),
  shm_size: setting('shmSize', shmSizeMiB),
  pid: namespaceMode('pidMode', ['host'], 'host'),
  ipc: namespaceMode('ipcMode', ['host', 'private', 'shareable', 'none'], 'host, private, shareable or none'),
  userns_mode: setting('usernsMode', (r, kp, v) => r.str(kp, v, 'host or a user namespace mode')),
  extra_hosts: (d, kp, v, key) => d.set('put', 'putHost', extraHosts(d.r, kp, v), key),
  devices: (d, kp, v, key) => d.set('put', 'putDevices', devices(d.r, kp, v), key),
  ulimits: (d, kp, v, key) => d.set('put', 'putUlimit', ulimits(d.r, kp, v), key),
};

function shmSizeMiB(r: Reader, kp: string, v: unknown): number {
  const bytes = parseByteSize(v);
  if (bytes === undefined || bytes % MIB !== 0 || bytes === 0) r.fail(kp, v, "a size of whole MiB, e.g. 64m (the provider's shm_size is in MiB)");
  return bytes / MIB;
}

/** `pid` / `ipc`: one of `ok`; sharing another container's namespace is refused. */
function namespaceMode(name: string, ok: string[], allowed: string): KeyReader {
  return (d: ServiceDraft, kp: string, v: unknown, key: string) => {
    const mode = d.r.str(kp, v, allowed);
    if (!ok.includes(mode)) d.r.fail(kp, v, `${ok.join(', ')}: sharing another container's namespace (service:x, container:x) has no counterpart in the library`);
    d.set('set', name, mode, key);
  };
}

function extraHosts(r: Reader, p: string, v: unknown): { host: string; ip: string }[] {
  const out: { host: string; ip: string }[] = [];
  const put = (at: string, host: string, ip: string) => {
    if (!ipaddr.isValid(ip.replace(/^\[|\]$/g, '')) && ip !== 'host-gateway') r.fail(at, `${host}:${ip}`, 'host:IP with an IP address (or host-gateway)');
    out.push({ host, ip: ip.replace(/^\[|\]$/g, '') });
  };
  if (Array.isArray(v)) {
    v.forEach((e, i) => {
      const s = r.str(`${p}[${i}]`, e, 'host:IP or host=IP');
      const sep = s.includes('=') ? s.indexOf('=') : s.indexOf(':');
      if (sep <= 0) r.fail(`${p}[${i}]`, s, 'host:IP or host=IP');
      put(`${p}[${i}]`, s.slice(0, sep), s.slice(sep + 1));
    });
  } else if (isMap(v)) {
    for (const [host, ip] of Object.entries(v)) {
      for (const one of Array.isArray(ip) ? ip : [ip]) put(`${p}.${host}`, host, r.str(`${p}.${host}`, one, 'an IP address'));
    }
  } else {
    r.fail(p, v, 'a list of host:IP or a mapping of host to IP');
  }
  return out;
}

function devices(r: Reader, p: string, v: unknown): { hostPath: string; containerPath?: string; permissions?: string }[] {
  return r.list(p, v, 'a list of devices').map((e, i) => {
    const at = `${p}[${i}]`;
    if (typeof e === 'string') {
      const [hostPath, containerPath, permissions] = e.split(':');
      if (!hostPath.startsWith('/')) r.fail(at, e, 'HOST_PATH[:CONTAINER_PATH[:PERMISSIONS]] with absolute paths (CDI device names have no counterpart)');
      return { hostPath, containerPath: containerPath ?? hostPath, permissions };
    }
    if (isMap(e)) {
      const hostPath = r.str(`${at}.source`, e.source, 'a host device path');
      const containerPath = e.target === undefined ? hostPath : r.str(`${at}.target`, e.target, 'a container device path');
      const permissions = e.permissions === undefined ? undefined : r.str(`${at}.permissions`, e.permissions, 'rwm permissions');
      return { hostPath, containerPath, permissions };
    }
    return r.fail(at, e, 'a device HOST:CONTAINER[:rwm] or { source, target, permissions }');
  });
}

function ulimits(r: Reader, p: string, v: unknown): { name: string; soft: number; hard: number }[] {
  if (!isMap(v)) r.fail(p, v, 'a mapping of limit names to a number or { soft, hard }');
  return Object.entries(v).map(([name, val]) => {
    const at = `${p}.${name}`;
    if (typeof val === 'number') {
      const n = r.integer(at, val, -1, Number.MAX_SAFE_INTEGER);
      return { name, soft: n, hard: n };
    }
    if (!isMap(val)) r.fail(at, val, 'a number or { soft, hard }');
    return { name, soft: r.integer(`${at}.soft`, val.soft, -1, Number.MAX_SAFE_INTEGER), hard: r.integer(`${at}.hard`, val.hard, -1, Number.MAX_SAFE_INTEGER) };
  });
}
