/**
 * The findings and suppressions in the review of a change (`diff.ts`): the
 * findings of the two reviews matched by rule, matched resource and message
 * (what only the head has is new, what only the base has is resolved), each
 * as a change unless a change of another category already reports it (it
 * names the rule and resource); every suppression the head adds, or whose
 * reason it changes, with its reason; and a worse change whose rule the head
 * validly suppresses on the resource made `info`.
 */
import { ChangeCategory, ChangeEffect, ChangeSeverity, ChangeSink, DraftChange, SEVERITY_RANK } from './diff-model';
import { Finding, ResourceShape, RuleId } from './model';
import { findRule } from './rules/index';
import { INVALID_SUPPRESSION_RULE, suppressionProblem } from './suppressions';

/** The rules whose new findings are literal credentials (category secrets rather than findings). */
const CREDENTIAL_RULES = new Set<string>([RuleId.LITERAL_SECRET_ENV, RuleId.LITERAL_REGISTRY_CREDENTIAL, RuleId.LITERAL_SWARM_SECRET]);

/**
 * Findings matched by rule, matched resource and message (counted: two equal findings need two).
 * A base finding's resource is read as its match's head address. Linear: per resource, the two
 * lists are compared in order, and only where they differ matched as multisets.
 */
export function findingsDelta(base: readonly Finding[], head: readonly Finding[], headOf: ReadonlyMap<string, string>): { newFindings: Finding[]; resolvedFindings: Finding[] } {
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
 * Adds to `changes` the new and resolved findings (base findings' resources read as their
 * match's head address), except new ones a worse change in `changes` already stands for:
 * that change is then made at least as severe as the finding.
 */
export function findingChanges(newFindings: readonly Finding[], resolvedFindings: readonly Finding[], headOf: ReadonlyMap<string, string>, changes: DraftChange[]): void {
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
}

/** A worse change whose rule the head validly suppresses on the resource is an accepted exception: `info`, with the reason. */
export function acceptSuppressed(changes: readonly DraftChange[], headByAddress: ReadonlyMap<string, ResourceShape>): void {
  for (const c of changes) {
    if (c.effect !== ChangeEffect.WORSE || c.rule === undefined || c.category === ChangeCategory.SUPPRESSIONS) continue;
    const reason = validSuppression(headByAddress.get(c.resource), c.rule);
    if (reason !== undefined) {
      c.severity = ChangeSeverity.INFO;
      c.suppressionReason = reason;
    }
  }
}

/** Suppressions the head adds to a resource, changes the reason of, or drops (by rule; the first of each rule counts). */
export function suppressionChanges(h: ResourceShape, b: ResourceShape | undefined, emit: ChangeSink): void {
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

/** The reason of the resource's first valid suppression of `rule`, if any. */
function validSuppression(r: ResourceShape | undefined, rule: string): string | undefined {
  if (!r) return undefined;
  for (const s of r.suppressions) if (s.rule === rule && !suppressionProblem(s.rule, s.reason)) return s.reason;
  return undefined;
}

function ruleReason(id: string): string {
  return findRule(id)?.reason ?? (id === INVALID_SUPPRESSION_RULE.id ? INVALID_SUPPRESSION_RULE.reason : `rule ${id}`);
}
