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
}

/** The warning prefix: a stable id per opt-out, for filtering synth output. */
export const OPT_OUT_WARNING = 'cdktf-docker-production:opt-out';

export function warnOptOuts(scope: IConstruct, o: OptOuts): void {
  if (!o.dropAllCapabilities) warn(scope, 'capabilities', 'dropAllCapabilities is false: the container keeps the default Linux capabilities (CIS Docker Benchmark 5.3)');
  if (!o.readOnlyRootFilesystem) warn(scope, 'writable-root', 'readOnlyRootFilesystem is false: the container can write to its image layer (CIS Docker Benchmark 5.12)');
  if (o.noNewPrivileges === false) warn(scope, 'new-privileges', 'noNewPrivileges is false: setuid binaries can raise privileges (CIS Docker Benchmark 5.25)');
}

/** A warning for each of `ports` that is published on every interface of the host. */
export function warnPublicPorts(scope: IConstruct, ports: readonly PortMapping[]): void {
  for (const p of ports) {
    if (p.hostIp !== '0.0.0.0' && p.hostIp !== '::') continue;
    warn(scope, 'public-port', `port ${p.hostPort}->${p.containerPort}/${p.protocol} is published on every interface of the host (PortMapping.public); PortMapping.local keeps it on loopback`);
  }
}

function warn(scope: IConstruct, id: string, text: string): void {
  Annotations.of(scope).addWarning(`[${OPT_OUT_WARNING}:${id}] ${text}`);
}
