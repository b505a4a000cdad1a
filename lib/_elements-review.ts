/**
 * The review of a stack's docker elements as `ProductionChecks` runs it: each element's
 * synthesized JSON (the same input the review command reads from `cdk.tf.json`), the Terraform
 * address of each finding mapped back to its construct, and the error message that says how to
 * suppress it.
 */
import * as path from 'path';
import { App, DefaultTokenResolver, StringConcat, TerraformProvider, TerraformResource, TerraformStack, Tokenization } from 'cdktf';
import { IConstruct } from 'constructs';
import { reviewStack } from './review/engine';
import { Finding, StackReview } from './review/model';
import { fromTerraformJson } from './review/normalize';
import { findRule } from './review/rules';
import { isObject, JsonObject } from './review/values';

export type DockerElement = TerraformResource | TerraformProvider;

export function isDockerElement(node: IConstruct): node is DockerElement {
  if (TerraformResource.isTerraformResource(node)) return node.terraformResourceType.startsWith('docker_');
  if (TerraformProvider.isTerraformProvider(node)) return node.terraformResourceType === 'docker';
  return false;
}

const RESOLVER = new DefaultTokenResolver(new StringConcat());

function resolveIn(stack: TerraformStack, value: unknown): unknown {
  return Tokenization.resolve(value, { scope: stack, preparing: false, resolver: RESOLVER });
}

/**
 * Reviews the given docker elements of `stack` in their synthesized JSON (the
 * same input the review command reads from `cdk.tf.json`), and maps each
 * Terraform address back to its construct.
 */
export function reviewElements(stack: TerraformStack, elements: DockerElement[]): { review: StackReview; byAddress: Map<string, DockerElement> } {
  const providerElements: DockerElement[] = [];
  const providers: JsonObject[] = [];
  const resources: Record<string, JsonObject> = {};
  const byAddress = new Map<string, DockerElement>();
  for (const element of elements) {
    const fragment = resolveIn(stack, element.toTerraform());
    if (!isObject(fragment)) continue;
    if (TerraformProvider.isTerraformProvider(element)) {
      const configs = isObject(fragment.provider) ? fragment.provider.docker : undefined;
      for (const config of Array.isArray(configs) ? configs : []) {
        if (!isObject(config)) continue;
        providers.push(config);
        providerElements.push(element);
      }
      continue;
    }
    if (!isObject(fragment.resource)) continue;
    for (const [type, byName] of Object.entries(fragment.resource)) {
      if (!isObject(byName)) continue;
      const ofType = (resources[type] ??= {});
      for (const name of Object.keys(byName)) {
        ofType[name] = byName[name];
        byAddress.set(`${type}.${name}`, element);
      }
    }
  }
  const input = fromTerraformJson({ provider: { docker: providers }, resource: resources }, stack.node.id, stackWorkingDirectory(stack));
  // Provider configurations come first, in the order given.
  input.resources.filter((r) => r.type === 'provider').forEach((r, i) => byAddress.set(r.address, providerElements[i]));
  return { review: reviewStack(input), byAddress };
}

/** Terraform's working directory for the stack, which relative build contexts resolve against. */
function stackWorkingDirectory(stack: TerraformStack): string {
  try {
    return path.resolve(App.of(stack).outdir, 'stacks', stack.node.id);
  } catch {
    return process.cwd();
  }
}

export function errorMessage(f: Finding, target: IConstruct): string {
  return `${f.rule} (${f.resource}): ${f.message}. Why: ${findRule(f.rule)?.reason ?? ''} [${f.source}]. `
    + `If this is intended, call ProductionChecks.suppress(<the construct at ${target.node.path} or a scope above it>, '${f.rule}', '<why this is acceptable>').`;
}
