import { IConstruct } from 'constructs';
import { TerraformVariable } from 'cdktf';
import { sensitiveVariable } from './_variables';

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
    return new Secret(undefined, variable);
  }

  private constructor(private readonly variableName?: string, private readonly variable?: TerraformVariable) {}

  /** @internal the reference to the value, for `scope`'s stack */
  public _reference(scope: IConstruct, prop: string): string {
    if (this.variable) return this.variable.stringValue;
    return sensitiveVariable(scope, prop, this.variableName as string, `Secret value ${this.variableName}`).stringValue;
  }
}
