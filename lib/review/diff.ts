/**
 * The review of a change: what got less safe between two syntheses (or plans)
 * of an app, the base (before the pull request) and the head (after it).
 *
 * Stacks are matched by name (when each side has one stack, those two whatever
 * their names: a plan file's stack is named after the file). Resources are matched by construct path (cdktf's
 * `//.metadata.path`) where both sides have one, else by Terraform address, so a
 * renamed logical id under the same construct path is one resource whose address
 * changed, not one removed and one added. Both sides are reviewed with the rule
 * pack (each side's stacks together, as the snapshot review does); then, per
 * stack:
 *
 * - each container and Swarm service (read as the container its tasks run,
 *   `serviceTaskView`) is compared with its match: exposure, hardening, supply
 *   chain and secrets (`diff-services.ts`);
 * - each network (internal turned off) and built image (a larger base) is
 *   compared with its match;
 * - every suppression added, or whose reason changed, is reported with its reason;
 * - the findings of the two reviews are matched by rule, matched resource and
 *   message: what only the head has is new, what only the base has is resolved;
 * - containers and services added, removed, or whose address changed.
 *
 * Each change has a category, a severity (error, warning, info), an effect (worse,
 * better, neutral) and a one-line why. A new finding that a change of another
 * category already reports (the change names its rule and resource) is listed
 * among the new findings, not a second time as a change. A worse change whose
 * rule the head suppresses on the resource is `info`, with the suppression's reason
 * (the suppression itself is a change when the pull request adds it).
 *
 * Linear: maps by construct path, address and finding key; no nested scans.
 * Imports no cdktf module.
 */
import { Change, ChangeCategory, ChangeEffect, ChangeSeverity, ChangeSink, DiffResult, DraftChange, ReviewDiff, StackDiff } from './diff-model';
import { compareBuiltImages, compareNetworks, compareService, NetworkGraph, ServiceSide } from './diff-services';
import { DockerfileCache } from './dockerfile';
import { reviewStacks } from './engine';
import { Finding, ResourceShape, ServiceSummary, StackInput, StackReview } from './model';
import { findRule } from './rules/index';
import { serviceTaskView } from './service-task';
import { INVALID_SUPPRESSION_RULE, suppressionProblem } from './suppressions';
import { JsonObject, referencedAddress } from './values';

/** Options of a diff. */
export interface DiffOptions {
  /**
   * Whether a variable of a base stack is declared sensitive: true or false, undefined when
   * unknown. Without it, a secret moved to a literal is judged by the variable's name.
   */
  readonly sensitive?: (stack: string, variable: string) => boolean | undefined;
  /** Share parsed Dockerfiles (between the two sides, and runs). */
  readonly dockerfiles?: DockerfileCache;
  /**
   * Take the head's review of a container or service the change leaves alone for its base's
   * (see `reusable`). The result is the same either way; false reviews every base resource.
   * @default true
   */
  readonly reuse?: boolean;
}

export { ChangeCategory, ChangeEffect, ChangeSeverity } from './diff-model';
export type { Change, DiffResult, ReviewDiff, StackDiff } from './diff-model';

/** The rules whose new findings are literal credentials (category secrets rather than findings). */
const CREDENTIAL_RULES = new Set(['literal-secret-env', 'literal-registry-credential', 'literal-swarm-secret']);

const SEVERITY_RANK: Readonly<Record<ChangeSeverity, number>> = { error: 0, warning: 1, info: 2 };
const EFFECT_RANK: Readonly<Record<ChangeEffect, number>> = { worse: 0, better: 1, neutral: 2 };
const CATEGORY_RANK: Readonly<Record<ChangeCategory, number>> = {
  exposure: 0, hardening: 1, 'supply-chain': 2, secrets: 3, suppressions: 4, findings: 5, services: 6,
};

