/**
 * The comparisons of the review of a change (`diff.ts`) that read one
 * container or Swarm service and its match: exposure (`diff-exposure.ts`),
 * hardening dropped (here: host namespaces, read-only root, capabilities,
 * no-new-privileges, privileged, confinement, memory, health check, restart
 * policy, user), the supply chain (`diff-images.ts`) and secrets moved to
 * literals (here). A Swarm service is read as the container its tasks run
 * (`serviceTaskView`), so that services get the same categories as containers:
 * attributes a task cannot have (namespaces but the `host` network, privileged,
 * `security_opts`, `rm`) are absent from its view and compare as unchanged.
 */
import { SUPERVISOR_LABEL } from '../_labels';
import { compareNetworkJoins, comparePorts, sameStrings } from './diff-exposure';
import { compareImages } from './diff-images';
import { ChangeCategory, ChangeEffect, ChangeSeverity, ChangeSink, DraftChange, Emit, ServiceContext, ServiceSide } from './diff-model';
import { RuleId } from './model';
import {
  attributeName, capabilityName, DANGEROUS_CAPABILITIES, ROOT_USER, RuleContext, runToCompletionBy,
} from './rule-definition';
import { confinementDisabled } from './rules/confinement-disabled';
import { HOST_NAMESPACES } from './rules/host-namespace';
import { setsNoNewPrivileges } from './rules/no-new-privileges-missing';
import { looksSecret } from './secret-names';
import { block, isInterpolated, isLiteral, isTrue, JsonObject, labelValue, str, strings } from './values';

/** A memory limit raised by more than this factor is reported (a limit that no longer limits much). */
export const MEMORY_RAISE_FACTOR = 4;

/** A worse change of a service that base and head both have. */
type Worse = (category: ChangeCategory, severity: ChangeSeverity, what: string, why: string, rule?: string) => void;

/**
 * The changes between two versions of a container or service; `base` undefined for one the
 * head adds (then only its published ports and networks are compared, with nothing).
 */
export function compareService(base: ServiceSide | undefined, head: ServiceSide, ctx: ServiceContext, emit: ChangeSink): void {
  const change: Emit = (category, severity, effect, what, why, rule) => {
    const c: DraftChange = { category, severity, effect, resource: head.resource.address, service: head.summary.name, what, why, rule, constructPath: head.resource.constructPath };
    if (base && base.resource.address !== head.resource.address) c.baseResource = base.resource.address;
    emit(c);
  };
  const worse: Worse = (category, severity, what, why, rule) => change(category, severity, ChangeEffect.WORSE, what, why, rule);
  comparePorts(base?.summary, head, change);
  compareNetworkJoins(base, head, ctx, change);
  if (!base) return;
  compareNamespaces(base, head, worse);
  compareCapabilities(base, head, worse);
  compareConfinement(base, head, worse);
  compareLimits(base, head, worse);
  compareUser(base, head, worse);
  compareImages(base, head, ctx, change);
  compareSecretEnv(base, head, ctx, change);
}

/** Host networking and the other host namespaces newly shared. */
function compareNamespaces(base: ServiceSide, head: ServiceSide, worse: Worse): void {
  const bv = base.values;
  const hv = head.values;
  // A service shares the node's network by joining its `host` network (a task has no network_mode).
  if (head.service !== undefined && head.summary.networks.includes('host') && !base.summary.networks.includes('host')) {
    worse(ChangeCategory.EXPOSURE, ChangeSeverity.ERROR, `${attributeName(head.view, 'networks_advanced')} joins the "host" network`, "the tasks share each node's network stack: they bind the node's interfaces directly, past published ports and network isolation", RuleId.HOST_NAMESPACE);
  }
  for (const { attribute, means } of HOST_NAMESPACES) {
    if (str(hv[attribute])?.toLowerCase() === 'host' && str(bv[attribute])?.toLowerCase() !== 'host') {
      worse(ChangeCategory.EXPOSURE, ChangeSeverity.ERROR, `${attribute} = "host" added (was ${str(bv[attribute]) ? `"${str(bv[attribute])}"` : 'unset'})`, means, RuleId.HOST_NAMESPACE);
    }
  }
}

