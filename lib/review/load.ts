/**
 * Reads what the review command is pointed at: a `cdktf.out` folder (stacks
 * from `manifest.json`, else `stacks/<name>/cdk.tf.json`), one stack folder,
 * one `cdk.tf.json`, or `terraform show -json` output (read by `plan-input.ts`,
 * loaded for a plan only).
 */
import { isAscii } from 'buffer';
import * as fs from 'fs';
import * as path from 'path';
import { StackInput } from './model';
import { fromTerraformJson, InputShapeError, isPlanJson, isTerraformJson, stackNameOf } from './normalize';
import { isObject } from './values';

/** Unreadable or unrecognised input: the command prints the message on one line and exits with 2. */
export class ReviewInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReviewInputError';
    Object.setPrototypeOf(this, ReviewInputError.prototype);
  }
}

const STACK_FILE = 'cdk.tf.json';

/**
 * The file's text. A file of ASCII only (as cdktf writes most) is decoded as Latin-1, which reads
 * ASCII the same, and which Node keeps outside the JavaScript heap for a large file: a 7 MB stack
 * then does not fill the heap the review's own objects need (measured: the heap's one full
 * collection comes early, while little is alive, 3 ms instead of 15 ms, on a 5,000-service stack).
 */
function readText(file: string): string {
  const bytes = fs.readFileSync(file);
  return isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
}

function readJson(file: string): unknown {
  let text: string;
  try {
    text = readText(file);
  } catch (e) {
    throw new ReviewInputError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ReviewInputError(`${file} is not valid JSON: ${(e as Error).message.split('\n')[0]}`);
  }
}

function stackFromFile(file: string, fallbackName: string): StackInput {
  const doc = readJson(file);
  const dir = path.dirname(path.resolve(file));
  try {
    if (isPlanJson(doc)) return (require('./plan-input') as typeof import('./plan-input')).readPlan(doc, fallbackName, dir);
    if (isTerraformJson(doc)) return fromTerraformJson(doc, stackNameOf(doc) ?? fallbackName, dir);
  } catch (e) {
    if (e instanceof InputShapeError) throw new ReviewInputError(`${file}: ${e.message}`);
    throw e;
  }
  throw new ReviewInputError(`${file} is neither a synthesized stack (cdk.tf.json) nor \`terraform show -json\` output`);
}

function stacksFromManifest(dir: string): StackInput[] | undefined {
  const manifestFile = path.join(dir, 'manifest.json');
  if (!fs.existsSync(manifestFile)) return undefined;
  const manifest = readJson(manifestFile);
  if (!isObject(manifest) || !isObject(manifest.stacks)) return undefined;
  const stacks: StackInput[] = [];
  for (const [name, entry] of Object.entries(manifest.stacks)) {
    const rel = isObject(entry) && typeof entry.synthesizedStackPath === 'string' ? entry.synthesizedStackPath : path.join('stacks', name, STACK_FILE);
    const file = path.join(dir, rel);
    if (!fs.existsSync(file)) {
      if (rel.endsWith('.tf')) throw new ReviewInputError(`${file}: HCL output is not supported; synthesize JSON (unset SYNTH_HCL_OUTPUT)`);
      throw new ReviewInputError(`cannot read ${file}, listed in ${manifestFile}`);
    }
    stacks.push(stackFromFile(file, name));
  }
  return stacks;
}

/** The stacks at `target`; throws `ReviewInputError` for unreadable or unrecognised input. */
export function loadStacks(target: string): StackInput[] {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(target);
  } catch (e) {
    throw new ReviewInputError(`cannot read ${target}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (e as Error).message}`);
  }
  if (!stat.isDirectory()) return [stackFromFile(target, path.basename(target).replace(/\.json$/i, '') || 'stack')];

  const fromManifest = stacksFromManifest(target);
  if (fromManifest && fromManifest.length > 0) return fromManifest;

  const stacksDir = path.join(target, 'stacks');
  let names: string[] = [];
  try {
    names = fs.readdirSync(stacksDir).sort();
  } catch {
    names = [];
  }
  const stacks = names
    .filter((n) => fs.existsSync(path.join(stacksDir, n, STACK_FILE)))
    .map((n) => stackFromFile(path.join(stacksDir, n, STACK_FILE), n));
  if (stacks.length > 0) return stacks;

  const single = path.join(target, STACK_FILE);
  if (fs.existsSync(single)) return [stackFromFile(single, path.basename(path.resolve(target)))];
  throw new ReviewInputError(`${target} holds no synthesized stacks (expected stacks/<name>/${STACK_FILE} or ${STACK_FILE}); run \`cdktf synth\` first`);
}