/** True when `severity` is `threshold` or worse (error is worse than warning, warning than info). */
export function atOrAbove(severity: ChangeSeverity, threshold: ChangeSeverity): boolean {
  return SEVERITY_RANK[severity] <= SEVERITY_RANK[threshold];
}

/** The worse changes at or above `threshold`, over every stack. */
export function failingChanges(diff: ReviewDiff, threshold: ChangeSeverity): Change[] {
  const out: Change[] = [];
  for (const s of diff.stacks) for (const c of s.changes) if (c.effect === ChangeEffect.WORSE && atOrAbove(c.severity, threshold)) out.push(c);
  return out;
}

/** The resources of two versions of a stack, matched. */
interface Matching {
  /** Head address -> the base resource it matches. */
  readonly baseOf: Map<string, ResourceShape>;
  /** Base address -> the head address it matches. */
  readonly headOf: Map<string, string>;
  /** The base's resources by address. */
  readonly baseByAddress: Map<string, ResourceShape>;
}

/** Matches by construct path where both sides have one (type and path), else by address. */
function matchResources(base: readonly ResourceShape[], head: readonly ResourceShape[]): Matching {
  const byPath = new Map<string, ResourceShape>();
  const byAddress = new Map<string, ResourceShape>();
  for (let i = 0; i < base.length; i++) {
    const b = base[i];
    // cdktf gives each resource its own construct path: the path alone is the key (the type is checked on a match).
    if (b.constructPath !== undefined) byPath.set(b.constructPath, b);
    byAddress.set(b.address, b);
  }
  const baseOf = new Map<string, ResourceShape>();
  const headOf = new Map<string, string>();
  const taken = new Set<ResourceShape>();
  const take = (h: ResourceShape, b: ResourceShape) => {
    baseOf.set(h.address, b);
    headOf.set(b.address, h.address);
    taken.add(b);
  };
  const unmatched: ResourceShape[] = [];
  // Construct paths first, so that an address freed by a rename is not taken by another resource.
  for (let i = 0; i < head.length; i++) {
    const h = head[i];
    const b = h.constructPath === undefined ? undefined : byPath.get(h.constructPath);
    if (b && b.type === h.type && !taken.has(b)) take(h, b);
    else unmatched.push(h);
  }
  for (let i = 0; i < unmatched.length; i++) {
    const h = unmatched[i];
    const b = byAddress.get(h.address);
    // Where both have a construct path and the paths differ, they are two resources.
    if (b && !taken.has(b) && (b.constructPath === undefined || h.constructPath === undefined)) take(h, b);
  }
  return { baseOf, headOf, baseByAddress: byAddress };
}

const NO_RESOURCES: readonly ResourceShape[] = [];
const NO_REVIEW: StackReview = { name: '', services: [], findings: [] };
const NO_DECLARED = new Map<string, boolean>();

/** The docker networks a side declares, by literal name (else resource name): whether each is internal. */
function declaredNetworks(stacks: readonly StackInput[]): Map<string, boolean> {
  const out = new Map<string, boolean>();
  for (const s of stacks) {
    for (let i = 0; i < s.resources.length; i++) {
      const r = s.resources[i];
      if (r.type !== 'docker_network') continue;
      const name = typeof r.values.name === 'string' && r.values.name !== '' && !r.values.name.includes('${') ? r.values.name : r.name;
      out.set(name, r.values.internal === true || r.values.internal === 'true');
    }
  }
  return out;
}

/** A container or Swarm service of one side, with what the comparisons read. */
function serviceSide(r: ResourceShape, summary: ServiceSummary): ServiceSide {
  if (r.type === 'docker_service') {
    const view = serviceTaskView(r);
    return { resource: r, view, values: view.values, service: r.values as JsonObject, summary };
  }
  return { resource: r, view: r, values: r.values, summary };
}

function isService(r: ResourceShape): boolean {
  return r.type === 'docker_container' || r.type === 'docker_service';
}

