/** `confinement-disabled`: No security option turns off AppArmor, SELinux labelling, seccomp or Docker's masked system paths. */
import { RuleId, Severity } from '../model';
import { CIS, OK, RuleDefinition, CONTAINER_OR_TASK } from '../rule-definition';
import { block, isTrue, JsonObject, strings } from '../values';

/**
 * `security_opts` entries that turn confinement off, in both of Docker's spellings (`key=value`
 * and the older `key:value`), any case, spaces around the separator tolerated.
 */
const UNCONFINED = /^\s*(apparmor|seccomp|systempaths)\s*[=:]\s*unconfined\s*$/i;
const LABEL_OFF = /^\s*label\s*[=:]\s*(disable|type\s*:\s*(?:spc_t|unconfined_t))\s*$/i;

const WHAT: Record<string, string> = {
  apparmor: `turns AppArmor off (${CIS} 5.1)`,
  seccomp: `turns the seccomp filter off: every system call reaches the host kernel (${CIS} 5.21)`,
  systempaths: 'unmasks the /proc and /sys paths Docker hides from containers',
  label: `turns SELinux separation off (${CIS} 5.2)`,
};

/** A Swarm service whose task spec turns SELinux labelling off (`privileges.se_linux_context.disable`). */
function selinuxDisabled(service: JsonObject): boolean {
  const context = block(block(block(block(service.task_spec)?.container_spec)?.privileges)?.se_linux_context);
  return isTrue(context?.disable);
}

export const confinementDisabled: RuleDefinition = {
  id: RuleId.CONFINEMENT_DISABLED,
  severity: Severity.ERROR,
  reason: "Turning AppArmor, SELinux labelling or seccomp off removes the kernel's confinement of the container: an exploit in it meets no second wall.",
  source: `${CIS} 5.1, 5.2, 5.21`,
  types: CONTAINER_OR_TASK,
  check(r) {
    if (r.service) return selinuxDisabled(r.service) ? [`task_spec.container_spec.privileges.se_linux_context.disable = true ${WHAT.label}; keep the default labelling or give a custom se_linux_context`] : OK;
    if (r.values.security_opts === undefined) return OK;
    const opts = strings(r.values.security_opts);
    let out: string[] | undefined;
    for (let i = 0; i < opts.length; i++) {
      const opt = opts[i];
      let what: string | undefined;
      const unconfined = UNCONFINED.exec(opt);
      if (unconfined) what = WHAT[unconfined[1].toLowerCase()];
      else if (LABEL_OFF.test(opt)) what = WHAT.label;
      if (what) (out ??= []).push(`security_opts "${opt}" ${what}; keep Docker's default profile or give a custom one`);
    }
    return out ?? OK;
  },
};
