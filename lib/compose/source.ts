/**
 * Reads a compose file into plain data while keeping where each value was written.
 *
 * YAML 1.2 through the `yaml` package (`parseDocument` with a LineCounter), anchors and aliases,
 * merge keys (`<<`, explicit keys winning over merged ones, the first merged map winning over
 * later ones). Every string value is interpolated on the way (compose interpolates after
 * parsing, whatever the YAML quoting), so an error in a `${...}` names its own line and column.
 */
import * as fs from 'fs';
import type * as Yaml from 'yaml';
import type { Document, LineCounter, Node as YamlNode, YAMLMap as YamlMap } from 'yaml';
import { ValidationError } from '../errors';
import { InterpolationError, Lookup, interpolate } from './interpolate';
import { ComposeNoteModel, SourceRef } from './model';

export interface Position {
  readonly line: number;
  readonly col: number;
}

/** A plain object of a YAML mapping (null prototype: a `__proto__` key is just a key). */
export type PlainMap = Record<string, unknown>;

/** The `yaml` package, loaded on the first compose file read: loading the library does not pay for it. */
let yamlModule: typeof Yaml | undefined;
function yaml(): typeof Yaml {
  yamlModule ??= require('yaml') as typeof Yaml;
  return yamlModule;
}

/** Nodes visited at most (aliases can multiply a small file into a huge value). */
const MAX_NODES = 2_000_000;
const MAX_DEPTH = 64;

/** The file's data with positions; `fail` throws the library's error naming file, line, column and key path. */
export class ComposeSource {
  public readonly root: unknown;
  /** Variables that were not set (replaced by an empty string, as compose does). */
  public readonly notes: ComposeNoteModel[] = [];
  /** Source offsets of values and keys by key path; turned into line and column only when a place is asked for. */
  private readonly valuePos = new Map<string, number>();
  private readonly keyPos = new Map<string, number>();
  /** What interpolated values were made of, by key path. */
  private readonly substitutions = new Map<string, Substitution>();
  private readonly lines: LineCounter;
  /** The parsed document, while it is walked (released afterwards: only positions are kept). */
  private doc: Document | undefined;
  private visited = 0;

