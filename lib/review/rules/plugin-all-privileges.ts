/** `plugin-all-privileges`: A docker_plugin is granted neither every permission nor host-level ones. */
import { RuleId, Severity } from '../model';
import { capabilityName, CIS, DANGEROUS_CAPABILITIES, isDockerSocket, normalizePath, OK, RuleDefinition } from '../rule-definition';
import { blocks, isInterpolated, isTrue, str, strings } from '../values';

export const pluginAllPrivileges: RuleDefinition = {
  id: RuleId.PLUGIN_ALL_PRIVILEGES,
  severity: Severity.ERROR,
  reason: 'A managed plugin runs as root beside the daemon with what it is granted: all permissions, the host network, host devices or SYS_ADMIN are control of the host.',
  source: `${CIS} 5.3, 5.4, 5.9, 5.17 (for the plugin's container)`,
  types: ['docker_plugin'],
  check(r) {
    const v = r.values;
    let out: string[] | undefined;
    if (isTrue(v.grant_all_permissions)) {
      (out ??= []).push('grant_all_permissions = true grants whatever the plugin asks for (host network, devices, capabilities, mounts) unseen; list the permissions it needs in grant_permissions');
    }
    for (const p of blocks(v.grant_permissions)) {
      const name = str(p.name)?.trim().toLowerCase();
      const values = strings(p.value);
      for (let i = 0; i < values.length; i++) {
        const value = values[i];
        if (isInterpolated(value)) continue;
        let what: string | undefined;
        switch (name) {
          case 'network':
            if (value.trim().toLowerCase() === 'host') what = "the host's network namespace";
            break;
          case 'host pid namespace':
          case 'host ipc namespace':
            if (isTrue(value.trim().toLowerCase())) what = `the ${name}`;
            break;
          case 'device':
            what = `the host device ${value}`;
            break;
          case 'allow-all-devices':
            if (isTrue(value.trim().toLowerCase())) what = 'every host device';
            break;
          case 'capabilities': {
            const cap = capabilityName(value);
            const allows = DANGEROUS_CAPABILITIES.get(cap);
            if (allows !== undefined) what = `${cap === 'ALL' ? 'ALL capabilities' : `CAP_${cap}`} (${allows})`;
            break;
          }
          case 'mount':
            if (isDockerSocket(normalizePath(value))) what = `a mount of ${value}, the Docker socket`;
            break;
          default:
        }
        if (what) (out ??= []).push(`grant_permissions ${name} grants ${what}`);
      }
    }
    return out ?? OK;
  },
};
