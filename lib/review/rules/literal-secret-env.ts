/** `literal-secret-env`: No secret-looking environment variable with a literal value. */
import { RuleId, Severity } from '../model';
import { looksSecret } from '../secret-names';
import { CONTAINER_OR_TASK, OK, RuleDefinition, attributeName } from '../rule-definition';
import { isLiteral, strings } from '../values';

const NOT_SECRET_VALUE = /^(true|false|yes|no|on|off|0|1)$/i;

export const literalSecretEnv: RuleDefinition = {
  id: RuleId.LITERAL_SECRET_ENV,
  severity: Severity.ERROR,
  reason: 'A secret written as a literal environment value sits in the code, the plan, the state and `docker inspect`; pass it from a sensitive variable.',
  source: 'Talk: service manager duties (environment variables)',
  types: CONTAINER_OR_TASK,
  check(r) {
    let out: string[] | undefined;
    const env = strings(r.values.env);
    for (let i = 0; i < env.length; i++) {
      const entry = env[i];
      const eq = entry.indexOf('=');
      if (eq <= 0) continue;
      const name = entry.slice(0, eq);
      if (!looksSecret(name)) continue;
      const value = entry.slice(eq + 1);
      if (!isLiteral(value) || NOT_SECRET_VALUE.test(value)) continue;
      (out ??= []).push(`${attributeName(r, 'env')} ${name} has a literal value; take it from a sensitive Terraform variable (a \${var.x} reference)`);
    }
    return out ?? OK;
  },
};
