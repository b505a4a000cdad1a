/** `no-memory-limit`: A container has a memory limit. */
import { Severity } from '../model';
import { CIS, CONTAINER, OK, RuleDefinition } from '../rule-definition';
import { isInterpolated, num } from '../values';

export const noMemoryLimit: RuleDefinition = {
  id: 'no-memory-limit',
  severity: Severity.WARNING,
  reason: 'Without a memory limit one container can exhaust the host and get its neighbours killed.',
  source: `${CIS} 5.10`,
  types: CONTAINER,
  check(r) {
    const memory = num(r.values.memory);
    if (memory !== undefined && memory > 0) return OK;
    if (isInterpolated(r.values.memory)) return OK;
    return [`memory is ${memory === 0 ? '0' : 'not set'}; set a limit in MiB`];
  },
};
