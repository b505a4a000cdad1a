/**
 * `no-restart-policy`: A container has a restart policy, or a systemd unit supervises it.
 * Not raised for a container Docker removes when it exits (`rm = true`: the daemon refuses a
 * restart policy there, "can't create 'AutoRemove' container with restart policy") nor for one
 * that runs to completion (`must_run = false`, `start = false`, `attach = true`).
 */
import { SUPERVISOR_LABEL } from '../../_labels';
import { RuleId, Severity } from '../model';
import { OK, RuleDefinition, CONTAINER_OR_TASK, attributeName, runToCompletionBy } from '../rule-definition';
import { isTrue, labelValue, str } from '../values';

export const noRestartPolicy: RuleDefinition = {
  id: RuleId.NO_RESTART_POLICY,
  severity: Severity.WARNING,
  reason: 'A service must keep running and start on boot; without a restart policy a crash or reboot leaves it down.',
  source: 'Talk: service manager duties (keep running, start on boot)',
  types: CONTAINER_OR_TASK,
  check(r) {
    const v = r.values;
    const restart = str(v.restart);
    if (restart !== undefined && restart !== '' && restart !== 'no') return OK;
    // A Swarm service's restart condition `none` (its task view reads it as `no`).
    if (r.service) return [`${attributeName(r, 'restart')} is "none": Swarm does not restart a failed task; use "on-failure" (or "any")`];
    if (labelValue(v.labels, SUPERVISOR_LABEL) === 'systemd') return OK;
    if (isTrue(v.rm) || runToCompletionBy(v) !== undefined) return OK;
    return [`restart is ${restart ? `"${restart}"` : 'not set'}; use "unless-stopped" (or label ${SUPERVISOR_LABEL}=systemd when a systemd unit supervises the container)`];
  },
};
