/**
 * The `convert` code generator: the normalised model (the one `ComposeProject` instantiates) →
 * a TypeScript `main.ts` that declares the same project with the library's constructs directly,
 * plus a `cdktf.json`. The generated calls mirror `instantiate.ts` one for one, so both
 * synthesize the same resources (a test compares them). A compose key with no counterpart
 * becomes a comment where it belongs.
 *
 * The program is written in the order it reads: `emit-program.ts` (the file around the body, the
 * preamble), `emit-resources.ts` (networks, volumes, images), `emit-services.ts` (the services);
 * `emit-text.ts` holds the literal and comment formatting.
 */
import * as path from 'path';
import { emitImages, emitNetworks, emitVolumes } from './emit-resources';
import { Program, emitPreamble, notesByService } from './emit-program';
import { emitServices } from './emit-services';
import { ComposeModel } from './model';
import { LoadOptions, loadCompose } from './normalise';

export interface ConvertOptions extends Omit<LoadOptions, 'where'> {
  /** Folder the generated `main.ts` is written to (paths in it are relative to it). @default - the compose file's folder */
  readonly outDir?: string;
  /** Module the constructs are imported from. @default 'cdktf-docker-production' */
  readonly importFrom?: string;
}

export interface ConvertResult {
  readonly model: ComposeModel;
  readonly mainTs: string;
  readonly cdktfJson: string;
  /** The stack id the program synthesizes (the project name). */
  readonly stackId: string;
}

/** Reads the compose file and writes the program text (nothing is written to disk here). */
export function convertCompose(options: ConvertOptions, where = 'cdktf-docker-convert'): ConvertResult {
  const model = loadCompose({ ...options, where });
  const outDir = path.resolve(options.cwd ?? process.cwd(), options.outDir ?? model.directory);
  return {
    model,
    mainTs: generateMain(model, outDir, options.importFrom ?? 'cdktf-docker-production'),
    cdktfJson: `${JSON.stringify({
      language: 'typescript',
      app: 'npx ts-node main.ts',
      projectId: model.projectName,
      sendCrashReports: 'false',
      terraformProviders: [],
      terraformModules: [],
      context: {},
    }, null, 2)}\n`,
    stackId: model.projectName,
  };
}

/** The text of `main.ts` for `model`, written to `outDir`. */
export function generateMain(model: ComposeModel, outDir: string, importFrom: string): string {
  const prog = new Program(model, outDir);
  const notes = notesByService(model);
  emitPreamble(prog, notes.other);
  emitNetworks(prog);
  emitVolumes(prog);
  emitImages(prog);
  emitServices(prog, notes.byService);
  return prog.render(importFrom);
}
