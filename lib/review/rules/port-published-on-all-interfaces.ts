/** `port-published-on-all-interfaces`: A published port is bound to a host interface. */
import { RuleId, Severity } from '../model';
import { CIS, OK, RuleDefinition, CONTAINER_OR_TASK, attributeName } from '../rule-definition';
import { blocks, num, str } from '../values';

/** A published port's host interface (`ip`) that is every interface: unset, empty, `0.0.0.0`, `::` or `[::]`. */
export function isAllInterfaces(ip: string | undefined): boolean {
  return ip === undefined || ip === '' || ip === '0.0.0.0' || ip === '::' || ip === '[::]';
}

export const portPublishedOnAllInterfaces: RuleDefinition = {
  id: RuleId.PORT_PUBLISHED_ON_ALL_INTERFACES,
  severity: Severity.WARNING,
  reason: 'A port published without a host interface listens on every address of the host, public ones included.',
  source: `${CIS} 5.13`,
  types: CONTAINER_OR_TASK,
  check(r) {
    let out: string[] | undefined;
    const ports = blocks(r.values.ports);
    for (let i = 0; i < ports.length; i++) {
      const p = ports[i];
      if (r.service) {
        // Swarm binds no single interface: ingress publishes on every node, host mode on each node running a task.
        const mode = str(p.publish_mode) ?? 'ingress';
        const where = mode === 'host' ? 'on all interfaces of each node that runs a task' : 'on all interfaces of every node of the swarm';
        (out ??= []).push(`${attributeName(r, 'ports')}: port ${num(p.external) ?? '(random)'} -> ${num(p.internal) ?? '?'}/${str(p.protocol) ?? 'tcp'} (publish_mode ${mode}) is published ${where}; publish only what is meant to be public and reach the rest over overlay networks`);
        continue;
      }
      const ip = str(p.ip);
      if (!isAllInterfaces(ip)) continue;
      const external = num(p.external);
      (out ??= []).push(`port ${external ?? '(random)'} -> ${num(p.internal) ?? '?'}/${str(p.protocol) ?? 'tcp'} is published on all interfaces (ip ${ip ? `"${ip}"` : 'unset'}); bind it to 127.0.0.1 or a specific interface unless it is meant to be public`);
    }
    return out ?? OK;
  },
};
