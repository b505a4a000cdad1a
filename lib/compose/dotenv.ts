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
    const raw = lines[n];
    const trimmed = raw.trimStart();
    const lineNo = n + 1;
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const indent = raw.length - trimmed.length;
    const body = trimmed.replace(/^export\s+/, '');
    const eq = body.indexOf('=');
    const keyCol = indent + 1 + (trimmed.length - body.length);
    if (eq < 0) {
      throw new DotenvError(`line ${lineNo} has no "="`, lineNo, keyCol, 'KEY=VALUE lines, # comments and blank lines');
    }
    const name = body.slice(0, eq).trim();
    if (!KEY.test(name)) {
      throw new DotenvError(`invalid variable name ${JSON.stringify(name)}`, lineNo, keyCol, 'a variable name of letters, digits, _ . and -, not starting with a digit');
    }
    let rest = body.slice(eq + 1).trimStart();
    let value: string;
    let quoted: 'single' | 'double' | undefined;
    if (rest.startsWith("'") || rest.startsWith('"')) {
      const quote = rest[0];
      quoted = quote === "'" ? 'single' : 'double';
      // A quoted value may span lines: join until the closing quote.
      let acc = rest.slice(1);
      let closeAt = findClose(acc, quote);
      while (closeAt < 0 && n + 1 < lines.length) {
        n++;
        acc += `\n${lines[n]}`;
        closeAt = findClose(acc, quote);
      }
      if (closeAt < 0) throw new DotenvError(`unterminated ${quote} quote`, lineNo, keyCol, `a value closed by ${quote}`);
      const after = acc.slice(closeAt + 1).trim();
      if (after !== '' && !after.startsWith('#')) {
        throw new DotenvError(`text after the closing quote: ${JSON.stringify(after)}`, lineNo, keyCol, 'only a # comment after a quoted value');
      }
      rest = acc.slice(0, closeAt);
      value = quote === "'" ? rest.replace(/\\'/g, "'") : unescapeDouble(rest);
    } else {
      const comment = rest.search(/\s#/);
      value = (comment >= 0 ? rest.slice(0, comment) : rest).trim();
    }
    if (lookup && quoted !== 'single') {
      try {
        value = interpolate(value, resolve).value;
      } catch (e) {
        if (e instanceof InterpolationError) throw new DotenvError(e.message, lineNo, keyCol, e.allowed);
        throw e;
      }
    }
    own.set(name, value);
    entries.push({ name, value, line: lineNo, col: keyCol });
  }
  return entries;
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
