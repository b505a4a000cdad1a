/**
 * Maps a plan (or state) written by `terraform show -json` to the engine's one
 * internal form (`StackInput`, as `normalize.ts` does for a `cdk.tf.json`):
 * `planned_values` (or `values`) give the resources; single nested blocks,
 * written there as one-element arrays, become objects; empty and null values
 * are dropped; the `configuration` section fills in what the plan does not
 * know yet (`${docker_image.x.image_id}` before the image exists) and tells
 * references from literals (an env value or a password that comes from a
 * variable is a reference, not a literal), and gives the provider
 * configuration, which plans do not list among resources. The plan's
 * `resource_changes` are kept as far as the report says what they do.
 *
 * Loaded by `load.ts` for a plan only: a review of a `cdk.tf.json` does not pay for it.
 */
import { ResourceChange, ResourceShape, StackInput } from './model';
import { InputShapeError, objectAt, optionalList, optionalObject, seg } from './normalize';
import { looksSecret } from './secret-names';
import { isObject, JsonObject } from './values';

/** The stack of a plan document (`isPlanJson`), with its `resource_changes` when it has them. */
export function readPlan(doc: JsonObject, name: string, baseDir: string): StackInput {
  const stack = fromPlanJson(doc, name, baseDir);
  const changes = resourceChanges(doc);
  return changes ? { ...stack, changes } : stack;
}

/**
 * Reads the docker resources and provider configuration of `terraform show -json` output.
 * Throws `InputShapeError` where a part it reads has another shape than Terraform writes.
 */
export function fromPlanJson(doc: JsonObject, name: string, baseDir?: string): StackInput {
  const configuration = optionalObject(doc, 'configuration', 'configuration') ?? {};
  const configRoot = optionalObject(configuration, 'root_module', 'configuration.root_module') as ConfigModule | undefined;
  const resources = providerConfigurations(configuration);
  // A plan has planned_values, a state values: whichever is there must be an object.
  const planned = optionalObject(doc, 'planned_values', 'planned_values');
  const state = optionalObject(doc, 'values', 'values');
  const values = planned ?? state ?? {};
  const valuesKey = planned ? 'planned_values' : 'values';
  const root = optionalObject(values, 'root_module', `${valuesKey}.root_module`);
  if (root) readModule(root, `${valuesKey}.root_module`, configRoot, '', resources);
  return { name, resources, baseDir };
}

/** The root module's docker provider configurations (plans do not list them among resources). */
function providerConfigurations(configuration: JsonObject): ResourceShape[] {
  const resources: ResourceShape[] = [];
  const providerConfig = optionalObject(configuration, 'provider_config', 'configuration.provider_config', 'an object of provider configurations') ?? {};
  for (const key in providerConfig) {
    const cfg = objectAt(providerConfig[key], `configuration.provider_config.${seg(key)}`);
    if (cfg.name !== 'docker' || (typeof cfg.module_address === 'string' && cfg.module_address !== '')) continue;
    const alias = typeof cfg.alias === 'string' && cfg.alias !== '' ? cfg.alias : undefined;
    const values = clean(overlay({}, isObject(cfg.expressions) ? cfg.expressions : {}, '', '', '')) as JsonObject;
    resources.push({ address: alias ? `provider.docker.${alias}` : 'provider.docker', type: 'provider', name: 'docker', values, suppressions: [] });
  }
  return resources;
}

