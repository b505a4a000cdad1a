/** `writable-root-filesystem`: A container's root filesystem is read-only. */
import { RuleId, Severity } from '../model';
import { CIS, CONTAINER_OR_TASK, OK, RuleDefinition, attributeName } from '../rule-definition';
import { isTrue } from '../values';

export const writableRootFilesystem: RuleDefinition = {
  id: RuleId.WRITABLE_ROOT_FILESYSTEM,
  severity: Severity.WARNING,
  reason: 'A writable root filesystem lets an attacker persist changes to the image; make it read-only and mount tmpfs or volumes where writes are needed.',
  source: `${CIS} 5.12`,
  types: CONTAINER_OR_TASK,
  check(r) {
    return isTrue(r.values.read_only) ? OK : [`${attributeName(r, 'read_only')} is not true; mount the root filesystem read-only and give writable paths a tmpfs or a volume`];
  },
};
