/** `capabilities-not-dropped`: A container drops ALL capabilities (and adds back what it needs). */
import { RuleId, Severity } from '../model';
import { CIS, CONTAINER_OR_TASK, OK, RuleDefinition, attributeName } from '../rule-definition';
import { block, strings } from '../values';

export const capabilitiesNotDropped: RuleDefinition = {
  id: RuleId.CAPABILITIES_NOT_DROPPED,
  severity: Severity.WARNING,
  reason: "Docker's default capability set is broader than a service needs; drop ALL and add back only what is required.",
  source: `${CIS} 5.3`,
  types: CONTAINER_OR_TASK,
  check(r) {
    const drop = strings(block(r.values.capabilities)?.drop);
    return drop.some((c) => c.toUpperCase() === 'ALL') ? OK : [`${attributeName(r, 'capabilities.drop')} does not contain "ALL"; drop all capabilities and add back only the ones the service needs`];
  },
};
