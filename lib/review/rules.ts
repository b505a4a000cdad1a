/**
 * Compatibility re-exports only: the rules are one a file under `rules/`
 * (listed in `rules/index.ts`), their shape and shared constants in
 * `rule-definition.ts`, the suppression policy in `suppressions.ts`, the
 * image-reference grammar in `../_image-reference.ts`. `production-checks.ts`
 * imports from here.
 */
export type { RuleContext, RuleDefinition } from './rule-definition';
export { findRule, RULES } from './rules/index';
export { isSmallBase } from './rules/large-base-image';
export { looksSecret } from './secret-names';
export { INVALID_SUPPRESSION, INVALID_SUPPRESSION_RULE, MIN_REASON_CHARS, suppressionProblem } from './suppressions';
