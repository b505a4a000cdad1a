/**
 * Tolerant accessors over Terraform JSON values. Both shapes of a single
 * nested block are accepted (an object as cdktf writes it, a one-element array
 * as `terraform show -json` writes it), and unknown or absent values read as
 * "not there".
 */

/** A JSON object. */
export type JsonObject = Record<string, unknown>;

/** True for a plain (non-array) object. */
export function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A single nested block: the object itself or the first element of a block list. */
export function block(value: unknown): JsonObject | undefined {
  if (Array.isArray(value)) return isObject(value[0]) ? value[0] : undefined;
  return isObject(value) ? value : undefined;
}

/** A list of nested blocks; a lone object counts as a list of one. The result must not be mutated. */
export function blocks(value: unknown): JsonObject[] {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (!isObject(value[i])) return value.filter(isObject);
    return value as JsonObject[];
  }
  return isObject(value) ? [value] : NONE as JsonObject[];
}

/** The shared empty result of the list accessors (never mutated). */
const NONE: unknown[] = [];

/** A list attribute; anything that is not an array (absent, a `${...}` reference to a whole list) reads as empty. The result must not be mutated. */
export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : NONE;
}

/** The string elements of a list attribute. The result must not be mutated. */
export function strings(value: unknown): string[] {
  if (!Array.isArray(value)) return NONE as string[];
  for (let i = 0; i < value.length; i++) if (typeof value[i] !== 'string') return value.filter((v): v is string => typeof v === 'string');
  return value as string[];
}

/** A string attribute, or undefined. */
export function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** A number attribute (numbers and numeric strings), or undefined. */
export function num(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))) return Number(value);
  return undefined;
}

/** `true` or `"true"`. */
export function isTrue(value: unknown): boolean {
  return value === true || value === 'true';
}

/** A string that holds a Terraform interpolation (`${var.x}`, `${docker_image.x.image_id}`, `${env...}`...). */
export function isInterpolated(value: unknown): boolean {
  return typeof value === 'string' && value.includes('${');
}

/** A non-empty string written as a literal (no Terraform interpolation in it). */
export function isLiteral(value: unknown): value is string {
  return typeof value === 'string' && value !== '' && !value.includes('${');
}

const REFERENCE = /^\$\{[A-Za-z0-9_.\-[\]"*]+\}$/;
const TYPE_NAME = /^[a-z][a-z0-9_]*$/;

/**
 * The resource address a string that is exactly one reference points to:
 * `${docker_image.api.image_id}` -> `docker_image.api`,
 * `${module.m.docker_network.n.id}` -> `module.m.docker_network.n`. Undefined otherwise.
 * (A small hand parser: this runs several times per container.)
 */
export function referencedAddress(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.charCodeAt(0) !== 36 /* $ */ || !REFERENCE.test(value)) return undefined;
  let start = 2;
  let prefix = '';
  while (value.startsWith('module.', start)) {
    const dot = value.indexOf('.', start + 7);
    if (dot < 0) return undefined;
    prefix += value.slice(start, dot + 1);
    start = dot + 1;
  }
  const typeEnd = value.indexOf('.', start);
  if (typeEnd < 0) return undefined;
  let nameEnd = typeEnd + 1;
  while (nameEnd < value.length - 1 && value[nameEnd] !== '.' && value[nameEnd] !== '[') nameEnd++;
  if (nameEnd === typeEnd + 1 || !TYPE_NAME.test(value.slice(start, typeEnd))) return undefined;
  return prefix + value.slice(start, nameEnd);
}

/** Labels given as the provider's `[{label, value}]` blocks or as a map. */
export function labelValue(labels: unknown, name: string): string | undefined {
  if (isObject(labels) && !('label' in labels)) return str(labels[name]);
  const entries = blocks(labels);
  for (let i = 0; i < entries.length; i++) {
    if (entries[i].label === name) return str(entries[i].value);
  }
  return undefined;
}