/** JSON values that are the same: objects key by key, arrays element by element. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameValue(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const x = a as JsonObject;
  const y = b as JsonObject;
  let n = 0;
  for (const k in x) {
    if (!Object.prototype.hasOwnProperty.call(y, k) || !sameValue(x[k], y[k])) return false;
    n++;
  }
  for (const k in y) if (Object.prototype.hasOwnProperty.call(y, k)) n--;
  return n === 0;
}

function sameSuppressions(a: ResourceShape, b: ResourceShape): boolean {
  if (a.suppressions.length !== b.suppressions.length) return false;
  for (let i = 0; i < a.suppressions.length; i++) {
    if (a.suppressions[i].rule !== b.suppressions[i].rule || a.suppressions[i].reason !== b.suppressions[i].reason) return false;
  }
  return true;
}

/** A build context that resolves against the stack's folder, which differs between the sides. */
function relativeBuildContext(r: ResourceShape): boolean {
  if (r.type !== 'docker_image') return false;
  const build = r.values.build;
  const context = build && typeof build === 'object' ? (Array.isArray(build) ? (build[0] as JsonObject | undefined)?.context : (build as JsonObject).context) : undefined;
  return typeof context === 'string' && !context.startsWith('/');
}

const PLAIN_VALUE = /^(?:var|local)\.[A-Za-z0-9_-]+$/;
const INTERPOLATION = /\$\{([^}]*)\}/g;

/**
 * Adds the addresses of the resources a value references (`${docker_image.x.image_id}`,
 * `container:${docker_container.db.id}`) to `out`, skipping the `//` metadata; false when a
 * reference is no plain one (a function call, a remote state): then what it gives is not known
 * to be the same on both sides. Variables and locals are read from neither side's JSON.
 */
function collectReferences(value: unknown, out: Set<string>): boolean {
  if (typeof value === 'string') {
    if (!value.includes('${')) return true;
    for (const m of value.matchAll(INTERPOLATION)) {
      const inner = m[1];
      if (PLAIN_VALUE.test(inner)) continue;
      const address = referencedAddress(`\${${inner}}`);
      if (address === undefined || address.startsWith('data.')) return false;
      out.add(address);
    }
    return true;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (!collectReferences(value[i], out)) return false;
    return true;
  }
  if (value !== null && typeof value === 'object') {
    for (const k in value as JsonObject) if (k !== '//' && !collectReferences((value as JsonObject)[k], out)) return false;
  }
  return true;
}

/**
 * The head's containers and services whose base review the head's stands for, and their base
 * resources. A container or service qualifies when it has the same address, values and
 * suppressions on both sides, and everything it references is the same too: each resource it
 * references (an image, a network, a volume, another container) has the same address, values,
 * construct path and suppressions on both sides (a built image with a relative context only when
 * both sides have the same folder: else its Dockerfile is another file), no reference goes to a
 * remote state or through a function, and, for a container naming its image literally, the
 * stack's images are all the same (`image-referenced-by-name` looks them up by name). Then the
 * rules and the summary see the same on both sides. Resources another stack reads through an
 * output, and resources a reviewed base resource references, are reviewed.
 */
