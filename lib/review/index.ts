/**
 * Public surface of the review for the package index (no cdktf imports here:
 * the command `cdktf-docker-review` is `lib/review/cli.ts`).
 *
 * Where things are: the rule pack is `RULES` (`rules/index.ts`, one rule a file
 * `rules/<id>.ts`, documented in `RULES.md`), each id a `RuleId`; a rule's shape
 * is `RuleDefinition` (`rule-definition.ts`); the engine is `engine.ts`, the
 * reports `report*.ts`. The review of a change (`--base`, `diff*.ts`) is the
 * command's: its modules load with `--base` only, its JSON report's types are here.
 */
export { RuleId, Severity } from './model';
export type {
  RuleInfo, Finding, PublishedPort, MountedPath, ServiceSummary, StackReview, ReviewReport, SuppressionEntry,
  PlanActions, PlannedReplacement, PlannedDeletion, ResourceShape,
} from './model';
export { PRODUCTION_CHECKS_KEY } from './normalize';

// The rule pack.
export type { RuleContext, RuleDefinition } from './rule-definition';
export { findRule, RULES } from './rules/index';

// The review of a change: the `--base --format json` report.
export { ChangeCategory, ChangeEffect, ChangeSeverity } from './diff-model';
export type { Change, ReviewDiff, StackDiff } from './diff-model';
