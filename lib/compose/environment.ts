/**
 * A service's environment: `env_file` (literal values), then `environment` over it (values from
 * the compose file, or from the interpolation variables for a name alone). A secret that comes
 * from the environment becomes a sensitive Terraform variable instead of a value in the plan.
 * Variable names follow the library's rule (`_validate.isEnvName`).
 */
import * as fs from 'fs';
import * as path from 'path';
import { isEnvName } from '../_validate';
import { looksSecret } from '../review/secret-names';
import { ServiceDraft } from './draft';
import { SourceRef } from './model';
import { readDotenv } from './load-context';
import { Reader, expandHome, isMap } from './reader';
import { sourceError } from './source';

const ENV_NAME_RULE = 'an environment variable name of letters, digits and underscores, not starting with a digit';

/** `env_file`, then `environment` over it, into `d.env`. */
export function readEnvironment(d: ServiceDraft): void {
  if (d.def.env_file !== undefined) readEnvFiles(d, `${d.p}.env_file`, d.def.env_file);
  if (d.def.environment !== undefined) readEnvironmentKey(d, `${d.p}.environment`, d.def.environment);
}

interface EnvFileEntry {
  readonly at: string;
  readonly file: string;
  readonly required: boolean;
}

/** The files `env_file` names: a path, or a list of paths and `{ path, required, format }`. */
function envFileEntries(r: Reader, p: string, v: unknown): EnvFileEntry[] {
  if (typeof v === 'string') return [{ at: p, file: v, required: true }];
  return r.list(p, v, 'a path or a list of paths').map((e, i) => {
    const at = `${p}[${i}]`;
    if (typeof e === 'string') return { at, file: e, required: true };
    if (!isMap(e)) return r.fail(at, e, 'a path or { path, required }');
    let required = true;
    for (const [k, val] of Object.entries(e)) {
      if (k === 'required') required = r.bool(`${at}.required`, val);
      else if (k === 'format') {
        if (val !== 'raw') r.fail(`${at}.format`, val, 'raw, or no format');
      } else if (k !== 'path') r.fail(`${at}.${k}`, k, 'path, required or format', true);
    }
    return { at, file: r.str(`${at}.path`, e.path, 'the path of an env file'), required };
  });
}

function readEnvFiles(d: ServiceDraft, p: string, v: unknown): void {
  const r: Reader = d.r;
  const { ctx } = d;
  for (const e of envFileEntries(r, p, v)) {
    const file = path.resolve(ctx.dir, expandHome(e.file));
    const display = ctx.displayPath(e.file);
    if (!fs.existsSync(file)) {
      if (e.required) r.fail(e.at, e.file, `an existing env file (no ${file}), or required: false`);
      r.note(e.at, `env file ${e.file} does not exist (required: false): skipped`);
      continue;
    }
    // Literal values: the compose documentation says env_file values are not interpolated.
    for (const entry of readDotenv(ctx.options.where, file, display)) {
      const ref: SourceRef = { file: display, line: entry.line, col: entry.col, path: entry.name };
      if (!isEnvName(entry.name)) throw sourceError(ctx.options.where, ref, entry.name, `${ENV_NAME_RULE} (the library's rule)`);
      d.env.set(entry.name, { value: entry.value, ref });
    }
  }
}

function readEnvironmentKey(d: ServiceDraft, p: string, v: unknown): void {
  const texts = { entry: 'NAME=value or NAME', value: 'a string, number or boolean value', whole: 'a list of NAME=value or a mapping of names to values' };
  d.r.eachNameValue(p, v, texts, (at, k, value) => putVariable(d, at, k, value));
}

/** One `environment` entry; without a value it takes the interpolation variable of its name, or is left out. */
function putVariable(d: ServiceDraft, at: string, k: string, value: string | undefined): void {
  const r: Reader = d.r;
  if (!isEnvName(k)) r.fail(at, k, `${ENV_NAME_RULE} (the library's rule; Docker would take others)`, true);
  if (value !== undefined) {
    d.env.set(k, { value, ref: r.ref(at), secretVariable: secretFromEnvironment(d, at, k) });
    return;
  }
  const fromEnv = d.ctx.lookup(k);
  if (fromEnv === undefined) {
    r.note(at, `environment ${k} has no value and is not set in the environment: not passed (as compose does)`);
    d.env.delete(k);
    return;
  }
  d.env.set(k, { value: fromEnv, ref: r.ref(at), secretVariable: looksSecret(k) ? k : undefined });
}

/**
 * The variable a written value takes a secret from. A secret that comes from the environment or .env
 * stays out of the synthesized JSON: it becomes a sensitive Terraform variable, read at deploy time.
 * One written in the compose file stays as it is (the review reports it: literal-secret-env).
 */
function secretFromEnvironment(d: ServiceDraft, at: string, k: string): string | undefined {
  const sub = d.r.s.substitution(at);
  if (!sub || !(looksSecret(k) || sub.variables.some(looksSecret))) return undefined;
  if (sub.alone === undefined) {
    d.r.fail(at, `${k}=(interpolated from ${sub.variables.join(', ')})`,
      'a secret from the environment as the whole value (`${VAR}`): it then comes from a sensitive Terraform variable at deploy time; inside a larger value it would be written into the plan and state in plain text');
  }
  return sub.alone;
}

/** The environment into props: plain values sorted by name, secrets from the environment as sensitive variables. */
export function finishEnvironment(d: ServiceDraft): void {
  if (d.env.size === 0) return;
  const plain: Record<string, string> = {};
  for (const [k, e] of [...d.env.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (d.secretEnvironment[k] !== undefined) d.r.fail(e.ref.path, k, 'each environment variable once (a secret of the service has this name)');
    if (e.secretVariable !== undefined) {
      d.secretEnvironment[k] = e.secretVariable;
      d.propSources[`secretEnvironment.${k}`] = e.ref;
      d.r.note(e.ref.path, `environment ${k} is a secret from the environment: it comes from the sensitive Terraform variable ${e.secretVariable} (TF_VAR_${e.secretVariable} at deploy time), so its value is never read at synth`);
      continue;
    }
    plain[k] = e.value;
    d.propSources[`environment.${k}`] = e.ref;
  }
  if (Object.keys(plain).length > 0) d.props.environment = plain;
}
