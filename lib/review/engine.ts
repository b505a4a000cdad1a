/**
 * The review engine: runs the rule pack over one stack's docker resources,
 * applies the suppressions the resources carry, and summarises the services.
 * Linear in the number of resources; Dockerfiles are read once per path.
 * A rule that throws on a resource becomes an error finding of that rule
 * (`rule <id> failed on <address>: <error>`); the other rules still run.
 */
import * as path from 'path';
import { readableRemoteReference, StackLinks } from './cross-stack';
import { BuiltStage, DockerfileCache } from './dockerfile';
import {
  Finding, MountedPath, PlanActions, PlannedDeletion, PlannedReplacement, PublishedPort, ResourceChange, ResourceShape, RuleInfo,
  ServiceSummary, Severity, StackInput, StackReview,
} from './model';
import { RuleContext, RuleDefinition } from './rule-definition';
import { RULES } from './rules/index';
import { serviceReplicas, serviceTaskView } from './service-task';
import { INVALID_SUPPRESSION_RULE, suppressionProblem } from './suppressions';
import { block, blocks, isLiteral, isObject, isTrue, num, referencedAddress, str, strings } from './values';

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

/** Per rule list (the pack, or one a caller gives): its rules by resource type, in list order. */
const RULES_BY_TYPE = new WeakMap<readonly RuleDefinition[], Map<string, RuleDefinition[]>>();

function rulesByType(rules: readonly RuleDefinition[]): Map<string, RuleDefinition[]> {
  let byType = RULES_BY_TYPE.get(rules);
  if (!byType) {
    byType = new Map();
    for (const rule of rules) {
      for (const type of rule.types) {
        const list = byType.get(type) ?? [];
        list.push(rule);
        byType.set(type, list);
      }
    }
    RULES_BY_TYPE.set(rules, byType);
  }
  return byType;
}

/** Reviews one stack. */
export function reviewStack(input: StackInput, options: ReviewOptions = {}): StackReview {
  const dockerfiles = options.dockerfiles ?? new DockerfileCache();
  const rulesOfType = rulesByType(options.rules ?? RULES);
  const resources = input.resources;
  const byAddress = new Map<string, ResourceShape>();
  // Indexed loops on purpose: this runs once per process over thousands of resources, mostly before the JIT warms up.
  for (let i = 0; i < resources.length; i++) byAddress.set(resources[i].address, resources[i]);

  const links = options.links;
  /** Resources of other stacks reached through cross-stack references, with their stack. */
  const foreign = new Map<ResourceShape, StackInput>();
  const resolve = (value: unknown): ResourceShape | undefined => {
    const address = referencedAddress(value);
    const local = address === undefined ? undefined : byAddress.get(address);
    if (local || !links) return local;
    const remote = links.follow(input, value);
    if (remote) foreign.set(remote.resource, remote.stack);
    return remote?.resource;
  };
  /** How a resolved resource is shown: its literal `name`, else its resource name, prefixed with its stack when it is another's. */
  const nameOf = (target: ResourceShape, fallback: string): string => {
    if (isLiteral(target.values.name)) return target.values.name;
    const owner = foreign.get(target);
    return owner ? `${owner.name}:${fallback}` : fallback;
  };
  const stages = new Map<ResourceShape, (BuiltStage & { dockerfile: string }) | null>();
  // Thousands of containers share a handful of image references: resolve each once.
  const images = new Map<string, { name?: string; image?: ResourceShape }>();
  /** The stack's `docker_image`s by literal name, built on the first `imageNamed` call. */
  let imagesByName: Map<string, ResourceShape> | undefined;
  const ctx: RuleContext = {
    resolve,
    imageOf(c) {
      const ref = c.values.image;
      if (typeof ref !== 'string') return NO_IMAGE;
      let entry = images.get(ref);
      if (!entry) {
        const image = resolve(ref);
        entry = image
          ? { name: nameOf(image, image.address), image: image.type === 'docker_image' ? image : undefined }
          : { name: readableRemoteReference(ref) ?? ref };
        images.set(ref, entry);
      }
      return entry;
    },
    builtStage(image) {
      // Keyed by the resource, not its address: an image of another stack may share an address with one of this stack.
      let entry = stages.get(image);
      if (entry === undefined) {
        entry = readBuiltStage(image, (foreign.get(image) ?? input).baseDir, dockerfiles) ?? null;
        stages.set(image, entry);
      }
      return entry ?? undefined;
    },
    imageNamed(name) {
      if (!imagesByName) {
        imagesByName = new Map();
        for (let i = 0; i < resources.length; i++) {
          const r = resources[i];
          if (r.type === 'docker_image' && isLiteral(r.values.name) && !imagesByName.has(r.values.name)) imagesByName.set(r.values.name, r);
        }
      }
      return imagesByName.get(name);
    },
  };

  // One order whatever the input's (cdk.tf.json groups by type, plans sort by address): by address.
  // Sorting the resources once orders both the findings (rule order within a resource) and the services.
  const ordered = resources.slice().sort(byAddressOrder);
  const findings: Finding[] = [];
  for (let i = 0; i < ordered.length; i++) {
    const r = ordered[i];
    const rules = rulesOfType.get(r.type);
    let suppressed: Map<string, string> | undefined;
    for (const s of r.suppressions) {
      const problem = suppressionProblem(s.rule, s.reason);
      if (problem) {
        findings.push(finding(INVALID_SUPPRESSION_RULE, r, `suppression ${JSON.stringify(s)} is ignored: ${problem.prop === 'ruleId' ? 'rule' : 'reason'} must be ${problem.allowed}`, undefined));
      } else {
        suppressed ??= new Map();
        if (!suppressed.has(s.rule)) suppressed.set(s.rule, s.reason);
      }
    }
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

  const services: ServiceSummary[] = [];
  const names: DisplayNames = { cache: new Map(), resolve, nameOf };
  for (let i = 0; i < ordered.length; i++) {
    const r = ordered[i];
    if (r.type === 'docker_container') services.push(summarize(r, ctx, names));
    else if (r.type === 'docker_service') services.push(summarizeService(r, serviceTaskView(r), ctx, names));
  }
  if (input.changes) return { name: input.name, services, findings, plan: planActions(input.changes) };
  return { name: input.name, services, findings };
}

/** `action_reason`s that say why a resource is replaced when no attribute forces it. */
const REPLACE_REASONS: Record<string, string> = {
  replace_because_tainted: 'tainted',
  replace_by_request: 'requested',
  replace_by_triggers: 'triggered',
};

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** A `replace_paths` entry as an attribute path: `["ports", 0, "external"]` -> `ports[0].external`, a map key that is no name -> `labels["app.kind"]`. */
export function attributePath(steps: readonly (string | number)[]): string {
  let text = '';
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i];
    if (typeof step === 'number') text += `[${step}]`;
    else if (!IDENTIFIER.test(step)) text += `[${JSON.stringify(step)}]`;
    else text += i === 0 ? step : `.${step}`;
  }
  return text;
}

