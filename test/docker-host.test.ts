import 'cdktf/lib/testing/adapters/jest';
import { TerraformStack, Testing } from 'cdktf';
import { DockerHost, RegistryCredentials, ServiceNetwork, ValidationError } from '../lib';
import { synth } from './util';

describe('DockerHost', () => {
  test('defaults to the local unix socket, unaliased', () => {
    const stack = new TerraformStack(Testing.app(), 's');
    new DockerHost(stack, 'host');
    const json = synth(stack);
    expect(json.provider.docker).toEqual([{ host: 'unix:///var/run/docker.sock' }]);
    expect(json.terraform.required_providers.docker).toEqual({ source: 'kreuzwerker/docker', version: '3.6.2' });
  });

  test('providerVersion: the default is the bindings\' 3.6.2; the 4.6 line is a choice, written as the stack\'s constraint', () => {
    expect(DockerHost.DEFAULT_PROVIDER_VERSION).toBe('3.6.2');
    for (const version of ['4.6.0', '~> 4.6']) {
      const stack = new TerraformStack(Testing.app(), 's');
      const host = new DockerHost(stack, 'host', { providerVersion: version });
      new ServiceNetwork(stack, 'net');
      expect(host.providerVersion).toBe(version);
      expect(synth(stack).terraform.required_providers.docker).toEqual({ source: 'kreuzwerker/docker', version });
    }
  });

  test('providerVersion: a constraint the library is not verified with is refused, listing the verified ones', () => {
    const stack = new TerraformStack(Testing.app(), 's');
    expect(() => new DockerHost(stack, 'host', { providerVersion: '~> 3.0' })).toThrow(
      's/host: invalid providerVersion "~> 3.0": a provider version constraint the library is verified with: one of "3.6.2", "4.6.0", "~> 4.6", "~> 4.6.0"',
    );
    expect(() => new DockerHost(stack, 'host2', { providerVersion: 4.6 as any })).toThrow(/s\/host2: invalid providerVersion 4.6: a provider version constraint/);
  });

  test('providerVersion: hosts with a provider in one stack must agree, also through another stack', () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 's');
    new DockerHost(stack, 'a', { providerVersion: '~> 4.6' });
    expect(() => new DockerHost(stack, 'b', { alias: 'b' })).toThrow(
      's/b: invalid providerVersion "3.6.2": the provider version of the other hosts of stack s ("~> 4.6", from s/a): one stack deploys with one provider release',
    );
    new DockerHost(stack, 'c', { alias: 'c', providerVersion: '~> 4.6' });
    // A host of another stack used here brings its version along.
    const other = new TerraformStack(app, 'other');
    const old = new DockerHost(other, 'old', { alias: 'old' });
    expect(() => new ServiceNetwork(stack, 'net', { host: old })).toThrow(
      's/net: invalid host "other/old": a host whose provider version (it has "3.6.2") is that of the other hosts of stack s ("~> 4.6", from s/a): one stack deploys with one provider release',
    );
    const newer = new DockerHost(new TerraformStack(app, 'third'), 'newer', { alias: 'newer', providerVersion: '~> 4.6' });
    new ServiceNetwork(stack, 'net2', { host: newer });
    expect(synth(stack).terraform.required_providers.docker.version).toBe('~> 4.6');
  });

  test('tcp:// with TLS material and an alias', () => {
    const stack = new TerraformStack(Testing.app(), 's');
    new DockerHost(stack, 'remote', {
      url: 'tcp://10.0.0.5:2376', alias: 'remote',
      tls: { caMaterial: 'CA', certMaterial: 'CERT', keyMaterial: '${var.key}' },
    });
    expect(synth(stack).provider.docker[0]).toEqual({
      alias: 'remote', host: 'tcp://10.0.0.5:2376', ca_material: 'CA', cert_material: 'CERT', key_material: '${var.key}',
    });
  });

  test('ssh:// with options', () => {
    const stack = new TerraformStack(Testing.app(), 's');
    new DockerHost(stack, 'h', { url: 'ssh://deploy@10.0.0.5:22', sshOptions: ['-o', 'StrictHostKeyChecking=yes'] });
    expect(synth(stack).provider.docker[0]).toEqual({ host: 'ssh://deploy@10.0.0.5:22', ssh_opts: ['-o', 'StrictHostKeyChecking=yes'] });
  });

  test('registry credentials are variable references, never values', () => {
    process.env.REGISTRY_PASSWORD = 'do-not-leak-4711';
    try {
      const stack = new TerraformStack(Testing.app(), 's');
      new DockerHost(stack, 'h', { registries: [RegistryCredentials.fromEnvironment('https://localhost:5000/', 'REGISTRY_USER', 'REGISTRY_PASSWORD')] });
      const text = Testing.synth(stack);
      const json = JSON.parse(text);
      expect(json.provider.docker[0].registry_auth).toEqual([
        { address: 'localhost:5000', username: '${var.REGISTRY_USER}', password: '${var.REGISTRY_PASSWORD}' },
      ]);
      expect(json.variable.REGISTRY_PASSWORD).toMatchObject({ sensitive: true, type: 'string' });
      expect(text).not.toContain('do-not-leak-4711');
    } finally {
      delete process.env.REGISTRY_PASSWORD;
    }
  });

  test('credentials from variables named after the address, and from a docker config file', () => {
    const stack = new TerraformStack(Testing.app(), 's');
    new DockerHost(stack, 'h', {
      registries: [
        RegistryCredentials.fromVariables('registry.example.com:443'),
        RegistryCredentials.fromDockerConfig('ghcr.io', '/home/deploy/.docker/config.json'),
      ],
    });
    const json = synth(stack);
    expect(json.provider.docker[0].registry_auth).toEqual([
      { address: 'registry.example.com:443', username: '${var.registry_registry_example_com_443_username}', password: '${var.registry_registry_example_com_443_password}' },
      { address: 'ghcr.io', config_file: '/home/deploy/.docker/config.json' },
    ]);
  });

  test('two hosts in one stack: constructs pick theirs, the provider alias is set', () => {
    const stack = new TerraformStack(Testing.app(), 's');
    new DockerHost(stack, 'local');
    const remote = new DockerHost(stack, 'remote', { url: 'ssh://deploy@10.0.0.5', alias: 'edge' });
    new ServiceNetwork(stack, 'a');
    new ServiceNetwork(stack, 'b', { host: remote });
    const json = synth(stack);
    const nets = Object.values(json.resource.docker_network) as any[];
    expect(nets.find((n) => n.name === 'a').provider).toBe('docker');
    expect(nets.find((n) => n.name === 'b').provider).toBe('docker.edge');
  });

  test('DockerHost.of: a stack without a host and no host in the app is an error naming the fix', () => {
    const stack = new TerraformStack(Testing.app(), 's');
    expect(() => new ServiceNetwork(stack, 'net')).toThrow(ValidationError);
    expect(() => new ServiceNetwork(stack, 'net2')).toThrow(/s\/net2: invalid host \(missing\): a DockerHost: add `new DockerHost\(stack, 'host'\)`/);
  });

  test('two unaliased hosts in one stack are rejected', () => {
    const stack = new TerraformStack(Testing.app(), 's');
    new DockerHost(stack, 'one');
    expect(() => new DockerHost(stack, 'two', { url: 'tcp://10.0.0.1:2376' })).toThrow(/s\/two: invalid alias \(missing\): an alias no other DockerHost of this stack uses \(s\/one already has it\)/);
  });

  test.each(['eu.west', '2nd', '-x'])('rejects the provider alias %s: Terraform refuses it in `docker.<alias>`', (alias) => {
    const stack = new TerraformStack(Testing.app(), 's');
    expect(() => new DockerHost(stack, 'h', { alias })).toThrow(ValidationError);
    expect(() => new DockerHost(stack, 'g', { alias })).toThrow(`s/g: invalid alias ${JSON.stringify(alias)}: a provider alias`);
  });

  test.each([
    ['http://localhost:2375', /invalid url "http:\/\/localhost:2375": a Docker host address with scheme unix:\/\/, tcp:\/\/ or ssh:\/\//],
    ['localhost', /invalid url "localhost"/],
    ['tcp://', /invalid url "tcp:\/\/"/],
  ])('rejects the url %s', (url, message) => {
    const stack = new TerraformStack(Testing.app(), 's');
    expect(() => new DockerHost(stack, 'h', { url })).toThrow(message);
  });

  test('TLS material only with tcp://', () => {
    const stack = new TerraformStack(Testing.app(), 's');
    expect(() => new DockerHost(stack, 'h', { tls: { certPath: '/certs' } })).toThrow(/s\/h: invalid tls .*only with a tcp:\/\/ url/);
  });
});
