/**
 * What a rule of the pack is (`RuleDefinition`), what it may ask about the
 * rest of the stack (`RuleContext`), and the constants rule files share.
 * The rules themselves are one a file under `rules/`, listed in `rules/index.ts`.
 *
 * A rule reads one resource in the shape cdktf synthesizes (snake_case,
 * single nested blocks as objects, list blocks as arrays) and returns one
 * message per violation.
 */
import { BuiltStage } from './dockerfile';
import { ResourceShape, RuleInfo } from './model';

/** What rules may ask about the rest of the stack. */
export interface RuleContext {
  /** The resource a `${type.name.attr}` reference points to, in the same stack. */
  resolve(value: unknown): ResourceShape | undefined;
  /** The image a container runs: its display name and the `docker_image` resource when it references one. */
  imageOf(container: ResourceShape): { readonly name?: string; readonly image?: ResourceShape };
  /** The built stage of a `docker_image` with a `build` block, read from its Dockerfile when it is there. */
  builtStage(image: ResourceShape): (BuiltStage & { readonly dockerfile: string }) | undefined;
}

/** A rule: its documented facts plus the resource types it reads and its check. */
export interface RuleDefinition extends RuleInfo {
  /** Resource types it applies to (`provider` = a docker provider configuration). */
  readonly types: readonly string[];
  /** One message per violation; empty when compliant. Pure: reads only the resource and the context. */
  check(resource: ResourceShape, ctx: RuleContext): string[];
}

/** The types of the rules that read containers. */
export const CONTAINER = ['docker_container'];
/** The shared "no violation" result (never mutated): saves an allocation per compliant check. */
export const OK: string[] = [];
/** How sources name the CIS Docker Benchmark. */
export const CIS = 'CIS Docker Benchmark v1.6.0';
/** A `user` (container attribute or Dockerfile `USER`) that is root: `root`, `0`, `root:root`, `0:0`... */
export const ROOT_USER = /^(root|0)(:(root|0))?$/;