function reusable(b: StackInput, h: StackInput, matching: Matching): { unchanged: Set<ResourceShape>; skipped: Set<ResourceShape> } {
  const unchanged = new Set<ResourceShape>();
  const skipped = new Set<ResourceShape>();
  const { baseOf, headOf, baseByAddress } = matching;
  const headByAddress = new Map<string, ResourceShape>();
  for (let i = 0; i < h.resources.length; i++) headByAddress.set(h.resources[i].address, h.resources[i]);
  const sameDir = b.baseDir === h.baseDir;
  const same = new Set<string>();
  let imagesSame = true;
  let baseImages = 0;
  let headImages = 0;
  for (let i = 0; i < b.resources.length; i++) if (b.resources[i].type === 'docker_image') baseImages++;
  for (let i = 0; i < h.resources.length; i++) {
    const r = h.resources[i];
    if (isService(r)) continue;
    if (r.type === 'docker_image') headImages++;
    const m = baseOf.get(r.address);
    const ok = m !== undefined && m.address === r.address && m.type === r.type && m.constructPath === r.constructPath && sameSuppressions(m, r)
      && (sameDir || !relativeBuildContext(r)) && sameValue(m.values, r.values);
    if (ok) same.add(r.address);
    else if (r.type === 'docker_image') imagesSame = false;
  }
  imagesSame = imagesSame && baseImages === headImages;
  // What other stacks read from this one (cdktf's cross-stack outputs) is reviewed.
  const exported = new Set<string>();
  for (const value of b.crossStack?.outputs.values() ?? []) collectReferences(value, exported);
  const refs = new Set<string>();
  for (let i = 0; i < h.resources.length; i++) {
    const r = h.resources[i];
    if (!isService(r)) continue;
    const m = baseOf.get(r.address);
    if (!m || m.address !== r.address || m.type !== r.type || exported.has(m.address) || !sameSuppressions(m, r)) continue;
    // The image a container references is the usual dependency: look at it before walking the values.
    const image = referencedAddress(r.values.image);
    if (image !== undefined && headByAddress.has(image) && !same.has(image)) continue;
    if (!sameValue(m.values, r.values)) continue;
    if (!imagesSame && r.type === 'docker_container' && !(typeof r.values.image === 'string' && r.values.image.includes('${'))) continue;
    refs.clear();
    if (!collectReferences(r.values, refs)) continue;
    let ok = true;
    for (const a of refs) {
      if (headByAddress.has(a) ? !same.has(a) : baseByAddress.has(a)) {
        ok = false;
        break;
      }
    }
    if (!ok) continue;
    unchanged.add(r);
    skipped.add(m);
  }
  if (skipped.size === 0) return { unchanged, skipped };
  // A base resource that is reviewed must find what it references: those are reviewed too.
  const work = b.resources.filter((r) => !skipped.has(r));
  while (work.length > 0) {
    const r = work.pop() as ResourceShape;
    refs.clear();
    collectReferences(r.values, refs);
    for (const a of refs) {
      const target = baseByAddress.get(a);
      if (!target || !skipped.has(target)) continue;
      skipped.delete(target);
      const twin = headByAddress.get(headOf.get(a) ?? '');
      if (twin) unchanged.delete(twin);
      work.push(target);
    }
  }
  return { unchanged, skipped };
}

/**
 * Compares two versions of an app. Each side's stacks are reviewed together (cross-stack
 * references lead into the side's other stacks); stacks are matched by name, in the head's
 * order, then the stacks only the base has.
 */