/**
 * What a plan does, from its `resource_changes`: counts per action, and the resources it
 * replaces (with the attributes forcing each) or deletes, containers named. Linear.
 */
export function planActions(changes: readonly ResourceChange[]): PlanActions {
  const counts = { create: 0, update: 0, replace: 0, delete: 0 };
  const replaced: PlannedReplacement[] = [];
  const deleted: PlannedDeletion[] = [];
  for (let i = 0; i < changes.length; i++) {
    const c = changes[i];
    const a = c.actions;
    const container = c.type === 'docker_container' ? c.name ?? c.address.slice(c.address.lastIndexOf('.') + 1) : undefined;
    if (a.length === 2 && a.includes('delete') && a.includes('create')) {
      counts.replace++;
      const forcedBy = c.replacePaths.map(attributePath);
      const reason = c.actionReason === undefined ? undefined : REPLACE_REASONS[c.actionReason];
      replaced.push({ address: c.address, container, deposed: c.deposed, forcedBy, reason });
    } else if (a.length === 1) {
      if (a[0] === 'create') counts.create++;
      else if (a[0] === 'update') counts.update++;
      else if (a[0] === 'delete') {
        counts.delete++;
        deleted.push({ address: c.address, container, deposed: c.deposed });
      }
    }
  }
  // Terraform sorts resource_changes by address; other writers may not.
  replaced.sort((x, y) => compare(x.address, y.address));
  deleted.sort((x, y) => compare(x.address, y.address));
  return { counts, replaced, deleted };
}

const NO_IMAGE: { name?: string; image?: ResourceShape } = {};

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

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function byAddressOrder(a: ResourceShape, b: ResourceShape): number {
  return a.address < b.address ? -1 : a.address > b.address ? 1 : 0;
}

/** Unsuppressed error findings. */
export function blockingFindings(review: StackReview): Finding[] {
  return review.findings.filter((f) => f.severity === Severity.ERROR && !f.suppressed);
}

