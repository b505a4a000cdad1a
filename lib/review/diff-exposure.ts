/**
 * Exposure in the review of a change (`diff.ts`): who can reach a container or
 * Swarm service. Published ports (newly published, on a wider interface,
 * narrowed, unpublished), networks joined, and networks no longer internal.
 *
 * "Public" network: one that is not internal (declared without `internal = true`,
 * the default bridge, or a network the side does not declare, which is not known
 * to be internal), or one on which some container publishes a port on an interface
 * other than loopback. A network "reaches" a public one when a container is on
 * both. A container that newly joins a public network, or one that reaches a
 * public network, is an exposure change.
 */
import { ChangeCategory, ChangeEffect, ChangeSeverity, ChangeSink, Emit, ServiceContext, ServiceSide } from './diff-model';
import { PublishedPort, ResourceShape, RuleId, ServiceSummary, StackInput } from './model';
import { formatPort } from './report';
import { isAllInterfaces } from './rules/port-published-on-all-interfaces';
import { isLiteral, isTrue } from './values';

/** How the networks of a container without `networks_advanced` (on Docker's default bridge) are named here. */
export const DEFAULT_BRIDGE = '(default bridge)';

/** The docker networks a side declares, by literal name (else resource name): whether each is internal. */
export function declaredNetworks(stacks: readonly StackInput[]): Map<string, boolean> {
  const out = new Map<string, boolean>();
  for (const s of stacks) {
    for (let i = 0; i < s.resources.length; i++) {
      const r = s.resources[i];
      if (r.type !== 'docker_network') continue;
      out.set(isLiteral(r.values.name) ? r.values.name : r.name, isTrue(r.values.internal));
    }
  }
  return out;
}

/** The networks a container or service is on, by name; a Swarm service's `host` network is host networking, not one of them. */
export function networksOf(s: ServiceSummary): string[] {
  const mode = s.networkMode;
  const out = s.networks.filter((n) => !(s.kind === 'swarm-service' && n === 'host'));
  if (mode === 'host' || mode === 'none' || mode?.startsWith('container:')) return out;
  if (mode && mode !== 'bridge' && mode !== 'default' && !out.includes(mode)) out.push(mode);
  if (out.length === 0 && s.kind !== 'swarm-service') out.push(DEFAULT_BRIDGE);
  return out;
}

/** Two lists of strings with the same elements in the same order. */
export function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** How widely a published port listens. */
enum Reach {
  LOOPBACK = 0,
  SPECIFIC = 1,
  ALL = 2,
}

function reachOf(p: PublishedPort, swarm: boolean): Reach {
  if (swarm) return Reach.ALL; // Swarm binds no single interface
  const ip = p.ip;
  if (isAllInterfaces(ip)) return Reach.ALL;
  if (ip.startsWith('127.') || ip === '::1' || ip === '[::1]' || ip === 'localhost') return Reach.LOOPBACK;
  return Reach.SPECIFIC;
}

/** Which networks of a side are public, and which reach a public one through a container on both. Linear in memberships. */
export class NetworkGraph {
  private readonly why = new Map<string, string | null>();
  private readonly via = new Map<string, { readonly container: string; readonly network: string }>();
  private built = false;

  /** Built on the first question: most changes never ask one. */
  constructor(private readonly services: readonly ServiceSummary[], private readonly declared: ReadonlyMap<string, boolean>) {}

  /** Why the network is public, or undefined. */
  public publicWhy(network: string): string | undefined {
    this.build();
    return this.why.get(network) ?? undefined;
  }

  public isPublic(network: string): boolean {
    this.build();
    return !!this.why.get(network);
  }

  /** The container through which a network that is not public reaches a public one. */
  public reachVia(network: string): { readonly container: string; readonly network: string } | undefined {
    this.build();
    return this.via.get(network);
  }

  /** The service is on a public network, on one that reaches one, or on the host's network. */
  public reachesPublic(s: ServiceSummary): boolean {
    if (s.networkMode === 'host' || (s.kind === 'swarm-service' && s.networks.includes('host'))) return true;
    return networksOf(s).some((n) => this.isPublic(n) || this.via.has(n));
  }

  private build(): void {
    if (this.built) return;
    this.built = true;
    const services = this.services;
    const declared = this.declared;
    const nets = services.map(networksOf);
    for (let i = 0; i < services.length; i++) {
      for (const n of nets[i]) {
        if (this.why.has(n)) continue;
        const internal = declared.get(n);
        this.why.set(n, n === DEFAULT_BRIDGE ? "Docker's default bridge, not internal" : internal === undefined ? 'not declared here, so not known to be internal' : internal ? null : 'not internal');
      }
    }
    for (let i = 0; i < services.length; i++) {
      const s = services[i];
      const swarm = s.kind === 'swarm-service';
      const publishes = s.ports.find((p) => reachOf(p, swarm) !== Reach.LOOPBACK);
      if (!publishes) continue;
      for (const n of nets[i]) if (!this.why.get(n)) this.why.set(n, `${s.name} publishes ${formatPort(publishes)} on it`);
    }
    for (let i = 0; i < services.length; i++) {
      const pub = nets[i].find((n) => !!this.why.get(n));
      if (pub === undefined) continue;
      for (const n of nets[i]) if (!this.why.get(n) && !this.via.has(n)) this.via.set(n, { container: services[i].name, network: pub });
    }
  }
}

