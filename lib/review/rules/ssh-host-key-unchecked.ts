/** `ssh-host-key-unchecked`: The docker provider's ssh connection checks the host key. */
import { RuleId, Severity } from '../model';
import { CIS, OK, RuleDefinition } from '../rule-definition';
import { strings } from '../values';

/** `StrictHostKeyChecking=no` in every form ssh takes: `=` or spaces, any case, `no` / `off` / `false`, quoted or not, with or without `-o`. */
const NO_HOST_KEY_CHECK = /stricthostkeychecking(?:\s*=\s*|\s+)["']?(?:no|off|false)["']?(?![\w-])/i;
/** `UserKnownHostsFile=/dev/null`: no host key is ever remembered, so none is ever checked. */
const NO_KNOWN_HOSTS = /userknownhostsfile(?:\s*=\s*|\s+)["']?\/dev\/null["']?(?![\w/-])/i;

export const sshHostKeyUnchecked: RuleDefinition = {
  id: RuleId.SSH_HOST_KEY_UNCHECKED,
  severity: Severity.ERROR,
  reason: 'ssh_opts that skip the host key check (StrictHostKeyChecking=no, UserKnownHostsFile=/dev/null) hand the Docker daemon, root on the host, to whoever answers on the network path.',
  source: `${CIS} section 2 (an authenticated connection to the daemon)`,
  types: ['provider'],
  check(r) {
    const opts = strings(r.values.ssh_opts);
    if (opts.length === 0) return OK;
    let out: string[] | undefined;
    for (let i = 0; i < opts.length; i++) {
      const opt = opts[i];
      if (NO_HOST_KEY_CHECK.test(opt)) (out ??= []).push(`ssh_opts[${i}] "${opt}" turns the host key check off`);
      if (NO_KNOWN_HOSTS.test(opt)) (out ??= []).push(`ssh_opts[${i}] "${opt}" forgets every host key, so none is checked`);
    }
    if (!out) return OK;
    return out.map((m) => `${m}; pin the host key in a known_hosts file (StrictHostKeyChecking=yes, UserKnownHostsFile=<file>)`);
  },
};