export function diffStacks(base: readonly StackInput[], head: readonly StackInput[], options: DiffOptions = {}): DiffResult {
  const dockerfiles = options.dockerfiles ?? new DockerfileCache();
  const baseIndex = new Map<string, number>();
  base.forEach((s, i) => baseIndex.set(s.name, i));
  // One stack a side (two plan files, named after their files): the two are one stack whatever their names.
  if (base.length === 1 && head.length === 1) baseIndex.set(head[0].name, 0);
  const matchings = head.map((h) => {
    const j = baseIndex.get(h.name);
    return matchResources(j === undefined ? NO_RESOURCES : base[j].resources, h.resources);
  });

  // Containers and services the change leaves alone: the base's review of them is the head's.
  const unchanged: ReadonlySet<ResourceShape>[] = head.map(() => NO_UNCHANGED);
  let reviewedBase: readonly StackInput[] = base;
  if (options.reuse !== false) {
    const skipped = base.map(() => NO_UNCHANGED);
    head.forEach((h, i) => {
      const j = baseIndex.get(h.name);
      if (j === undefined) return;
      const r = reusable(base[j], h, matchings[i]);
      unchanged[i] = r.unchanged;
      skipped[j] = r.skipped;
    });
    reviewedBase = base.map((s, j) => (skipped[j].size === 0 ? s : { ...s, resources: s.resources.filter((r) => !skipped[j].has(r)) }));
  }
  const baseReviews = reviewStacks(reviewedBase, { dockerfiles });
  const headReviews = reviewStacks(head, { dockerfiles });
  const baseNetworks = declaredNetworks(base);
  const headNetworks = declaredNetworks(head);
  const stacks: StackDiff[] = [];
  head.forEach((h, i) => {
    const j = baseIndex.get(h.name);
    const b = j === undefined ? undefined : base[j];
    stacks.push(diffStack(
      { input: b, review: j === undefined ? undefined : baseReviews[j], networks: baseNetworks },
      { input: h, review: headReviews[i], networks: headNetworks },
      matchings[i],
      unchanged[i],
      dockerfiles,
      (variable) => (b ? options.sensitive?.(b.name, variable) : undefined),
    ));
  });
  const matched = new Set(head.map((h) => baseIndex.get(h.name)));
  base.forEach((b, j) => {
    if (matched.has(j)) return;
    stacks.push(diffStack(
      { input: b, review: baseReviews[j], networks: baseNetworks }, { input: undefined, review: undefined, networks: headNetworks },
      matchResources(b.resources, NO_RESOURCES), NO_UNCHANGED, dockerfiles, () => undefined,
    ));
  });
  return { diff: { stacks }, head: headReviews, reused: unchanged.reduce((n, u) => n + u.size, 0) };
}

const NO_UNCHANGED: ReadonlySet<ResourceShape> = new Set();

/** One side of a stack: absent when only the other side has the stack. */
interface Side {
  readonly input: StackInput | undefined;
  readonly review: StackReview | undefined;
  readonly networks: Map<string, boolean>;
}

/**
 * The changes of one stack. `unchanged`: the head's containers and services whose base review
 * was not made (`reusable`): the head's summary and findings stand for the base's.
 */
