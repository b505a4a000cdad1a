import * as fs from 'fs';
import * as path from 'path';
import {
  AnnotationMetadataEntryType, App, DefaultTokenResolver, IAspect, ISynthesisSession, StringConcat, TerraformElement, TerraformProvider,
  TerraformResource, TerraformStack, Tokenization,
} from 'cdktf';
// The documented way for a construct to take part in `StackSynthesizer.synthesize` (TerraformAsset uses it too).
import { addCustomSynthesis } from 'cdktf/lib/synthesize/synthesizer';
import { Construct, IConstruct } from 'constructs';
import { fail } from './_validate';
import { reviewStack } from './review/engine';
import { Finding, RuleInfo, Severity, StackReview } from './review/model';
import { fromTerraformJson, PRODUCTION_CHECKS_KEY } from './review/normalize';
import { renderJson } from './review/report';
import { findRule, RULES, suppressionProblem } from './review/rules';
import { isObject, JsonObject } from './review/values';

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

type DockerElement = TerraformResource | TerraformProvider;

/** Suppressions recorded on any construct (applied to the docker resources below it). */
const scopeSuppressions = new WeakMap<IConstruct, Map<string, string>>();
/** Suppressions written into each docker resource's JSON. */
const elementSuppressions = new WeakMap<TerraformElement, Map<string, string>>();

function isDockerElement(node: IConstruct): node is DockerElement {
  if (TerraformResource.isTerraformResource(node)) return node.terraformResourceType.startsWith('docker_');
  if (TerraformProvider.isTerraformProvider(node)) return node.terraformResourceType === 'docker';
  return false;
}

function writeSuppression(element: DockerElement, ruleId: string, reason: string): void {
  let current = elementSuppressions.get(element);
  if (!current) {
    current = new Map();
    elementSuppressions.set(element, current);
  }
  if (current.get(ruleId) === reason) return;
  current.set(ruleId, reason);
  element.addOverride(SUPPRESSIONS_OVERRIDE, [...current].map(([rule, why]) => ({ rule, reason: why })));
}

const RESOLVER = new DefaultTokenResolver(new StringConcat());

/**
 * What `Annotations.of(c).addWarning()` & co. record, without capturing a stack
 * trace (it would point into this Aspect, and costs time per finding on large stacks).
 */
function annotate(target: IConstruct, level: AnnotationMetadataEntryType, message: string): void {
  target.node.addMetadata(level, message);
}

function resolveIn(stack: TerraformStack, value: unknown): unknown {
  return Tokenization.resolve(value, { scope: stack, preparing: false, resolver: RESOLVER });
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
    let own = scopeSuppressions.get(construct);
    if (!own) {
      own = new Map();
      scopeSuppressions.set(construct, own);
    }
    own.set(ruleId, why);
    for (const node of construct.node.findAll()) {
      if (isDockerElement(node)) writeSuppression(node, ruleId, why);
    }
  }

  private readonly reportFile: boolean;
  private readonly states = new WeakMap<TerraformStack, StackState>();

  constructor(props: ProductionChecksProps = {}) {
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
   */
  public reviewOf(stack: TerraformStack): StackReview {
    if (this.states.has(stack)) return this.finish(stack);
    const elements = stack.node.findAll().filter(isDockerElement);
    return review(stack, elements).review;
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
    const { review: result, byAddress } = review(stack, [...state.elements]);
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

/**
 * Reviews the given docker elements of `stack` in their synthesized JSON (the
 * same input the review command reads from `cdk.tf.json`), and maps each
 * Terraform address back to its construct.
 */
function review(stack: TerraformStack, elements: DockerElement[]): { review: StackReview; byAddress: Map<string, DockerElement> } {
  const providerElements: DockerElement[] = [];
  const providers: JsonObject[] = [];
  const resources: Record<string, JsonObject> = {};
  const byAddress = new Map<string, DockerElement>();
  for (const element of elements) {
    const fragment = resolveIn(stack, element.toTerraform());
    if (!isObject(fragment)) continue;
    if (TerraformProvider.isTerraformProvider(element)) {
      const configs = isObject(fragment.provider) ? fragment.provider.docker : undefined;
      for (const config of Array.isArray(configs) ? configs : []) {
        if (!isObject(config)) continue;
        providers.push(config);
        providerElements.push(element);
      }
      continue;
    }
    if (!isObject(fragment.resource)) continue;
    for (const [type, byName] of Object.entries(fragment.resource)) {
      if (!isObject(byName)) continue;
      const ofType = (resources[type] ??= {});
      for (const name of Object.keys(byName)) {
        ofType[name] = byName[name];
        byAddress.set(`${type}.${name}`, element);
      }
    }
  }
  const input = fromTerraformJson({ provider: { docker: providers }, resource: resources }, stack.node.id, stackWorkingDirectory(stack));
  // Provider configurations come first, in the order given.
  input.resources.filter((r) => r.type === 'provider').forEach((r, i) => byAddress.set(r.address, providerElements[i]));
  return { review: reviewStack(input), byAddress };
}

/** Terraform's working directory for the stack, which relative build contexts resolve against. */
function stackWorkingDirectory(stack: TerraformStack): string {
  try {
    return path.resolve(App.of(stack).outdir, 'stacks', stack.node.id);
  } catch {
    return process.cwd();
  }
}

function errorMessage(f: Finding, target: IConstruct): string {
  return `${f.rule} (${f.resource}): ${f.message}. Why: ${findRule(f.rule)?.reason ?? ''} [${f.source}]. `
    + `If this is intended, call ProductionChecks.suppress(<the construct at ${target.node.path} or a scope above it>, '${f.rule}', '<why this is acceptable>').`;
}
