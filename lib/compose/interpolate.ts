/**
 * Compose's variable interpolation (compose specification, "Interpolation"):
 * `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?message}`, `${VAR?message}`,
 * `${VAR:+replacement}`, `${VAR+replacement}`, nested (`${A:-${B}}`), and `$$` for a literal `$`.
 * Anything else after a `$` is an error, as in compose.
 */

/** Looks a variable up: its value, or undefined when it is not set. */
export type Lookup = (name: string) => string | undefined;

/** Why a text could not be interpolated; the caller adds the place. */
export class InterpolationError extends Error {
  constructor(message: string, public readonly allowed: string) {
    super(message);
  }
}

const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;

export interface InterpolationResult {
  readonly value: string;
  /** Variables that were not set and had no default: replaced by an empty string (compose warns). */
  readonly unset: string[];
}

/** Interpolates `text`; throws an InterpolationError for bad syntax or a required variable without value. */
export function interpolate(text: string, lookup: Lookup): InterpolationResult {
  if (!text.includes('$')) return { value: text, unset: [] };
  const unset: string[] = [];
  const value = expand(text, 0, text.length, lookup, unset);
  return { value, unset };
}

function expand(text: string, start: number, end: number, lookup: Lookup, unset: string[]): string {
  let out = '';
  let i = start;
  while (i < end) {
    const c = text[i];
    if (c !== '$') {
      out += c;
      i++;
      continue;
    }
    const next = text[i + 1];
    if (next === '$') {
      out += '$';
      i += 2;
    } else if (next === '{') {
      const close = matchingBrace(text, i + 2, end);
      if (close < 0) throw new InterpolationError(`unterminated "\${" in ${JSON.stringify(text)}`, 'a "${" closed by "}"; write "$$" for a literal "$"');
      out += braced(text, i + 2, close, lookup, unset);
      i = close + 1;
    } else if (next !== undefined && NAME_START.test(next) && i + 1 < end) {
      let j = i + 1;
      while (j < end && NAME_CHAR.test(text[j])) j++;
      const name = text.slice(i + 1, j);
      const v = lookup(name);
      if (v === undefined) unset.push(name);
      out += v ?? '';
      i = j;
    } else {
      throw new InterpolationError(`invalid interpolation "$${next ?? ''}" in ${JSON.stringify(text)}`,
        'a "$" followed by a variable name, "{" or "$" ("$$" is a literal "$")');
    }
  }
  return out;
}

/** Index of the `}` that closes a `${` whose body starts at `from`; nested `${...}` are skipped. */
function matchingBrace(text: string, from: number, end: number): number {
  let depth = 0;
  for (let i = from; i < end; i++) {
    if (text[i] === '$' && text[i + 1] === '$') {
      i++;
    } else if (text[i] === '$' && text[i + 1] === '{') {
      depth++;
      i++;
    } else if (text[i] === '}') {
      if (depth === 0) return i;
      depth--;
    }
  }
  return -1;
}

/** The body of `${...}` between `start` and `close`. */
function braced(text: string, start: number, close: number, lookup: Lookup, unset: string[]): string {
  let j = start;
  if (j < close && NAME_START.test(text[j])) {
    j++;
    while (j < close && NAME_CHAR.test(text[j])) j++;
  }
  const name = text.slice(start, j);
  if (name === '') {
    throw new InterpolationError(`invalid interpolation "\${${text.slice(start, close)}}"`, 'a variable name of letters, digits and _ inside "${...}"');
  }
  const v = lookup(name);
  if (j === close) {
    if (v === undefined) unset.push(name);
    return v ?? '';
  }
  const colon = text[j] === ':';
  const op = text[colon ? j + 1 : j];
  const argStart = colon ? j + 2 : j + 1;
  if (op !== '-' && op !== '?' && op !== '+') {
    throw new InterpolationError(`invalid interpolation "\${${text.slice(start, close)}}"`,
      '${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?message}, ${VAR?message}, ${VAR:+replacement} or ${VAR+replacement}');
  }
  // `:` forms treat an empty value as unset.
  const missing = v === undefined || (colon && v === '');
  const arg = () => expand(text, argStart, close, lookup, unset);
  switch (op) {
    case '-':
      return missing ? arg() : (v as string);
    case '+':
      return missing ? '' : arg();
    default: {
      if (!missing) return v as string;
      const message = arg();
      throw new InterpolationError(`required variable ${name} is ${v === undefined ? 'not set' : 'empty'}${message ? `: ${message}` : ''}`,
        `a value for ${name}${colon ? ' (not empty)' : ''}: in ComposeProject's environment, the process environment or the .env file beside the compose file`);
    }
  }
}
