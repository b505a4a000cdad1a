import { IConstruct } from 'constructs';
import { TerraformVariable } from 'cdktf';
import { sensitiveVariable } from './_variables';
import { VARIABLE_NAME_RULE, fail } from './_validate';

/**
 * A secret value for a container's environment. Its value comes from a sensitive Terraform
 * variable at deploy time and never appears in the synthesized JSON. Terraform state still
 * holds the resolved value: protect the state.
 */
export class Secret {
  /**
   * The sensitive string variable `variableName` of the container's stack (created on first use);
   * Terraform reads it from `TF_VAR_<variableName>` or a tfvars file at deploy time.
   */
  public static fromVariable(variableName: string): Secret {
    return new Secret(variableName, undefined);
  }

  /** An existing Terraform variable; it should be declared `sensitive: true`. */
  public static fromTerraformVariable(variable: TerraformVariable): Secret {
    return new Secret(undefined, variable, true);
  }

  private constructor(
    private readonly variableName?: string,
    private readonly variable?: TerraformVariable,
    private readonly byVariable = false,
  ) {}

  /** @internal the reference to the value, for `scope`'s stack */
  public _reference(scope: IConstruct, prop: string): string {
    // The factories accept anything from JavaScript; judged here, where the error can name the container.
    if (this.byVariable) {
      if (!(this.variable instanceof TerraformVariable)) {
        fail(scope.node.path, prop, this.variable, 'Secret.fromTerraformVariable(variable) with a TerraformVariable');
      }
      return this.variable.stringValue;
    }
    if (typeof this.variableName !== 'string') {
      fail(scope.node.path, prop, this.variableName, `Secret.fromVariable(name) with ${VARIABLE_NAME_RULE}`);
    }
    return sensitiveVariable(scope, prop, this.variableName, `Secret value ${this.variableName}`).stringValue;
  }
}
