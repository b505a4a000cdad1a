/**
 * Checks that can only run once the construct tree is complete (a container that joined no
 * network, systemd units with nothing to supervise). They run at synth, during validation, and
 * report together: a stack with several such problems fails its synth once, with one
 * `ValidationError` that lists them all (`ValidationError.problems`), not at the first.
 */
import { IConstruct } from 'constructs';
import { TerraformStack } from 'cdktf';
import { ValidationError } from './errors';

/** A check: returns (or throws) the library's errors; nothing when all is well. */
export type SynthCheck = () => readonly ValidationError[] | void;

interface Registered {
  readonly scope: IConstruct;
  readonly check: SynthCheck;
}

const checksByStack = new WeakMap<TerraformStack, Registered[]>();

/** Runs `check` at the synth of `scope`'s stack, with the other checks of that stack. */
export function addSynthCheck(scope: IConstruct, check: SynthCheck): void {
  const stack = TerraformStack.of(scope);
  let checks = checksByStack.get(stack);
  if (!checks) {
    const list: Registered[] = [];
    checks = list;
    checksByStack.set(stack, list);
    // One validation on the stack node, which cdktf validates before the nodes below it.
    stack.node.addValidation({ validate: () => throwProblems(stack, runChecks(list)) });
  }
  checks.push({ scope, check });
}

/** The problems of `checks`, in the order the checks were added; a check that throws a ValidationError counts as one problem. */
export function runChecks(checks: readonly Registered[]): ValidationError[] {
  const problems: ValidationError[] = [];
  for (const { check } of checks) {
    try {
      problems.push(...(check() ?? []));
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      problems.push(e);
    }
  }
  return problems;
}

/**
 * Throws the problems of every check of `scope`'s stack now (for a problem found before
 * validation, in an Aspect: it is reported with the others, also when the synth runs no validation).
 */
export function failWithStackProblems(scope: IConstruct): void {
  const stack = TerraformStack.of(scope);
  throwProblems(stack, runChecks(checksByStack.get(stack) ?? []));
}

/** Nothing when there are no problems; the one problem; or one error listing them all. */
function throwProblems(stack: TerraformStack, problems: ValidationError[]): string[] {
  if (problems.length === 0) return [];
  if (problems.length === 1) throw problems[0];
  throw ValidationError.combine(`stack ${stack.node.path}`, problems);
}
