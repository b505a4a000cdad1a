/**
 * The review engine: runs the rule pack over one stack's docker resources,
 * applies the suppressions the resources carry, and puts the stack's review
 * together with the service table and the plan's actions (`summary.ts`).
 * Linear in the number of resources; Dockerfiles are read once per path.
 * A rule that throws on a resource becomes an error finding of that rule
 * (`rule <id> failed on <address>: <error>`); the other rules still run.
 *
 * What a rule may ask about the rest of the stack (`RuleContext`) is answered
 * by one `StackContext` per stack: references resolved in the stack or, through
 * cross-stack references, in another one; images and built stages read once.
 */
import { readableRemoteReference, StackLinks } from './cross-stack';
import { BuiltStage, DockerfileCache, readBuiltStage } from './dockerfile';
import { Finding, ResourceShape, RuleInfo, Severity, StackInput, StackReview } from './model';
import { RuleContext, RuleDefinition } from './rule-definition';
import { RULES } from './rules/index';
import { serviceTaskView } from './service-task';
import { DisplayNames, planActions, summarizeServices } from './summary';
import { INVALID_SUPPRESSION_RULE, suppressionProblem } from './suppressions';
import { isLiteral, referencedAddress } from './values';
import { getOrCreate } from '../_collections';

/** Options of a review run. */
export interface ReviewOptions {
  /** Share parsed Dockerfiles between stacks (and runs). */
  readonly dockerfiles?: DockerfileCache;
  /** The other stacks of the review, to follow cross-stack references into (`reviewStacks` sets it). */
  readonly links?: StackLinks;
  /** The rules to run, in this order (suppressions still name the pack's rule ids). @default RULES (the pack) */
  readonly rules?: readonly RuleDefinition[];
}

/**
 * Reviews the stacks of one synthesized app (or one file) together: a value one
 * stack reads from another through `data.terraform_remote_state` is followed to
 * the producing stack's resource.
 */
export function reviewStacks(stacks: readonly StackInput[], options: ReviewOptions = {}): StackReview[] {
  const shared: ReviewOptions = {
    dockerfiles: options.dockerfiles ?? new DockerfileCache(),
    links: options.links ?? new StackLinks(stacks),
    rules: options.rules,
  };
  return stacks.map((s) => reviewStack(s, shared));
}

/** Reviews one stack. */
export function reviewStack(input: StackInput, options: ReviewOptions = {}): StackReview {
  const context = new StackContext(input, options.links, options.dockerfiles ?? new DockerfileCache());
  // One order whatever the input's (cdk.tf.json groups by type, plans sort by address): by address.
  // Sorting the resources once orders both the findings (rule order within a resource) and the services.
  const ordered = input.resources.slice().sort(byAddressOrder);
  const findings = runRules(ordered, rulesByType(options.rules ?? RULES), context);
  const services = summarizeServices(ordered, context, context);
  if (input.changes) return { name: input.name, services, findings, plan: planActions(input.changes) };
  return { name: input.name, services, findings };
}

/** Unsuppressed error findings. */
export function blockingFindings(review: StackReview): Finding[] {
  return review.findings.filter((f) => f.severity === Severity.ERROR && !f.suppressed);
}

/** Per rule list (the pack, or one a caller gives): its rules by resource type, in list order. */
const RULES_BY_TYPE = new WeakMap<readonly RuleDefinition[], Map<string, RuleDefinition[]>>();

function rulesByType(rules: readonly RuleDefinition[]): Map<string, RuleDefinition[]> {
  return getOrCreate(RULES_BY_TYPE, rules, () => {
    const byType = new Map<string, RuleDefinition[]>();
    for (const rule of rules) {
      for (const type of rule.types) getOrCreate(byType, type, (): RuleDefinition[] => []).push(rule);
    }
    return byType;
  });
}

/** The findings of the rules on the resources, in the resources' order and, within one, the rules' order. */
function runRules(ordered: readonly ResourceShape[], rulesOfType: Map<string, RuleDefinition[]>, ctx: RuleContext): Finding[] {
  const findings: Finding[] = [];
  // Indexed loops on purpose: this runs once per process over thousands of resources, mostly before the JIT warms up.
  for (let i = 0; i < ordered.length; i++) {
    const r = ordered[i];
    const suppressed = suppressionsOf(r, findings);
    const rules = rulesOfType.get(r.type);
    if (!rules) continue;
    // A Swarm service is read as the container its tasks run (with its own attributes under `service`).
    const subject = r.type === 'docker_service' ? serviceTaskView(r) : r;
    for (let j = 0; j < rules.length; j++) {
      const rule = rules[j];
      let messages: string[];
      try {
        messages = rule.check(subject, ctx);
      } catch (e) {
        findings.push(ruleFailure(rule, r, e, suppressed?.get(rule.id)));
        continue;
      }
      for (let k = 0; k < messages.length; k++) findings.push(finding(rule, r, messages[k], suppressed?.get(rule.id)));
    }
  }
  return findings;
}

/**
 * The resource's valid suppressions: rule id -> the reason (the first of each rule). Each invalid
 * one becomes an `invalid-suppression` finding in `findings`. Undefined when there is none.
 */
