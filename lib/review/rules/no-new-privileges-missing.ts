/** `no-new-privileges-missing`: A container sets no-new-privileges. */
import { Severity } from '../model';
import { CIS, CONTAINER, OK, RuleDefinition } from '../rule-definition';
import { strings } from '../values';

export const noNewPrivilegesMissing: RuleDefinition = {
  id: 'no-new-privileges-missing',
  severity: Severity.WARNING,
  reason: 'Without no-new-privileges a process can gain privileges through setuid/setgid binaries.',
  source: `${CIS} 5.25`,
  types: CONTAINER,
  check(r) {
    const ok = strings(r.values.security_opts).some((o) => /^no-new-privileges(?:[:=]true)?$/i.test(o.trim()));
    return ok ? OK : ['security_opts lacks "no-new-privileges:true"'];
  },
};
