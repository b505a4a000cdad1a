/** `literal-swarm-secret`: A docker_secret's data comes from a variable, not from the code. */
import { RuleId, Severity } from '../model';
import { CIS, OK, RuleDefinition } from '../rule-definition';
import { isLiteral } from '../values';

const QUOTED = /"(?:[^"\\]|\\.)*"/g;
/** A reference in an expression: `var.x`, `local.x`, `data.x.y`, `module.m`, `docker_x.y.z`, `each.value`... */
const REFERENCE = /[A-Za-z_][A-Za-z0-9_-]*\s*\./;
/** Functions that read a file: the value is then not in the code (it is still in the state). */
const READS_FILE = /\b(file|filebase64|templatefile)\s*\(/;

/**
 * A value Terraform computes from literals only: `${base64encode("hunter2")}` (what cdktf writes for
 * `Fn.base64encode("hunter2")`). Quoted strings holding an interpolation and file reads are not.
 */
function constantExpression(value: unknown): value is string {
  if (typeof value !== 'string' || !value.startsWith('${') || !value.endsWith('}')) return false;
  const quoted = value.match(QUOTED);
  if (quoted) for (const q of quoted) if (q.includes('${')) return false;
  const code = quoted ? value.replace(QUOTED, '""') : value;
  return !REFERENCE.test(code.slice(2, -1)) && !READS_FILE.test(code) && !code.slice(2).includes('${');
}

export const literalSwarmSecret: RuleDefinition = {
  id: RuleId.LITERAL_SWARM_SECRET,
  severity: Severity.ERROR,
  reason: "A docker_secret whose data is written in the code sits in the code, the plan and the state: the swarm's encryption protects nothing then; pass it from a sensitive variable.",
  source: `${CIS} section 7 (swarm secrets through Docker's secret management, their values kept out of the code)`,
  types: ['docker_secret'],
  check(r) {
    const data = r.values.data;
    if (isLiteral(data)) return ['data is a literal; take it from a sensitive variable (e.g. ${base64encode(var.x)})'];
    // The messages never show the value: it is the secret.
    if (constantExpression(data)) return ['data is computed from literals only (such as base64encode("...")); take it from a sensitive variable (e.g. ${base64encode(var.x)})'];
    return OK;
  },
};