function diffStack(
  baseSide: Side, headSide: Side, matching: Matching, unchanged: ReadonlySet<ResourceShape>, dockerfiles: DockerfileCache,
  sensitive: (variable: string) => boolean | undefined,
): StackDiff {
  const name = (headSide.input ?? baseSide.input)?.name ?? '';
  const baseResources = baseSide.input?.resources ?? NO_RESOURCES;
  const headResources = headSide.input?.resources ?? NO_RESOURCES;
  const baseReview = baseSide.review ?? NO_REVIEW;
  const headReview = headSide.review ?? NO_REVIEW;
  const { baseOf, headOf, baseByAddress } = matching;

  const changes: DraftChange[] = [];
  const emit: ChangeSink = (c) => {
    changes.push(c);
  };

  // Containers and services, with each side's summary and network graph.
  const baseSummaries = new Map<string, ServiceSummary>();
  for (const s of baseReview.services) baseSummaries.set(s.address, s);
  const headSummaries = new Map<string, ServiceSummary>();
  for (const s of headReview.services) headSummaries.set(s.address, s);
  let baseServices = baseReview.services;
  if (unchanged.size > 0) {
    baseServices = baseServices.slice();
    for (const h of unchanged) {
      const summary = headSummaries.get(h.address);
      const b = baseOf.get(h.address);
      if (summary && b) {
        baseSummaries.set(b.address, summary);
        baseServices.push(summary);
      }
    }
  }
  const baseGraph = new NetworkGraph(baseServices, baseSide.input ? baseSide.networks : NO_DECLARED);
  const headGraph = new NetworkGraph(headReview.services, headSide.input ? headSide.networks : NO_DECLARED);
  const headByAddress = new Map<string, ResourceShape>();
  for (let i = 0; i < headResources.length; i++) headByAddress.set(headResources[i].address, headResources[i]);
  const serviceContext = {
    base: { graph: baseGraph, resources: baseByAddress },
    head: { graph: headGraph, resources: headByAddress },
    sensitive,
  };

  for (let i = 0; i < headResources.length; i++) {
    const h = headResources[i];
    const b = baseOf.get(h.address);
    if (b && b.address !== h.address) {
      changes.push({
        category: ChangeCategory.SERVICES,
        severity: ChangeSeverity.INFO,
        effect: ChangeEffect.NEUTRAL,
        resource: h.address,
        baseResource: b.address,
        what: `address changed from ${b.address} to ${h.address} (same construct path ${h.constructPath ?? b.constructPath})`,
        why: `Terraform plans to destroy ${b.address} and create ${h.address}${h.type === 'docker_container' || h.type === 'docker_service' ? ' (downtime)' : ''} unless a moved block maps one to the other`,
        constructPath: h.constructPath,
      });
    }
    suppressionChanges(h, b, emit);
    if (isService(h)) {
      const hs = headSummaries.get(h.address);
      // The same container, seen by the rules the same way on both sides: nothing changed.
      if (!hs || unchanged.has(h)) continue;
      const bs = b ? baseSummaries.get(b.address) : undefined;
      if (b && bs) {
        compareService(serviceSide(b, bs), serviceSide(h, hs), serviceContext, emit);
      } else {
        changes.push({
          category: ChangeCategory.SERVICES,
          severity: ChangeSeverity.INFO,
          effect: ChangeEffect.NEUTRAL,
          resource: h.address,
          service: hs.name,
          what: `${h.type === 'docker_service' ? 'Swarm service' : 'container'} ${hs.name} added (image ${hs.image})`,
          why: 'new surface: its findings and exposure are listed with this change',
          constructPath: h.constructPath,
        });
        compareService(undefined, serviceSide(h, hs), serviceContext, emit);
      }
    } else if (b && h.type === 'docker_network') {
      compareNetworks(b, h, emit);
    } else if (b && h.type === 'docker_image') {
      compareBuiltImages(b, baseSide.input?.baseDir, h, headSide.input?.baseDir, dockerfiles, emit);
    }
  }
  for (let i = 0; i < baseResources.length; i++) {
    const b = baseResources[i];
    if (!isService(b) || headOf.has(b.address)) continue;
    const bs = baseSummaries.get(b.address);
    if (!bs) continue;
    changes.push({
      category: ChangeCategory.SERVICES,
      severity: ChangeSeverity.INFO,
      effect: ChangeEffect.NEUTRAL,
      resource: b.address,
      service: bs.name,
      what: `${b.type === 'docker_service' ? 'Swarm service' : 'container'} ${bs.name} removed`,
      why: 'the head no longer runs it; its findings are resolved with it',
      constructPath: b.constructPath,
    });
  }

  // A worse change whose rule the head suppresses on the resource is an accepted exception.
  for (const c of changes) {
    if (c.effect !== ChangeEffect.WORSE || c.rule === undefined || c.category === ChangeCategory.SUPPRESSIONS) continue;
    const reason = validSuppression(headByAddress.get(c.resource), c.rule);
    if (reason !== undefined) {
      c.severity = ChangeSeverity.INFO;
      c.suppressionReason = reason;
    }
  }

  let headFindings = headReview.findings;
  if (unchanged.size > 0) {
    const skip = new Set<string>();
    for (const h of unchanged) skip.add(h.address);
    headFindings = headFindings.filter((f) => !skip.has(f.resource));
  }
  const { newFindings, resolvedFindings } = findingsDelta(baseReview.findings, headFindings, headOf);
  // New findings that a change already reports (its rule on its resource) are not repeated.
  const covering = new Map<string, DraftChange>();
  for (const c of changes) {
    // A suppression change stands for the finding that says it is ignored; the others for their rule's findings.
    const rule = c.category === ChangeCategory.SUPPRESSIONS ? c.covers : c.rule;
    if (c.effect === ChangeEffect.WORSE && rule !== undefined) covering.set(`${c.resource}\u0000${rule}`, c);
  }
  for (const f of newFindings) {
    const cover = covering.get(`${f.resource}\u0000${f.rule}`);
    const severity = f.suppressed ? ChangeSeverity.INFO : (f.severity as string as ChangeSeverity);
    if (cover) {
      // The change is at least as severe as the finding it stands for.
      if (cover.suppressionReason === undefined && SEVERITY_RANK[severity] < SEVERITY_RANK[cover.severity]) cover.severity = severity;
      continue;
    }
    const credential = CREDENTIAL_RULES.has(f.rule);
    changes.push({
      category: credential ? ChangeCategory.SECRETS : ChangeCategory.FINDINGS,
      severity,
      effect: ChangeEffect.WORSE,
      resource: f.resource,
      what: credential ? `literal credential added (${f.rule}): ${f.message}` : `new finding ${f.rule}: ${f.message}`,
      why: ruleReason(f.rule),
      rule: f.rule,
      suppressionReason: f.suppressed ? f.suppressionReason : undefined,
      constructPath: f.constructPath,
    });
  }
  for (const f of resolvedFindings) {
    changes.push({
      category: ChangeCategory.FINDINGS,
      severity: ChangeSeverity.INFO,
      effect: ChangeEffect.BETTER,
      resource: headOf.get(f.resource) ?? f.resource,
      what: `resolved ${f.rule}${f.suppressed ? ' (was suppressed)' : ''}: ${f.message}`,
      why: ruleReason(f.rule),
      rule: f.rule,
      constructPath: f.constructPath,
    });
  }

  changes.sort(byRank);
  const status = !baseSide.input ? 'added' : !headSide.input ? 'removed' : changes.length > 0 ? 'changed' : 'unchanged';
  return {
    name,
    status,
    services: { base: baseServices.length, head: headReview.services.length },
    changes: changes.map(tidyChange),
    newFindings,
    resolvedFindings,
  };
}

