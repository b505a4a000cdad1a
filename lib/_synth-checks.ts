/**
 * Checks that can only run once the construct tree is complete (a container that joined no
 * network, systemd units with nothing to supervise). They run at synth, during validation, and
 * report together: a stack with several such problems fails its synth once, with one
 * `ValidationError` that lists them all (`ValidationError.problems`), not at the first.
 */
import { IConstruct } from 'constructs';
import { TerraformStack } from 'cdktf';
import { ValidationError } from './errors';
import { getOrCreate } from './_collections';
import { Problems } from './_problems';

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
  getOrCreate(checksByStack, stack, () => {
    // One validation on the stack node, which cdktf validates before the nodes below it.
    stack.node.addValidation({ validate: () => failWithStackProblems(stack) });
    return [];
  }).push({ scope, check });
}

/**
 * Throws the problems of every check of `scope`'s stack, in the order the checks were added
 * (nothing when there are none; one problem as itself). Also called before validation, from an
 * Aspect, so that a problem found there is reported with the others, also when the synth runs
 * no validation.
 */
export function failWithStackProblems(scope: IConstruct): string[] {
  const stack = TerraformStack.of(scope);
  const problems = new Problems(`stack ${stack.node.path}`);
  for (const { check } of checksByStack.get(stack) ?? []) problems.add(problems.check(check) ?? []);
  problems.throwIfAny();
  return [];
}
