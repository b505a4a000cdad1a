#!/usr/bin/env node
/**
 * `cdktf-docker-convert <compose.yaml> [--out <dir>] [--project-name <name>] [--profile <p>]...
 *   [--env NAME=value]... [--allow-unpinned-images] [--build-tag <tag>] [--force] [--stdout]`
 *
 * Writes a `main.ts` that declares the compose project with the library's constructs directly
 * (and a `cdktf.json` when the folder has none). Before writing, the same project is declared
 * in memory with `ComposeProject`, so what the command refuses is refused with the library's
 * error (file, line, column, key path), and what it writes synthesizes.
 * Exit codes: 0 written, 1 refused by the library (ValidationError), 2 bad usage or unwritable output.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseArgs } from 'util';
import { App, TerraformStack } from 'cdktf';
import { ComposeProject } from '../compose-project';
import { DockerHost } from '../docker-host';
import { ValidationError } from '../errors';
import { ConvertOptions, convertCompose } from './convert';

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

const USAGE = `Usage: cdktf-docker-convert <compose.yaml> [options]

Writes main.ts (and cdktf.json if absent) declaring the compose project with cdktf-docker-production's constructs.
  --out, -o <dir>            folder to write to (default: the compose file's folder)
  --project-name <name>      compose project name (default: COMPOSE_PROJECT_NAME, the file's name:, or its folder name)
  --profile <name>           activate a profile (repeatable)
  --env NAME=value           an interpolation variable over the environment and .env (repeatable)
  --allow-unpinned-images    accept images without a version tag or digest (the review reports them)
  --build-tag <tag>          tag of built images whose image: has no version tag (default: compose)
  --force                    overwrite an existing main.ts
  --stdout                   print main.ts instead of writing files
Exit codes: 0 written, 1 refused by the library, 2 bad usage or unwritable output.
`;

class UsageError extends Error {}

const OPTIONS = {
  'out': { type: 'string', short: 'o' },
  'project-name': { type: 'string' },
  'profile': { type: 'string', multiple: true },
  'env': { type: 'string', multiple: true },
  'allow-unpinned-images': { type: 'boolean', default: false },
  'build-tag': { type: 'string' },
  'force': { type: 'boolean', default: false },
  'stdout': { type: 'boolean', default: false },
  'help': { type: 'boolean', short: 'h', default: false },
} as const;

const defaultIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

/** Runs the command; returns the exit code. `cwd` is where relative paths resolve (npm scripts run in the package: INIT_CWD is the caller's folder). */
export function main(argv: string[], io: CliIo = defaultIo, cwd: string = process.env.INIT_CWD ?? process.cwd()): number {
  try {
    const command = parseCommand(argv, cwd);
    if (command === 'help') {
      io.stdout(USAGE);
      return 0;
    }
    const { options, force, stdout } = command;
    const result = convertCompose(options);
    verify(options, result.stackId);
    if (stdout) {
      io.stdout(result.mainTs);
      return 0;
    }
    const written = write(result, path.resolve(cwd, options.outDir ?? result.model.directory), force);
    const m = result.model;
    io.stdout(`cdktf-docker-convert: wrote ${written.join(' and ')}: stack ${result.stackId}, ${m.services.length} services, ${m.networks.length} networks, `
      + `${m.volumes.length} volumes, ${m.images.length} images\n`);
    for (const n of m.notes) io.stdout(`  note: ${n.source.file}:${n.source.line}:${n.source.col} ${n.source.path}: ${n.message}\n`);
    return 0;
  } catch (e) {
    if (e instanceof ValidationError) {
      io.stderr(`cdktf-docker-convert: ${e.message}\n`);
      return 1;
    }
    io.stderr(`cdktf-docker-convert: ${(e as Error)?.message ?? String(e)}${e instanceof UsageError ? ' (see --help)' : ''}\n`);
    return 2;
  }
}

interface Command {
  readonly options: ConvertOptions;
  readonly force: boolean;
  readonly stdout: boolean;
}

/** The command line as convert options (or `help`); bad usage is a UsageError. */
function parseCommand(argv: string[], cwd: string): Command | 'help' {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, strict: true, options: OPTIONS });
  } catch (e) {
    throw new UsageError((e as Error).message.split('\n')[0]);
  }
  const v = parsed.values;
  if (v.help) return 'help';
  if (parsed.positionals.length !== 1) {
    throw new UsageError(parsed.positionals.length === 0 ? 'missing <compose.yaml>' : `expected one compose file, got ${parsed.positionals.length}`);
  }
  const environment: Record<string, string> = {};
  for (const e of (v.env as string[] | undefined) ?? []) {
    const eq = e.indexOf('=');
    if (eq <= 0) throw new UsageError(`--env ${e}: expected NAME=value`);
    environment[e.slice(0, eq)] = e.slice(eq + 1);
  }
  const options = {
    file: parsed.positionals[0],
    cwd,
    outDir: v.out as string | undefined,
    projectName: v['project-name'] as string | undefined,
    profiles: v.profile as string[] | undefined,
    environment,
    allowUnpinnedImages: v['allow-unpinned-images'] as boolean,
    buildTag: v['build-tag'] as string | undefined,
  };
  return { options, force: v.force as boolean, stdout: v.stdout as boolean };
}

/** Writes main.ts (refusing to overwrite one without --force) and cdktf.json when the folder has none; the files written. */
function write(result: ReturnType<typeof convertCompose>, outDir: string, force: boolean): string[] {
  const mainFile = path.join(outDir, 'main.ts');
  if (fs.existsSync(mainFile) && !force) throw new UsageError(`${mainFile} exists: pass --force to overwrite it`);
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(mainFile, result.mainTs);
  const written = [mainFile];
  const cdktfJson = path.join(outDir, 'cdktf.json');
  if (!fs.existsSync(cdktfJson)) {
    fs.writeFileSync(cdktfJson, result.cdktfJson);
    written.push(cdktfJson);
  }
  return written;
}

/** Declares the project with ComposeProject in a throwaway app and runs the constructs' validations, so a refused file is refused now. */
function verify(options: Parameters<typeof convertCompose>[0], stackId: string): void {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdktf-docker-convert-'));
  try {
    const app = new App({ outdir });
    const stack = new TerraformStack(app, stackId);
    new DockerHost(stack, 'host');
    new ComposeProject(stack, 'project', {
      file: path.resolve(options.cwd ?? process.cwd(), options.file), projectName: options.projectName, profiles: options.profiles, environment: options.environment,
      allowUnpinnedImages: options.allowUnpinnedImages, buildTag: options.buildTag,
    });
    for (const c of stack.node.findAll()) c.node.validate();
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
