import * as path from 'path';
import { IConstruct } from 'constructs';
import { TerraformStack, Token, Tokenization } from 'cdktf';
import { ValidationError } from './errors';
import { DOMAIN, IMAGE_TAG, ImageReference, parseImageReference, unpinnedBy } from './_image-reference';

/** True when the value is a token (a Terraform reference or variable) that only resolves at deploy time. */
export function isUnresolved(value: unknown): boolean {
  return (typeof value === 'string' || typeof value === 'number') && Token.isUnresolved(value);
}

export function fail(where: string, prop: string, value: unknown, allowed: string): never {
  throw new ValidationError(where, prop, value, allowed);
}

/** The stack of `scope`; a construct outside any stack (e.g. created directly in the App) is an error naming it. */
export function stackOf(scope: IConstruct): TerraformStack {
  try {
    return TerraformStack.of(scope);
  } catch {
    return fail(scope.node.path || '(root)', 'scope', scope.node.path || '(the app)',
      'a construct inside a TerraformStack: pass a stack (or a construct in one) as scope, not the App');
  }
}

/** A value as text for a prop name or a message part; never throws (symbols, null-prototype objects). */
export function safeText(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return String(value);
  } catch {
    return `(${typeof value})`;
  }
}

/** Props of a construct (or a nested props object): an object, or undefined where all are optional. */
export function checkProps(where: string, props: unknown, required: boolean, allowed: string, prop = 'props'): void {
  if (props === undefined && !required) return;
  if (props === null || typeof props !== 'object' || Array.isArray(props)) fail(where, prop, props, allowed);
}

/** An instance of `type` (a class, also one with a private constructor); undefined passes unless required. */
export function checkInstance(where: string, prop: string, value: unknown, type: Function, allowed: string, required = false): void {
  if (value === undefined && !required) return;
  if (!(value instanceof type)) fail(where, prop, value, allowed);
}

/** A boolean (or a token); undefined passes. */
export function checkBoolean(where: string, prop: string, value: unknown): void {
  if (value === undefined || typeof value === 'boolean' || Tokenization.isResolvable(value)) return;
  fail(where, prop, value, 'true or false');
}

/** An optional string (tokens are strings); undefined passes. */
export function checkOptionalString(where: string, prop: string, value: unknown, allowed: string): void {
  if (value === undefined) return;
  if (typeof value !== 'string') fail(where, prop, value, allowed);
}

/** A plain object used as a map (not an array, not null, not a class instance); undefined passes. */
export function checkMap(where: string, prop: string, value: unknown, allowed: string): value is Record<string, unknown> | undefined {
  if (value === undefined) return true;
  if (value === null || typeof value !== 'object' || Array.isArray(value) || Tokenization.isResolvable(value)) fail(where, prop, value, allowed);
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) fail(where, prop, value, allowed);
  return true;
}

/** A map of string values, e.g. labels or driver options: keys non-empty, values strings (tokens included). */
export function checkStringMap(where: string, prop: string, value: unknown, what: string): void {
  checkMap(where, prop, value, `an object of ${what}: string keys and string values`);
  for (const [key, v] of Object.entries(value ?? {})) {
    if (key === '' || typeof v !== 'string') fail(where, `${prop}.${key}`, v, `a string value under a non-empty key (${what})`);
  }
}

/** An array; undefined passes. */
export function checkArray(where: string, prop: string, value: unknown, allowed: string): void {
  if (value === undefined) return;
  if (!Array.isArray(value)) fail(where, prop, value, allowed);
}

/** An array of strings (tokens included); undefined passes. */
export function checkStringArray(where: string, prop: string, value: unknown, allowed: string): void {
  checkArray(where, prop, value, allowed);
  (value as unknown[] | undefined ?? []).forEach((x, i) => {
    if (typeof x !== 'string') fail(where, `${prop}[${i}]`, x, allowed);
  });
}

/** An integer within [min, max]; tokens pass unjudged, undefined too unless required. */
export function checkInteger(where: string, prop: string, value: number | undefined, min: number, max: number, allowed?: string, required = false): void {
  if ((value === undefined && !required) || isUnresolved(value)) return;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    fail(where, prop, value, allowed ?? `an integer from ${min} to ${max}`);
  }
}

export function checkPort(where: string, prop: string, value: number | undefined, required = false): void {
  checkInteger(where, prop, value, 1, 65535, 'a port number, an integer from 1 to 65535', required);
}

/** A value of a string enum (tokens pass unjudged); the message lists the values. */
export function checkOneOf(where: string, prop: string, value: unknown, values: Record<string, string>): void {
  if (isUnresolved(value)) return;
  if (!Object.values(values).includes(value as string)) fail(where, prop, value, `one of ${Object.values(values).join(', ')}`);
}

/** An absolute path inside a container: starts with '/', no '..' segment, no NUL or newline; undefined passes unless required. */
export function checkContainerPath(where: string, prop: string, value: string | undefined, required = false): void {
  if ((value === undefined && !required) || isUnresolved(value)) return;
  if (typeof value !== 'string' || !value.startsWith('/') || /[\0\n\r]/.test(value) || value.split('/').includes('..')) {
    fail(where, prop, value, "an absolute path starting with '/' without '..' segments");
  }
}

