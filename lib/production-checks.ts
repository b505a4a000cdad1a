import * as fs from 'fs';
import * as path from 'path';
import { AnnotationMetadataEntryType, IAspect, ISynthesisSession, TerraformElement, TerraformStack } from 'cdktf';
// The documented way for a construct to take part in `StackSynthesizer.synthesize` (TerraformAsset uses it too).
import { addCustomSynthesis } from 'cdktf/lib/synthesize/synthesizer';
import { Construct, IConstruct } from 'constructs';
import { fail } from './_validate';
import { DockerElement, errorMessage, isDockerElement, reviewElements } from './_elements-review';
import { Finding, RuleInfo, Severity, StackReview } from './review/model';
import { PRODUCTION_CHECKS_KEY } from './review/normalize';
import { renderJson } from './review/report';
import { RULES, suppressionProblem } from './review/rules';
import { checkKnownKeys } from './_known-keys';
import { PRODUCTION_CHECKS_PROPS_KEYS } from './_props-keys';
import { getOrCreate } from './_collections';

/** Props of `ProductionChecks`. */
export interface ProductionChecksProps {
  /**
   * Write `production-review.json` next to each stack's `cdk.tf.json`
   * (`<outdir>/stacks/<stack>/`) during synthesis.
   *
   * @default true
   */
  readonly reportFile?: boolean;
}

/** The report file written next to each stack's `cdk.tf.json`. */
export const PRODUCTION_REVIEW_FILE = 'production-review.json';

/** The override path under which suppressions travel with the synthesized JSON. */
const SUPPRESSIONS_OVERRIDE = `//.${PRODUCTION_CHECKS_KEY}.suppressions`;

/** Suppressions recorded on any construct (applied to the docker resources below it). */
const scopeSuppressions = new WeakMap<IConstruct, Map<string, string>>();
/** Suppressions written into each docker resource's JSON. */
const elementSuppressions = new WeakMap<TerraformElement, Map<string, string>>();

function writeSuppression(element: DockerElement, ruleId: string, reason: string): void {
  const current = getOrCreate(elementSuppressions, element, () => new Map<string, string>());
  if (current.get(ruleId) === reason) return;
  current.set(ruleId, reason);
  element.addOverride(SUPPRESSIONS_OVERRIDE, [...current].map(([rule, why]) => ({ rule, reason: why })));
}

/**
 * What `Annotations.of(c).addWarning()` & co. record, without capturing a stack
 * trace (it would point into this Aspect, and costs time per finding on large stacks).
 */
function annotate(target: IConstruct, level: AnnotationMetadataEntryType, message: string): void {
  target.node.addMetadata(level, message);
}

interface StackState {
  /** Docker elements visited, in visit order (deduplicated). */
  readonly elements: Set<DockerElement>;
  /** Elements that carry this Aspect's validation. */
  readonly validated: WeakSet<DockerElement>;
  /** Annotations already added (no duplicates across synth passes). */
  readonly annotated: Set<string>;
  /** Error messages per element, for the validations. */
  errors: Map<IConstruct, string[]>;
  review?: StackReview;
  /** A visit happened since the last review. */
  dirty: boolean;
  /** A validation of this Aspect ran since the last visit (errors then fail synth through the validation). */
  validationRan: boolean;
}

/**
 * The production rule pack as a cdktf Aspect:
 * `Aspects.of(stack).add(new ProductionChecks())`.
 *
 * It reviews every docker resource of the stack (the library's constructs'
 * L1 children and raw `@cdktf/provider-docker` resources alike) and the docker
 * provider configuration, in their synthesized JSON, once per synthesis and
 * after all Aspects ran:
 * - unsuppressed errors fail synth (through a validation on the resource,
 *   or an error annotation when validations are skipped), naming the rule,
 *   the Terraform address, the construct path and how to suppress;
 * - warnings become warning annotations, suppressed findings info annotations;
 * - `production-review.json` (the review command's JSON format for the stack)
 *   is written next to `cdk.tf.json`.
 *
 * With `Testing.synth(stack)` nothing is written; `Testing.synth(stack, true)`
 * runs the validations (errors throw). `reviewOf(stack)` returns the review.
 */
export class ProductionChecks implements IAspect {
  /** The report file written next to each stack's `cdk.tf.json` (`PRODUCTION_REVIEW_FILE`). */
  public static readonly REVIEW_FILE: string = PRODUCTION_REVIEW_FILE;
  /** The key under the synthesized JSON's `"//"` that carries suppressions (`PRODUCTION_CHECKS_KEY`). */
  public static readonly METADATA_KEY: string = PRODUCTION_CHECKS_KEY;

  /** The rules of the pack. */
  public static readonly RULES: RuleInfo[] = RULES.map(({ id, severity, reason, source }) => ({ id, severity, reason, source }));

  /**
   * Records a reasoned exception: findings of `ruleId` on every docker
   * resource under `construct` (the construct itself included) are reported
   * as suppressed, never as errors. The suppression travels with the
   * synthesized JSON under `"//": {"production_checks": {"suppressions": [...]}}`,
   * so the review command honours it too. Resources added under `construct`
   * later get it when the Aspect runs.
   *
   * @param construct a docker resource, a construct of this library, or any scope above them
   * @param ruleId one of the rule ids (`ProductionChecks.RULES`)
   * @param reason why the exception is acceptable: at least 10 non-space characters, not "todo", "n/a", "ok"...
   */
  public static suppress(construct: IConstruct, ruleId: string, reason: string): void {
    if (!Construct.isConstruct(construct)) {
      fail('ProductionChecks.suppress', 'construct', construct,
        'a construct (Construct.isConstruct): a docker resource, a construct of this library, or a scope above them');
    }
    const problem = suppressionProblem(ruleId, reason);
    if (problem) fail(construct.node.path || '(root)', problem.prop, problem.prop === 'ruleId' ? ruleId : reason, problem.allowed);
    const why = reason.trim();
    const own = getOrCreate(scopeSuppressions, construct, () => new Map<string, string>());
    own.set(ruleId, why);
    for (const node of construct.node.findAll()) {
      if (isDockerElement(node)) writeSuppression(node, ruleId, why);
    }
  }

