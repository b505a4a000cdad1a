/** `privileged-container`: No privileged container. */
import { RuleId, Severity } from '../model';
import { CIS, CONTAINER, OK, RuleDefinition } from '../rule-definition';
import { isTrue } from '../values';

export const privilegedContainer: RuleDefinition = {
  id: RuleId.PRIVILEGED_CONTAINER,
  severity: Severity.ERROR,
  reason: 'A privileged container has every capability and all host devices: root in it is root on the host.',
  source: `${CIS} 5.4`,
  types: CONTAINER,
  check(r) {
    return isTrue(r.values.privileged) ? ['privileged = true; add only the capabilities the service needs (capabilities.add) instead'] : OK;
  },
};
