/** `push-deletes-remote-tag`: A pushed tag is kept in the registry on destroy. */
import { RuleId, Severity } from '../model';
import { OK, RuleDefinition } from '../rule-definition';
import { isTrue } from '../values';

export const pushDeletesRemoteTag: RuleDefinition = {
  id: RuleId.PUSH_DELETES_REMOTE_TAG,
  severity: Severity.WARNING,
  reason: 'docker_registry_image deletes the pushed tag from the registry on destroy unless keep_remotely is true; running services then cannot pull it.',
  source: 'Talk: registries (push and pull)',
  types: ['docker_registry_image'],
  check(r) {
    return isTrue(r.values.keep_remotely) ? OK : ['keep_remotely is not true: destroying or replacing this resource deletes the tag from the registry'];
  },
};
