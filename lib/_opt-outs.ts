/**
 * Synth warnings for the risky opt-outs of the hardened defaults: a container that keeps its
 * capabilities, has a writable root, may gain privileges, or publishes a port on every interface.
 * Each is allowed (it is a prop), and each is said once at synth, where the review of a pull
 * request also sees it (`cdktf synth` prints warnings; the review's rules flag the same settings).
 */
import { IConstruct } from 'constructs';
import { Annotations } from 'cdktf';
import type { PortMapping } from './port-mapping';

/** What a runner decided that opts out of a default. */
export interface OptOuts {
  readonly dropAllCapabilities: boolean;
  readonly readOnlyRootFilesystem: boolean;
  /** Undefined for a runner that cannot set it (a swarm service). */
  readonly noNewPrivileges?: boolean;
  /** Published ports on all interfaces, as `<host port>-><container port>/<protocol>`. */
  readonly publicPorts: readonly string[];
}

/** The warning prefix: a stable id per opt-out, for filtering synth output. */
export const OPT_OUT_WARNING = 'cdktf-docker-production:opt-out';

export function warnOptOuts(scope: IConstruct, o: OptOuts): void {
  const warn = (id: string, text: string) => Annotations.of(scope).addWarning(`[${OPT_OUT_WARNING}:${id}] ${text}`);
  if (!o.dropAllCapabilities) warn('capabilities', 'dropAllCapabilities is false: the container keeps the default Linux capabilities (CIS Docker Benchmark 5.3)');
  if (!o.readOnlyRootFilesystem) warn('writable-root', 'readOnlyRootFilesystem is false: the container can write to its image layer (CIS Docker Benchmark 5.12)');
  if (o.noNewPrivileges === false) warn('new-privileges', 'noNewPrivileges is false: setuid binaries can raise privileges (CIS Docker Benchmark 5.25)');
  for (const p of o.publicPorts) warn('public-port', `port ${p} is published on every interface of the host (PortMapping.public); PortMapping.local keeps it on loopback`);
}

/** The ports of `ports` published on every interface of the host, as `<host port>-><container port>/<protocol>`. */
export function publicPorts(ports: readonly PortMapping[]): string[] {
  return ports.filter((p) => p.hostIp === '0.0.0.0' || p.hostIp === '::').map((p) => `${p.hostPort}->${p.containerPort}/${p.protocol}`);
}
