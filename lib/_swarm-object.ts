import { IConstruct } from 'constructs';
import { DockerHost } from './docker-host';
import { checkInstance, checkObjectName, checkProps, checkStringMap, fail, isUnresolved } from './_validate';
import { checkKnownKeys, KnownKeys } from './_known-keys';

/** What `SwarmSecret` and `SwarmConfig` have in common: a name on a swarm manager, labels. */
export interface SwarmObjectProps {
  /** The swarm manager. @default - the stack's default host (`DockerHost.of`) */
  readonly host?: DockerHost;
  /** Labels of the secret or config. @default - none */
  readonly labels?: Record<string, string>;
}

/**
 * The checks a swarm secret or config (`what`) shares: its props object, host (a swarm manager),
 * labels, and a logical `name` (prop `nameProp`) that leaves `suffixLength` characters of Docker's
 * 64 for the suffix that makes each content's object unique. Returns the host.
 */
export function swarmObjectHost(scope: IConstruct, props: SwarmObjectProps, what: string, allowed: string, known: KnownKeys): DockerHost {
  const where = scope.node.path;
  checkProps(where, props, true, allowed);
  checkKnownKeys(where, props, known);
  checkInstance(where, 'host', props.host, DockerHost, 'a DockerHost');
  checkStringMap(where, 'labels', props.labels, `${what} labels`);
  const host = props.host ?? DockerHost.of(scope);
  host._requireSwarm(scope, what);
  return host;
}

/** Checks and claims the logical name of a swarm secret or config on its host. */
export function claimSwarmObjectName(scope: IConstruct, host: DockerHost, kind: string, prop: string, name: string, suffixLength: number): void {
  const where = scope.node.path;
  checkObjectName(where, prop, name);
  if (isUnresolved(name)) return;
  const max = 64 - suffixLength;
  if (name.length > max || /[-_.]$/.test(name)) {
    fail(where, prop, name, `a ${kind} name of letters, digits and _ . - (not first or last), at most ${max} characters: the library appends ${suffixLength} of Docker's 64`);
  }
  host._claim(`${kind}:${name}`, `a ${kind} name`, scope, prop, name);
}