function suppressionsOf(r: ResourceShape, findings: Finding[]): Map<string, string> | undefined {
  let suppressed: Map<string, string> | undefined;
  for (let i = 0; i < r.suppressions.length; i++) {
    const s = r.suppressions[i];
    const problem = suppressionProblem(s.rule, s.reason);
    if (problem) {
      findings.push(finding(INVALID_SUPPRESSION_RULE, r, `suppression ${JSON.stringify(s)} is ignored: ${problem.prop === 'ruleId' ? 'rule' : 'reason'} must be ${problem.allowed}`, undefined));
    } else {
      suppressed ??= new Map();
      if (!suppressed.has(s.rule)) suppressed.set(s.rule, s.reason);
    }
  }
  return suppressed;
}

function finding(rule: RuleInfo, r: ResourceShape, message: string, suppressionReason: string | undefined): Finding {
  // Fixed shape; undefined keys are left out of the JSON report.
  return {
    rule: rule.id,
    severity: rule.severity,
    resource: r.address,
    message,
    source: rule.source,
    suppressed: suppressionReason !== undefined,
    suppressionReason,
    constructPath: r.constructPath,
  };
}

/**
 * The finding for a rule that threw on a resource: an error of that rule (so that
 * the review does not pass unchecked), covered like the rule's own findings by a
 * suppression of the rule on the resource.
 */
function ruleFailure(rule: RuleDefinition, r: ResourceShape, error: unknown, suppressionReason: string | undefined): Finding {
  const info: RuleInfo = { id: rule.id, severity: Severity.ERROR, reason: rule.reason, source: rule.source };
  return finding(info, r, `rule ${rule.id} failed on ${r.address}: ${errorText(error)}`, suppressionReason);
}

/** What was thrown, as text; never throws itself. */
function errorText(error: unknown): string {
  try {
    return error instanceof Error ? error.message : String(error);
  } catch {
    return `(a thrown ${typeof error})`;
  }
}

function byAddressOrder(a: ResourceShape, b: ResourceShape): number {
  return a.address < b.address ? -1 : a.address > b.address ? 1 : 0;
}

type ImageOf = { name?: string; image?: ResourceShape };

const NO_IMAGE: ImageOf = {};

/**
 * What the rules and the summaries ask about one stack. References resolve in the stack, else
 * (with `links`) in the stack another stack's output leads to; thousands of containers share a
 * handful of image references, so each is resolved once, and each built image's stage read once.
 */
class StackContext implements RuleContext, DisplayNames {
  /** Display names by reference (for the summaries: many containers share a few networks and volumes). */
  public readonly cache = new Map<string, string>();
  private readonly byAddress = new Map<string, ResourceShape>();
  /** Resources of other stacks reached through cross-stack references, with their stack. */
  private readonly foreign = new Map<ResourceShape, StackInput>();
  private readonly stages = new Map<ResourceShape, (BuiltStage & { dockerfile: string }) | null>();
  private readonly images = new Map<string, ImageOf>();
  /** The stack's `docker_image`s by literal name, built on the first `imageNamed` call. */
  private imagesByName: Map<string, ResourceShape> | undefined;

  constructor(private readonly input: StackInput, private readonly links: StackLinks | undefined, private readonly dockerfiles: DockerfileCache) {
    const resources = input.resources;
    for (let i = 0; i < resources.length; i++) this.byAddress.set(resources[i].address, resources[i]);
  }

  public resolve(value: unknown): ResourceShape | undefined {
    const address = referencedAddress(value);
    const local = address === undefined ? undefined : this.byAddress.get(address);
    if (local || !this.links) return local;
    const remote = this.links.follow(this.input, value);
    if (remote) this.foreign.set(remote.resource, remote.stack);
    return remote?.resource;
  }

  /** How a resolved resource is shown: its literal `name`, else its resource name, prefixed with its stack when it is another's. */
  public nameOf(target: ResourceShape, fallback: string): string {
    if (isLiteral(target.values.name)) return target.values.name;
    const owner = this.foreign.get(target);
    return owner ? `${owner.name}:${fallback}` : fallback;
  }

  public imageOf(c: ResourceShape): ImageOf {
    const ref = c.values.image;
    if (typeof ref !== 'string') return NO_IMAGE;
    let entry = this.images.get(ref);
    if (!entry) {
      const image = this.resolve(ref);
      entry = image
        ? { name: this.nameOf(image, image.address), image: image.type === 'docker_image' ? image : undefined }
        : { name: readableRemoteReference(ref) ?? ref };
      this.images.set(ref, entry);
    }
    return entry;
  }

  public builtStage(image: ResourceShape): (BuiltStage & { dockerfile: string }) | undefined {
    // Keyed by the resource, not its address: an image of another stack may share an address with one of this stack.
    let entry = this.stages.get(image);
    if (entry === undefined) {
      entry = readBuiltStage(image, (this.foreign.get(image) ?? this.input).baseDir, this.dockerfiles) ?? null;
      this.stages.set(image, entry);
    }
    return entry ?? undefined;
  }

  public imageNamed(name: string): ResourceShape | undefined {
    if (!this.imagesByName) {
      const byName = new Map<string, ResourceShape>();
      const resources = this.input.resources;
      for (let i = 0; i < resources.length; i++) {
        const r = resources[i];
        if (r.type === 'docker_image' && isLiteral(r.values.name) && !byName.has(r.values.name)) byName.set(r.values.name, r);
      }
      this.imagesByName = byName;
    }
    return this.imagesByName.get(name);
  }
}
