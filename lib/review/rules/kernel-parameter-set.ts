/** `kernel-parameter-set`: A container sets only kernel parameters of its own namespaces. */
import { RuleId, Severity } from '../model';
import { CIS, CONTAINER_OR_TASK, OK, RuleDefinition, attributeName } from '../rule-definition';
import { isObject, str } from '../values';

/** The namespace a sysctl belongs to (the ones runc lets a container set), or undefined: the host's. */
function namespaceOf(key: string): 'IPC' | 'network' | undefined {
  if (key.startsWith('net.')) return 'network';
  if (key.startsWith('kernel.shm') || key.startsWith('kernel.msg') || key === 'kernel.sem' || key.startsWith('fs.mqueue.')) return 'IPC';
  return undefined;
}

export const kernelParameterSet: RuleDefinition = {
  id: RuleId.KERNEL_PARAMETER_SET,
  severity: Severity.WARNING,
  reason: 'Only kernel.shm*, kernel.msg*, kernel.sem, fs.mqueue.* and net.* are namespaced; any other sysctl (or those in a host namespace) is the host kernel\'s: Docker refuses it or changes the host.',
  source: `Talk: containers' processes are visible on the host (one kernel); ${CIS} 5.9, 5.16`,
  types: CONTAINER_OR_TASK,
  check(r) {
    const sysctls = r.values.sysctls;
    if (!isObject(sysctls)) return OK;
    let out: string[] | undefined;
    for (const written in sysctls) {
      const key = written.includes('/') ? written.replace(/\//g, '.') : written;
      const ns = namespaceOf(key);
      if (ns === undefined) {
        (out ??= []).push(`${attributeName(r, 'sysctls')} sets "${written}", which no container namespace holds: it is the host kernel's (runc refuses to start the container); set it on the host if it is needed`);
        continue;
      }
      const mode = ns === 'network' ? 'network_mode' : 'ipc_mode';
      if (str(r.values[mode])?.toLowerCase() === 'host') {
        (out ??= []).push(`sysctls sets "${written}" with ${mode} "host": that is the host's ${ns} namespace`);
      }
    }
    return out ?? OK;
  },
};
