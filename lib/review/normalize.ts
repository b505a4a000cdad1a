/**
 * Maps the two input shapes to the engine's one internal form:
 *
 * - Terraform JSON as cdktf synthesizes it (`cdk.tf.json`): used as is, the
 *   `//` key of each resource taken apart (construct path, suppressions).
 * - A plan (or state) written by `terraform show -json`: `planned_values`
 *   (or `values`) give the resources; single nested blocks, written there as
 *   one-element arrays, become objects; empty and null values are dropped;
 *   the `configuration` section fills in what the plan does not know yet
 *   (`${docker_image.x.image_id}` before the image exists) and tells
 *   references from literals (an env value or a password that comes from a
 *   variable is a reference, not a literal), and gives the provider
 *   configuration, which plans do not list among resources.
 */
import { CrossStackFacts, RemoteStateSource, ResourceShape, StackInput, SuppressionEntry } from './model';
import { looksSecret } from './secret-names';
import { isObject, JsonObject } from './values';

/** The key under `//` where suppressions travel with the synthesized JSON. */
export const PRODUCTION_CHECKS_KEY = 'production_checks';

/** The top-level keys of Terraform JSON that the review reads; one of them makes a document a `cdk.tf.json`. */
const TERRAFORM_KEYS = ['resource', 'data', 'provider', 'output', 'terraform', '//'];
/** The keys of `terraform show -json` output that the review reads. */
const PLAN_KEYS = ['planned_values', 'values', 'configuration'];

/**
 * True when the document is meant as Terraform JSON configuration (a `cdk.tf.json`): an object
 * with a key the review reads. Whether those keys have the right shape, `fromTerraformJson` checks.
 */
export function isTerraformJson(doc: unknown): doc is JsonObject {
  return isObject(doc) && !('format_version' in doc) && TERRAFORM_KEYS.some((k) => doc[k] !== undefined);
}

/** True when the document is meant as `terraform show -json` output (a plan or a state); `fromPlanJson` checks the shapes. */
export function isPlanJson(doc: unknown): doc is JsonObject {
  return isObject(doc) && 'format_version' in doc && PLAN_KEYS.some((k) => doc[k] !== undefined);
}

/**
 * A recognised document (a `cdk.tf.json` or a plan) with another shape where the review reads it,
 * e.g. `{"resource": {"docker_container": 5}}`: reviewing it would silently skip what it holds.
 * The message names the JSON path, what it must be and what it is.
 */
export class InputShapeError extends Error {
  constructor(where: string, expected: string, value: unknown) {
    super(`${where} must be ${expected} (got ${preview(value)})`);
    this.name = 'InputShapeError';
    Object.setPrototypeOf(this, InputShapeError.prototype);
  }
}

function preview(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

/** A key as a part of a JSON path in a one-line message: quoted unless it is a plain name. */
function seg(key: string): string {
  return /^[A-Za-z0-9_-]+$/.test(key) ? key : JSON.stringify(key);
}

function objectAt(value: unknown, where: string, expected = 'an object'): JsonObject {
  if (!isObject(value)) throw new InputShapeError(where, expected, value);
  return value;
}

/** `doc[key]` when present: it must be an object. */
function optionalObject(doc: JsonObject, key: string, where: string, expected = 'an object'): JsonObject | undefined {
  const value = doc[key];
  return value === undefined ? undefined : objectAt(value, where, expected);
}

/** `doc[key]` when present: it must be a list. */
function optionalList(doc: JsonObject, key: string, where: string, expected: string): unknown[] | undefined {
  const value = doc[key];
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) throw new InputShapeError(where, expected, value);
  return value;
}

/** The blocks of a labelled block: an object, or a list of objects (Terraform JSON allows both; cdktf writes lists for providers). */
function bodies(value: unknown, where: string, expected: string): JsonObject[] {
  if (isObject(value)) return [value];
  if (!Array.isArray(value)) throw new InputShapeError(where, expected, value);
  for (let i = 0; i < value.length; i++) objectAt(value[i], `${where}[${i}]`, expected);
  return value as JsonObject[];
}

/** `resource` or `data`: types mapping names to bodies; calls `each` for every body. */
function readBlocks(doc: JsonObject, key: 'resource' | 'data', each: (type: string, name: string, body: JsonObject) => void): void {
  const byType = optionalObject(doc, key, key, `an object of ${key === 'data' ? 'data source' : 'resource'} types, as cdktf synthesizes it`);
  if (!byType) return;
  for (const type in byType) {
    const where = `${key}.${seg(type)}`;
    const byName = objectAt(byType[type], where, `an object of ${seg(type)} blocks by name`);
    for (const name in byName) {
      const list = bodies(byName[name], `${where}.${seg(name)}`, 'an object (or a list of objects) of attributes');
      for (let i = 0; i < list.length; i++) each(type, name, list[i]);
    }
  }
}

const NONE: SuppressionEntry[] = [];

function readSuppressions(meta: unknown): SuppressionEntry[] {
  if (!isObject(meta)) return NONE;
  const checks = meta[PRODUCTION_CHECKS_KEY];
  if (!isObject(checks) || !Array.isArray(checks.suppressions)) return NONE;
  return checks.suppressions.filter(isObject).map((s) => ({ rule: String(s.rule ?? ''), reason: String(s.reason ?? '') }));
}

function constructPathOf(meta: unknown): string | undefined {
  if (!isObject(meta) || !isObject(meta.metadata)) return undefined;
  const p = meta.metadata.path;
  return typeof p === 'string' ? p : undefined;
}

