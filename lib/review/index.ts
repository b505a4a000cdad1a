/**
 * Public surface of the review for the package index (no cdktf imports here:
 * the command `cdktf-docker-review` is `lib/review/cli.ts`).
 */
export { Severity } from './model';
export type {
  RuleInfo, Finding, PublishedPort, MountedPath, ServiceSummary, StackReview, ReviewReport, SuppressionEntry,
  PlanActions, PlannedReplacement, PlannedDeletion,
} from './model';
export { PRODUCTION_CHECKS_KEY } from './normalize';