/** A read-only root turned off, capabilities added (dangerous ones as errors), ALL no longer dropped. */
function compareCapabilities(base: ServiceSide, head: ServiceSide, worse: Worse): void {
  const H = ChangeCategory.HARDENING;
  const bv = base.values;
  const hv = head.values;
  if (isTrue(bv.read_only) && !isTrue(hv.read_only)) {
    worse(H, ChangeSeverity.WARNING, `${attributeName(head.view, 'read_only')} turned off (was true)`, "the root filesystem is writable again: an attacker can change the image's files and persist in the container", RuleId.WRITABLE_ROOT_FILESYSTEM);
  }
  const baseCaps = block(bv.capabilities);
  const headCaps = block(hv.capabilities);
  const headAdd = strings(headCaps?.add);
  if (headAdd.length > 0) {
    const addedBefore = new Set(strings(baseCaps?.add).filter((c) => !isInterpolated(c)).map(capabilityName));
    for (const cap of headAdd) {
      if (isInterpolated(cap)) continue;
      const name = capabilityName(cap);
      if (addedBefore.has(name)) continue;
      addedBefore.add(name); // once per name
      const shown = name === 'ALL' ? 'ALL' : `CAP_${name}`;
      const dangerous = DANGEROUS_CAPABILITIES.get(name);
      if (dangerous) worse(H, ChangeSeverity.ERROR, `capability ${shown} added`, dangerous, RuleId.DANGEROUS_CAPABILITY_ADDED);
      else worse(H, ChangeSeverity.WARNING, `capability ${shown} added`, 'root in the container can do more than in the base');
    }
  }
  const dropsAll = (caps: JsonObject | undefined) => strings(caps?.drop).some((c) => capabilityName(c) === 'ALL');
  if (dropsAll(baseCaps) && !dropsAll(headCaps)) {
    worse(H, ChangeSeverity.WARNING, `${attributeName(head.view, 'capabilities.drop')} no longer drops ALL`, "the container gets Docker's default capabilities back (CHOWN, DAC_OVERRIDE, NET_RAW, SETUID, SETGID...)", RuleId.CAPABILITIES_NOT_DROPPED);
  }
}

/** Rules here read no context (confinement-disabled reads only the resource). */
const NO_CONTEXT: RuleContext = {
  resolve: () => undefined,
  imageOf: () => ({}),
  builtStage: () => undefined,
  imageNamed: () => undefined,
};

/** no-new-privileges dropped, privileged turned on, confinement disabled (judged as `confinement-disabled` judges it). */
function compareConfinement(base: ServiceSide, head: ServiceSide, worse: Worse): void {
  const H = ChangeCategory.HARDENING;
  const bv = base.values;
  const hv = head.values;
  const optsChanged = !sameStrings(strings(bv.security_opts), strings(hv.security_opts));
  if (optsChanged && setsNoNewPrivileges(bv) && !setsNoNewPrivileges(hv)) worse(H, ChangeSeverity.WARNING, 'security_opts no longer sets no-new-privileges', 'a process can gain privileges again through setuid and setgid binaries', RuleId.NO_NEW_PRIVILEGES_MISSING);
  if (isTrue(hv.privileged) && !isTrue(bv.privileged)) worse(H, ChangeSeverity.ERROR, 'privileged turned on', 'root in the container is root on the host: every capability and all host devices', RuleId.PRIVILEGED_CONTAINER);
  // A container's confinement is in security_opts; a service's in its own privileges block (not in its task view).
  if (head.service === undefined && !optsChanged) return;
  const before = new Set(confinementDisabled.check(base.view, NO_CONTEXT));
  for (const message of confinementDisabled.check(head.view, NO_CONTEXT)) {
    if (before.has(message)) continue;
    const cut = message.lastIndexOf('; ');
    worse(H, ChangeSeverity.ERROR, `confinement disabled: ${cut > 0 ? message.slice(0, cut) : message}`, "the kernel's confinement of the container is off: an exploit in it meets no second wall", RuleId.CONFINEMENT_DISABLED);
  }
}