/** The stack name recorded by cdktf in the top-level `//` metadata, if any. */
export function stackNameOf(doc: JsonObject): string | undefined {
  const meta = doc['//'];
  if (!isObject(meta) || !isObject(meta.metadata)) return undefined;
  const name = meta.metadata.stackName;
  return typeof name === 'string' ? name : undefined;
}

/**
 * Reads the docker resources and docker provider configurations of a Terraform JSON document,
 * and what cross-stack references need (outputs, remote states, backend). Throws
 * `InputShapeError` where a part it reads has another shape than Terraform JSON gives it.
 */
export function fromTerraformJson(doc: JsonObject, name: string, baseDir?: string): StackInput {
  const resources: ResourceShape[] = [];
  optionalObject(doc, '//', '"//"', 'an object (cdktf metadata)');
  const providerBlocks = optionalObject(doc, 'provider', 'provider', 'an object of provider configurations by provider name');
  let unnamed = 0;
  for (const provider in providerBlocks) {
    const configs = bodies(providerBlocks[provider], `provider.${seg(provider)}`, 'an object (or a list of objects) of provider configurations');
    if (provider !== 'docker') continue;
    for (const config of configs) {
      const { '//': meta, ...values } = config;
      const alias = typeof values.alias === 'string' ? values.alias : undefined;
      const address = alias ? `provider.docker.${alias}` : unnamed++ === 0 ? 'provider.docker' : `provider.docker[${unnamed - 1}]`;
      resources.push({ address, type: 'provider', name: 'docker', values, constructPath: constructPathOf(meta), suppressions: readSuppressions(meta) });
    }
  }
  readBlocks(doc, 'resource', (type, resourceName, body) => {
    if (type.startsWith('docker_')) resources.push(shapeOf(type, resourceName, body));
  });
  return { name, resources, baseDir, crossStack: crossStackFacts(doc) };
}

/** Outputs, `data.terraform_remote_state` sources and the backend of a Terraform JSON document. */
function crossStackFacts(doc: JsonObject): CrossStackFacts {
  const remoteStates = new Map<string, RemoteStateSource>();
  readBlocks(doc, 'data', (type, dataName, body) => {
    if (type === 'terraform_remote_state') remoteStates.set(dataName, { backend: typeof body.backend === 'string' ? body.backend : undefined, config: body.config });
  });
  const outputs = new Map<string, unknown>();
  const outputBlocks = optionalObject(doc, 'output', 'output', 'an object of outputs by name');
  for (const outputName in outputBlocks) outputs.set(outputName, objectAt(outputBlocks[outputName], `output.${seg(outputName)}`, 'an object with a value').value);
  let backend: CrossStackFacts['backend'];
  const terraform = optionalObject(doc, 'terraform', 'terraform', 'an object (the terraform block)');
  const backends = terraform ? optionalObject(terraform, 'backend', 'terraform.backend', 'an object of one backend by type') : undefined;
  for (const type in backends) backend = { type, config: objectAt(backends[type], `terraform.backend.${seg(type)}`, 'an object (the backend configuration)') };
  return { outputs, remoteStates, backend };
}

/** The body is used as is (no copy: reviews of large stacks stay cheap); rules never read its `//` key. */
function shapeOf(type: string, name: string, body: JsonObject): ResourceShape {
  const meta = body['//'];
  return { address: `${type}.${name}`, type, name, values: body, constructPath: constructPathOf(meta), suppressions: readSuppressions(meta) };
}

// ---------------------------------------------------------------------------
// plans

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

/**
 * Reads the docker resources and provider configuration of `terraform show -json` output.
 * Throws `InputShapeError` where a part it reads has another shape than Terraform writes.
 */
export function fromPlanJson(doc: JsonObject, name: string, baseDir?: string): StackInput {
  const resources: ResourceShape[] = [];
  const configuration = optionalObject(doc, 'configuration', 'configuration') ?? {};
  const configRoot = optionalObject(configuration, 'root_module', 'configuration.root_module') as ConfigModule | undefined;

  const providerConfig = optionalObject(configuration, 'provider_config', 'configuration.provider_config', 'an object of provider configurations') ?? {};
  for (const key in providerConfig) {
    const cfg = objectAt(providerConfig[key], `configuration.provider_config.${seg(key)}`);
    if (cfg.name !== 'docker' || (typeof cfg.module_address === 'string' && cfg.module_address !== '')) continue;
    const alias = typeof cfg.alias === 'string' && cfg.alias !== '' ? cfg.alias : undefined;
    const values = clean(overlay({}, isObject(cfg.expressions) ? cfg.expressions : {}, '', '', '')) as JsonObject;
    resources.push({ address: alias ? `provider.docker.${alias}` : 'provider.docker', type: 'provider', name: 'docker', values, suppressions: [] });
  }

  // A plan has planned_values, a state values: whichever is there must be an object.
  const planned = optionalObject(doc, 'planned_values', 'planned_values');
  const state = optionalObject(doc, 'values', 'values');
  const values = planned ?? state ?? {};
  const walk = (module: JsonObject, where: string, config: ConfigModule | undefined, prefix: string): void => {
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
      walk(child, at, childConfig, `${child.address}.`);
    }
  };
  const valuesKey = planned ? 'planned_values' : 'values';
  const root = optionalObject(values, 'root_module', `${valuesKey}.root_module`);
  if (root) walk(root, `${valuesKey}.root_module`, configRoot, '');
  return { name, resources, baseDir };
}
