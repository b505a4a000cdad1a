/** `no-memory-limit`: A container has a memory limit. */
import { RuleId, Severity } from '../model';
import { CIS, CONTAINER_OR_TASK, OK, RuleDefinition, attributeName } from '../rule-definition';
import { isInterpolated, num } from '../values';

export const noMemoryLimit: RuleDefinition = {
  id: RuleId.NO_MEMORY_LIMIT,
  severity: Severity.WARNING,
  reason: 'Without a memory limit one container can exhaust the host and get its neighbours killed.',
  source: `${CIS} 5.10`,
  types: CONTAINER_OR_TASK,
  check(r) {
    const memory = num(r.values.memory);
    if (memory !== undefined && memory > 0) return OK;
    if (isInterpolated(r.values.memory)) return OK;
    return [`${attributeName(r, 'memory')} is ${memory === 0 ? '0' : 'not set'}; set a limit${r.service ? '' : ' in MiB'}`];
  },
};
