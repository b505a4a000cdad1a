/** `docker-socket-mounted`: The Docker socket is not mounted into a container. */
import { Severity } from '../model';
import { hostMounts, isDockerSocket, normalizePath } from '../host-mounts';
import { CIS, CONTAINER, OK, RuleDefinition } from '../rule-definition';

export const dockerSocketMounted: RuleDefinition = {
  id: 'docker-socket-mounted',
  severity: Severity.ERROR,
  reason: 'Whoever reaches the Docker socket controls the daemon and therefore the host.',
  source: `${CIS} 5.31`,
  types: CONTAINER,
  check(r) {
    const mounts = hostMounts(r.values);
    if (mounts.length === 0) return OK;
    return mounts
      .filter((m) => isDockerSocket(normalizePath(m.path)))
      .map((m) => `${m.via} mounts "${m.path}"${m.path.endsWith('docker.sock') ? '' : ' (holds the Docker socket)'} into the container`);
  },
};
