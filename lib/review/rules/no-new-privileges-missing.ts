/** `no-new-privileges-missing`: A container sets no-new-privileges. */
import { RuleId, Severity } from '../model';
import { CIS, CONTAINER, OK, RuleDefinition } from '../rule-definition';
import { JsonObject, strings } from '../values';

const NO_NEW_PRIVILEGES = /^no-new-privileges(?:[:=]true)?$/i;

/** The container's `security_opts` set no-new-privileges (`no-new-privileges`, `:true` or `=true`). */
export function setsNoNewPrivileges(values: JsonObject): boolean {
  return strings(values.security_opts).some((o) => NO_NEW_PRIVILEGES.test(o.trim()));
}

export const noNewPrivilegesMissing: RuleDefinition = {
  id: RuleId.NO_NEW_PRIVILEGES_MISSING,
  severity: Severity.WARNING,
  reason: 'Without no-new-privileges a process can gain privileges through setuid/setgid binaries.',
  source: `${CIS} 5.25`,
  types: CONTAINER,
  check(r) {
    return setsNoNewPrivileges(r.values) ? OK : ['security_opts lacks "no-new-privileges:true"'];
  },
};
