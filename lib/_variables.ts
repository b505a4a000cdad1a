import { IConstruct } from 'constructs';
import { TerraformStack, TerraformVariable } from 'cdktf';
import { TERRAFORM_NAME, VARIABLE_NAME_RULE, fail } from './_validate';

/**
 * The sensitive string variable `name` of `scope`'s stack, created on first use.
 * Terraform reads its value at deploy time (from `TF_VAR_<name>` or a tfvars file);
 * it never enters the synthesized JSON, only a `${var.<name>}` reference does.
 */
export function sensitiveVariable(scope: IConstruct, prop: string, name: string, description: string): TerraformVariable {
  if (!TERRAFORM_NAME.test(name)) {
    fail(scope.node.path, prop, name, VARIABLE_NAME_RULE);
  }
  const stack = TerraformStack.of(scope);
  const existing = stack.node.tryFindChild(name);
  if (existing instanceof TerraformVariable) return existing;
  if (existing) {
    fail(scope.node.path, prop, name, `a variable name that no other construct at the top of stack ${stack.node.path} uses as its id`);
  }
  return new TerraformVariable(stack, name, { type: 'string', sensitive: true, nullable: false, description });
}
