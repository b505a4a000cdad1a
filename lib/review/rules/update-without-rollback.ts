/**
 * `update-without-rollback`: A Swarm service rolls a failed update back. Swarm's default
 * `failure_action` is `pause`: a rollout whose new tasks fail stops halfway, with old and new
 * tasks side by side, until someone acts.
 */
import { RuleId, Severity } from '../model';
import { OK, RuleDefinition, SERVICE } from '../rule-definition';
import { block, isInterpolated, str } from '../values';

export const updateWithoutRollback: RuleDefinition = {
  id: RuleId.UPDATE_WITHOUT_ROLLBACK,
  severity: Severity.WARNING,
  reason: 'Without failure_action "rollback" an update whose new tasks fail stops halfway (Swarm pauses it) instead of returning to the version that worked.',
  source: 'Talk: service manager duties (keep running)',
  types: SERVICE,
  check(r) {
    const service = r.service ?? r.values;
    const update = block(service.update_config);
    const action = str(update?.failure_action);
    if (action === 'rollback' || isInterpolated(action)) return OK;
    return [`${update === undefined ? 'update_config is not set' : `update_config.failure_action is ${action === undefined ? 'not set' : `"${action}"`}`} (Swarm pauses a failed update); set update_config.failure_action "rollback"`];
  },
};
