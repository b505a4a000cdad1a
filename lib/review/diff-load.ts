/**
 * One side of the review of a change: the stacks at a path (`loadStacks`: a
 * `cdktf.out` folder, a stack folder, a `cdk.tf.json` or `terraform show -json`
 * output), and which of a stack's Terraform variables are declared sensitive.
 *
 * The variables are read only when a comparison asks (an environment variable
 * that moved from `${var.x}` to a literal): the stack's file is parsed again
 * then, once, so that a diff without such a move reads each file once.
 */
import * as fs from 'fs';
import * as path from 'path';
import { loadStacks } from './load';
import { StackInput } from './model';
import { isObject, JsonObject } from './values';

/** A side of a diff. */
export interface DiffSide {
  /** The path as given. */
  readonly target: string;
  readonly stacks: StackInput[];
  /** Whether the stack's variable is declared sensitive; undefined when the declaration cannot be read. */
  sensitive(stack: string, variable: string): boolean | undefined;
}

/** Variable name -> declared sensitive, from `variable` (cdk.tf.json) or `configuration.root_module.variables` (a plan). */
function declaredVariables(doc: unknown): Map<string, boolean> {
  const out = new Map<string, boolean>();
  if (!isObject(doc)) return out;
  const configuration = isObject(doc.configuration) ? doc.configuration : undefined;
  const root = configuration && isObject(configuration.root_module) ? configuration.root_module : undefined;
  const declared: unknown = 'format_version' in doc ? root?.variables : doc.variable;
  if (!isObject(declared)) return out;
  for (const [name, v] of Object.entries(declared)) {
    const body = Array.isArray(v) ? v[0] : v;
    out.set(name, isObject(body) && (body as JsonObject).sensitive === true);
  }
  return out;
}

/** Loads a side; throws `ReviewInputError` for unreadable or unrecognised input, as the review does. */
export function loadSide(target: string): DiffSide {
  const stacks = loadStacks(target);
  const single = !fs.statSync(target).isDirectory();
  const variables = new Map<string, Map<string, boolean>>();
  const fileOf = (stack: StackInput): string | undefined => (single ? target : stack.baseDir === undefined ? undefined : path.join(stack.baseDir, 'cdk.tf.json'));
  return {
    target,
    stacks,
    sensitive(stackName, variable) {
      const stack = stacks.find((s) => s.name === stackName);
      const file = stack ? fileOf(stack) : undefined;
      if (!file) return undefined;
      let declared = variables.get(file);
      if (!declared) {
        try {
          declared = declaredVariables(JSON.parse(fs.readFileSync(file, 'utf8')));
        } catch {
          declared = new Map();
        }
        variables.set(file, declared);
      }
      return declared.get(variable);
    },
  };
}
