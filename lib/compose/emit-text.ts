/**
 * Text of the generated program, kept apart from what it says: JavaScript literals of plain data
 * (on one line when they fit, else one entry per line), quoted strings, object keys, wrapped
 * comments and import lists, and the variable names it declares (unique, never reserved words).
 */
import * as path from 'path';
import { ComposeNoteModel } from './model';

const RESERVED = new Set(('break case catch class const continue debugger default delete do else enum export extends false finally for function if import in '
  + 'instanceof new null return super switch this throw true try typeof var void while with yield let static implements interface package private '
  + 'protected public await app host path os stack scope id project').split(' '));

/** Variable names of the generated program: camelCase from compose names, each once. */
export class Names {
  private readonly used = new Set<string>();
  public take(text: string, suffix = ''): string {
    const words = text.split(/[^A-Za-z0-9]+/).filter((w) => w !== '');
    let base = words.map((w, i) => (i === 0 ? w.charAt(0).toLowerCase() + w.slice(1) : w.charAt(0).toUpperCase() + w.slice(1))).join('') || 'item';
    if (/^[0-9]/.test(base)) base = `_${base}`;
    base += suffix;
    if (RESERVED.has(base)) base = `${base}_`;
    let name = base;
    for (let i = 2; this.used.has(name); i++) name = `${base}${i}`;
    this.used.add(name);
    return name;
  }
}

/**
 * A JavaScript literal of plain data: on one line when it fits in 110 columns after `used`
 * columns of its line, else one entry per line, indented from `indent` (the line's indentation).
 */
export function lit(value: unknown, indent = 0, used = indent): string {
  const flat = literalFlat(value);
  if (used + flat.length <= 110 || typeof value !== 'object' || value === null) return flat;
  const pad = ' '.repeat(indent + 2);
  const end = ' '.repeat(indent);
  if (Array.isArray(value)) return `[\n${value.map((v) => `${pad}${lit(v, indent + 2)},`).join('\n')}\n${end}]`;
  return `{\n${Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${pad}${key(k)}: ${lit(v, indent + 2, indent + 2 + key(k).length + 2)},`).join('\n')}\n${end}}`;
}

function literalFlat(value: unknown): string {
  if (typeof value === 'string') return str(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return `[${value.map(literalFlat).join(', ')}]`;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  return entries.length === 0 ? '{}' : `{ ${entries.map(([k, v]) => `${key(k)}: ${literalFlat(v)}`).join(', ')} }`;
}

/** A single-quoted string literal; control characters and line separators escaped. */
export function str(s: string): string {
  const escaped = s.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t')
    .replace(/[\u0000-\u001f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return `'${escaped}'`;
}

/** An object key: bare when it is an identifier, else quoted. */
export function key(k: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(k) ? k : str(k);
}

/** A comment, wrapped at about 110 columns. */
export function comment(text: string, indent: string): string[] {
  const words = text.split(/\s+/);
  const lines: string[] = [];
  let line = `${indent}//`;
  for (const w of words) {
    if (line.length + w.length + 1 > 110 && line !== `${indent}//`) {
      lines.push(line);
      line = `${indent}//  `;
    }
    line += ` ${w}`;
  }
  lines.push(line);
  return lines;
}

/** A note as `file:line:col key.path: message` (the compose file by its base name). */
export function noteText(n: ComposeNoteModel, composeFile: string): string {
  const file = n.source.file === composeFile ? path.basename(n.source.file) : n.source.file;
  return `${file}:${n.source.line}:${n.source.col} ${n.source.path}: ${n.message}`;
}

/** Names for an import list, wrapped at about 100 columns. */
export function wrapList(items: string[], indent: string): string {
  const lines: string[] = [];
  let line = indent;
  for (const item of items) {
    const piece = `${item},`;
    if (line.length + piece.length + 1 > 100 && line.trim() !== '') {
      lines.push(line.trimEnd());
      line = indent;
    }
    line += `${piece} `;
  }
  lines.push(line.trimEnd());
  return lines.join('\n');
}