/** Adds the docker resources of a module of the plan's values (`where` is its JSON path), then of its child modules, to `resources`. */
function readModule(module: JsonObject, where: string, config: ConfigModule | undefined, prefix: string, resources: ResourceShape[]): void {
  const configByAddress = new Map<string, { expressions?: unknown; depends_on?: unknown }>();
  for (const c of config?.resources ?? []) if (typeof c.address === 'string') configByAddress.set(c.address, c);
  const list = optionalList(module, 'resources', `${where}.resources`, 'a list of resources') ?? [];
  for (let i = 0; i < list.length; i++) {
    const at = `${where}.resources[${i}]`;
    const r = objectAt(list[i], at);
    if (typeof r.type !== 'string') throw new InputShapeError(`${at}.type`, 'a string (the resource type)', r.type);
    if (!r.type.startsWith('docker_')) continue;
    if (r.mode !== undefined && r.mode !== 'managed') continue;
    const address = typeof r.address === 'string' ? r.address : `${prefix}${r.type}.${String(r.name)}`;
    const local = `${r.type}.${String(r.name)}`;
    const cfg = configByAddress.get(local);
    let v = optionalObject(r, 'values', `${at}.values`, 'an object of attributes') ?? {};
    if (cfg && isObject(cfg.expressions)) v = overlay(v, cfg.expressions, prefix, '', '') as JsonObject;
    v = clean(v) as JsonObject;
    if (cfg && Array.isArray(cfg.depends_on)) v.depends_on = cfg.depends_on.map((d) => `${prefix}${String(d)}`);
    unwrapSingleBlocks(r.type, v);
    resources.push({ address, type: r.type, name: typeof r.name === 'string' ? r.name : local, values: v, suppressions: [] });
  }
  const children = optionalList(module, 'child_modules', `${where}.child_modules`, 'a list of modules') ?? [];
  for (let i = 0; i < children.length; i++) {
    const at = `${where}.child_modules[${i}]`;
    const child = objectAt(children[i], at);
    if (typeof child.address !== 'string') throw new InputShapeError(`${at}.address`, 'a string (the module address)', child.address);
    const childConfig = config?.module_calls?.[moduleCallName(child.address)]?.module;
    readModule(child, at, childConfig, `${child.address}.`, resources);
  }
}

/** Nested blocks with at most one element, written as one-element arrays by `terraform show -json`. */
const SINGLE_BLOCKS: Record<string, readonly string[]> = {
  docker_container: ['capabilities', 'healthcheck'],
  docker_image: ['build', 'timeouts'],
  docker_registry_image: ['auth_config'],
};

const SINGLE_BLOCKS_IN_MOUNTS = ['bind_options', 'volume_options', 'tmpfs_options'];

/** Attributes where a reference in the configuration says more than the planned value (provenance, or the resource it names). */
const REFERENCE_WINS = new Set([
  'image', 'source_image', 'volume_name', 'password', 'auth', 'identity_token', 'registry_token', 'key_material', 'config_file_content',
  // docker_secret / docker_config: secret data that comes from a variable is no literal.
  'data',
]);

function isExpression(value: unknown): value is { constant_value?: unknown; references?: unknown[] } {
  return isObject(value) && ('constant_value' in value || 'references' in value);
}

function referenceOf(expr: { references?: unknown[] }, prefix: string): string | undefined {
  const first = (expr.references ?? []).find((r): r is string => typeof r === 'string');
  return first === undefined ? undefined : `\${${prefix}${first}}`;
}

/** Fills planned values from the configuration's expressions (see the module comment). */
function overlay(planned: unknown, expr: unknown, prefix: string, key: string, parentKey: string): unknown {
  if (isExpression(expr)) {
    const ref = referenceOf(expr, prefix);
    if (ref === undefined) return planned === undefined || planned === null ? expr.constant_value : planned;
    if (planned === undefined || planned === null) return ref;
    if (typeof planned === 'string' && (REFERENCE_WINS.has(key) || (key === 'name' && parentKey === 'networks_advanced'))) return ref;
    if (key === 'env' && Array.isArray(planned)) {
      // A plan cannot tell which element of a list came from the reference: secret-looking ones are taken as references.
      return planned.map((item) => {
        if (typeof item !== 'string') return item;
        const eq = item.indexOf('=');
        return eq > 0 && looksSecret(item.slice(0, eq)) ? `${item.slice(0, eq)}=${ref}` : item;
      });
    }
    return planned;
  }
  if (Array.isArray(expr)) {
    const items = Array.isArray(planned) ? planned : planned === undefined || planned === null ? [] : [planned];
    const out: unknown[] = [];
    for (let i = 0; i < Math.max(items.length, expr.length); i++) {
      out.push(i < expr.length ? overlay(items[i] ?? {}, expr[i], prefix, key, parentKey) : items[i]);
    }
    return out;
  }
  if (isObject(expr)) {
    const base: JsonObject = isObject(planned) ? { ...planned } : {};
    for (const [k, e] of Object.entries(expr)) {
      const value = overlay(base[k], e, prefix, k, key);
      if (value === undefined) delete base[k];
      else base[k] = value;
    }
    return base;
  }
  return planned;
}