  /**
   * @param where construct path (or command name) the errors start with
   * @param file absolute path of the compose file
   * @param displayFile the file as the user named it
   */
  constructor(
    public readonly where: string,
    public readonly file: string,
    public readonly displayFile: string,
    private readonly lookup: Lookup,
  ) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      throw new ValidationError(where, 'file', displayFile, `a readable compose file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}: ${file})`);
    }
    const { LineCounter, parseDocument } = yaml();
    this.lines = new LineCounter();
    // Duplicate keys are found in walk(): yaml's own check compares each key with every earlier one of its mapping.
    this.doc = parseDocument(text, { merge: true, lineCounter: this.lines, uniqueKeys: false, version: '1.2' });
    const problem = this.doc.errors[0];
    if (problem) {
      const pos = problem.linePos?.[0] ?? { line: 1, col: 1 };
      throw new ValidationError(where, `${displayFile}:${pos.line}:${pos.col}`, problem.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, ''),
        'a YAML 1.2 document (compose files are YAML)');
    }
    this.root = this.doc.contents === null ? null : this.walk(this.doc.contents as YamlNode, '', 0);
    this.doc = undefined;
  }

  /** The place of the value at `path` (or of its key), else of the nearest ancestor that has one. */
  public ref(path: string, key = false): SourceRef {
    let p = path;
    for (;;) {
      const offset = (key ? this.keyPos.get(p) : undefined) ?? this.valuePos.get(p) ?? this.keyPos.get(p);
      if (offset !== undefined) {
        const pos = this.lines.linePos(offset);
        return { file: this.displayFile, line: pos.line, col: pos.col, path };
      }
      if (p === '') return { file: this.displayFile, line: 1, col: 1, path };
      p = parentPath(p);
    }
  }

  /** Throws the library's ValidationError for the value at `path`. */
  public fail(path: string, value: unknown, allowed: string, key = false): never {
    throw sourceError(this.where, this.ref(path, key), value, allowed);
  }

  /** Records something that has no counterpart (a note, never dropped silently). */
  public note(path: string, message: string): void {
    this.notes.push({ source: this.ref(path), message });
  }

  /** The plain value of `node` at key path `path`, its positions recorded, its strings interpolated. */
  private walk(node: YamlNode, path: string, depth: number): unknown {
    const { isAlias, isMap, isScalar, isSeq } = yamlModule as typeof Yaml;
    if (++this.visited > MAX_NODES) this.fail(path, undefined, `a compose file of at most ${MAX_NODES} values once aliases are expanded`);
    if (depth > MAX_DEPTH) this.fail(path, undefined, `values nested at most ${MAX_DEPTH} levels deep`);
    const offset = node.range?.[0];
    if (offset !== undefined && !this.valuePos.has(path)) this.valuePos.set(path, offset);
    if (isAlias(node)) {
      const target = node.resolve(this.doc as Document);
      if (!target) this.fail(path, node.source, 'an alias of an anchor defined earlier in the file');
      return this.walk(target as YamlNode, path, depth + 1);
    }
    if (isScalar(node)) {
      const v = node.value;
      if (typeof v === 'string') return this.interpolate(v, path);
      if (typeof v === 'bigint') return Number(v);
      return v;
    }
    if (isSeq(node)) {
      return node.items.map((item, i) => (item === null ? null : this.walk(item as YamlNode, `${path}[${i}]`, depth + 1)));
    }
    if (isMap(node)) return this.walkMap(node, path, depth);
    return null;
  }

  /** A mapping: keys once each, merge keys (`<<`) after the explicit keys, which win. */
  private walkMap(node: YamlMap<unknown, unknown>, path: string, depth: number): PlainMap {
    const { isScalar, isSeq } = yamlModule as typeof Yaml;
    const out: PlainMap = Object.create(null);
    const merges: YamlNode[] = [];
    for (const pair of node.items) {
      const keyNode = pair.key as YamlNode | null;
      if (isScalar(keyNode) && typeof keyNode.value === 'symbol') {
        // A merge key: `<<: *base` or `<<: [*a, *b]`.
        const v = pair.value as YamlNode;
        if (isSeq(v)) merges.push(...(v.items as YamlNode[]));
        else merges.push(v);
        continue;
      }
      if (keyNode !== null && !isScalar(keyNode)) this.fail(path, undefined, 'mapping keys that are plain scalars', true);
      const key = keyNode === null ? '' : String(keyNode.value);
      const child = path === '' ? key : `${path}.${key}`;
      const keyAt = keyNode?.range?.[0];
      if (keyAt !== undefined) this.keyPos.set(child, keyAt);
      if (key in out) this.fail(child, key, 'each key once in a mapping (YAML map keys must be unique)', true);
      out[key] = pair.value === null || pair.value === undefined ? null : this.walk(pair.value as YamlNode, child, depth + 1);
    }
    for (const m of merges) {
      const merged = this.walk(m, path, depth + 1);
      if (merged === null || typeof merged !== 'object' || Array.isArray(merged)) {
        this.fail(path, merged, 'a merge key (<<) whose value is a mapping or a list of mappings', true);
      }
      for (const [k, v] of Object.entries(merged as PlainMap)) if (!(k in out)) out[k] = v;
    }
    return out;
  }

  /**
   * The variables the value at `path` was interpolated from, and the one variable when the value
   * (after `NAME=` in a list entry) is that variable alone (`${VAR}`, `$VAR`, `${VAR:-default}`...).
   */
  public substitution(path: string): Substitution | undefined {
    return this.substitutions.get(path);
  }

  private interpolate(text: string, path: string): string {
    try {
      const used: string[] = [];
      const { value, unset } = interpolate(text, (name) => {
        used.push(name);
        return this.lookup(name);
      });
      if (used.length > 0) {
        const single = SINGLE_REFERENCE.exec(text.slice(text.startsWith('$') ? 0 : text.indexOf('=') + 1));
        this.substitutions.set(path, { variables: [...new Set(used)], alone: single ? single[1] ?? single[2] : undefined });
      }
      for (const name of [...new Set(unset)]) {
        this.note(path, `variable ${name} is not set: replaced by an empty string, as compose does`);
      }
      return value;
    } catch (e) {
      if (e instanceof InterpolationError) this.fail(path, text, `${e.message}: ${e.allowed}`);
      throw e;
    }
  }
}

/** The variables an interpolated value was made of (`ComposeSource.substitution`). */
export interface Substitution {
  readonly variables: string[];
  /** The variable when the value is that variable alone, with or without a default. */
  readonly alone?: string;
}

/** A value that is one variable: `${VAR}`, `${VAR:-default}`, `${VAR?message}`..., or `$VAR`. */
const SINGLE_REFERENCE = /^\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?::?[-?][^${}]*)?\}|([A-Za-z_][A-Za-z0-9_]*))$/;

/** The library's error for a place in a compose (or env) file: prop = `<file>:<line>:<col> <key path>`. */
export function sourceError(where: string, ref: SourceRef, value: unknown, allowed: string): ValidationError {
  return new ValidationError(where, `${ref.file}:${ref.line}:${ref.col} ${ref.path}`.trimEnd(), value, allowed);
}

/** `services.web.ports[1]` → `services.web.ports`; `services.web` → `services`. */
export function parentPath(path: string): string {
  if (path.endsWith(']')) return path.slice(0, path.lastIndexOf('['));
  const dot = path.lastIndexOf('.');
  return dot < 0 ? '' : path.slice(0, dot);
}
