/**
 * The one Dockerfile reader of the library, used by the review (which judges
 * the base and user of a built image) and by `MinimalImage` (which records
 * the base as a build label): each stage's base, alias, last `USER` and
 * whether it declares a `HEALTHCHECK`, then the effective values of the stage
 * that is built (the `target`, else the last one), following stage aliases
 * (`FROM builder`) and substituting in `FROM` the global `ARG`s (declared
 * before the first `FROM`; a build arg overrides a declared default, an
 * undeclared build arg is not used, as in Docker).
 *
 * No cdktf here (the review command must start fast). The parser
 * (`dockerfile-ast`) is loaded on the first Dockerfile actually read; each
 * path is read and parsed once per cache. `readBuiltStage` finds the Dockerfile of
 * a `docker_image`'s `build` block (the review's and the diff's one reader).
 */
import * as fs from 'fs';
import * as path from 'path';
import type { ResourceShape } from './model';
import { block, isLiteral, isObject, str } from './values';

interface RawStage {
  /** The `FROM` image argument as written (may hold `$VAR`). */
  readonly image: string;
  /** `AS <alias>`, lower-cased. */
  readonly alias?: string;
  /** Last `USER` of the stage. */
  readonly user?: string;
  /** The stage declares a `HEALTHCHECK` other than `NONE`; false for `HEALTHCHECK NONE`; undefined when absent. */
  readonly healthcheck?: boolean;
}

interface RawDockerfile {
  readonly args: ReadonlyMap<string, string | undefined>;
  readonly stages: readonly RawStage[];
}

/** The effective properties of the stage a build produces. */
export interface BuiltStage {
  /** Base image of the stage after following aliases; undefined when it cannot be resolved (an `ARG` without value). */
  readonly base?: string;
  /** Effective `USER` (inherited along `FROM <stage>`), undefined when none is set in the Dockerfile. */
  readonly user?: string;
  /** The image declares a health check (inherited along `FROM <stage>`). */
  readonly healthcheck: boolean;
}

/** Reads and parses Dockerfiles once per path. */
export class DockerfileCache {
  private readonly parsed = new Map<string, RawDockerfile | null>();

  /** The parsed Dockerfile at `file`, or undefined when it is not there or not readable. */
  public read(file: string): RawDockerfile | undefined {
    let entry = this.parsed.get(file);
    if (entry === undefined) {
      let text: string | undefined;
      try {
        text = fs.readFileSync(file, 'utf8');
      } catch {
        text = undefined;
      }
      entry = text === undefined ? null : parseDockerfile(text);
      this.parsed.set(file, entry);
    }
    return entry ?? undefined;
  }

  /** The stage built from `file` with these build args and target; undefined when the file is not there or has no `FROM`. */
  public builtStage(file: string, buildArgs: Record<string, string>, target?: string): BuiltStage | undefined {
    const raw = this.read(file);
    return raw ? resolveBuiltStage(raw, buildArgs, target) : undefined;
  }
}

/** The stage a build of this Dockerfile text produces with these build args and target; undefined when it has no `FROM`. */
export function builtStageOf(dockerfile: string, buildArgs: Record<string, string> = {}, target?: string): BuiltStage | undefined {
  return resolveBuiltStage(parseDockerfile(dockerfile), buildArgs, target);
}

/** The built stage of a `docker_image` with a literal build context, read from its Dockerfile (relative contexts resolve against `baseDir`). */
export function readBuiltStage(image: ResourceShape, baseDir: string | undefined, cache: DockerfileCache): (BuiltStage & { dockerfile: string }) | undefined {
  const build = block(image.values.build);
  const context = build ? build.context : undefined;
  if (!build || !isLiteral(context)) return undefined;
  const contextDir = path.isAbsolute(context) ? context : path.resolve(baseDir ?? process.cwd(), context);
  const name = isLiteral(build.dockerfile) ? build.dockerfile : 'Dockerfile';
  const dockerfile = path.isAbsolute(name) ? name : path.join(contextDir, name);
  const args: Record<string, string> = {};
  if (isObject(build.build_args)) {
    for (const [k, v] of Object.entries(build.build_args)) if (typeof v === 'string') args[k] = v;
  }
  const stage = cache.builtStage(dockerfile, args, str(build.target));
  return stage ? { ...stage, dockerfile } : undefined;
}