  private readonly reportFile: boolean;
  private readonly states = new WeakMap<TerraformStack, StackState>();

  constructor(props: ProductionChecksProps = {}) {
    if (props === null || typeof props !== 'object') fail('ProductionChecks', 'props', props, 'an object of ProductionChecksProps (all optional)');
    checkKnownKeys('ProductionChecks', props, PRODUCTION_CHECKS_PROPS_KEYS);
    this.reportFile = props.reportFile ?? true;
  }

  /** Collects docker resources; the review itself runs once per stack after all Aspects. */
  public visit(node: IConstruct): void {
    if (TerraformStack.isStack(node)) {
      this.stateFor(node).dirty = true;
      return;
    }
    if (!isDockerElement(node)) return;
    for (const scope of node.node.scopes) {
      const own = scopeSuppressions.get(scope);
      if (own) for (const [rule, reason] of own) writeSuppression(node, rule, reason);
    }
    const state = this.stateFor(TerraformStack.of(node));
    state.elements.add(node);
    state.dirty = true;
    state.validationRan = false;
    if (!state.validated.has(node)) {
      state.validated.add(node);
      node.node.addValidation({
        validate: () => {
          this.finish(TerraformStack.of(node));
          state.validationRan = true;
          return state.errors.get(node) ?? [];
        },
      });
    }
  }

  /**
   * The review of `stack`: after a synthesis (or `Testing.synth`) it covers the
   * resources this Aspect visited; before any, every docker resource of the stack.
   *
   * TypeScript only (a plan's action counts have no jsii form): other languages use `findingsOf`.
   *
   * @jsii ignore
   */
  public reviewOf(stack: TerraformStack): StackReview {
    if (this.states.has(stack)) return this.finish(stack);
    const elements = stack.node.findAll().filter(isDockerElement);
    return reviewElements(stack, elements).review;
  }

  /** The findings of `reviewOf(stack)`, suppressed ones included (flagged `suppressed`): for every language. */
  public findingsOf(stack: TerraformStack): Finding[] {
    return this.reviewOf(stack).findings;
  }

  private stateFor(stack: TerraformStack): StackState {
    let state = this.states.get(stack);
    if (!state) {
      state = { elements: new Set(), validated: new WeakSet(), annotated: new Set(), errors: new Map(), dirty: true, validationRan: false };
      this.states.set(stack, state);
      const s = state;
      // A child construct takes part in synthesis after validations, before annotations are collected.
      let id = 'ProductionChecksReport';
      for (let i = 2; stack.node.tryFindChild(id); i++) id = `ProductionChecksReport${i}`;
      addCustomSynthesis(new Construct(stack, id), { onSynthesize: (session) => this.onSynthesize(stack, s, session) });
      // Findings without a construct path land on the stack.
      stack.node.addValidation({
        validate: () => {
          this.finish(stack);
          s.validationRan = true;
          return s.errors.get(stack) ?? [];
        },
      });
    }
    return state;
  }

  private finish(stack: TerraformStack): StackReview {
    const state = this.stateFor(stack);
    if (!state.dirty && state.review) return state.review;
    const { review: result, byAddress } = reviewElements(stack, [...state.elements]);
    const errors = new Map<IConstruct, string[]>();
    for (const f of result.findings) {
      const target = byAddress.get(f.resource) ?? stack;
      if (!f.suppressed && f.severity === Severity.ERROR) {
        const list = errors.get(target) ?? [];
        list.push(errorMessage(f, target));
        errors.set(target, list);
        continue;
      }
      const key = `${f.suppressed}|${f.rule}|${f.resource}|${f.message}`;
      if (state.annotated.has(key)) continue;
      state.annotated.add(key);
      if (f.suppressed) annotate(target, AnnotationMetadataEntryType.INFO, `[${f.rule}] suppressed on ${f.resource}: ${f.message} (reason: ${f.suppressionReason})`);
      else annotate(target, AnnotationMetadataEntryType.WARN, `[${f.rule}] ${f.resource}: ${f.message} (${f.source})`);
    }
    state.errors = errors;
    state.review = result;
    state.dirty = false;
    return result;
  }

  private onSynthesize(stack: TerraformStack, state: StackState, session: ISynthesisSession): void {
    const result = this.finish(stack);
    if (!state.validationRan) {
      // Validations were skipped: fail synth through error annotations instead.
      for (const [target, messages] of state.errors) {
        for (const message of messages) {
          const key = `error|${message}`;
          if (state.annotated.has(key)) continue;
          state.annotated.add(key);
          annotate(target, AnnotationMetadataEntryType.ERROR, message);
        }
      }
    }
    if (!this.reportFile) return;
    const dir = path.join(session.outdir, session.manifest.forStack(stack).workingDirectory);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, PRODUCTION_REVIEW_FILE), renderJson({ stacks: [result] }));
  }
}