/** The memory limit removed or raised a lot, the health check removed, the restart policy turned off. */
function compareLimits(base: ServiceSide, head: ServiceSide, worse: Worse): void {
  const H = ChangeCategory.HARDENING;
  const b = base.summary;
  const h = head.summary;
  const hv = head.values;
  if (b.memoryMiB !== undefined) {
    if (h.memoryMiB === undefined) {
      worse(H, ChangeSeverity.WARNING, `memory limit removed (was ${b.memoryMiB} MiB)`, 'one container can exhaust the host and get its neighbours killed', RuleId.NO_MEMORY_LIMIT);
    } else if (h.memoryMiB > b.memoryMiB * MEMORY_RAISE_FACTOR) {
      worse(H, ChangeSeverity.WARNING, `memory limit raised from ${b.memoryMiB} MiB to ${h.memoryMiB} MiB (${round(h.memoryMiB / b.memoryMiB)}×)`, `more than ${MEMORY_RAISE_FACTOR}× the base's limit: a leak or a load spike takes that much of the host before the kernel stops it`);
    }
  }
  const completes = runToCompletionBy(hv) !== undefined;
  if (b.healthcheck && !h.healthcheck && !completes) {
    worse(H, ChangeSeverity.WARNING, 'health check removed', 'Docker and Terraform can no longer tell a hung service from a healthy one, and dependents cannot wait for it', RuleId.NO_HEALTH_CHECK);
  }
  const supervised = labelValue(hv.labels, SUPERVISOR_LABEL) === 'systemd';
  if (b.restart && !h.restart && !completes && !supervised && !isTrue(hv.rm)) {
    worse(H, ChangeSeverity.WARNING, `restart policy off (was ${b.restart})`, 'a crash or a reboot leaves the service down', RuleId.NO_RESTART_POLICY);
  }
}

/** The user changed to root, or no longer set. */
function compareUser(base: ServiceSide, head: ServiceSide, worse: Worse): void {
  const H = ChangeCategory.HARDENING;
  const bv = base.values;
  const hv = head.values;
  const bu = str(bv.user);
  const hu = str(hv.user);
  const userAttr = attributeName(head.view, 'user');
  if (bu !== hu && !isInterpolated(bu) && !isInterpolated(hu)) {
    const wasRoot = bu !== undefined && bu !== '' && ROOT_USER.test(bu);
    const isRoot = hu !== undefined && hu !== '' && ROOT_USER.test(hu);
    if (isRoot && !wasRoot) {
      const explicit = bu !== undefined && bu !== '';
      worse(H, explicit ? ChangeSeverity.ERROR : ChangeSeverity.WARNING, `${userAttr} changed to root ("${hu}", was ${explicit ? `"${bu}"` : 'unset'})`, 'the service runs as UID 0, which without user namespace remapping is root on the host kernel', RuleId.USER_NOT_SET);
    } else if ((hu === undefined || hu === '') && bu !== undefined && bu !== '' && !wasRoot) {
      worse(H, ChangeSeverity.WARNING, `${userAttr} no longer set (was "${bu}")`, "the service runs as the image's default user, often root", RuleId.USER_NOT_SET);
    }
  }
}

function round(x: number): string {
  return String(Math.round(x * 10) / 10);
}

const VARIABLE = /\$\{var\.([A-Za-z0-9_-]+)\}/;

/** Environment variables whose base value came from a Terraform variable and whose head value is a literal. */
function compareSecretEnv(base: ServiceSide, head: ServiceSide, ctx: ServiceContext, change: Emit): void {
  const headEnv = strings(head.values.env);
  if (headEnv.length === 0 || sameStrings(strings(base.values.env), headEnv)) return;
  const before = new Map<string, string>();
  for (const entry of strings(base.values.env)) {
    const eq = entry.indexOf('=');
    if (eq > 0 && entry.includes('${var.', eq)) before.set(entry.slice(0, eq), entry.slice(eq + 1));
  }
  if (before.size === 0) return;
  const attr = attributeName(head.view, 'env');
  for (const entry of headEnv) {
    const eq = entry.indexOf('=');
    if (eq <= 0) continue;
    const name = entry.slice(0, eq);
    const old = before.get(name);
    if (old === undefined || !isLiteral(entry.slice(eq + 1))) continue;
    const variable = VARIABLE.exec(old)?.[1] ?? '?';
    const sensitive = ctx.sensitive(variable);
    const secretName = looksSecret(name);
    const severity = sensitive === true || secretName ? ChangeSeverity.ERROR : ChangeSeverity.WARNING;
    const from = sensitive === true ? 'a sensitive variable' : sensitive === false ? 'a variable not declared sensitive' : 'a variable';
    change(ChangeCategory.SECRETS, severity, ChangeEffect.WORSE, `${attr} ${name} moved from \${var.${variable}} (${from}) to a literal value`,
      `the value now sits in the code, the plan, the state and \`docker inspect\`${severity === ChangeSeverity.WARNING ? ' (check that it is no secret)' : ''}`,
      secretName ? RuleId.LITERAL_SECRET_ENV : undefined);
  }
}
