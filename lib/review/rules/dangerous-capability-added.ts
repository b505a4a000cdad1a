/** `dangerous-capability-added`: A container adds back no capability that reaches beyond it (ALL, SYS_ADMIN, SYS_MODULE...). */
import { RuleId, Severity } from '../model';
import { CIS, CONTAINER_OR_TASK, DANGEROUS_CAPABILITIES, OK, RuleDefinition, attributeName, capabilityName } from '../rule-definition';
import { block, isInterpolated, strings } from '../values';

export const dangerousCapabilityAdded: RuleDefinition = {
  id: RuleId.DANGEROUS_CAPABILITY_ADDED,
  severity: Severity.ERROR,
  reason: 'Capabilities such as SYS_ADMIN, SYS_MODULE, SYS_PTRACE, DAC_READ_SEARCH, NET_ADMIN or ALL let root in the container reach the host kernel, other processes or host files.',
  source: `${CIS} 5.3, 5.4`,
  types: CONTAINER_OR_TASK,
  check(r) {
    const caps = block(r.values.capabilities);
    if (!caps || caps.add === undefined) return OK;
    const add = strings(caps.add);
    let out: string[] | undefined;
    for (let i = 0; i < add.length; i++) {
      const cap = add[i];
      if (isInterpolated(cap)) continue;
      const name = capabilityName(cap);
      const what = DANGEROUS_CAPABILITIES.get(name);
      if (what === undefined) continue;
      const shown = name === 'ALL' ? 'ALL' : `CAP_${name}`;
      const written = cap === shown ? '' : ` (written "${cap}")`;
      const afterDrop = name === 'ALL' && strings(caps.drop).some((d) => capabilityName(d) === 'ALL') ? '; drop ["ALL"] does not take it back, add wins' : '';
      (out ??= []).push(`${attributeName(r, 'capabilities.add')} grants ${shown}${written}: ${what}${afterDrop}; add only the capabilities the service needs`);
    }
    return out ?? OK;
  },
};
