/**
 * Reads what the review command is pointed at: a `cdktf.out` folder (stacks
 * from `manifest.json`, else `stacks/<name>/cdk.tf.json`), one stack folder,
 * one `cdk.tf.json`, or `terraform show -json` output.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ResourceChange, StackInput } from './model';
import { fromPlanJson, fromTerraformJson, InputShapeError, isPlanJson, isTerraformJson, stackNameOf } from './normalize';
import { isObject, JsonObject } from './values';

/** Unreadable or unrecognised input: the command prints the message on one line and exits with 2. */
export class ReviewInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReviewInputError';
    Object.setPrototypeOf(this, ReviewInputError.prototype);
  }
}

const STACK_FILE = 'cdk.tf.json';

function readJson(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
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
    if (isPlanJson(doc)) {
      const stack = fromPlanJson(doc, fallbackName, dir);
      const changes = resourceChanges(doc);
      return changes ? { ...stack, changes } : stack;
    }
    if (isTerraformJson(doc)) return fromTerraformJson(doc, stackNameOf(doc) ?? fallbackName, dir);
  } catch (e) {
    if (e instanceof InputShapeError) throw new ReviewInputError(`${file}: ${e.message}`);
    throw e;
  }
  throw new ReviewInputError(`${file} is neither a synthesized stack (cdk.tf.json) nor \`terraform show -json\` output`);
}

const NO_PATHS: ResourceChange['replacePaths'] = [];

/**
 * A plan's `resource_changes` (managed resources only), reduced to what the report says
 * about them: no `before` / `after` value is copied. Undefined when the document has none
 * (a state, or a plan written without them). Throws `InputShapeError` where a part read has
 * another shape than Terraform writes.
 */
function resourceChanges(doc: JsonObject): ResourceChange[] | undefined {
  const list = doc.resource_changes;
  if (list === undefined) return undefined;
  if (!Array.isArray(list)) throw new InputShapeError('resource_changes', 'a list of resource changes', list);
  const changes: ResourceChange[] = [];
  for (let i = 0; i < list.length; i++) {
    const at = `resource_changes[${i}]`;
    const rc: unknown = list[i];
    if (!isObject(rc)) throw new InputShapeError(at, 'an object', rc);
    if (rc.mode === 'data') continue;
    if (typeof rc.address !== 'string') throw new InputShapeError(`${at}.address`, 'a string (the resource address)', rc.address);
    const change = rc.change;
    if (!isObject(change)) throw new InputShapeError(`${at}.change`, 'an object', change);
    const actions = change.actions;
    if (!Array.isArray(actions) || !actions.every((a) => typeof a === 'string')) throw new InputShapeError(`${at}.change.actions`, 'a list of action names', actions);
    let replacePaths = NO_PATHS;
    if (change.replace_paths !== undefined && change.replace_paths !== null) {
      const paths = change.replace_paths;
      const valid = Array.isArray(paths) && paths.every((p) => Array.isArray(p) && p.every((step) => typeof step === 'string' || typeof step === 'number'));
      if (!valid) throw new InputShapeError(`${at}.change.replace_paths`, 'a list of attribute paths (lists of names and indexes)', paths);
      replacePaths = paths as ResourceChange['replacePaths'];
    }
    const after = isObject(change.after) ? change.after.name : undefined;
    const before = isObject(change.before) ? change.before.name : undefined;
    const name = typeof after === 'string' ? after : typeof before === 'string' ? before : undefined;
    changes.push({
      address: rc.address,
      type: typeof rc.type === 'string' ? rc.type : '',
      actions: actions as string[],
      replacePaths,
      actionReason: typeof rc.action_reason === 'string' ? rc.action_reason : undefined,
      name,
      deposed: typeof rc.deposed === 'string' ? rc.deposed : undefined,
    });
  }
  return changes;
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
