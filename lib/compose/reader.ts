/**
 * Typed readers over the compose file's data: each takes a key path and a value and returns the
 * value as the type asked for, or throws the library's ValidationError naming the file, line,
 * column and key path (`ComposeSource.fail`). Notes (what has no counterpart) are collected here.
 * Small helpers that every key family uses (`isMap`, `splitOnce`, `expandHome`, `MIB`) live here too.
 */
import * as os from 'os';
import * as path from 'path';
import { isObjectName } from '../_validate';
import { ComposeNoteModel, SourceRef } from './model';
import { ComposeSource, PlainMap } from './source';
import { parseDuration } from './units';

/** Bytes in a MiB: the library sizes memory, tmpfs and log files in MiB. */
export const MIB = 1024 * 1024;

export type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export const isMap = (v: unknown): v is PlainMap => v !== null && typeof v === 'object' && !Array.isArray(v);

/** `a=b=c` split on the first `=`: `['a', 'b=c']`; without the separator the second part is undefined. */
export function splitOnce(text: string, sep: string): [string, string | undefined] {
  const i = text.indexOf(sep);
  return i < 0 ? [text, undefined] : [text.slice(0, i), text.slice(i + 1)];
}

/** `~` and `~/x` under the home folder; other paths as written. */
export function expandHome(p: string): string {
  return p === '~' || p.startsWith('~/') ? path.join(os.homedir(), p.slice(2)) : p;
}

/** How a `NAME=value` list or a mapping is described in errors (environment, build args). */
export interface KeyValueTexts {
  /** A list entry, e.g. `NAME=value or NAME`. */
  readonly entry: string;
  /** A mapping's value. */
  readonly value: string;
  /** Neither a list nor a mapping. */
  readonly whole: string;
}

export class Reader {
  /** Notes in the order they were made (the source's own notes come first in the model). */
  public readonly notes: ComposeNoteModel[] = [];

  constructor(public readonly s: ComposeSource) {}

  public fail(p: string, v: unknown, allowed: string, key = false): never {
    return this.s.fail(p, v, allowed, key);
  }

  public ref(p: string, key = false): SourceRef {
    return this.s.ref(p, key);
  }

  public note(p: string, message: string): void {
    this.notes.push({ source: this.s.ref(p), message });
  }

  public str(p: string, v: unknown, allowed: string): string {
    if (typeof v !== 'string') this.fail(p, v, allowed);
    return v;
  }

  /** A string, or a number or boolean written without quotes (as compose takes them). */
  public scalarText(p: string, v: unknown, allowed: string): string {
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    return this.fail(p, v, allowed);
  }

  public bool(p: string, v: unknown): boolean {
    if (typeof v !== 'boolean') this.fail(p, v, 'true or false');
    return v;
  }

  public integer(p: string, v: unknown, min: number, max: number): number {
    const n = typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : v;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) this.fail(p, v, `an integer from ${min} to ${max}`);
    return n;
  }

  public wholeSeconds(p: string, v: unknown, min: number, max: number): number {
    const seconds = typeof v === 'string' ? parseDuration(v) : undefined;
    if (seconds === undefined) this.fail(p, v, 'a duration such as 10s or 1m30s');
    if (!Number.isInteger(seconds) || seconds < min || seconds > max) {
      this.fail(p, v, `whole seconds from ${min} to ${max} (the library's durations are whole seconds)`);
    }
    return seconds;
  }

  public list(p: string, v: unknown, allowed: string): unknown[] {
    if (!Array.isArray(v)) this.fail(p, v, allowed);
    return v;
  }

  public stringList(p: string, v: unknown, allowed: string): string[] {
    return this.list(p, v, allowed).map((x, i) => this.str(`${p}[${i}]`, x, allowed));
  }

  public stringMap(p: string, v: unknown, allowed: string): Record<string, string> {
    if (!isMap(v)) this.fail(p, v, allowed);
    const out: Record<string, string> = {};
    for (const [k, val] of Object.entries(v)) out[k] = this.scalarText(`${p}.${k}`, val, 'a string value');
    return out;
  }

  /** `KEY=VALUE` list or mapping (labels, sysctls). */
  public keyValues(p: string, v: unknown, what: string): Record<string, string> {
    const out: Record<string, string> = {};
    if (Array.isArray(v)) {
      v.forEach((e, i) => {
        const s = this.str(`${p}[${i}]`, e, `${what} as KEY=VALUE`);
        const [k, val] = splitOnce(s, '=');
        if (k === '') this.fail(`${p}[${i}]`, s, `${what} as KEY=VALUE with a non-empty key`);
        out[k] = val ?? '';
      });
      return out;
    }
    if (isMap(v)) {
      for (const [k, val] of Object.entries(v)) out[k] = val === null ? '' : this.scalarText(`${p}.${k}`, val, 'a string value');
      return out;
    }
    return this.fail(p, v, `${what}: a list of KEY=VALUE or a mapping`);
  }

  /**
   * Each entry of a `NAME=value` list (`NAME` alone: no value) or of a mapping (null: no value), in
   * the order written, given to `put` with its key path.
   */
  public eachNameValue(p: string, v: unknown, texts: KeyValueTexts, put: (at: string, name: string, value: string | undefined) => void): void {
    if (Array.isArray(v)) {
      v.forEach((e, i) => {
        const [k, val] = splitOnce(this.str(`${p}[${i}]`, e, texts.entry), '=');
        put(`${p}[${i}]`, k, val);
      });
    } else if (isMap(v)) {
      for (const [k, val] of Object.entries(v)) put(`${p}.${k}`, k, val === null ? undefined : this.scalarText(`${p}.${k}`, val, texts.value));
    } else {
      this.fail(p, v, texts.whole);
    }
  }

  public labels(p: string, v: unknown): Record<string, string> {
    return this.keyValues(p, v, 'labels');
  }

  /** A container, network or volume name Docker accepts (the library's rule, `_validate.isObjectName`). */
  public objectName(p: string, v: unknown, minLength: number): string {
    const s = this.str(p, v, 'a Docker object name');
    if (!isObjectName(s, minLength)) {
      this.fail(p, v, `a Docker object name: letters, digits, and _ . - (not first), from ${minLength} to 128 characters`);
    }
    return s;
  }

  public containerPath(p: string, v: unknown): string {
    const s = this.str(p, v, 'an absolute container path');
    if (!s.startsWith('/') || s.split('/').includes('..') || /[\0\n\r]/.test(s)) this.fail(p, v, "an absolute container path starting with '/' without '..' segments");
    // Docker treats /a/ and /a alike; the library compares paths as written.
    return s.length > 1 ? s.replace(/\/+$/, '') : s;
  }
}
