/**
 * How the review of a change (`diff.ts`) pairs the two sides of a stack, and
 * what it need not review twice.
 *
 * Resources are matched by construct path (cdktf's `//.metadata.path`) where
 * both sides have one, else by Terraform address, so a renamed logical id
 * under the same construct path is one resource whose address changed, not
 * one removed and one added. A container or service the change leaves alone
 * (same values, and everything it references the same) is reviewed once: the
 * head's review of it stands for the base's (`reusable`). Linear: maps by
 * construct path and address; no nested scans.
 */
import { ResourceShape, StackInput } from './model';
import { block, JsonObject, referencedAddress } from './values';

/** The resources of two versions of a stack, matched. */
export interface Matching {
  /** Head address -> the base resource it matches. */
  readonly baseOf: Map<string, ResourceShape>;
  /** Base address -> the head address it matches. */
  readonly headOf: Map<string, string>;
  /** The base's resources by address. */
  readonly baseByAddress: Map<string, ResourceShape>;
}

/** Matches by construct path where both sides have one (type and path), else by address. */
export function matchResources(base: readonly ResourceShape[], head: readonly ResourceShape[]): Matching {
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

export function isService(r: ResourceShape): boolean {
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
  const context = block(r.values.build)?.context;
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
export function reusable(b: StackInput, h: StackInput, matching: Matching): { unchanged: Set<ResourceShape>; skipped: Set<ResourceShape> } {
  const unchanged = new Set<ResourceShape>();
  const skipped = new Set<ResourceShape>();
  const { baseOf } = matching;
  const headByAddress = new Map<string, ResourceShape>();
  for (let i = 0; i < h.resources.length; i++) headByAddress.set(h.resources[i].address, h.resources[i]);
  const { same, imagesSame } = unchangedDependencies(b, h, matching);
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
    if (!collectReferences(r.values, refs) || !referencesUnchanged(refs, same, headByAddress, matching.baseByAddress)) continue;
    unchanged.add(r);
    skipped.add(m);
  }
  if (skipped.size > 0) reviewReferenced(b, matching, headByAddress, unchanged, skipped);
  return { unchanged, skipped };
}

/**
 * The head's resources other than containers and services that are the same on both sides
 * (address, type, construct path, suppressions, values; a built image with a relative context
 * only when both sides have the same folder), and whether the stack's images all are.
 */
function unchangedDependencies(b: StackInput, h: StackInput, matching: Matching): { same: Set<string>; imagesSame: boolean } {
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
    const m = matching.baseOf.get(r.address);
    const ok = m !== undefined && m.address === r.address && m.type === r.type && m.constructPath === r.constructPath && sameSuppressions(m, r)
      && (sameDir || !relativeBuildContext(r)) && sameValue(m.values, r.values);
    if (ok) same.add(r.address);
    else if (r.type === 'docker_image') imagesSame = false;
  }
  return { same, imagesSame: imagesSame && baseImages === headImages };
}

/** Every address referenced is of an unchanged head resource, or of none on either side. */
function referencesUnchanged(refs: ReadonlySet<string>, same: ReadonlySet<string>, headByAddress: ReadonlyMap<string, ResourceShape>, baseByAddress: ReadonlyMap<string, ResourceShape>): boolean {
  for (const a of refs) {
    if (headByAddress.has(a) ? !same.has(a) : baseByAddress.has(a)) return false;
  }
  return true;
}

/** A base resource that is reviewed must find what it references: those are taken out of `skipped` (and their twins out of `unchanged`). */
function reviewReferenced(b: StackInput, matching: Matching, headByAddress: ReadonlyMap<string, ResourceShape>, unchanged: Set<ResourceShape>, skipped: Set<ResourceShape>): void {
  const refs = new Set<string>();
  const work = b.resources.filter((r) => !skipped.has(r));
  while (work.length > 0) {
    const r = work.pop() as ResourceShape;
    refs.clear();
    collectReferences(r.values, refs);
    for (const a of refs) {
      const target = matching.baseByAddress.get(a);
      if (!target || !skipped.has(target)) continue;
      skipped.delete(target);
      const twin = headByAddress.get(matching.headOf.get(a) ?? '');
      if (twin) unchanged.delete(twin);
      work.push(target);
    }
  }
}
