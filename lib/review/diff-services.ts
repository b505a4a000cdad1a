/**
 * The comparisons of the review of a change (`diff.ts`) that read one resource
 * and its match: a container or Swarm service (exposure, hardening, supply chain,
 * secrets), a network (internal turned off) and a built image (its base).
 * A Swarm service is read as the container its tasks run (`serviceTaskView`), so
 * that services get the same categories as containers.
 *
 * "Public" network: one that is not internal (declared without `internal = true`,
 * the default bridge, or a network the side does not declare, which is not known
 * to be internal), or one on which some container publishes a port on an interface
 * other than loopback. A network "reaches" a public one when a container is on
 * both. A container that newly joins a public network, or one that reaches a
 * public network, is an exposure change.
 */
import { readImageReference, unpinnedBy } from '../_image-reference';
import { BASE_IMAGE_LABEL, SUPERVISOR_LABEL } from '../_labels';
import { runToCompletionBy } from './container-lifecycle';
import { readableRemoteReference } from './cross-stack';
import { ChangeCategory, ChangeEffect, ChangeSeverity, ChangeSink, DraftChange } from './diff-model';
import { DockerfileCache } from './dockerfile';
import { readBuiltStage } from './engine';
import { PublishedPort, ResourceShape, ServiceSummary } from './model';
import { formatPort } from './report';
import { attributeName, capabilityName, DANGEROUS_CAPABILITIES, ROOT_USER, RuleContext } from './rule-definition';
import { confinementDisabled } from './rules/confinement-disabled';
import { isSmallBase } from './rules/large-base-image';
import { looksSecret } from './secret-names';
import { block, isInterpolated, isLiteral, isTrue, JsonObject, labelValue, referencedAddress, str, strings } from './values';

/** A memory limit raised by more than this factor is reported (a limit that no longer limits much). */
export const MEMORY_RAISE_FACTOR = 4;

/** How the networks of a container without `networks_advanced` (on Docker's default bridge) are named here. */
export const DEFAULT_BRIDGE = '(default bridge)';

/** A container or Swarm service of one side. */
export interface ServiceSide {
  /** The resource as synthesized. */
  readonly resource: ResourceShape;
  /** What the rules read: the resource, or a service's task view. */
  readonly view: ResourceShape;
  /** The view's values (container vocabulary). */
  readonly values: JsonObject;
  /** A Swarm service's own values. */
  readonly service?: JsonObject;
  /** The review's summary of it. */
  readonly summary: ServiceSummary;
}

/** What a side gives the comparison of a service. */
interface SideFacts {
  readonly graph: NetworkGraph;
  readonly resources: ReadonlyMap<string, ResourceShape>;
}

