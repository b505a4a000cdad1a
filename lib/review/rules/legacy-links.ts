/** `legacy-links`: No legacy container links. */
import { RuleId, Severity } from '../model';
import { CONTAINER, OK, RuleDefinition } from '../rule-definition';
import { strings } from '../values';

export const legacyLinks: RuleDefinition = {
  id: RuleId.LEGACY_LINKS,
  severity: Severity.ERROR,
  reason: 'Legacy container links are deprecated, only work on the default bridge and break on restarts; use a user-defined network and DNS names.',
  source: 'Talk: user-defined networks, not links',
  types: CONTAINER,
  check(r) {
    const links = strings(r.values.links);
    return links.length > 0 ? [`links ${JSON.stringify(links)}; connect the containers to a user-defined network (networks_advanced) instead`] : OK;
  },
};
