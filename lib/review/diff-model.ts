/**
 * The types of the review of a change (`diff.ts`): categories, severities and
 * effects of a change, the JSON shape of the command's `--base` report, the
 * order changes are listed in, and what the comparisons of one container or
 * service (`diff-services.ts`, `diff-exposure.ts`, `diff-images.ts`) share.
 * No code beyond the enums and ranks (the review command must start fast).
 */
import type { NetworkGraph } from './diff-exposure';
import type { Finding, ResourceShape, ServiceSummary, StackReview } from './model';
import type { JsonObject } from './values';

/** What a change is about. */
export enum ChangeCategory {
  /** Who can reach the service: published ports, networks, host networking and namespaces. */
  EXPOSURE = 'exposure',
  /** A protection the base had and the head drops. */
  HARDENING = 'hardening',
  /** What image runs: pinning, the base of a built image. */
  SUPPLY_CHAIN = 'supply-chain',
  /** A secret that becomes a literal, a literal credential added. */
  SECRETS = 'secrets',
  /** A suppression added, changed or removed. */
  SUPPRESSIONS = 'suppressions',
  /** A finding of the rule pack that only the head (new) or only the base (resolved) has. */
  FINDINGS = 'findings',
  /** A container or service added, removed, or whose address changed. */
  SERVICES = 'services',
}

/** How much a change matters; `--fail-on` compares against it. */
export enum ChangeSeverity {
  ERROR = 'error',
  WARNING = 'warning',
  INFO = 'info',
}

/** Which way a change goes. Only worse changes fail the command. */
export enum ChangeEffect {
  WORSE = 'worse',
  BETTER = 'better',
  NEUTRAL = 'neutral',
}

/** One change between base and head. Keys are the JSON report's. */
export interface Change {
  readonly category: ChangeCategory;
  readonly severity: ChangeSeverity;
  readonly effect: ChangeEffect;
  /** Terraform address in the head (in the base, for what the head no longer has). */
  readonly resource: string;
  /** The base's address when it differs from the head's (a renamed logical id under the same construct path). */
  readonly baseResource?: string;
  /** The container's or service's name, for a change of one. */
  readonly service?: string;
  /** What changed, on one line. */
  readonly what: string;
  /** Why it matters, on one line. */
  readonly why: string;
  /** The rule of the pack that judges the same thing, when one does. */
  readonly rule?: string;
  /** The reason of the head's suppression of `rule` on the resource, which makes a worse change `info`. */
  readonly suppressionReason?: string;
  /** Construct path, when known. */
  readonly constructPath?: string;
}

/** The changes of one stack. */
export interface StackDiff {
  /** Stack name. */
  readonly name: string;
  /** `added` / `removed`: the stack is only in the head / the base; else `changed` when it has changes, `unchanged` otherwise. */
  readonly status: 'changed' | 'unchanged' | 'added' | 'removed';
  /** How many containers and services each side has. */
  readonly services: { readonly base: number; readonly head: number };
  /** Every change, worse first (by severity), then better, then neutral. */
  readonly changes: Change[];
  /** Findings only the head has (including those a change already reports). */
  readonly newFindings: Finding[];
  /** Findings only the base has. */
  readonly resolvedFindings: Finding[];
}

/** The review of a change: the command's `--base` JSON output has these stacks. */
export interface ReviewDiff {
  readonly stacks: StackDiff[];
}

/** What the diff returns: the diff, and the head's reviews (for the topology of the head). */
export interface DiffResult {
  readonly diff: ReviewDiff;
  readonly head: StackReview[];
  /** How many containers and services the change left alone, whose base review was taken from the head's. */
  readonly reused: number;
}

/** A change while the diff is assembled: its severity may still go up (a covered finding) or down (a suppression). */
export type DraftChange = { -readonly [K in keyof Change]: Change[K] } & {
  /** For a suppression change: the rule whose new findings on the resource it stands for (`invalid-suppression` for an ignored one). */
  covers?: string;
};

/** Where the comparisons put their changes. */
export type ChangeSink = (change: DraftChange) => void;

/** Severities from the worst (`--fail-on` compares by it). */
export const SEVERITY_RANK: Readonly<Record<ChangeSeverity, number>> = { error: 0, warning: 1, info: 2 };
/** Worse changes first, then better, then neutral. */
export const EFFECT_RANK: Readonly<Record<ChangeEffect, number>> = { worse: 0, better: 1, neutral: 2 };
/** Within an effect and severity, by category in this order. */
export const CATEGORY_RANK: Readonly<Record<ChangeCategory, number>> = {
  exposure: 0, hardening: 1, 'supply-chain': 2, secrets: 3, suppressions: 4, findings: 5, services: 6,
};

/** A container or Swarm service of one side. */
export interface ServiceSide {
  /** The resource as synthesized. */
  readonly resource: ResourceShape;
  /** What the rules read: the resource, or a service's task view. */
  readonly view: ResourceShape;
  /** The view's values (container vocabulary). */
  readonly values: JsonObject;
  /** A Swarm service's own values. */
  readonly service?: JsonObject;
  /** The review's summary of it. */
  readonly summary: ServiceSummary;
}

/** What a side gives the comparison of a service. */
export interface SideFacts {
  readonly graph: NetworkGraph;
  readonly resources: ReadonlyMap<string, ResourceShape>;
}

/** What the comparison of a service reads beyond the two resources. */
export interface ServiceContext {
  readonly base: SideFacts;
  readonly head: SideFacts;
  /** Whether a variable of the base is declared sensitive (undefined when unknown). */
  readonly sensitive: (variable: string) => boolean | undefined;
}

/** How the comparisons of one service report a change of it (the service and its construct path filled in). */
export type Emit = (category: ChangeCategory, severity: ChangeSeverity, effect: ChangeEffect, what: string, why: string, rule?: string) => void;
