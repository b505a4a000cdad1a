/**
 * The review of a change: what got less safe between two syntheses (or plans)
 * of an app, the base (before the pull request) and the head (after it).
 *
 * Stacks are matched by name (when each side has one stack, those two whatever
 * their names: a plan file's stack is named after the file). Resources are matched by construct path (cdktf's
 * `//.metadata.path`) where both sides have one, else by Terraform address, so a
 * renamed logical id under the same construct path is one resource whose address
 * changed, not one removed and one added (`diff-match.ts`). Both sides are reviewed with the rule
 * pack (each side's stacks together, as the snapshot review does); then, per
 * stack (`diff-stack.ts`):
 *
 * - each container and Swarm service (read as the container its tasks run,
 *   `serviceTaskView`) is compared with its match: exposure, hardening, supply
 *   chain and secrets (`diff-services.ts`, `diff-exposure.ts`, `diff-images.ts`);
 * - each network (internal turned off) and built image (a larger base) is
 *   compared with its match;
 * - every suppression added, or whose reason changed, is reported with its reason;
 * - the findings of the two reviews are matched by rule, matched resource and
 *   message: what only the head has is new, what only the base has is resolved
 *   (`diff-findings.ts`);
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
 * Imports no cdktf module. Loaded by the command only with `--base`.
 */
import { declaredNetworks } from './diff-exposure';
import { matchResources, Matching, reusable } from './diff-match';
import { Change, ChangeEffect, ChangeSeverity, DiffResult, ReviewDiff, SEVERITY_RANK, StackDiff } from './diff-model';
import { diffStack } from './diff-stack';
import { DockerfileCache } from './dockerfile';
import { reviewStacks } from './engine';
import { ResourceShape, StackInput } from './model';

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

const NO_RESOURCES: readonly ResourceShape[] = [];
const NO_UNCHANGED: ReadonlySet<ResourceShape> = new Set();

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
  const { unchanged, reviewedBase } = options.reuse !== false ? reuse(base, head, baseIndex, matchings) : { unchanged: head.map(() => NO_UNCHANGED), reviewedBase: base };
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

/**
 * Containers and services the change leaves alone (`reusable`): per head stack, those whose
 * base review is the head's; and the base stacks without their twins, to be reviewed.
 */
function reuse(
  base: readonly StackInput[], head: readonly StackInput[], baseIndex: ReadonlyMap<string, number>, matchings: readonly Matching[],
): { unchanged: ReadonlySet<ResourceShape>[]; reviewedBase: readonly StackInput[] } {
  const unchanged: ReadonlySet<ResourceShape>[] = head.map(() => NO_UNCHANGED);
  const skipped = base.map(() => NO_UNCHANGED);
  head.forEach((h, i) => {
    const j = baseIndex.get(h.name);
    if (j === undefined) return;
    const r = reusable(base[j], h, matchings[i]);
    unchanged[i] = r.unchanged;
    skipped[j] = r.skipped;
  });
  const reviewedBase = base.map((s, j) => (skipped[j].size === 0 ? s : { ...s, resources: s.resources.filter((r) => !skipped[j].has(r)) }));
  return { unchanged, reviewedBase };
}
