/** `docker-socket-mounted`: The Docker socket is not mounted into a container. */
import { RuleId, Severity } from '../model';
import { CIS, OK, RuleDefinition, CONTAINER_OR_TASK, attributeName, hostMounts, isDockerSocket, normalizePath } from '../rule-definition';

export const dockerSocketMounted: RuleDefinition = {
  id: RuleId.DOCKER_SOCKET_MOUNTED,
  severity: Severity.ERROR,
  reason: 'Whoever reaches the Docker socket controls the daemon and therefore the host.',
  source: `${CIS} 5.31`,
  types: CONTAINER_OR_TASK,
  check(r) {
    const mounts = hostMounts(r.values);
    if (mounts.length === 0) return OK;
    return mounts
      .filter((m) => isDockerSocket(normalizePath(m.path)))
      .map((m) => `${attributeName(r, m.via)} mounts "${m.path}"${m.path.endsWith('docker.sock') ? '' : ' (holds the Docker socket)'} into the container`);
  },
};
