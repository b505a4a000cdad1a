/** `host-device-mapped`: No host device is passed into a container. */
import { RuleId, Severity } from '../model';
import { CIS, CONTAINER, OK, RuleDefinition } from '../rule-definition';
import { blocks, str } from '../values';

export const hostDeviceMapped: RuleDefinition = {
  id: RuleId.HOST_DEVICE_MAPPED,
  severity: Severity.ERROR,
  reason: 'A host device passed into a container (a disk, /dev/mem, a GPU, /dev/fuse...) is reached past the container\'s isolation; by default with read, write and mknod.',
  source: `${CIS} 5.17`,
  types: CONTAINER,
  check(r) {
    if (r.values.devices === undefined) return OK;
    let out: string[] | undefined;
    for (const d of blocks(r.values.devices)) {
      const host = str(d.host_path) ?? '(unknown)';
      const inside = str(d.container_path) || host;
      const permissions = str(d.permissions) || 'rwm';
      (out ??= []).push(`devices maps the host's "${host}" to "${inside}" (permissions ${permissions}); if the service really needs it, grant the least permissions and suppress with the reason`);
    }
    return out ?? OK;
  },
};