/** An absolute path on the Docker host; undefined passes unless required. */
export function checkHostPath(where: string, prop: string, value: string | undefined, required = false): void {
  if ((value === undefined && !required) || isUnresolved(value)) return;
  if (typeof value !== 'string' || !path.posix.isAbsolute(value) || /[\0\n\r]/.test(value)) {
    fail(where, prop, value, "an absolute host path starting with '/'");
  }
}

/** A Terraform name (variable, provider alias): letters, digits, _ and -, not starting with a digit or -. */
export const TERRAFORM_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;
/** What a Terraform variable name may be, as error messages say it. */
export const VARIABLE_NAME_RULE = 'a Terraform variable name: letters, digits, _ and -, not starting with a digit';

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
export function checkEnvName(where: string, prop: string, name: string): void {
  if (typeof name !== 'string' || !ENV_NAME.test(name)) {
    fail(where, prop, name, 'an environment variable name of letters, digits and underscores, not starting with a digit');
  }
}

/**
 * Names Docker accepts for containers, networks and volumes. Containers and volumes need at
 * least two characters (Docker's pattern `[a-zA-Z0-9][a-zA-Z0-9_.-]+`, docker/cli#1641): pass
 * `minLength` 2 for them.
 */
const OBJECT_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;
export function checkObjectName(where: string, prop: string, value: string | undefined, minLength = 1): void {
  if (value === undefined || isUnresolved(value)) return;
  if (typeof value !== 'string' || !OBJECT_NAME.test(value) || value.length < minLength || value.length > 128) {
    fail(where, prop, value, minLength > 1
      ? `a Docker object name: letters, digits, and _ . - (not first), from ${minLength} to 128 characters`
      : 'a Docker object name: letters, digits, and _ . - (not first), at most 128 characters');
  }
}

// The image-reference grammar and pinned policy live in `_image-reference` (shared with the review).
export { IMAGE_TAG, parseImageReference };
export type { ImageReference };

export const IMAGE_REFERENCE_RULE =
  "a Docker image reference '[registry[:port]/]name[:tag][@sha256:digest]' with lower-case path components";
export const PINNED_RULE = "pinned by a tag other than 'latest' (e.g. 'redis:7.4-alpine') or by a digest ('@sha256:...')";

/** Checks an image reference and that it is pinned; tokens pass unjudged. */
export function checkPinnedImageReference(where: string, prop: string, ref: string): ImageReference | undefined {
  if (isUnresolved(ref)) return undefined;
  const parsed = parseImageReference(ref);
  if (!parsed) fail(where, prop, ref, IMAGE_REFERENCE_RULE);
  if (unpinnedBy(parsed) !== undefined) fail(where, prop, ref, PINNED_RULE);
  return parsed;
}

/** A registry address without scheme and path, lower-cased; not judged. */
export function registryHost(address: string): string {
  return address.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/\/.*$/, '').toLowerCase();
}

/** True for an address written with `http://`: a registry that speaks plain HTTP. */
export function isPlainHttpRegistry(address: string): boolean {
  return /^http:\/\//i.test(address.trim());
}

/**
 * Registry address as the provider expects it: host and optional port, no path; `http://` kept
 * for a plain-HTTP registry (the provider speaks HTTPS to every other address), any other scheme
 * dropped.
 */
export function normaliseRegistryAddress(where: string, prop: string, address: string): string {
  if (isUnresolved(address)) return address;
  if (typeof address !== 'string') fail(where, prop, address, 'a registry host with an optional port, e.g. "localhost:5000" or "http://localhost:5000"');
  const host = registryHost(address.trim());
  if (!host || !DOMAIN.test(host)) {
    fail(where, prop, address, 'a registry host with an optional port, e.g. "registry.example.com", or "http://localhost:5000" for a plain-HTTP registry');
  }
  const port = host.match(/:(\d+)$/);
  if (port && (Number(port[1]) < 1 || Number(port[1]) > 65535)) {
    fail(where, prop, address, 'a registry port from 1 to 65535');
  }
  return isPlainHttpRegistry(address) ? `http://${host}` : host;
}

// ---------------------------------------------------------------------------------------------
// Grammars as predicates, for callers that report errors their own way (the compose import
// names the compose file's line and key path). They use the same definitions as the checks above.

/** True for an environment variable name the library accepts (`checkEnvName`'s rule). */
export function isEnvName(name: unknown): name is string {
  return typeof name === 'string' && ENV_NAME.test(name);
}

/** True for a Docker object name of `minLength` to 128 characters (`checkObjectName`'s rule). */
export function isObjectName(value: unknown, minLength = 1): value is string {
  return typeof value === 'string' && OBJECT_NAME.test(value) && value.length >= minLength && value.length <= 128;
}

/** A container user: a user name or UID, optionally with `:group` or `:GID`. */
const USER_SPEC = /^[a-zA-Z0-9_][a-zA-Z0-9_.-]*(:[a-zA-Z0-9_][a-zA-Z0-9_.-]*)?$/;
export function isUserSpec(value: unknown): value is string {
  return typeof value === 'string' && USER_SPEC.test(value);
}

/** A Dockerfile build stage name (`--target`). */
const BUILD_STAGE = /^[a-zA-Z][a-zA-Z0-9_.-]*$/;
export function isBuildStageName(value: unknown): value is string {
  return typeof value === 'string' && BUILD_STAGE.test(value);
}
