import 'cdktf/lib/testing/adapters/jest';
import { TerraformStack, Testing } from 'cdktf';
import { DockerHost, MinimalImage, RegistryCredentials, RegistryPush } from '../lib';
import { resources, synth } from './util';

const ctx = 'examples/reference-app/api';

function push(props: Record<string, unknown>) {
  const stack = new TerraformStack(Testing.app(), 'test');
  new DockerHost(stack, 'host', { registries: [RegistryCredentials.anonymous('http://localhost:5000')] });
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

describe('plain-HTTP and login-free registries', () => {
  function hostJson(registries: RegistryCredentials[]) {
    const stack = new TerraformStack(Testing.app(), 'test');
    new DockerHost(stack, 'host', { registries });
    return { stack, json: synth(stack) };
  }

  test('an http:// address reaches the provider with its scheme; https:// and bare addresses do not carry one', () => {
    const { json } = hostJson([
      RegistryCredentials.fromVariables('http://localhost:5000'),
      RegistryCredentials.fromVariables('https://registry.example.com/v2/'),
      RegistryCredentials.fromVariables('ghcr.io'),
    ]);
    expect(json.provider.docker[0].registry_auth.map((a: any) => a.address)).toEqual(['http://localhost:5000', 'registry.example.com', 'ghcr.io']);
    // The variable names come from the host, not the scheme.
    expect(json.provider.docker[0].registry_auth[0].password).toBe('${var.registry_localhost_5000_password}');
  });

  test('RegistryCredentials.anonymous is an entry with auth disabled and no credentials', () => {
    const { json } = hostJson([RegistryCredentials.anonymous('http://127.0.0.1:5000')]);
    expect(json.provider.docker[0].registry_auth).toEqual([{ address: 'http://127.0.0.1:5000', auth_disabled: true }]);
    expect(json.variable).toBeUndefined();
  });

  test('a push to a plain-HTTP registry with push credentials keeps the scheme in auth_config', () => {
    const json = push({ credentials: RegistryCredentials.fromVariables('http://localhost:5000') });
    const [registry] = Object.values(resources(json, 'docker_registry_image')) as any[];
    expect(registry.auth_config.address).toBe('http://localhost:5000');
    expect(registry.name).toBe('localhost:5000/team/api:1.4.2');
  });

  test('a push to a registry the host has no entry for is refused at synth (the provider would fail at deploy)', () => {
    const stack = new TerraformStack(Testing.app(), 'test');
    new DockerHost(stack, 'host', { registries: [RegistryCredentials.anonymous('http://localhost:5000')] });
    const image = new MinimalImage(stack, 'img', { context: ctx, name: 'team/api:1.4.2' });
    expect(() => new RegistryPush(stack, 'push', { image, repository: 'registry.example.com/team/api', tags: ['1'] })).toThrow(
      /^test\/push: invalid credentials \(missing\): credentials for registry registry\.example\.com, here or in the registries of host test\/host.*RegistryCredentials\.anonymous\('http:\/\/registry\.example\.com'\)/,
    );
  });

  test('anonymous credentials belong to the host, not to a push', () => {
    expect(() => push({ credentials: RegistryCredentials.anonymous('http://localhost:5000') })).toThrow(
      'test/push: invalid credentials "RegistryCredentials.anonymous(http://localhost:5000)": credentials from RegistryCredentials.fromEnvironment or fromVariables here; a login-free registry works only in DockerHost registries',
    );
  });

  test('two entries for one registry are refused (the provider keys them by host)', () => {
    expect(() => hostJson([RegistryCredentials.anonymous('http://localhost:5000'), RegistryCredentials.fromVariables('localhost:5000')])).toThrow(
      'test/host: invalid registries[1] "localhost:5000": one entry per registry (registries[0] is already for localhost:5000)',
    );
  });

  test('credentials over plain HTTP to a registry off this machine are a synth warning; loopback and anonymous are not', () => {
    const warnings = (registries: RegistryCredentials[]) => {
      const { stack } = hostJson(registries);
      return stack.node.findAll().flatMap((c) => c.node.metadata).filter((m) => m.type === '@cdktf/warn').map((m) => String(m.data));
    };
    expect(warnings([RegistryCredentials.fromVariables('http://registry.internal:5000')]).join('\n')).toMatch(/travel unencrypted over plain HTTP/);
    expect(warnings([RegistryCredentials.fromVariables('http://localhost:5000'), RegistryCredentials.anonymous('http://registry.internal:5000')])).toEqual([]);
  });
});