const REACH_WHY: Readonly<Record<Reach, string>> = {
  [Reach.ALL]: 'it listens on every address of the host, public ones included',
  [Reach.SPECIFIC]: 'it is reachable from the network behind that interface',
  [Reach.LOOPBACK]: 'reachable from the host only',
};

const SWARM_WHY = 'Swarm publishes it on all interfaces of every node (ingress) or of each node running a task (host mode)';

const REACH_SEVERITY: Readonly<Record<Reach, ChangeSeverity>> = {
  [Reach.ALL]: ChangeSeverity.ERROR,
  [Reach.SPECIFIC]: ChangeSeverity.WARNING,
  [Reach.LOOPBACK]: ChangeSeverity.INFO,
};

/** Published ports by container port and protocol: newly published, moved to a wider interface, narrowed, unpublished. */
export function comparePorts(base: ServiceSummary | undefined, head: ServiceSide, change: Emit): void {
  const swarm = head.service !== undefined;
  const h = head.summary;
  if (h.ports.length === 0 && (!base || base.ports.length === 0)) return;
  const widest = (ports: readonly PublishedPort[], isSwarm: boolean) => {
    const out = new Map<string, PublishedPort>();
    for (const p of ports) {
      const key = `${p.internal ?? '?'}/${p.protocol}`;
      const seen = out.get(key);
      if (!seen || reachOf(p, isSwarm) > reachOf(seen, isSwarm)) out.set(key, p);
    }
    return out;
  };
  const baseSwarm = base?.kind === 'swarm-service';
  const before = widest(base?.ports ?? [], baseSwarm);
  const after = widest(h.ports, swarm);
  const E = ChangeCategory.EXPOSURE;
  for (const [key, p] of after) {
    const reach = reachOf(p, swarm);
    const why = swarm ? SWARM_WHY : REACH_WHY[reach];
    const rule = reach === Reach.ALL ? RuleId.PORT_PUBLISHED_ON_ALL_INTERFACES : undefined;
    const old = before.get(key);
    if (!old) {
      change(E, REACH_SEVERITY[reach], ChangeEffect.WORSE, `port ${key} newly published: ${formatPort(p)}`, why, rule);
      continue;
    }
    const oldReach = reachOf(old, baseSwarm);
    if (reach > oldReach) change(E, REACH_SEVERITY[reach], ChangeEffect.WORSE, `port ${key} moved from ${formatPort(old)} to ${formatPort(p)}`, why, rule);
    else if (reach < oldReach) change(E, ChangeSeverity.INFO, ChangeEffect.BETTER, `port ${key} narrowed from ${formatPort(old)} to ${formatPort(p)}`, REACH_WHY[reach]);
  }
  for (const [key, p] of before) {
    if (!after.has(key)) change(E, ChangeSeverity.INFO, ChangeEffect.BETTER, `port ${key} no longer published (was ${formatPort(p)})`, 'one way in fewer');
  }
}

/** Networks the head joins that are public or reach a public one; warning when the base reached none. */
export function compareNetworkJoins(base: ServiceSide | undefined, head: ServiceSide, ctx: ServiceContext, change: Emit): void {
  const after = networksOf(head.summary);
  const beforeList = base ? networksOf(base.summary) : [];
  if (sameStrings(beforeList, after)) return;
  const before = new Set(beforeList);
  const wasPublic = base ? ctx.base.graph.reachesPublic(base.summary) : true; // an added service: info (its ports are judged)
  const severity = wasPublic ? ChangeSeverity.INFO : ChangeSeverity.WARNING;
  const graph = ctx.head.graph;
  for (const n of after) {
    if (before.has(n)) continue;
    const shown = n === DEFAULT_BRIDGE ? "Docker's default bridge" : `network ${n}`;
    const why = graph.publicWhy(n);
    if (why) {
      change(ChangeCategory.EXPOSURE, severity, ChangeEffect.WORSE, `joins ${shown}, which is public (${why})`, wasPublic ? 'one more network from which it is reachable' : 'it was on no public network: it is now reachable from there and can reach out',
        n === DEFAULT_BRIDGE ? RuleId.DEFAULT_BRIDGE_NETWORK : undefined);
      continue;
    }
    const via = graph.reachVia(n);
    if (via && via.container !== head.summary.name) {
      change(ChangeCategory.EXPOSURE, severity, ChangeEffect.WORSE, `joins ${shown}, which reaches public network ${via.network === DEFAULT_BRIDGE ? "Docker's default bridge" : via.network} through ${via.container}`, wasPublic ? 'one more network from which it is reachable' : `it was on no public network: whoever takes ${via.container} from the public side reaches it`);
    }
  }
}

/** A docker_network that is no longer internal. */
export function compareNetworks(base: ResourceShape, head: ResourceShape, emit: ChangeSink): void {
  if (!isTrue(base.values.internal) || isTrue(head.values.internal)) return;
  const name = isLiteral(head.values.name) ? head.values.name : head.name;
  emit({
    category: ChangeCategory.EXPOSURE,
    severity: ChangeSeverity.WARNING,
    effect: ChangeEffect.WORSE,
    resource: head.address,
    baseResource: base.address !== head.address ? base.address : undefined,
    what: `network ${name} is no longer internal`,
    why: 'its containers get a route out of the host, and ports they publish become reachable',
    constructPath: head.constructPath,
  });
}
