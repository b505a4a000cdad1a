/**
 * What a stack's review says besides its findings: the service table (one row
 * per `docker_container` and `docker_service`, a service read as the container
 * its tasks run) and, for a plan, what it will do (`planActions`, from its
 * `resource_changes`). The engine (`engine.ts`) calls both once per stack.
 */
import { readableRemoteReference } from './cross-stack';
import {
  MountedPath, PlanActions, PlannedDeletion, PlannedReplacement, PublishedPort, ResourceChange, ResourceShape, ServiceSummary,
} from './model';
import { RuleContext } from './rule-definition';
import { serviceReplicas, serviceTaskView } from './service-task';
import { block, blocks, isLiteral, isTrue, JsonObject, num, str, strings } from './values';

/** How the summary names networks and volumes (the engine's stack context). */
export interface DisplayNames {
  /** Per reference (many containers share a few). */
  readonly cache: Map<string, string>;
  readonly resolve: (value: unknown) => ResourceShape | undefined;
  readonly nameOf: (target: ResourceShape, fallback: string) => string;
}

/** The service table's rows: each container and Swarm service of `ordered`, in that order. */
export function summarizeServices(ordered: readonly ResourceShape[], ctx: RuleContext, names: DisplayNames): ServiceSummary[] {
  const services: ServiceSummary[] = [];
  for (let i = 0; i < ordered.length; i++) {
    const r = ordered[i];
    if (r.type === 'docker_container') services.push(summarize(r, ctx, names));
    else if (r.type === 'docker_service') services.push(summarizeService(r, serviceTaskView(r), ctx, names));
  }
  return services;
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
  const volumes = mountedPaths(v, names);
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

/** Volumes and bind mounts (`volumes`, then `mounts` other than tmpfs), volumes by their resource's name. */
function mountedPaths(v: JsonObject, names: DisplayNames): MountedPath[] {
  const volumes: MountedPath[] = [];
  const declared = blocks(v.volumes);
  for (let i = 0; i < declared.length; i++) {
    const vol = declared[i];
    const target = str(vol.container_path);
    if (!target) continue;
    const hostPath = str(vol.host_path);
    const volumeName = displayName(vol.volume_name, names);
    if (hostPath) volumes.push({ type: 'bind', source: hostPath, target, readOnly: isTrue(vol.read_only) });
    else if (volumeName) volumes.push({ type: 'volume', source: volumeName, target, readOnly: isTrue(vol.read_only) });
  }
  const mounts = blocks(v.mounts);
  for (let i = 0; i < mounts.length; i++) {
    const m = mounts[i];
    const target = str(m.target);
    const type = str(m.type) ?? 'volume';
    if (!target || type === 'tmpfs') continue;
    const source = type === 'volume' ? displayName(m.source, names) : str(m.source);
    volumes.push({ type, source, target, readOnly: isTrue(m.read_only) });
  }
  return volumes;
}

/** A Swarm service's row: its task's container as `summarize` reads it, with the service's restart condition and replicas. */
function summarizeService(service: ResourceShape, view: ResourceShape, ctx: RuleContext, names: DisplayNames): ServiceSummary {
  const summary = summarize(view, ctx, names);
  const condition = str(block(block(service.values.task_spec)?.restart_policy)?.condition) ?? 'any';
  const { global, replicas } = serviceReplicas(service.values);
  return { ...summary, restart: condition === 'none' ? undefined : condition, kind: 'swarm-service', global: global || undefined, replicas };
}

// ---------------------------------------------------------------------------
// a plan's actions

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

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
