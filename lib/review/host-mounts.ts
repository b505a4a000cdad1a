/** The host paths a container mounts, as the mount rules read them. */
import * as path from 'path';
import { blocks, isTrue, JsonObject, str } from './values';

/** A host path mounted into a container, and through which attribute. */
export interface HostMount {
  readonly path: string;
  readOnly: boolean;
  via: string;
}

const NO_MOUNTS: HostMount[] = [];

/** Host paths a container mounts: `volumes.host_path` and `mounts` of type bind. */
export function hostMounts(values: JsonObject): HostMount[] {
  if (values.volumes === undefined && values.mounts === undefined) return NO_MOUNTS;
  const result: HostMount[] = [];
  for (const v of blocks(values.volumes)) {
    const hostPath = str(v.host_path);
    if (hostPath) result.push({ path: hostPath, readOnly: isTrue(v.read_only), via: 'volumes.host_path' });
  }
  for (const m of blocks(values.mounts)) {
    const source = str(m.source);
    if (str(m.type) === 'bind' && source) result.push({ path: source, readOnly: isTrue(m.read_only), via: 'mounts (bind)' });
  }
  return result;
}

/** A host path in its POSIX normal form, without a trailing slash. */
export function normalizePath(p: string): string {
  const normalized = path.posix.normalize(p);
  return normalized.length > 1 && normalized.endsWith('/') ? normalized.slice(0, -1) : normalized;
}

const DOCKER_SOCKET_PATHS = new Set(['/var/run/docker.sock', '/run/docker.sock', '/var/run', '/run']);

/** A (normalized) host path that is, or holds, the Docker socket. */
export function isDockerSocket(p: string): boolean {
  return DOCKER_SOCKET_PATHS.has(p) || p.endsWith('/docker.sock');
}
