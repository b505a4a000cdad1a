/** `memory-swap-unset`: A container with a memory limit sets memory_swap too. */
import { RuleId, Severity } from '../model';
import { CIS, CONTAINER, OK, RuleDefinition } from '../rule-definition';
import { isInterpolated, num } from '../values';

export const memorySwapUnset: RuleDefinition = {
  id: RuleId.MEMORY_SWAP_UNSET,
  severity: Severity.WARNING,
  reason: 'With memory set and memory_swap not, Docker allows as much swap again (twice the limit in all) and the provider reads that back: a change on every plan.',
  source: `${CIS} 5.10`,
  types: CONTAINER,
  check(r) {
    const v = r.values;
    const memory = num(v.memory);
    if (!(memory !== undefined && memory > 0) && !isInterpolated(v.memory)) return OK;
    const swap = v.memory_swap;
    // 0 is what the provider does not send (it reads the attribute with GetOk): the same as unset.
    if (swap !== undefined && swap !== null && swap !== '' && num(swap) !== 0) return OK;
    const limit = memory !== undefined ? `${memory} MiB` : String(v.memory);
    return [`memory is ${limit} and memory_swap is ${swap === undefined || swap === null || swap === '' ? 'not set' : '0 (not sent)'}: Docker sets memory + swap to twice the limit and every plan shows a change; set memory_swap (equal to memory for no swap)`];
  },
};