/** Drops null values and empty arrays (how plans write "not set"). */
function clean(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(clean);
  if (!isObject(value)) return value;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(value)) {
    if (v === null || v === undefined || (Array.isArray(v) && v.length === 0)) continue;
    out[k] = clean(v);
  }
  return out;
}

function unwrapSingleBlocks(type: string, values: JsonObject): void {
  for (const key of SINGLE_BLOCKS[type] ?? []) {
    const v = values[key];
    if (Array.isArray(v)) {
      if (v.length === 0) delete values[key];
      else values[key] = v[0];
    }
  }
  if (type === 'docker_container' && Array.isArray(values.mounts)) {
    for (const m of values.mounts) {
      if (!isObject(m)) continue;
      for (const key of SINGLE_BLOCKS_IN_MOUNTS) if (Array.isArray(m[key])) m[key] = m[key].length > 0 ? (m[key] as unknown[])[0] : undefined;
    }
  }
}

interface ConfigModule {
  readonly resources?: { address?: string; expressions?: unknown; depends_on?: unknown }[];
  readonly module_calls?: Record<string, { module?: ConfigModule }>;
}

/** `module.a[0].module.b` -> `b`. */
function moduleCallName(address: string): string {
  const match = /module\.([^.[\]]+)(?:\[[^\]]*\])?$/.exec(address);
  return match ? match[1] : address;
}

const NO_PATHS: ResourceChange['replacePaths'] = [];

/**
 * A plan's `resource_changes` (managed resources only), reduced to what the report says
 * about them: no `before` / `after` value is copied. Undefined when the document has none
 * (a state, or a plan written without them). Throws `InputShapeError` where a part read has
 * another shape than Terraform writes.
 */
function resourceChanges(doc: JsonObject): ResourceChange[] | undefined {
  const list = doc.resource_changes;
  if (list === undefined) return undefined;
  if (!Array.isArray(list)) throw new InputShapeError('resource_changes', 'a list of resource changes', list);
  const changes: ResourceChange[] = [];
  for (let i = 0; i < list.length; i++) {
    const at = `resource_changes[${i}]`;
    const rc: unknown = list[i];
    if (!isObject(rc)) throw new InputShapeError(at, 'an object', rc);
    if (rc.mode === 'data') continue;
    if (typeof rc.address !== 'string') throw new InputShapeError(`${at}.address`, 'a string (the resource address)', rc.address);
    const change = rc.change;
    if (!isObject(change)) throw new InputShapeError(`${at}.change`, 'an object', change);
    const actions = change.actions;
    if (!Array.isArray(actions) || !actions.every((a) => typeof a === 'string')) throw new InputShapeError(`${at}.change.actions`, 'a list of action names', actions);
    let replacePaths = NO_PATHS;
    if (change.replace_paths !== undefined && change.replace_paths !== null) {
      const paths = change.replace_paths;
      const valid = Array.isArray(paths) && paths.every((p) => Array.isArray(p) && p.every((step) => typeof step === 'string' || typeof step === 'number'));
      if (!valid) throw new InputShapeError(`${at}.change.replace_paths`, 'a list of attribute paths (lists of names and indexes)', paths);
      replacePaths = paths as ResourceChange['replacePaths'];
    }
    const after = isObject(change.after) ? change.after.name : undefined;
    const before = isObject(change.before) ? change.before.name : undefined;
    const name = typeof after === 'string' ? after : typeof before === 'string' ? before : undefined;
    changes.push({
      address: rc.address,
      type: typeof rc.type === 'string' ? rc.type : '',
      actions: actions as string[],
      replacePaths,
      actionReason: typeof rc.action_reason === 'string' ? rc.action_reason : undefined,
      name,
      deposed: typeof rc.deposed === 'string' ? rc.deposed : undefined,
    });
  }
  return changes;
}