/** The change with its keys in a fixed order, undefined ones left out of the JSON. */
function tidyChange(c: DraftChange): Change {
  return {
    category: c.category,
    severity: c.severity,
    effect: c.effect,
    resource: c.resource,
    baseResource: c.baseResource,
    service: c.service,
    what: c.what,
    why: c.why,
    rule: c.rule,
    suppressionReason: c.suppressionReason,
    constructPath: c.constructPath,
  };
}

function byRank(a: DraftChange, b: DraftChange): number {
  return EFFECT_RANK[a.effect] - EFFECT_RANK[b.effect]
    || SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity]
    || CATEGORY_RANK[a.category] - CATEGORY_RANK[b.category]
    || (a.resource < b.resource ? -1 : a.resource > b.resource ? 1 : 0);
}

function ruleReason(id: string): string {
  return findRule(id)?.reason ?? (id === INVALID_SUPPRESSION_RULE.id ? INVALID_SUPPRESSION_RULE.reason : `rule ${id}`);
}

/** The reason of the resource's first valid suppression of `rule`, if any. */
function validSuppression(r: ResourceShape | undefined, rule: string): string | undefined {
  if (!r) return undefined;
  for (const s of r.suppressions) if (s.rule === rule && !suppressionProblem(s.rule, s.reason)) return s.reason;
  return undefined;
}

