/**
 * `single-replica-service`: A replicated Swarm service runs more than one task. Swarm's default
 * is one replica (a service without `mode`); a global service runs one task per node and is
 * not judged here.
 */
import { RuleId, Severity } from '../model';
import { OK, RuleDefinition, SERVICE } from '../rule-definition';
import { serviceReplicas } from '../service-task';

export const singleReplicaService: RuleDefinition = {
  id: RuleId.SINGLE_REPLICA_SERVICE,
  severity: Severity.WARNING,
  reason: 'A service with one replica is down while its only task restarts, moves off a drained node or is updated; two or more keep it up.',
  source: 'Talk: service manager duties (keep running)',
  types: SERVICE,
  check(r) {
    const service = r.service ?? r.values;
    const { global, replicas } = serviceReplicas(service);
    // A replica count from a variable reads as undefined: not judged.
    if (global || replicas === undefined || replicas >= 2) return OK;
    return [replicas === 0
      ? 'mode.replicated.replicas is 0: the service runs no task; remove it or give it 2 or more replicas'
      : `${service.mode === undefined ? 'mode is not set (Swarm runs 1 replica)' : 'mode.replicated.replicas is 1'}; run 2 or more replicas so that a restart, a drain or an update does not take the service down`];
  },
};
