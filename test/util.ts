import { App, TerraformStack, Testing } from 'cdktf';
import { DockerHost } from '../lib';

/** A fresh app, stack and default host. */
export function newStack(): { app: App; stack: TerraformStack; host: DockerHost } {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'test');
  const host = new DockerHost(stack, 'host');
  return { app, stack, host };
}

/** The stack synthesized (validations on) and parsed. */
export function synth(stack: TerraformStack): any {
  return JSON.parse(Testing.synth(stack, true));
}

/** The resources of one type, as synthesized. */
export function resources(json: any, type: string): Record<string, any> {
  return json.resource?.[type] ?? {};
}

/** The only resource of one type. */
export function only(json: any, type: string): any {
  const all = Object.values(resources(json, type));
  if (all.length !== 1) throw new Error(`expected one ${type}, found ${all.length}`);
  return all[0];
}
