/**
 * `secret-in-service-env`: A Swarm service takes its secrets as files (`docker_secret` mounted
 * under /run/secrets), not as environment variables. A literal value is `literal-secret-env`'s
 * error; this rule owns a secret-looking variable whose value comes from elsewhere.
 */
import { RuleId, Severity } from '../model';
import { looksSecret } from '../secret-names';
import { OK, RuleDefinition, SERVICE } from '../rule-definition';
import { block, isLiteral, isObject } from '../values';

export const secretInServiceEnv: RuleDefinition = {
  id: RuleId.SECRET_IN_SERVICE_ENV,
  severity: Severity.WARNING,
  reason: "A secret in a service's environment is in the service spec that every manager stores and `docker service inspect` shows, and in each task's environment; Swarm secrets are encrypted at rest and mounted as files.",
  source: 'Talk: service manager duties (environment variables)',
  types: SERVICE,
  check(r) {
    const service = r.service ?? r.values;
    const env = block(block(service.task_spec)?.container_spec)?.env;
    if (!isObject(env)) return OK;
    let out: string[] | undefined;
    for (const name in env) {
      if (!looksSecret(name) || isLiteral(env[name])) continue;
      (out ??= []).push(`task_spec.container_spec.env ${name} passes a secret as an environment variable; give it as a docker_secret in task_spec.container_spec.secrets (a file under /run/secrets)`);
    }
    return out ?? OK;
  },
};
