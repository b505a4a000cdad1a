/**
 * One compose file being read: the load options, the interpolation variables (`.env`), the
 * project name, the top-level sections, and what the services share while they are read (the
 * images, the networks and volumes they use, which services build or health-check). Every key
 * family's reader takes this `LoadContext`.
 */
import * as fs from 'fs';
import * as path from 'path';
import { DotenvEntry, DotenvError, parseDotenv } from './dotenv';
import { Lookup } from './interpolate';
import { ImageModel, VolumeModel } from './model';
import { Reader, isMap } from './reader';
import { ComposeSource, PlainMap, sourceError } from './source';

export interface LoadOptions {
  /** Construct path (or command name) that errors start with. */
  readonly where: string;
  /** The compose file as the user named it. */
  readonly file: string;
  /** Folder a relative `file` resolves against. @default process.cwd() */
  readonly cwd?: string;
  readonly projectName?: string;
  readonly profiles?: string[];
  /** Interpolation variables that win over the process environment and the `.env` file. */
  readonly environment?: Record<string, string>;
  /** The process environment. @default process.env */
  readonly processEnvironment?: Record<string, string | undefined>;
  readonly allowUnpinnedImages?: boolean;
  /** Tag of built images whose `image` has none. */
  readonly buildTag?: string;
}

/** The tag given to a built image that compose would tag `latest`. */
export const DEFAULT_BUILD_TAG = 'compose';

/** A compose project name (compose's rule), and how errors describe it. */
export const PROJECT_NAME = /^[a-z0-9][a-z0-9_-]*$/;
export const PROJECT_NAME_RULE = 'a compose project name: lower-case letters, digits, _ and -, starting with a letter or digit';

const TOP_LEVEL_KEYS = ['version', 'name', 'services', 'networks', 'volumes', 'secrets', 'configs', 'include', 'models'];

export type HealthState = 'check' | 'disabled' | 'none';

export class LoadContext {
  public readonly r: Reader;
  /** The compose file, absolute, and its folder. */
  public readonly file: string;
  public readonly dir: string;
  public readonly lookup: Lookup;
  public readonly root: PlainMap;
  public readonly projectName: string;
  public readonly buildTag: string;
  public readonly topNetworks: PlainMap;
  public readonly topVolumes: PlainMap;
  public readonly topSecrets: PlainMap;
  public readonly topConfigs: PlainMap;
  /** Images by id, as the services name them. */
  public readonly images = new Map<string, ImageModel>();
  /** Networks the enabled services use: construct id by compose key. */
  public readonly usedNetworks = new Map<string, string>();
  public readonly anonymousVolumes: VolumeModel[] = [];
  public readonly usedVolumes = new Set<string>();
  /** Subnet of each network a static address was asked on, read once. */
  public readonly subnets = new Map<string, string | undefined>();
  /** Image references that an enabled service builds (its `build` with `image`), by the building service. */
  public readonly builtBy = new Map<string, string>();
  /** Which services declare a health check (for `service_healthy`), and which disable it. */
  public readonly health = new Map<string, HealthState>();

  constructor(public readonly options: LoadOptions) {
    if (typeof options.file !== 'string' || options.file === '') {
      throw sourceError(options.where, { file: String(options.file), line: 0, col: 0, path: '' }, options.file, 'the path of a compose file');
    }
    this.file = path.resolve(options.cwd ?? process.cwd(), options.file);
    this.dir = path.dirname(this.file);
    this.buildTag = options.buildTag ?? DEFAULT_BUILD_TAG;
    this.lookup = variables(options, this.dir);
    this.r = new Reader(new ComposeSource(options.where, this.file, options.file, this.lookup));
    this.root = checkTopLevel(this.r);
    this.topNetworks = this.section('networks');
    this.topVolumes = this.section('volumes');
    this.topSecrets = this.section('secrets');
    this.topConfigs = this.section('configs');
    this.projectName = this.resolveProjectName();
  }

