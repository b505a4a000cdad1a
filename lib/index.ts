export * from './errors';
export * from './docker-host';
export * from './registry-credentials';
export * from './secret';
export * from './service-network';
export * from './overlay-network';
export * from './data-volume';
export * from './container-image';
export * from './minimal-image';
export * from './restart-policy';
export * from './port-mapping';
export * from './healthcheck';
export * from './service-container';
export * from './service-port';
export * from './swarm-secret';
export * from './swarm-config';
export * from './swarm-service';
export * from './registry-push';
export * from './systemd-units';
export * from './compose-project';
export { ProductionChecks, ProductionChecksProps, PRODUCTION_REVIEW_FILE } from './production-checks';
// From the modules themselves, not the review's index: loading the library does not load what only the review command needs.
export { RuleId, Severity } from './review/model';
export { PRODUCTION_CHECKS_KEY } from './review/normalize';
// The review's report model: jsii-compatible types are part of every language's API (ProductionChecks.RULES,
// ProductionChecks.findingsOf); the others (a plan's action counts, the service table) are TypeScript only:
// other languages run the review command and read its JSON.
export type { RuleInfo, Finding, SuppressionEntry } from './review';
import type * as review from './review';
/** @jsii ignore TypeScript only (the review command's JSON report in other languages). */
export type PublishedPort = review.PublishedPort;
/** @jsii ignore TypeScript only (the review command's JSON report in other languages). */
export type MountedPath = review.MountedPath;
/** @jsii ignore TypeScript only (the review command's JSON report in other languages). */
export type ServiceSummary = review.ServiceSummary;
/** @jsii ignore TypeScript only (the review command's JSON report in other languages). */
export type StackReview = review.StackReview;
/** @jsii ignore TypeScript only (the review command's JSON report in other languages). */
export type ReviewReport = review.ReviewReport;
/** @jsii ignore TypeScript only (the review command's JSON report in other languages). */
export type PlanActions = review.PlanActions;
/** @jsii ignore TypeScript only (the review command's JSON report in other languages). */
export type PlannedReplacement = review.PlannedReplacement;
/** @jsii ignore TypeScript only (the review command's JSON report in other languages). */
export type PlannedDeletion = review.PlannedDeletion;
