/**
 * Health checks and dependencies: a service's `healthcheck` (a `Healthcheck` of whole seconds, or
 * disabled), its `depends_on` (started or healthy; `service_healthy` needs the dependency's health
 * check), and the creation order of the services (each after its dependencies; a cycle refused).
 */
import { ServiceDraft } from './draft';
import { HealthcheckModel, ServiceModel } from './model';
import { HealthState, LoadContext } from './load-context';
import { Mutable, Reader, isMap } from './reader';
import { PlainMap } from './source';

// ------------------------------------------------------------------------------------------------
// Health check

/** Whether a service declares a health check (read before the services, for `service_healthy`); its syntax is judged with the service. */
export function healthState(def: PlainMap): HealthState {
  const h = def.healthcheck;
  if (!isMap(h)) return 'none';
  if (h.disable === true) return 'disabled';
  if (Array.isArray(h.test) && h.test[0] === 'NONE') return 'disabled';
  return h.test === undefined ? 'none' : 'check';
}

/** The service's health check; a disabled one is a setting on the L1 container (it overrides the image's). */
export function readHealthcheck(d: ServiceDraft): HealthcheckModel | undefined {
  if (d.def.healthcheck === undefined) return undefined;
  const h = healthcheck(d.r, `${d.p}.healthcheck`, d.def.healthcheck);
  if (h === 'disabled') {
    d.set('put', 'putHealthcheck', { test: ['NONE'] }, 'healthcheck.disable');
    return undefined;
  }
  if (h !== undefined) d.src('healthcheck', `${d.p}.healthcheck`);
  return h;
}

function healthcheck(r: Reader, p: string, v: unknown): HealthcheckModel | 'disabled' | undefined {
  if (!isMap(v)) r.fail(p, v, 'a mapping with test, interval, timeout, retries, start_period');
  const out: Mutable<HealthcheckModel> = { kind: 'command' };
  let disabled = false;
  let hasTest = false;
  for (const [k, val] of Object.entries(v)) {
    const kp = `${p}.${k}`;
    switch (k) {
      case 'test':
        hasTest = true;
        if (healthTest(r, kp, val, out) === 'disabled') disabled = true;
        break;
      case 'interval': out.intervalSeconds = r.wholeSeconds(kp, val, 1, 86400); break;
      case 'timeout': out.timeoutSeconds = r.wholeSeconds(kp, val, 1, 3600); break;
      case 'start_period': out.startPeriodSeconds = r.wholeSeconds(kp, val, 0, 86400); break;
      case 'start_interval': out.startIntervalSeconds = r.wholeSeconds(kp, val, 1, 86400); break;
      case 'retries': out.retries = r.integer(kp, val, 1, 100); break;
      case 'disable':
        if (r.bool(kp, val)) disabled = true;
        break;
      default:
        if (!k.startsWith('x-')) r.fail(kp, k, 'test, interval, timeout, retries, start_period, start_interval or disable', true);
    }
  }
  if (disabled) return 'disabled';
  if (!hasTest) {
    r.note(p, 'healthcheck without test: the image\'s own HEALTHCHECK applies; its timing has no counterpart without a test');
    return undefined;
  }
  return out;
}

/** `test`: a shell string, `["CMD", ...]`, `["CMD-SHELL", script]` (into `out`), or `["NONE"]` (disabled). */
function healthTest(r: Reader, kp: string, val: unknown, out: Mutable<HealthcheckModel>): 'disabled' | undefined {
  if (typeof val === 'string') {
    if (val.trim() === '') r.fail(kp, val, 'a non-empty command');
    out.kind = 'shell';
    out.script = val;
    return undefined;
  }
  if (!Array.isArray(val)) return r.fail(kp, val, 'a command string or a list ["CMD", ...] / ["CMD-SHELL", "script"]');
  const list = r.stringList(kp, val, 'a list of strings: ["CMD", ...], ["CMD-SHELL", "script"] or ["NONE"]');
  if (list[0] === 'NONE') return 'disabled';
  if (list[0] === 'CMD') {
    if (list.length < 2 || list[1] === '') r.fail(kp, val, 'a command after CMD');
    out.kind = 'command';
    out.command = list.slice(1);
  } else if (list[0] === 'CMD-SHELL') {
    if (list.length !== 2 || list[1].trim() === '') r.fail(kp, val, 'CMD-SHELL and one script, e.g. ["CMD-SHELL", "curl -f http://localhost/ || exit 1"]');
    out.kind = 'shell';
    out.script = list[1];
  } else {
    r.fail(`${kp}[0]`, list[0], 'CMD, CMD-SHELL or NONE');
  }
  return undefined;
}

// ------------------------------------------------------------------------------------------------
// depends_on

/** The file's services and those the active profiles enable, which `depends_on` names are judged against. */
export interface ServiceSet {
  readonly all: PlainMap;
  readonly enabled: Set<string>;
}