  /** Profiles asked for: the option, else `COMPOSE_PROFILES`. */
  public activeProfiles(): string[] {
    return this.options.profiles ?? (this.lookup('COMPOSE_PROFILES') ?? '').split(',').map((p) => p.trim()).filter((p) => p !== '');
  }

  /** An env file's place in messages: as the user would name it, beside the compose file as named. */
  public displayPath(file: string): string {
    return path.join(path.dirname(this.options.file), file);
  }

  /** A top-level section (`networks`, `volumes`, ...): a mapping, empty when absent. */
  private section(key: string): PlainMap {
    const v = this.root[key];
    if (v === undefined || v === null) return Object.create(null) as PlainMap;
    if (!isMap(v)) this.r.fail(key, v, `a mapping of ${key}`);
    return v;
  }

  private resolveProjectName(): string {
    const given = this.options.projectName ?? this.lookup('COMPOSE_PROJECT_NAME');
    if (given !== undefined && given !== '') {
      if (!PROJECT_NAME.test(given)) throw sourceError(this.options.where, this.r.ref(''), given, PROJECT_NAME_RULE);
      return given;
    }
    if (this.root.name !== undefined) {
      const name = this.root.name;
      if (typeof name !== 'string' || !PROJECT_NAME.test(name)) this.r.fail('name', name, PROJECT_NAME_RULE);
      return name;
    }
    // Compose's normalisation of the folder name: lower case, only [a-z0-9_-], starting with a letter or digit.
    const folder = path.basename(this.dir).toLowerCase().replace(/[^a-z0-9_-]/g, '').replace(/^[^a-z0-9]+/, '');
    if (folder === '') {
      throw sourceError(this.options.where, this.r.ref(''), path.basename(this.dir), 'a folder name that makes a compose project name, or a `name:` in the file, or the projectName prop');
    }
    return folder;
  }
}

/** The root mapping, its keys checked; `version` noted, `include` and `models` refused. */
function checkTopLevel(r: Reader): PlainMap {
  const root = r.s.root;
  if (!isMap(root)) r.fail('', root, 'a compose file: a mapping with `services`');
  for (const key of Object.keys(root)) {
    if (key.startsWith('x-')) continue;
    if (!TOP_LEVEL_KEYS.includes(key)) r.fail(key, key, `a top-level compose key: one of ${TOP_LEVEL_KEYS.join(', ')}, or x-* for extensions`, true);
  }
  if (root.version !== undefined) r.note('version', 'version is obsolete in the compose specification: ignored');
  if (root.include !== undefined) r.fail('include', root.include, 'a single compose file: include is not resolved (merge the included files into this one)', true);
  if (root.models !== undefined) r.fail('models', root.models, 'no top-level models: AI models have no counterpart in the provider', true);
  return root;
}

/** Interpolation variables: `environment` overrides, then the process environment, then `.env` beside the file (compose's precedence). */
function variables(options: LoadOptions, dir: string): Lookup {
  const overrides = options.environment ?? {};
  const processEnv = options.processEnvironment ?? process.env;
  const first: Lookup = (name) => (Object.prototype.hasOwnProperty.call(overrides, name) ? overrides[name] : processEnv[name]);
  const dotenvFile = path.join(dir, '.env');
  const fromFile = new Map<string, string>();
  if (fs.existsSync(dotenvFile) && fs.statSync(dotenvFile).isFile()) {
    const display = path.join(path.dirname(options.file), '.env');
    for (const e of readDotenv(options.where, dotenvFile, display, first)) fromFile.set(e.name, e.value);
  }
  return (name) => first(name) ?? fromFile.get(name);
}

/** An env file's entries; a syntax error is the library's error naming the file as displayed, its line and column. */
export function readDotenv(where: string, file: string, display: string, lookup?: Lookup): DotenvEntry[] {
  try {
    return parseDotenv(fs.readFileSync(file, 'utf8'), lookup);
  } catch (e) {
    if (e instanceof DotenvError) throw sourceError(where, { file: display, line: e.line, col: e.col, path: '' }, e.message, e.allowed);
    throw e;
  }
}
