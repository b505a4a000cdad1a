/**
 * The suppression policy: which suppressions are acceptable (a known rule id
 * and a real reason), shared by `ProductionChecks.suppress` (which throws) and
 * the engine (which reports an `invalid-suppression` finding for one in JSON).
 */
import { RuleId, RuleInfo, Severity } from './model';
import { findRule, RULES } from './rules/index';

/** The id of the meta finding for suppressions that name an unknown rule or give no real reason. */
export const INVALID_SUPPRESSION: string = RuleId.INVALID_SUPPRESSION;

/** The meta rule reported for invalid suppressions found in JSON (never suppressible). */
export const INVALID_SUPPRESSION_RULE: RuleInfo = {
  id: INVALID_SUPPRESSION,
  severity: Severity.WARNING,
  reason: 'A suppression in the JSON names an unknown rule or gives no real reason; it is ignored.',
  source: 'cdktf-docker-production review',
};

const TRIVIAL_WORDS = new Set([
  'todo', 'tbd', 'fixme', 'xxx', 'n/a', 'na', 'none', 'ok', 'okay', 'fine', 'ignore', 'ignored', 'skip', 'wip', 'temp',
  'temporary', 'later', 'test', 'testing', 'because', 'whatever', 'yes', 'no', 'nothing', 'reason', 'suppress', 'suppressed',
]);

/** The minimum number of non-space characters of a suppression reason. */
export const MIN_REASON_CHARS = 10;

/** Why a suppression is not acceptable, or undefined when it is. */
export function suppressionProblem(ruleId: unknown, reason: unknown): { readonly prop: 'ruleId' | 'reason'; readonly allowed: string } | undefined {
  if (typeof ruleId !== 'string' || !findRule(ruleId)) {
    return { prop: 'ruleId', allowed: `one of the rule ids: ${RULES.map((r) => r.id).join(', ')}` };
  }
  const allowed = `a reason of at least ${MIN_REASON_CHARS} non-space characters that says why the exception is acceptable (not "todo", "n/a", "ok"...)`;
  if (typeof reason !== 'string') return { prop: 'reason', allowed };
  const text = reason.trim();
  if (text.replace(/\s+/g, '').length < MIN_REASON_CHARS) return { prop: 'reason', allowed };
  const words = text.toLowerCase().split(/[\s,.;:!?()\-]+/).filter((w) => w !== '');
  if (words.length === 0 || words.every((w) => TRIVIAL_WORDS.has(w)) || /^(todo|tbd|fixme|xxx)\b/.test(words[0])) {
    return { prop: 'reason', allowed };
  }
  return undefined;
}