/** Suppressions the head adds to a resource, changes the reason of, or drops (by rule; the first of each rule counts). */
function suppressionChanges(h: ResourceShape, b: ResourceShape | undefined, emit: ChangeSink): void {
  if (h.suppressions.length === 0 && (!b || b.suppressions.length === 0)) return;
  const before = new Map<string, string>();
  if (b) for (const s of b.suppressions) if (!before.has(s.rule)) before.set(s.rule, s.reason);
  const after = new Set<string>();
  for (const s of h.suppressions) {
    if (after.has(s.rule)) continue;
    after.add(s.rule);
    const old = before.get(s.rule);
    if (old === s.reason) continue;
    const problem = suppressionProblem(s.rule, s.reason);
    emit({
      category: ChangeCategory.SUPPRESSIONS,
      severity: ChangeSeverity.WARNING,
      effect: ChangeEffect.WORSE,
      resource: h.address,
      what: old === undefined
        ? `suppression of ${s.rule} added: ${JSON.stringify(s.reason)}`
        : `suppression of ${s.rule}: reason changed from ${JSON.stringify(old)} to ${JSON.stringify(s.reason)}`,
      why: problem
        ? `the review ignores it (${problem.prop === 'ruleId' ? 'unknown rule' : 'no real reason'}); an exception must be visible in the pull request`
        : `an exception to the rule pack: its findings on ${h.address} no longer count; check that the reason holds`,
      rule: s.rule,
      constructPath: h.constructPath,
      covers: problem ? INVALID_SUPPRESSION_RULE.id : undefined,
    });
  }
  if (!b) return;
  for (const [rule, reason] of before) {
    if (after.has(rule)) continue;
    emit({
      category: ChangeCategory.SUPPRESSIONS,
      severity: ChangeSeverity.INFO,
      effect: ChangeEffect.NEUTRAL,
      resource: h.address,
      what: `suppression of ${rule} removed (was ${JSON.stringify(reason)})`,
      why: `findings of ${rule} on ${h.address} count again`,
      rule,
      constructPath: h.constructPath,
    });
  }
}

/** Findings grouped by resource (a base finding's resource read as its match's head address), in order of first appearance. */
function groupByResource(findings: readonly Finding[], canonical: (address: string) => string): Map<string, Finding[]> {
  const groups = new Map<string, Finding[]>();
  let last: string | undefined;
  let group: Finding[] = [];
  for (let i = 0; i < findings.length; i++) {
    const f = findings[i];
    if (f.resource !== last) {
      // The review gives a resource's findings together; a resource seen again joins its group.
      last = f.resource;
      const key = canonical(f.resource);
      let existing = groups.get(key);
      if (!existing) groups.set(key, (existing = []));
      group = existing;
    }
    group.push(f);
  }
  return groups;
}

/** The same findings in the same order: the common case of a resource the change leaves alone. */
function sameFindings(a: readonly Finding[], b: readonly Finding[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i].rule !== b[i].rule || a[i].message !== b[i].message) return false;
  return true;
}

/**
 * Findings matched by rule, matched resource and message (counted: two equal findings need two).
 * A base finding's resource is read as its match's head address. Linear: per resource, the two
 * lists are compared in order, and only where they differ matched as multisets.
 */
function findingsDelta(base: readonly Finding[], head: readonly Finding[], headOf: ReadonlyMap<string, string>): { newFindings: Finding[]; resolvedFindings: Finding[] } {
  const baseGroups = groupByResource(base, (address) => headOf.get(address) ?? `\u0001${address}`);
  const headGroups = groupByResource(head, (address) => address);
  const newFindings: Finding[] = [];
  const resolvedFindings: Finding[] = [];
  const key = (f: Finding) => `${f.rule}\u0000${f.message}`;
  for (const [resource, after] of headGroups) {
    const before = baseGroups.get(resource);
    if (!before) {
      for (const f of after) newFindings.push(f);
      continue;
    }
    baseGroups.delete(resource);
    if (sameFindings(before, after)) continue;
    const counts = new Map<string, number>();
    for (const f of before) counts.set(key(f), (counts.get(key(f)) ?? 0) + 1);
    for (const f of after) {
      const n = counts.get(key(f)) ?? 0;
      if (n > 0) counts.set(key(f), n - 1);
      else newFindings.push(f);
    }
    for (const f of before) {
      const n = counts.get(key(f)) ?? 0;
      if (n > 0) {
        counts.set(key(f), n - 1);
        resolvedFindings.push(f);
      }
    }
  }
  for (const rest of baseGroups.values()) for (const f of rest) resolvedFindings.push(f);
  return { newFindings, resolvedFindings };
}
