/**
 * What a container's lifecycle attributes say about it, for the rules that
 * only make sense for long-running services (restart policy, health check).
 */
import { JsonObject } from './values';

/** `false` or `"false"`: a literal false (a `${...}` reference is not known to be false). */
function isFalse(value: unknown): boolean {
  return value === false || value === 'false';
}

/**
 * Which attribute makes the container run to completion rather than serve:
 * `must_run = false` (Terraform accepts it stopped), `start = false` (only created)
 * or `attach = true` (Terraform waits for it to exit). Undefined for a long-running container.
 */
export function runToCompletionBy(values: JsonObject): string | undefined {
  if (isFalse(values.must_run)) return 'must_run = false';
  if (isFalse(values.start)) return 'start = false';
  if (values.attach === true || values.attach === 'true') return 'attach = true';
  return undefined;
}
