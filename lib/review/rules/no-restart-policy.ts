/** `no-restart-policy`: A container has a restart policy, or a systemd unit supervises it. */
import { SUPERVISOR_LABEL } from '../../_labels';
import { Severity } from '../model';
import { CONTAINER, OK, RuleDefinition } from '../rule-definition';
import { labelValue, str } from '../values';

export const noRestartPolicy: RuleDefinition = {
  id: 'no-restart-policy',
  severity: Severity.WARNING,
  reason: 'A service must keep running and start on boot; without a restart policy a crash or reboot leaves it down.',
  source: 'Talk: service manager duties (keep running, start on boot)',
  types: CONTAINER,
  check(r) {
    const restart = str(r.values.restart);
    if (restart !== undefined && restart !== '' && restart !== 'no') return OK;
    if (labelValue(r.values.labels, SUPERVISOR_LABEL) === 'systemd') return OK;
    return [`restart is ${restart ? `"${restart}"` : 'not set'}; use "unless-stopped" (or label ${SUPERVISOR_LABEL}=systemd when a systemd unit supervises the container)`];
  },
};
