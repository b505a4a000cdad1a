/** `sensitive-host-path`: Host system directories are not mounted into a container (below them, only read-only). */
import { RuleId, Severity } from '../model';
import { CIS, OK, RuleDefinition, CONTAINER_OR_TASK, attributeName, hostMounts, isDockerSocket, normalizePath } from '../rule-definition';

const SENSITIVE_PATHS = ['/', '/boot', '/dev', '/etc', '/lib', '/lib64', '/proc', '/sys', '/usr', '/bin', '/sbin', '/root', '/var/lib/docker'];

export const sensitiveHostPath: RuleDefinition = {
  id: RuleId.SENSITIVE_HOST_PATH,
  severity: Severity.ERROR,
  reason: 'Mounting host system directories (/, /etc, /proc, /sys, /boot, /dev, /usr, /var/lib/docker...) lets the container read or change the host.',
  source: `${CIS} 5.5`,
  types: CONTAINER_OR_TASK,
  check(r) {
    let out: string[] | undefined;
    const mounts = hostMounts(r.values);
    for (let i = 0; i < mounts.length; i++) {
      const m = mounts[i];
      const p = normalizePath(m.path);
      if (isDockerSocket(p)) continue; // docker-socket-mounted
      const exact = SENSITIVE_PATHS.includes(p);
      const under = SENSITIVE_PATHS.some((s) => s !== '/' && p.startsWith(`${s}/`));
      if (exact) (out ??= []).push(`${attributeName(r, m.via)} mounts the host's "${p}"${m.readOnly ? ' (read-only)' : ''}`);
      else if (under && !m.readOnly) (out ??= []).push(`${attributeName(r, m.via)} mounts "${p}" from a host system directory read-write; mount it read-only or use a volume`);
    }
    return out ?? OK;
  },
};
