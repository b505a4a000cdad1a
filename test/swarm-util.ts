import { App, TerraformStack, Testing } from 'cdktf';
import { DockerHost, ValidationError } from '../lib';

/** A fresh app with stack `test` and its swarm manager `test/host`, deploying with provider `version`. */
export function swarmHost(version = '3.6.2'): { app: App; stack: TerraformStack; host: DockerHost } {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'test');
  const host = new DockerHost(stack, 'host', { swarm: true, providerVersion: version });
  return { app, stack, host };
}

/** Runs `fn` once: it must throw the library's ValidationError, with `message` in it (or matching it). */
export function expectError(fn: () => unknown, message: string | RegExp): ValidationError {
  let thrown: unknown;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  expect(thrown).toBeInstanceOf(ValidationError);
  if (typeof message === 'string') expect((thrown as Error).message).toContain(message);
  else expect((thrown as Error).message).toMatch(message);
  return thrown as ValidationError;
}