function parseDockerfile(text: string): RawDockerfile {
  const { DockerfileParser } = require('dockerfile-ast') as typeof import('dockerfile-ast');
  const parsed = DockerfileParser.parse(text);
  const args = new Map<string, string | undefined>();
  const stages: RawStage[] = [];
  let current: { image: string; alias?: string; user?: string; healthcheck?: boolean } | undefined;
  for (const instruction of parsed.getInstructions()) {
    const keyword = instruction.getKeyword().toUpperCase();
    const values = instruction.getArguments().map((a) => a.getValue());
    if (keyword === 'FROM') {
      if (current) stages.push(current);
      // getArguments() leaves out flags such as --platform.
      const asIndex = values.findIndex((v) => v.toLowerCase() === 'as');
      current = { image: values[0] ?? '', alias: asIndex > 0 ? values[asIndex + 1]?.toLowerCase() : undefined };
    } else if (!current) {
      if (keyword === 'ARG') {
        for (const value of values) {
          const eq = value.indexOf('=');
          if (eq < 0) args.set(value, undefined);
          else args.set(value.slice(0, eq), unquote(value.slice(eq + 1)));
        }
      }
    } else if (keyword === 'USER') {
      current.user = values[0];
    } else if (keyword === 'HEALTHCHECK') {
      current.healthcheck = (values[0] ?? '').toUpperCase() !== 'NONE';
    }
  }
  if (current) stages.push(current);
  return { args, stages };
}

function unquote(text: string): string {
  if (text.length >= 2 && (text[0] === '"' || text[0] === "'") && text[text.length - 1] === text[0]) return text.slice(1, -1);
  return text;
}

/** Substitutes `$VAR`, `${VAR}`, `${VAR:-default}` and `${VAR:+alt}`; undefined when a variable has no value. */
function substitute(text: string, value: (name: string) => string | undefined): string | undefined {
  let unresolved = false;
  const result = text.replace(
    /\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (_m, braced: string | undefined, op: string | undefined, word: string | undefined, bare: string | undefined) => {
      const v = value((braced ?? bare) as string);
      const set = v !== undefined && (v !== '' || op === '-' || op === '+');
      if (op?.endsWith('-')) return set ? (v as string) : word ?? '';
      if (op?.endsWith('+')) return set ? word ?? '' : '';
      if (v === undefined) unresolved = true;
      return v ?? '';
    },
  );
  return unresolved ? undefined : result;
}

function resolveBuiltStage(raw: RawDockerfile, buildArgs: Record<string, string>, target?: string): BuiltStage | undefined {
  if (raw.stages.length === 0) return undefined;
  const wanted = target?.toLowerCase();
  let index = raw.stages.length - 1;
  if (wanted) {
    const found = raw.stages.findIndex((s) => s.alias === wanted);
    if (found >= 0) index = found;
  }
  // Only ARGs declared before the first FROM are in scope there; a build arg overrides the declared default.
  const argValue = (name: string): string | undefined =>
    !raw.args.has(name) ? undefined : Object.prototype.hasOwnProperty.call(buildArgs, name) ? buildArgs[name] : raw.args.get(name);

  let user: string | undefined;
  let healthcheck: boolean | undefined;
  const seen = new Set<number>();
  while (!seen.has(index)) {
    seen.add(index);
    const stage = raw.stages[index];
    if (user === undefined) user = stage.user;
    if (healthcheck === undefined) healthcheck = stage.healthcheck;
    const image = substitute(stage.image, argValue);
    if (image === undefined || image === '') return { base: undefined, user, healthcheck: healthcheck ?? false };
    // `FROM <alias>` refers to an earlier stage.
    const lower = image.toLowerCase();
    let parent = -1;
    for (let i = index - 1; i >= 0; i--) {
      if (raw.stages[i].alias === lower) {
        parent = i;
        break;
      }
    }
    if (parent < 0) return { base: image, user, healthcheck: healthcheck ?? false };
    index = parent;
  }
  return { base: undefined, user, healthcheck: healthcheck ?? false };
}
