/** `default-bridge-network`: A container sits on a user-defined network, not the default bridge. */
import { RuleId, Severity } from '../model';
import { CIS, CONTAINER, OK, RuleDefinition } from '../rule-definition';
import { blocks, str } from '../values';

const DEFAULT_NETWORK_MODES = new Set(['', 'bridge', 'default']);

export const defaultBridgeNetwork: RuleDefinition = {
  id: RuleId.DEFAULT_BRIDGE_NETWORK,
  severity: Severity.WARNING,
  reason: "Docker's default bridge has no DNS between containers and puts every container on one flat network.",
  source: `Talk: user-defined networks; ${CIS} 5.29`,
  types: CONTAINER,
  check(r) {
    const v = r.values;
    const mode = str(v.network_mode);
    if (blocks(v.networks_advanced).length > 0) return OK;
    if (mode !== undefined && !DEFAULT_NETWORK_MODES.has(mode)) return OK;
    return [`no user-defined network (network_mode ${mode ? `"${mode}"` : 'unset'}, no networks_advanced): the container sits on the default bridge; attach it to a user-defined network`];
  },
};