/** The built stage of a `docker_image` with a literal build context, read from its Dockerfile (the review's and the diff's one reader). */
export function readBuiltStage(image: ResourceShape, baseDir: string | undefined, cache: DockerfileCache): (BuiltStage & { dockerfile: string }) | undefined {
  const build = block(image.values.build);
  const context = build ? build.context : undefined;
  if (!build || !isLiteral(context)) return undefined;
  const contextDir = path.isAbsolute(context) ? context : path.resolve(baseDir ?? process.cwd(), context);
  const name = isLiteral(build.dockerfile) ? build.dockerfile : 'Dockerfile';
  const dockerfile = path.isAbsolute(name) ? name : path.join(contextDir, name);
  const args: Record<string, string> = {};
  if (isObject(build.build_args)) {
    for (const [k, v] of Object.entries(build.build_args)) if (typeof v === 'string') args[k] = v;
  }
  const stage = cache.builtStage(dockerfile, args, str(build.target));
  return stage ? { ...stage, dockerfile } : undefined;
}

/** How the summary names networks and volumes. */
interface DisplayNames {
  /** Per reference (many containers share a few). */
  readonly cache: Map<string, string>;
  readonly resolve: (value: unknown) => ResourceShape | undefined;
  readonly nameOf: (target: ResourceShape, fallback: string) => string;
}

/** The name a network or volume reference stands for: the resource's (of this or another stack), else a readable form of the reference. */
function displayName(ref: unknown, names: DisplayNames): string | undefined {
  if (typeof ref !== 'string') return undefined;
  if (!ref.startsWith('${')) return ref;
  let name = names.cache.get(ref);
  if (name === undefined) {
    const target = names.resolve(ref);
    name = target ? names.nameOf(target, target.name) : readableRemoteReference(ref) ?? ref;
    names.cache.set(ref, name);
  }
  return name;
}

/** `network_mode` as shown: a reference to a network (or, after `container:`, to a container) reads as the resource's name. */
function networkModeName(mode: string | undefined, names: DisplayNames): string | undefined {
  if (!mode || !mode.includes('${')) return mode;
  if (mode.startsWith('container:')) return `container:${displayName(mode.slice('container:'.length), names) ?? mode}`;
  return displayName(mode, names);
}

function summarize(r: ResourceShape, ctx: RuleContext, names: DisplayNames): ServiceSummary {
  const v = r.values;
  const ports: PublishedPort[] = blocks(v.ports).map((p) => {
    const ip = str(p.ip);
    return {
      ip: ip === undefined || ip === '' ? '0.0.0.0' : ip, external: num(p.external), internal: num(p.internal), protocol: str(p.protocol) || 'tcp', publishMode: str(p.publish_mode),
    };
  });
  const networks: string[] = [];
  const joined = blocks(v.networks_advanced);
  for (let i = 0; i < joined.length; i++) {
    const n = displayName(joined[i].name, names);
    if (n !== undefined) networks.push(n);
  }
  const volumes: MountedPath[] = [];
  for (const vol of blocks(v.volumes)) {
    const target = str(vol.container_path);
    if (!target) continue;
    const hostPath = str(vol.host_path);
    const volumeName = displayName(vol.volume_name, names);
    if (hostPath) volumes.push({ type: 'bind', source: hostPath, target, readOnly: isTrue(vol.read_only) });
    else if (volumeName) volumes.push({ type: 'volume', source: volumeName, target, readOnly: isTrue(vol.read_only) });
  }
  for (const m of blocks(v.mounts)) {
    const target = str(m.target);
    const type = str(m.type) ?? 'volume';
    if (!target || type === 'tmpfs') continue;
    const source = type === 'volume' ? displayName(m.source, names) : str(m.source);
    volumes.push({ type, source, target, readOnly: isTrue(m.read_only) });
  }
  const restart = str(v.restart);
  const memory = num(v.memory);
  const hc = block(v.healthcheck);
  const test = strings(hc?.test);
  const networkMode = networkModeName(str(v.network_mode), names);
  // Fixed shape; undefined keys are left out of the JSON report.
  return {
    address: r.address,
    name: isLiteral(v.name) ? v.name : r.name,
    image: ctx.imageOf(r).name ?? '(unknown)',
    ports,
    networks,
    networkMode: networkMode || undefined,
    volumes,
    restart: restart && restart !== 'no' ? restart : undefined,
    memoryMiB: memory !== undefined && memory > 0 ? memory : undefined,
    healthcheck: hc && test.length > 0 && test[0].toUpperCase() !== 'NONE' ? test : undefined,
    dependsOn: strings(v.depends_on),
  };
}

/** A Swarm service's row: its task's container as `summarize` reads it, with the service's restart condition and replicas. */
function summarizeService(service: ResourceShape, view: ResourceShape, ctx: RuleContext, names: DisplayNames): ServiceSummary {
  const summary = summarize(view, ctx, names);
  const condition = str(block(block(service.values.task_spec)?.restart_policy)?.condition) ?? 'any';
  const { global, replicas } = serviceReplicas(service.values);
  return { ...summary, restart: condition === 'none' ? undefined : condition, kind: 'swarm-service', global: global || undefined, replicas };
}
