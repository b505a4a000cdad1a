/**
 * The `.env` syntax compose reads (the `.env` file beside the compose file, and `env_file`):
 * `KEY=VALUE` per line, `export ` allowed, `#` comments, blank lines; single-quoted values are
 * literal; double-quoted values take `\n`, `\r`, `\t`, `\\`, `\"` and may span lines; an inline
 * comment after an unquoted value needs a space before the `#`. Unquoted and double-quoted values
 * are interpolated when a lookup is given (the `.env` file), literal otherwise (`env_file`, as the
 * compose documentation says).
 */
import { InterpolationError, Lookup, interpolate } from './interpolate';

export interface DotenvEntry {
  readonly name: string;
  readonly value: string;
  readonly line: number;
  readonly col: number;
}

/** A line that is not `KEY=VALUE`; the caller adds the file. */
export class DotenvError extends Error {
  constructor(message: string, public readonly line: number, public readonly col: number, public readonly allowed: string) {
    super(message);
  }
}

const KEY = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/**
 * Parses `text`. With `lookup`, unquoted and double-quoted values are interpolated, a variable
 * defined earlier in the file counting as set (after `lookup`, which takes precedence).
 */
export function parseDotenv(text: string, lookup?: Lookup): DotenvEntry[] {
  const entries: DotenvEntry[] = [];
  const own = new Map<string, string>();
  const resolve: Lookup = (name) => lookup?.(name) ?? own.get(name);
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (let n = 0; n < lines.length; n++) {
    const trimmed = lines[n].trimStart();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const lineNo = n + 1;
    const { name, rest, col } = assignment(lines[n], lineNo);
    const quote = rest.startsWith("'") || rest.startsWith('"') ? rest[0] : undefined;
    let value: string;
    if (quote !== undefined) {
      const quoted = quotedValue(lines, n, rest, { line: lineNo, col });
      n = quoted.lastLine;
      value = quoted.value;
    } else {
      const comment = rest.search(/\s#/);
      value = (comment >= 0 ? rest.slice(0, comment) : rest).trim();
    }
    if (lookup && quote !== "'") value = interpolated(value, resolve, { line: lineNo, col });
    own.set(name, value);
    entries.push({ name, value, line: lineNo, col });
  }
  return entries;
}

interface Place {
  readonly line: number;
  readonly col: number;
}

/** A `[export ]KEY=...` line: the name, the text after `=` (leading blanks removed) and the key's column. */
function assignment(raw: string, lineNo: number): { name: string; rest: string; col: number } {
  const trimmed = raw.trimStart();
  const indent = raw.length - trimmed.length;
  const body = trimmed.replace(/^export\s+/, '');
  const eq = body.indexOf('=');
  const col = indent + 1 + (trimmed.length - body.length);
  if (eq < 0) {
    throw new DotenvError(`line ${lineNo} has no "="`, lineNo, col, 'KEY=VALUE lines, # comments and blank lines');
  }
  const name = body.slice(0, eq).trim();
  if (!KEY.test(name)) {
    throw new DotenvError(`invalid variable name ${JSON.stringify(name)}`, lineNo, col, 'a variable name of letters, digits, _ . and -, not starting with a digit');
  }
  return { name, rest: body.slice(eq + 1).trimStart(), col };
}

/** A quoted value starting at line `n` (it may span lines: joined until the closing quote), and the line it ends on. */
function quotedValue(lines: string[], n: number, rest: string, at: Place): { value: string; lastLine: number } {
  const quote = rest[0];
  let last = n;
  let acc = rest.slice(1);
  let closeAt = findClose(acc, quote);
  while (closeAt < 0 && last + 1 < lines.length) {
    last++;
    acc += `\n${lines[last]}`;
    closeAt = findClose(acc, quote);
  }
  if (closeAt < 0) throw new DotenvError(`unterminated ${quote} quote`, at.line, at.col, `a value closed by ${quote}`);
  const after = acc.slice(closeAt + 1).trim();
  if (after !== '' && !after.startsWith('#')) {
    throw new DotenvError(`text after the closing quote: ${JSON.stringify(after)}`, at.line, at.col, 'only a # comment after a quoted value');
  }
  const inner = acc.slice(0, closeAt);
  return { value: quote === "'" ? inner.replace(/\\'/g, "'") : unescapeDouble(inner), lastLine: last };
}

function interpolated(value: string, resolve: Lookup, at: Place): string {
  try {
    return interpolate(value, resolve).value;
  } catch (e) {
    if (e instanceof InterpolationError) throw new DotenvError(e.message, at.line, at.col, e.allowed);
    throw e;
  }
}

function findClose(text: string, quote: string): number {
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\\') {
      i++;
    } else if (text[i] === quote) {
      return i;
    }
  }
  return -1;
}

function unescapeDouble(text: string): string {
  return text.replace(/\\([nrt"\\])/g, (_, c: string) => ({ n: '\n', r: '\r', t: '\t' } as Record<string, string>)[c] ?? c);
}