/** `depends_on` (a list of names, or a mapping of name to `{ condition, restart, required }`) into `d.dependsOn`. */
export function readDependsOn(d: ServiceDraft, services: ServiceSet): void {
  const r: Reader = d.r;
  const { def } = d;
  if (def.depends_on === undefined) return;
  const dp = `${d.p}.depends_on`;
  if (Array.isArray(def.depends_on)) {
    def.depends_on.forEach((dep, i) => addDependency(d, services, r.str(`${dp}[${i}]`, dep, 'a service name'), `${dp}[${i}]`, 'service_started', true));
  } else if (isMap(def.depends_on)) {
    for (const [dep, spec] of Object.entries(def.depends_on)) {
      const at = `${dp}.${dep}`;
      const { condition, required } = dependencySpec(d, at, dep, spec);
      addDependency(d, services, dep, at, condition, required);
    }
  } else {
    r.fail(dp, def.depends_on, 'a list of service names or a mapping of service name to { condition }');
  }
}

function dependencySpec(d: ServiceDraft, at: string, dep: string, spec: unknown): { condition: string; required: boolean } {
  const r: Reader = d.r;
  let condition = 'service_started';
  let required = true;
  if (spec === null) return { condition, required };
  if (!isMap(spec)) r.fail(at, spec, 'a mapping with condition, restart, required');
  for (const [k, v] of Object.entries(spec)) {
    const kp = `${at}.${k}`;
    if (k === 'condition') {
      condition = r.str(kp, v, 'service_started, service_healthy or service_completed_successfully');
      if (condition === 'service_completed_successfully') {
        r.fail(kp, condition, 'service_started or service_healthy: a one-shot job that must finish before its dependents has no reliable counterpart in the provider (it does not wait for a container to exit successfully); run it outside the stack');
      }
      if (condition !== 'service_started' && condition !== 'service_healthy') r.fail(kp, condition, 'service_started or service_healthy');
    } else if (k === 'restart') {
      if (r.bool(kp, v)) r.note(kp, `restart: true (restart ${d.name} when ${dep} restarts): no counterpart; Terraform orders creation only`);
    } else if (k === 'required') {
      required = r.bool(kp, v);
    } else {
      r.fail(kp, k, 'condition, restart or required', true);
    }
  }
  return { condition, required };
}

function addDependency(d: ServiceDraft, services: ServiceSet, dep: string, at: string, condition: string, required: boolean): void {
  const r: Reader = d.r;
  const { ctx } = d;
  const { all, enabled } = services;
  if (!(dep in all)) r.fail(at, dep, `a service of this file: one of ${Object.keys(all).join(', ')}`);
  if (!enabled.has(dep)) {
    if (!required) {
      r.note(at, `depends on ${dep} (required: false), which no active profile enables: ignored`);
      return;
    }
    r.fail(at, dep, `a service enabled by the active profiles (${dep} is in profiles ${r.stringList(`services.${dep}.profiles`, (all[dep] as PlainMap).profiles, '').join(', ')})`);
  }
  if (dep === d.name) r.fail(at, dep, 'another service: a service cannot depend on itself');
  if (condition === 'service_healthy' && ctx.health.get(dep) !== 'check') {
    r.fail(at, dep, `a service with a healthcheck for condition service_healthy (${dep} has ${ctx.health.get(dep) === 'disabled' ? 'its health check disabled' : 'no healthcheck in this file'}): the library waits on the health check it declares`);
  }
  if (!d.dependsOn.includes(dep)) d.dependsOn.push(dep);
}

// ------------------------------------------------------------------------------------------------
// Creation order

/** Services in creation order (each after its dependencies, otherwise file order); a cycle is an error at the edge that closes it. */
export function creationOrder(ctx: LoadContext, names: string[], byName: Map<string, ServiceModel>): ServiceModel[] {
  const state = new Map<string, 'visiting' | 'done'>();
  const out: ServiceModel[] = [];
  /** The services being visited, outermost first (shared, so a long chain costs linear time). */
  const trail: string[] = [];
  const visit = (name: string) => {
    state.set(name, 'visiting');
    trail.push(name);
    for (const dep of (byName.get(name) as ServiceModel).dependsOn) {
      const s = state.get(dep);
      if (s === 'visiting') {
        const cycle = [...trail.slice(trail.indexOf(dep)), dep];
        ctx.r.fail(`services.${name}.depends_on`, dep, `a service that does not (directly or transitively) depend on ${name}: dependencies must not form a cycle (${cycle.join(' → ')})`);
      }
      if (s === undefined) visit(dep);
    }
    trail.pop();
    state.set(name, 'done');
    out.push(byName.get(name) as ServiceModel);
  };
  for (const name of names) if (!state.has(name)) visit(name);
  return out;
}
