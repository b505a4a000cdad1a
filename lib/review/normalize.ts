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
import { ResourceShape, StackInput, SuppressionEntry } from './model';
import { looksSecret } from './rules';
import { isObject, JsonObject } from './values';

/** The key under `//` where suppressions travel with the synthesized JSON. */
export const PRODUCTION_CHECKS_KEY = 'production_checks';

/** True when the document looks like Terraform JSON configuration (a `cdk.tf.json`). */
export function isTerraformJson(doc: unknown): doc is JsonObject {
  return isObject(doc) && !('format_version' in doc) && (isObject(doc.resource) || isObject(doc.provider) || isObject(doc.terraform) || isObject(doc['//']));
}

/** True when the document looks like `terraform show -json` output (a plan or a state). */
export function isPlanJson(doc: unknown): doc is JsonObject {
  return isObject(doc) && 'format_version' in doc && (isObject(doc.planned_values) || isObject(doc.values) || isObject(doc.configuration));
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

/** Reads the docker resources and docker provider configurations of a Terraform JSON document. */
export function fromTerraformJson(doc: JsonObject, name: string, baseDir?: string): StackInput {
  const resources: ResourceShape[] = [];
  const providers = isObject(doc.provider) ? doc.provider.docker : undefined;
  const configs = Array.isArray(providers) ? providers : isObject(providers) ? [providers] : [];
  let unnamed = 0;
  for (const config of configs) {
    if (!isObject(config)) continue;
    const { '//': meta, ...values } = config;
    const alias = typeof values.alias === 'string' ? values.alias : undefined;
    const address = alias ? `provider.docker.${alias}` : unnamed++ === 0 ? 'provider.docker' : `provider.docker[${unnamed - 1}]`;
    resources.push({ address, type: 'provider', name: 'docker', values, constructPath: constructPathOf(meta), suppressions: readSuppressions(meta) });
  }
  if (isObject(doc.resource)) {
    for (const [type, byName] of Object.entries(doc.resource)) {
      if (!type.startsWith('docker_') || !isObject(byName)) continue;
      for (const resourceName in byName) {
        const body = byName[resourceName];
        if (Array.isArray(body)) {
          for (const b of body) if (isObject(b)) resources.push(shapeOf(type, resourceName, b));
        } else if (isObject(body)) {
          resources.push(shapeOf(type, resourceName, body));
        }
      }
    }
  }
  return { name, resources, baseDir };
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

/** Reads the docker resources and provider configuration of `terraform show -json` output. */
export function fromPlanJson(doc: JsonObject, name: string, baseDir?: string): StackInput {
  const resources: ResourceShape[] = [];
  const configuration = isObject(doc.configuration) ? doc.configuration : {};
  const configRoot = (isObject(configuration.root_module) ? configuration.root_module : undefined) as ConfigModule | undefined;

  const providerConfig = isObject(configuration.provider_config) ? configuration.provider_config : {};
  for (const cfg of Object.values(providerConfig)) {
    if (!isObject(cfg) || cfg.name !== 'docker' || (typeof cfg.module_address === 'string' && cfg.module_address !== '')) continue;
    const alias = typeof cfg.alias === 'string' && cfg.alias !== '' ? cfg.alias : undefined;
    const values = clean(overlay({}, isObject(cfg.expressions) ? cfg.expressions : {}, '', '', '')) as JsonObject;
    resources.push({ address: alias ? `provider.docker.${alias}` : 'provider.docker', type: 'provider', name: 'docker', values, suppressions: [] });
  }

  const values = isObject(doc.planned_values) ? doc.planned_values : isObject(doc.values) ? doc.values : {};
  const walk = (module: unknown, config: ConfigModule | undefined, prefix: string): void => {
    if (!isObject(module)) return;
    const configByAddress = new Map<string, { expressions?: unknown; depends_on?: unknown }>();
    for (const c of config?.resources ?? []) if (typeof c.address === 'string') configByAddress.set(c.address, c);
    for (const r of Array.isArray(module.resources) ? module.resources : []) {
      if (!isObject(r) || typeof r.type !== 'string' || !r.type.startsWith('docker_')) continue;
      if (r.mode !== undefined && r.mode !== 'managed') continue;
      const address = typeof r.address === 'string' ? r.address : `${prefix}${r.type}.${String(r.name)}`;
      const local = `${r.type}.${String(r.name)}`;
      const cfg = configByAddress.get(local);
      let v = (isObject(r.values) ? r.values : {}) as JsonObject;
      if (cfg && isObject(cfg.expressions)) v = overlay(v, cfg.expressions, prefix, '', '') as JsonObject;
      v = clean(v) as JsonObject;
      if (cfg && Array.isArray(cfg.depends_on)) v.depends_on = cfg.depends_on.map((d) => `${prefix}${String(d)}`);
      unwrapSingleBlocks(r.type, v);
      resources.push({ address, type: r.type, name: typeof r.name === 'string' ? r.name : local, values: v, suppressions: [] });
    }
    for (const child of Array.isArray(module.child_modules) ? module.child_modules : []) {
      if (!isObject(child) || typeof child.address !== 'string') continue;
      const childConfig = config?.module_calls?.[moduleCallName(child.address)]?.module;
      walk(child, childConfig, `${child.address}.`);
    }
  };
  walk(values.root_module, configRoot, '');
  return { name, resources, baseDir };
}
