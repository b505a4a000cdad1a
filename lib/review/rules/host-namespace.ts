/** `host-namespace`: A container shares no namespace with the host. */
import { RuleId, Severity } from '../model';
import { CIS, OK, RuleDefinition, CONTAINER_OR_TASK, attributeName } from '../rule-definition';
import { blocks, str } from '../values';

/**
 * The namespace attributes of docker_container (uts_mode is not in provider 3.6.2; read in case an
 * override sets it): the attribute, the namespace it shares when it is `host`, and what that means
 * (the review of a change gives it as the why of a namespace newly shared).
 */
export const HOST_NAMESPACES: readonly { readonly attribute: string; readonly namespace: string; readonly means: string }[] = [
  { attribute: 'network_mode', namespace: 'network', means: "host networking: the container binds the host's interfaces directly, past published ports and network isolation" },
  { attribute: 'pid_mode', namespace: 'PID', means: "shares the host's PID namespace: it sees, and with privileges signals or traces, every process of the host" },
  { attribute: 'ipc_mode', namespace: 'IPC', means: "shares the host's IPC namespace: its shared memory and semaphores" },
  { attribute: 'userns_mode', namespace: 'user', means: 'turns user namespace remapping off: root in the container is root on the host' },
  { attribute: 'uts_mode', namespace: 'UTS', means: "shares the host's UTS namespace: it can change the host's hostname" },
  { attribute: 'cgroupns_mode', namespace: 'cgroup', means: "shares the host's cgroup namespace: it sees the host's cgroup tree" },
];

export const hostNamespace: RuleDefinition = {
  id: RuleId.HOST_NAMESPACE,
  severity: Severity.ERROR,
  reason: "Sharing a host namespace (network, PID, IPC, user, cgroup) removes the container's isolation from the host.",
  source: `Talk: containers' processes are visible on the host; ${CIS} 5.9, 5.15, 5.16, 5.20, 5.30`,
  types: CONTAINER_OR_TASK,
  check(r) {
    const v = r.values;
    let out: string[] | undefined;
    // A Swarm service shares the host's network namespace by joining the node's `host` network.
    if (r.service) {
      for (const n of blocks(v.networks_advanced)) {
        if (str(n.name) === 'host') (out ??= []).push(`${attributeName(r, 'networks_advanced')} joins the "host" network: the tasks share each node's network namespace`);
      }
      return out ?? OK;
    }
    for (let i = 0; i < HOST_NAMESPACES.length; i++) {
      const { attribute, namespace } = HOST_NAMESPACES[i];
      if (str(v[attribute])?.toLowerCase() === 'host') (out ??= []).push(`${attribute} = "host" shares the host's ${namespace} namespace`);
    }
    return out ?? OK;
  },
};
