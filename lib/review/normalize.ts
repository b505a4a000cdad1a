/**
 * Maps Terraform JSON as cdktf synthesizes it (`cdk.tf.json`) to the engine's
 * one internal form (`StackInput`): resources used as they are, the `//` key of
 * each taken apart (construct path, suppressions), the docker provider
 * configurations, and what cross-stack references need (outputs, remote
 * states, backend). Also how the review tells the two input shapes apart
 * (`isTerraformJson`, `isPlanJson`; a plan is read by `plan-input.ts`) and the
 * shape checks both readers make (`InputShapeError`, naming the JSON path).
 */
import { CrossStackFacts, RemoteStateSource, ResourceShape, StackInput, SuppressionEntry } from './model';
import { isObject, JsonObject } from './values';
import { clip, jsonText } from '../_text';

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
  return clip(jsonText(value), 40);
}

/** A key as a part of a JSON path in a one-line message: quoted unless it is a plain name. */
export function seg(key: string): string {
  return /^[A-Za-z0-9_-]+$/.test(key) ? key : JSON.stringify(key);
}

export function objectAt(value: unknown, where: string, expected = 'an object'): JsonObject {
  if (!isObject(value)) throw new InputShapeError(where, expected, value);
  return value;
}

/** `doc[key]` when present: it must be an object. */
export function optionalObject(doc: JsonObject, key: string, where: string, expected = 'an object'): JsonObject | undefined {
  const value = doc[key];
  return value === undefined ? undefined : objectAt(value, where, expected);
}

/** `doc[key]` when present: it must be a list. */
export function optionalList(doc: JsonObject, key: string, where: string, expected: string): unknown[] | undefined {
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
      const body = byName[name];
      if (isObject(body)) {
        // The shape cdktf writes: no JSON path to build (for thousands of resources) unless there is a problem.
        each(type, name, body);
        continue;
      }
      const list = bodies(body, `${where}.${seg(name)}`, 'an object (or a list of objects) of attributes');
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
