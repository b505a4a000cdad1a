/** `host-namespace`: A container shares no namespace with the host. */
import { Severity } from '../model';
import { CIS, OK, RuleDefinition, CONTAINER_OR_TASK, attributeName } from '../rule-definition';
import { blocks, str } from '../values';

/** Namespace attributes of docker_container (uts_mode is not in provider 3.6.2; read in case an override sets it). */
const NAMESPACE_MODES: readonly (readonly [string, string])[] = [
  ['network_mode', 'network'], ['pid_mode', 'PID'], ['ipc_mode', 'IPC'], ['userns_mode', 'user'], ['uts_mode', 'UTS'], ['cgroupns_mode', 'cgroup'],
];

export const hostNamespace: RuleDefinition = {
  id: 'host-namespace',
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
    for (let i = 0; i < NAMESPACE_MODES.length; i++) {
      const [attr, what] = NAMESPACE_MODES[i];
      if (str(v[attr])?.toLowerCase() === 'host') (out ??= []).push(`${attr} = "host" shares the host's ${what} namespace`);
    }
    return out ?? OK;
  },
};
