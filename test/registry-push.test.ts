import 'cdktf/lib/testing/adapters/jest';
import { TerraformStack, Testing } from 'cdktf';
import { DockerHost, MinimalImage, RegistryCredentials, RegistryPush } from '../lib';
import { newStack, resources, synth } from './util';

const ctx = 'examples/reference-app/api';

function push(props: Record<string, unknown>) {
  const { stack } = newStack();
  const image = new MinimalImage(stack, 'img', { context: ctx, name: 'team/api:1.4.2' });
  new RegistryPush(stack, 'push', { image, repository: 'localhost:5000/team/api', tags: ['1.4.2'], ...props } as any);
  return synth(stack);
}

describe('RegistryPush', () => {
  test('tags and pushes, keeps the remote tag, re-pushes when the image id changes', () => {
    const json = push({});
    const [registry] = Object.values(resources(json, 'docker_registry_image')) as any[];
    const [tag] = Object.values(resources(json, 'docker_tag')) as any[];
    const imageId = expect.stringMatching(/^\$\{docker_image\.img_[0-9A-F]{8}\.image_id\}$/);
    expect(registry).toMatchObject({ name: 'localhost:5000/team/api:1.4.2', keep_remotely: true, triggers: { image_id: imageId } });
    expect(tag).toMatchObject({ source_image: imageId, target_image: 'localhost:5000/team/api:1.4.2', tag_triggers: [imageId] });
    expect(registry.depends_on).toEqual([expect.stringMatching(/^docker_tag\./)]);
  });

  test('two tags yield two tags and two pushes', () => {
    const json = push({ tags: ['1.4.2', '1.4'] });
    const names = (Object.values(resources(json, 'docker_registry_image')) as any[]).map((r) => r.name).sort();
    expect(names).toEqual(['localhost:5000/team/api:1.4', 'localhost:5000/team/api:1.4.2']);
    expect(Object.keys(resources(json, 'docker_tag'))).toHaveLength(2);
  });

  test('keepRemotely can be turned off', () => {
    const [registry] = Object.values(resources(push({ keepRemotely: false }), 'docker_registry_image')) as any[];
    expect(registry.keep_remotely).toBe(false);
  });

  test('push credentials are references to sensitive variables, never values', () => {
    process.env.TF_VAR_PUSH_PASSWORD = 'pushed-secret-0815';
    const json = push({ credentials: RegistryCredentials.fromEnvironment('localhost:5000', 'PUSH_USER', 'PUSH_PASSWORD') });
    const [registry] = Object.values(resources(json, 'docker_registry_image')) as any[];
    expect(registry.auth_config).toEqual({ address: 'localhost:5000', username: '${var.PUSH_USER}', password: '${var.PUSH_PASSWORD}' });
    expect(json.variable.PUSH_PASSWORD.sensitive).toBe(true);
    expect(JSON.stringify(json)).not.toContain('pushed-secret-0815');
    delete process.env.TF_VAR_PUSH_PASSWORD;
  });

  test('the host credentials of the registry serve the push', () => {
    const stack = new TerraformStack(Testing.app(), 'test');
    new DockerHost(stack, 'host', { registries: [RegistryCredentials.fromVariables('localhost:5000')] });
    const image = new MinimalImage(stack, 'img', { context: ctx, name: 'team/api:1.4.2' });
    new RegistryPush(stack, 'push', { image, repository: 'localhost:5000/team/api', tags: ['1.4.2'] });
    const json = synth(stack);
    expect(json.provider.docker[0].registry_auth[0]).toMatchObject({ address: 'localhost:5000', password: '${var.registry_localhost_5000_password}' });
  });

  test.each([
    [{ repository: 'localhost:5000/Team/api' }, 'repository', /lower-case path components/],
    [{ repository: 'localhost:5000/team/api:1.0' }, 'repository', /without tag or digest/],
    [{ repository: `team/api@sha256:${'a'.repeat(64)}` }, 'repository', /without tag or digest/],
    [{ repository: '' }, 'repository', /a repository such as/],
    [{ tags: [] }, 'tags', /at least one tag/],
    [{ tags: ['1.4.2', '1.4.2'] }, 'tags\\[1\\]', /each tag once/],
    [{ tags: ['latest'] }, 'tags\\[0\\]', /'latest' is not pinned/],
    [{ tags: ['-bad'] }, 'tags\\[0\\]', /a tag of letters, digits/],
    [{ tags: ['x'.repeat(129)] }, 'tags\\[0\\]', /at most 128 characters/],
  ])('rejects %j naming the path and the rule', (props, prop, rule) => {
    expect(() => push(props)).toThrow(new RegExp(`test/push: invalid ${prop} `));
    expect(() => push(props)).toThrow(rule);
  });
});

test('RegistryPush: credentials for another registry than the repository are refused', () => {
  expect(() => push({ credentials: RegistryCredentials.fromVariables('ghcr.io') })).toThrow(
    "test/push: invalid credentials \"ghcr.io\": credentials for the repository's registry localhost:5000",
  );
});
