/**
 * Checks that the library build and the raw build synthesize the same Terraform, modulo
 * resource names: every resource is renamed to `<type>.<its name attribute>` (containers,
 * images and networks all carry a unique `name`), references and `depends_on` entries are
 * rewritten accordingly, and cdktf's `//` metadata is dropped. Providers and the
 * `terraform` block are compared as they are.
 */
import * as fs from 'fs';
import * as path from 'path';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

function isObject(x: Json | undefined): x is JsonObject {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** `resource.<type>.<logical id>` → `<type>.<name attribute>`. */
function canonicalNames(doc: JsonObject): Map<string, string> {
  const names = new Map<string, string>();
  const resources = isObject(doc.resource) ? doc.resource : {};
  for (const [type, byId] of Object.entries(resources)) {
    if (!isObject(byId)) continue;
    for (const [id, body] of Object.entries(byId)) {
      const name = isObject(body) && typeof body.name === 'string' ? body.name : id;
      const canonical = `${type}.${name}`;
      if ([...names.values()].includes(canonical)) throw new Error(`two ${type} resources named "${name}"`);
      names.set(`${type}.${id}`, canonical);
    }
  }
  return names;
}

function rename(value: Json, names: Map<string, string>): Json {
  if (typeof value === 'string') {
    // `${docker_image.x.image_id}` inside interpolations, or `docker_container.x` in depends_on
    return value.replace(/\b(docker_[a-z_]+)\.([A-Za-z0-9_-]+)/g, (m, type: string, id: string) => names.get(`${type}.${id}`) ?? m);
  }
  if (Array.isArray(value)) return value.map((v) => rename(v, names));
  if (isObject(value)) {
    const out: JsonObject = {};
    for (const key of Object.keys(value).sort()) {
      if (key === '//') continue;
      out[key] = rename(value[key], names);
    }
    return out;
  }
  return value;
}

/** The stack as comparable JSON: resources keyed by canonical name, metadata dropped. */
export function normalise(doc: JsonObject): JsonObject {
  const names = canonicalNames(doc);
  const resources: JsonObject = {};
  for (const [type, byId] of Object.entries(isObject(doc.resource) ? doc.resource : {})) {
    for (const [id, body] of Object.entries(isObject(byId) ? byId : {})) {
      resources[names.get(`${type}.${id}`) as string] = rename(body, names);
    }
  }
  return {
    provider: rename(doc.provider ?? null, names),
    terraform: rename(doc.terraform ?? null, names),
    resource: rename(resources, new Map()),
  };
}

function firstDifference(a: Json, b: Json, at: string): string | undefined {
  if (JSON.stringify(a) === JSON.stringify(b)) return undefined;
  if (isObject(a) && isObject(b)) {
    for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
      const d = firstDifference(a[key] ?? null, b[key] ?? null, `${at}.${key}`);
      if (d) return d;
    }
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    for (let i = 0; i < a.length; i++) {
      const d = firstDifference(a[i], b[i], `${at}[${i}]`);
      if (d) return d;
    }
  }
  const show = (x: Json) => (JSON.stringify(x) ?? 'undefined').slice(0, 300);
  return `${at}: library ${show(a)} vs raw ${show(b)}`;
}

/** Reads `<outdir>/stacks/<stack>/cdk.tf.json`. */
export function readStack(outdir: string, stack: string): JsonObject {
  return JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8')) as JsonObject;
}

/**
 * Throws, naming the first difference, unless the two synthesized stacks are equivalent.
 * Returns how many resources of each type were compared.
 */
export function assertEquivalent(libDoc: JsonObject, rawDoc: JsonObject): Record<string, number> {
  const a = normalise(libDoc);
  const b = normalise(rawDoc);
  const diff = firstDifference(a, b, '');
  if (diff) throw new Error(`the library and the raw build differ at ${diff}`);
  const counts: Record<string, number> = {};
  for (const key of Object.keys(a.resource as JsonObject)) {
    const type = key.split('.')[0];
    counts[type] = (counts[type] ?? 0) + 1;
  }
  return counts;
}