/** What the comparison of a service reads beyond the two resources. */
export interface ServiceContext {
  readonly base: SideFacts;
  readonly head: SideFacts;
  /** Whether a variable of the base is declared sensitive (undefined when unknown). */
  readonly sensitive: (variable: string) => boolean | undefined;
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
function sameStrings(a: readonly string[], b: readonly string[]): boolean {
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
  if (ip === '0.0.0.0' || ip === '::' || ip === '[::]' || ip === '') return Reach.ALL;
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

/** Rules here read no context (confinement-disabled reads only the resource). */
const NO_CONTEXT: RuleContext = {
  resolve: () => undefined,
  imageOf: () => ({}),
  builtStage: () => undefined,
  imageNamed: () => undefined,
};

/**
 * The changes between two versions of a container or service; `base` undefined for one the
 * head adds (then only its published ports and networks are compared, with nothing).
 */
export function compareService(base: ServiceSide | undefined, head: ServiceSide, ctx: ServiceContext, emit: ChangeSink): void {
  const h = head.summary;
  const change = (category: ChangeCategory, severity: ChangeSeverity, effect: ChangeEffect, what: string, why: string, rule?: string) => {
    const c: DraftChange = { category, severity, effect, resource: head.resource.address, service: h.name, what, why, rule, constructPath: head.resource.constructPath };
    if (base && base.resource.address !== head.resource.address) c.baseResource = base.resource.address;
    emit(c);
  };
  const worse = (category: ChangeCategory, severity: ChangeSeverity, what: string, why: string, rule?: string) => change(category, severity, ChangeEffect.WORSE, what, why, rule);
  comparePorts(base?.summary, head, change);
  compareNetworkJoins(base, head, ctx, change);
  if (!base) return;
  const b = base.summary;
  const bv = base.values;
  const hv = head.values;
  const swarm = head.service !== undefined;
  const E = ChangeCategory.EXPOSURE;
  const H = ChangeCategory.HARDENING;

  // Host networking and namespaces.
  if (swarm) {
    if (h.networks.includes('host') && !b.networks.includes('host')) {
      worse(E, ChangeSeverity.ERROR, `${attributeName(head.view, 'networks_advanced')} joins the "host" network`, "the tasks share each node's network stack: they bind the node's interfaces directly, past published ports and network isolation", 'host-namespace');
    }
  } else {
    for (const [attr, what] of NAMESPACES) {
      if (str(hv[attr])?.toLowerCase() === 'host' && str(bv[attr])?.toLowerCase() !== 'host') {
        worse(E, ChangeSeverity.ERROR, `${attr} = "host" added (was ${str(bv[attr]) ? `"${str(bv[attr])}"` : 'unset'})`, what, 'host-namespace');
      }
    }
  }

  // Hardening dropped.
  if (isTrue(bv.read_only) && !isTrue(hv.read_only)) {
    worse(H, ChangeSeverity.WARNING, `${attributeName(head.view, 'read_only')} turned off (was true)`, "the root filesystem is writable again: an attacker can change the image's files and persist in the container", 'writable-root-filesystem');
  }
  const baseCaps = block(bv.capabilities);
  const headCaps = block(hv.capabilities);
  const headAdd = strings(headCaps?.add);
  if (headAdd.length > 0) {
    const addedBefore = new Set(strings(baseCaps?.add).filter((c) => !isInterpolated(c)).map(capabilityName));
    for (const cap of headAdd) {
      if (isInterpolated(cap)) continue;
      const name = capabilityName(cap);
      if (addedBefore.has(name)) continue;
      addedBefore.add(name); // once per name
      const shown = name === 'ALL' ? 'ALL' : `CAP_${name}`;
      const dangerous = DANGEROUS_CAPABILITIES.get(name);
      if (dangerous) worse(H, ChangeSeverity.ERROR, `capability ${shown} added`, dangerous, 'dangerous-capability-added');
      else worse(H, ChangeSeverity.WARNING, `capability ${shown} added`, 'root in the container can do more than in the base');
    }
  }
  const dropsAll = (caps: JsonObject | undefined) => strings(caps?.drop).some((c) => capabilityName(c) === 'ALL');
  if (dropsAll(baseCaps) && !dropsAll(headCaps)) {
    worse(H, ChangeSeverity.WARNING, `${attributeName(head.view, 'capabilities.drop')} no longer drops ALL`, "the container gets Docker's default capabilities back (CHOWN, DAC_OVERRIDE, NET_RAW, SETUID, SETGID...)", 'capabilities-not-dropped');
  }
  if (!swarm) {
    const nnp = (v: JsonObject) => strings(v.security_opts).some((o) => /^no-new-privileges(?:[:=]true)?$/i.test(o.trim()));
    if (!sameStrings(strings(bv.security_opts), strings(hv.security_opts)) && nnp(bv) && !nnp(hv)) worse(H, ChangeSeverity.WARNING, 'security_opts no longer sets no-new-privileges', 'a process can gain privileges again through setuid and setgid binaries', 'no-new-privileges-missing');
    if (isTrue(hv.privileged) && !isTrue(bv.privileged)) worse(H, ChangeSeverity.ERROR, 'privileged turned on', 'root in the container is root on the host: every capability and all host devices', 'privileged-container');
  }
  // A container's confinement is in security_opts; a service's in its privileges block.
  if (swarm || !sameStrings(strings(bv.security_opts), strings(hv.security_opts))) {
    const before = new Set(confinementDisabled.check(base.view, NO_CONTEXT));
    for (const message of confinementDisabled.check(head.view, NO_CONTEXT)) {
      if (before.has(message)) continue;
      const cut = message.lastIndexOf('; ');
      worse(H, ChangeSeverity.ERROR, `confinement disabled: ${cut > 0 ? message.slice(0, cut) : message}`, "the kernel's confinement of the container is off: an exploit in it meets no second wall", 'confinement-disabled');
    }
  }
  if (b.memoryMiB !== undefined) {
    if (h.memoryMiB === undefined) {
      worse(H, ChangeSeverity.WARNING, `memory limit removed (was ${b.memoryMiB} MiB)`, 'one container can exhaust the host and get its neighbours killed', 'no-memory-limit');
    } else if (h.memoryMiB > b.memoryMiB * MEMORY_RAISE_FACTOR) {
      worse(H, ChangeSeverity.WARNING, `memory limit raised from ${b.memoryMiB} MiB to ${h.memoryMiB} MiB (${round(h.memoryMiB / b.memoryMiB)}×)`, `more than ${MEMORY_RAISE_FACTOR}× the base's limit: a leak or a load spike takes that much of the host before the kernel stops it`);
    }
  }
  const completes = runToCompletionBy(hv) !== undefined;
  if (b.healthcheck && !h.healthcheck && !completes) {
    worse(H, ChangeSeverity.WARNING, 'health check removed', 'Docker and Terraform can no longer tell a hung service from a healthy one, and dependents cannot wait for it', 'no-health-check');
  }
  const supervised = labelValue(hv.labels, SUPERVISOR_LABEL) === 'systemd';
  if (b.restart && !h.restart && !completes && !supervised && !(isTrue(hv.rm) && !swarm)) {
    worse(H, ChangeSeverity.WARNING, `restart policy off (was ${b.restart})`, 'a crash or a reboot leaves the service down', 'no-restart-policy');
  }
  const bu = str(bv.user);
  const hu = str(hv.user);
  const userAttr = attributeName(head.view, 'user');
  if (bu !== hu && !isInterpolated(bu) && !isInterpolated(hu)) {
    const wasRoot = bu !== undefined && bu !== '' && ROOT_USER.test(bu);
    const isRoot = hu !== undefined && hu !== '' && ROOT_USER.test(hu);
    if (isRoot && !wasRoot) {
      const explicit = bu !== undefined && bu !== '';
      worse(H, explicit ? ChangeSeverity.ERROR : ChangeSeverity.WARNING, `${userAttr} changed to root ("${hu}", was ${explicit ? `"${bu}"` : 'unset'})`, 'the service runs as UID 0, which without user namespace remapping is root on the host kernel', 'user-not-set');
    } else if ((hu === undefined || hu === '') && bu !== undefined && bu !== '' && !wasRoot) {
      worse(H, ChangeSeverity.WARNING, `${userAttr} no longer set (was "${bu}")`, "the service runs as the image's default user, often root", 'user-not-set');
    }
  }

  compareImages(base, head, ctx, change);
  compareSecretEnv(base, head, ctx, change);
}

type Emit = (category: ChangeCategory, severity: ChangeSeverity, effect: ChangeEffect, what: string, why: string, rule?: string) => void;

/** Namespace attributes of a container and what sharing the host's means. */
const NAMESPACES: readonly (readonly [string, string])[] = [
  ['network_mode', "host networking: the container binds the host's interfaces directly, past published ports and network isolation"],
  ['pid_mode', "shares the host's PID namespace: it sees, and with privileges signals or traces, every process of the host"],
  ['ipc_mode', "shares the host's IPC namespace: its shared memory and semaphores"],
  ['userns_mode', 'turns user namespace remapping off: root in the container is root on the host'],
  ['uts_mode', "shares the host's UTS namespace: it can change the host's hostname"],
  ['cgroupns_mode', "shares the host's cgroup namespace: it sees the host's cgroup tree"],
];

function round(x: number): string {
  return String(Math.round(x * 10) / 10);
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
function comparePorts(base: ServiceSummary | undefined, head: ServiceSide, change: Emit): void {
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
    const rule = reach === Reach.ALL ? 'port-published-on-all-interfaces' : undefined;
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
function compareNetworkJoins(base: ServiceSide | undefined, head: ServiceSide, ctx: ServiceContext, change: Emit): void {
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
        n === DEFAULT_BRIDGE ? 'default-bridge-network' : undefined);
      continue;
    }
    const via = graph.reachVia(n);
    if (via && via.container !== head.summary.name) {
      change(ChangeCategory.EXPOSURE, severity, ChangeEffect.WORSE, `joins ${shown}, which reaches public network ${via.network === DEFAULT_BRIDGE ? "Docker's default bridge" : via.network} through ${via.container}`, wasPublic ? 'one more network from which it is reachable' : `it was on no public network: whoever takes ${via.container} from the public side reaches it`);
    }
  }
}

type Pin = 'digest' | 'tag' | 'floating';

function pinOf(ref: string): Pin {
  const parts = readImageReference(ref);
  if (parts.digest) return 'digest';
  return unpinnedBy(parts, true) ? 'floating' : 'tag';
}

/** The image reference a container runs, when the review can read it: a literal, or the literal name of the stack's docker_image it references. */
function imageRef(side: ServiceSide, resources: ReadonlyMap<string, ResourceShape>): string | undefined {
  const v = side.values.image;
  if (isLiteral(v)) return v;
  if (typeof v !== 'string') return undefined;
  const address = referencedAddress(v);
  const local = address === undefined ? undefined : resources.get(address);
  if (local) return local.type === 'docker_image' && isLiteral(local.values.name) ? local.values.name : undefined;
  const shown = side.summary.image;
  // Another stack's image that the review followed shows with its name; an unresolved one does not.
  if (shown === '(unknown)' || shown === v || shown.includes('${') || shown === readableRemoteReference(v)) return undefined;
  return shown;
}

function compareImages(base: ServiceSide, head: ServiceSide, ctx: ServiceContext, change: Emit): void {
  // The same reference to the same image: nothing to compare (the summary resolves the reference).
  if (base.values.image === head.values.image && base.summary.image === head.summary.image) return;
  const b = imageRef(base, ctx.base.resources);
  const h = imageRef(head, ctx.head.resources);
  const S = ChangeCategory.SUPPLY_CHAIN;
  if (b === undefined || h === undefined) {
    if (base.summary.image !== head.summary.image) change(S, ChangeSeverity.INFO, ChangeEffect.NEUTRAL, `image ${base.summary.image} -> ${head.summary.image}`, 'a different image runs');
    return;
  }
  if (b === h) return;
  const before = pinOf(b);
  const after = pinOf(h);
  if (after === 'floating' && before !== 'floating') {
    change(S, ChangeSeverity.ERROR, ChangeEffect.WORSE, `image "${b}" -> "${h}": from a ${before === 'digest' ? 'digest' : 'pinned tag'} to a floating reference`, 'what runs changes with every pull: deploys are no longer reproducible and whatever is pushed to the tag runs unreviewed', 'image-not-pinned');
  } else if (before === 'digest' && after === 'tag') {
    change(S, ChangeSeverity.WARNING, ChangeEffect.WORSE, `image "${b}" -> "${h}": from a digest to a tag`, 'a tag can be moved to another image; the digest named exactly one');
  } else if (before === 'floating' && after !== 'floating') {
    change(S, ChangeSeverity.INFO, ChangeEffect.BETTER, `image "${b}" -> "${h}": now pinned`, 'deploys are reproducible');
  } else {
    change(S, ChangeSeverity.INFO, ChangeEffect.NEUTRAL, `image "${b}" -> "${h}"`, 'a different image runs');
  }
}

const VARIABLE = /\$\{var\.([A-Za-z0-9_-]+)\}/;

/** Environment variables whose base value came from a Terraform variable and whose head value is a literal. */
function compareSecretEnv(base: ServiceSide, head: ServiceSide, ctx: ServiceContext, change: Emit): void {
  const headEnv = strings(head.values.env);
  if (headEnv.length === 0 || sameStrings(strings(base.values.env), headEnv)) return;
  const before = new Map<string, string>();
  for (const entry of strings(base.values.env)) {
    const eq = entry.indexOf('=');
    if (eq > 0 && entry.includes('${var.', eq)) before.set(entry.slice(0, eq), entry.slice(eq + 1));
  }
  if (before.size === 0) return;
  const attr = attributeName(head.view, 'env');
  for (const entry of headEnv) {
    const eq = entry.indexOf('=');
    if (eq <= 0) continue;
    const name = entry.slice(0, eq);
    const old = before.get(name);
    if (old === undefined || !isLiteral(entry.slice(eq + 1))) continue;
    const variable = VARIABLE.exec(old)?.[1] ?? '?';
    const sensitive = ctx.sensitive(variable);
    const secretName = looksSecret(name);
    const severity = sensitive === true || secretName ? ChangeSeverity.ERROR : ChangeSeverity.WARNING;
    const from = sensitive === true ? 'a sensitive variable' : sensitive === false ? 'a variable not declared sensitive' : 'a variable';
    change(ChangeCategory.SECRETS, severity, ChangeEffect.WORSE, `${attr} ${name} moved from \${var.${variable}} (${from}) to a literal value`,
      `the value now sits in the code, the plan, the state and \`docker inspect\`${severity === ChangeSeverity.WARNING ? ' (check that it is no secret)' : ''}`,
      secretName ? 'literal-secret-env' : undefined);
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

/** The base of a built docker_image: the built stage of its Dockerfile, else the recorded base label (as `large-base-image` reads it). */
function baseImageOf(image: ResourceShape, baseDir: string | undefined, cache: DockerfileCache): string | undefined {
  const build = block(image.values.build);
  if (!build) return undefined;
  const stage = readBuiltStage(image, baseDir, cache);
  if (stage) return stage.base;
  return labelValue(build.label, BASE_IMAGE_LABEL) ?? labelValue(build.labels, BASE_IMAGE_LABEL);
}

/** A built image whose base changed: to a larger one (small by `large-base-image`'s measure to large), or otherwise. */
export function compareBuiltImages(base: ResourceShape, baseDir: string | undefined, head: ResourceShape, headDir: string | undefined, cache: DockerfileCache, emit: ChangeSink): void {
  if (!block(head.values.build) || !block(base.values.build)) return;
  const before = baseImageOf(base, baseDir, cache);
  const after = baseImageOf(head, headDir, cache);
  if (!isLiteral(before) || !isLiteral(after) || before.includes('$') || after.includes('$') || before === after) return;
  const larger = isSmallBase(before) && !isSmallBase(after);
  emit({
    category: ChangeCategory.SUPPLY_CHAIN,
    severity: larger ? ChangeSeverity.WARNING : ChangeSeverity.INFO,
    effect: larger ? ChangeEffect.WORSE : ChangeEffect.NEUTRAL,
    resource: head.address,
    baseResource: base.address !== head.address ? base.address : undefined,
    what: `base image of ${isLiteral(head.values.name) ? head.values.name : head.address}: "${before}" -> "${after}"${larger ? ' (a full distribution)' : ''}`,
    why: larger ? 'slower pulls, and more packages to patch and to exploit' : 'the built image starts from another base',
    rule: larger ? 'large-base-image' : undefined,
    constructPath: head.constructPath,
  });
}
