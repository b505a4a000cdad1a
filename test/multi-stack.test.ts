import 'cdktf/lib/testing/adapters/jest';
import * as fs from 'fs';
import * as path from 'path';
import { App, TerraformStack, Testing } from 'cdktf';
import {
  ContainerImage, DataVolume, DockerHost, MinimalImage, ServiceContainer, ServiceNetwork, ValidationError,
} from '../lib';
import { addMultiStack } from '../examples/multi-stack/stacks';

const API_CONTEXT = path.join(__dirname, '..', 'examples', 'reference-app', 'api');
const REMOTE = 'cross-stack-reference-input-platform';
const NGINX = ContainerImage.fromRegistry('nginx:1.27-alpine');

/** Synthesizes the whole app the way `cdktf synth` does and reads every stack back. */
function synthApp(app: App): { manifest: any; stacks: Record<string, any> } {
  app.synth();
  const manifest = JSON.parse(fs.readFileSync(path.join(app.outdir, 'manifest.json'), 'utf8'));
  const stacks: Record<string, any> = {};
  for (const [name, s] of Object.entries<any>(manifest.stacks)) {
    stacks[name] = JSON.parse(fs.readFileSync(path.join(app.outdir, s.synthesizedStackPath), 'utf8'));
  }
  return { manifest, stacks };
}

function resources(json: any, type: string): Record<string, any> {
  return json.resource?.[type] ?? {};
}

/** The logical id of the one resource of `type` whose `name` is `name`. */
function keyByName(json: any, type: string, name: string): string {
  const keys = Object.entries(resources(json, type)).filter(([, r]) => r.name === name).map(([k]) => k);
  expect(keys).toHaveLength(1);
  return keys[0];
}

/**
 * Follows a `${data.terraform_remote_state.<remote>.outputs.<output>}` reference of the apps stack
 * to the expression the platform stack exports under that output.
 */
function exported(apps: any, platform: any, reference: string): string {
  const m = /^\$\{data\.terraform_remote_state\.([^.]+)\.outputs\.([^}]+)\}$/.exec(reference);
  expect(m).not.toBeNull();
  const [, remote, output] = m as RegExpExecArray;
  expect(apps.data.terraform_remote_state[remote]).toBeDefined();
  expect(platform.output[output]).toBeDefined();
  return platform.output[output].value;
}

describe('examples/multi-stack: platform and apps stacks', () => {
  let manifest: any;
  let platform: any;
  let apps: any;

  beforeAll(() => {
    const app = Testing.app();
    addMultiStack(app, { apiContext: API_CONTEXT });
    ({ manifest, stacks: { platform, apps } } = synthApp(app));
  });

  test('apps depends on platform, which depends on nothing (cdktf deploys platform first)', () => {
    expect(Object.keys(manifest.stacks).sort()).toEqual(['apps', 'platform']);
    expect(manifest.stacks.apps.dependencies).toEqual(['platform']);
    expect(manifest.stacks.platform.dependencies).toEqual([]);
  });

  test('the platform declares host-level objects, the apps stack only containers and their pulled images', () => {
    expect(Object.keys(platform.resource).sort()).toEqual(['docker_image', 'docker_network', 'docker_volume']);
    expect(Object.keys(apps.resource).sort()).toEqual(['docker_container', 'docker_image']);
    expect(Object.values(resources(platform, 'docker_network')).map((n: any) => n.name).sort()).toEqual(['back', 'front']);
    expect(Object.values(resources(apps, 'docker_container')).map((c: any) => c.name).sort()).toEqual(['api', 'cache', 'web']);
  });

  test('both stacks configure the same docker provider, registry auth included, without the apps stack repeating it', () => {
    const expected = [{
      host: 'unix:///var/run/docker.sock',
      registry_auth: [{ address: 'localhost:5000', username: '${var.REGISTRY_USER}', password: '${var.REGISTRY_PASSWORD}' }],
    }];
    expect(platform.provider.docker).toEqual(expected);
    expect(apps.provider.docker).toEqual(expected);
    for (const stack of [platform, apps]) {
      expect(stack.terraform.required_providers.docker).toEqual({ source: 'kreuzwerker/docker', version: '3.6.2' });
      expect(stack.variable.REGISTRY_PASSWORD).toMatchObject({ sensitive: true, type: 'string' });
      expect(stack.variable.REGISTRY_USER).toMatchObject({ sensitive: true, type: 'string' });
    }
    const containers = Object.values(resources(apps, 'docker_container'));
    expect(containers.every((c: any) => c.provider === 'docker')).toBe(true);
  });

  test('the apps stack reads the platform state through terraform_remote_state (local backend)', () => {
    expect(Object.keys(apps.data.terraform_remote_state)).toEqual([REMOTE]);
    const remote = apps.data.terraform_remote_state[REMOTE];
    expect(remote.backend).toBe('local');
    expect(remote.config.path).toBe(platform.terraform.backend.local.path);
    expect(path.basename(remote.config.path)).toBe('terraform.platform.tfstate');
    expect(remote.workspace).toBe('${terraform.workspace}');
    expect(platform.data).toBeUndefined();
  });

  test('the platform exports network names, the volume name and the image id as (sensitive) outputs', () => {
    const values = Object.values<any>(platform.output);
    const exportedValues = values.map((o) => o.value).sort();
    expect(exportedValues).toEqual([
      `\${docker_image.${keyByName(platform, 'docker_image', 'team/api:1.4.2')}.image_id}`,
      `\${docker_network.${keyByName(platform, 'docker_network', 'back')}.name}`,
      `\${docker_network.${keyByName(platform, 'docker_network', 'front')}.name}`,
      `\${docker_volume.${keyByName(platform, 'docker_volume', 'cache-data')}.name}`,
    ].sort());
    expect(values.every((o) => o.sensitive === true)).toBe(true);
  });

  test('apps-stack containers are attached to the networks declared in the platform stack', () => {
    const containers = resources(apps, 'docker_container');
    const attached = (name: string) => containers[keyByName(apps, 'docker_container', name)].networks_advanced
      .map((n: any) => ({ network: exported(apps, platform, n.name), aliases: n.aliases }));
    const front = `\${docker_network.${keyByName(platform, 'docker_network', 'front')}.name}`;
    const back = `\${docker_network.${keyByName(platform, 'docker_network', 'back')}.name}`;
    expect(attached('web')).toEqual([{ network: front, aliases: ['web'] }]);
    expect(attached('api')).toEqual([{ network: front, aliases: ['api'] }, { network: back, aliases: ['api'] }]);
    expect(attached('cache')).toEqual([{ network: back, aliases: ['cache'] }]);
  });

  test('the cache mounts the platform volume by its exported name', () => {
    const cache = resources(apps, 'docker_container')[keyByName(apps, 'docker_container', 'cache')];
    expect(cache.volumes).toHaveLength(1);
    expect(cache.volumes[0]).toMatchObject({ container_path: '/data', read_only: false });
    expect(exported(apps, platform, cache.volumes[0].volume_name))
      .toBe(`\${docker_volume.${keyByName(platform, 'docker_volume', 'cache-data')}.name}`);
  });

  test('the api runs the platform-built image by its exported image id; pulled images live in the apps stack', () => {
    const containers = resources(apps, 'docker_container');
    const api = containers[keyByName(apps, 'docker_container', 'api')];
    expect(exported(apps, platform, api.image)).toBe(`\${docker_image.${keyByName(platform, 'docker_image', 'team/api:1.4.2')}.image_id}`);
    const built = resources(platform, 'docker_image')[keyByName(platform, 'docker_image', 'team/api:1.4.2')];
    expect(built.build.context).toBe(API_CONTEXT);

    for (const [service, reference] of [['web', 'nginx:1.27-alpine'], ['cache', 'redis:7.4-alpine']]) {
      const key = keyByName(apps, 'docker_image', reference);
      expect(containers[keyByName(apps, 'docker_container', service)].image).toBe(`\${docker_image.${key}.image_id}`);
      expect(resources(apps, 'docker_image')[key]).toMatchObject({ provider: 'docker', keep_locally: true });
    }
  });

  test('ordered start within the apps stack: web after api after cache', () => {
    const containers = resources(apps, 'docker_container');
    const key = (name: string) => keyByName(apps, 'docker_container', name);
    expect(containers[key('api')].depends_on).toEqual([`docker_container.${key('cache')}`]);
    expect(containers[key('web')].depends_on).toEqual([`docker_container.${key('api')}`]);
    expect(containers[key('cache')].wait).toBe(true);
  });

  test('each stack has its own state file', () => {
    expect(path.basename(apps.terraform.backend.local.path)).toBe('terraform.apps.tfstate');
    expect(path.basename(platform.terraform.backend.local.path)).toBe('terraform.platform.tfstate');
  });
});

describe('cross-stack composition: hosts', () => {
  test('a stack without a DockerHost uses the app\'s only host, with a provider of its own', () => {
    const app = Testing.app();
    const platform = new TerraformStack(app, 'platform');
    const host = new DockerHost(platform, 'host', { url: 'ssh://deploy@10.0.0.5', sshOptions: ['-o', 'StrictHostKeyChecking=yes'] });
    const apps = new TerraformStack(app, 'apps');
    expect(DockerHost.of(apps)).toBe(host);
    const web = new ServiceContainer(apps, 'web', { image: NGINX, networks: [new ServiceNetwork(platform, 'front')] });
    expect(web.host).toBe(host);
    expect(host.providerFor(apps)).not.toBe(host.provider);
    expect(host.providerFor(web)).toBe(host.providerFor(apps));
    const { stacks } = synthApp(app);
    expect(stacks.apps.provider.docker).toEqual([{ host: 'ssh://deploy@10.0.0.5', ssh_opts: ['-o', 'StrictHostKeyChecking=yes'] }]);
    expect(stacks.apps.provider.docker).toEqual(stacks.platform.provider.docker);
  });

  test('a stack without a DockerHost in an app with several hosts must name one', () => {
    const app = Testing.app();
    const a = new TerraformStack(app, 'a');
    const b = new TerraformStack(app, 'b');
    new DockerHost(a, 'host', { url: 'tcp://10.0.0.1:2376' });
    new DockerHost(b, 'host', { url: 'tcp://10.0.0.2:2376' });
    const apps = new TerraformStack(app, 'apps');
    expect(() => new ServiceContainer(apps, 'web', { image: NGINX }))
      .toThrow('apps/web: invalid host (missing): one of the hosts a/host, b/host: pass `host` explicitly when there are several');
  });

  test('stacks that target different hosts stay separate: own provider, no remote state, no dependency', () => {
    const app = Testing.app();
    for (const [id, url] of [['east', 'tcp://10.0.0.1:2376'], ['west', 'tcp://10.0.0.2:2376']]) {
      const stack = new TerraformStack(app, id);
      const host = new DockerHost(stack, 'host', { url });
      // The same names on two hosts do not clash.
      const net = new ServiceNetwork(stack, 'front');
      const data = new DataVolume(stack, 'data');
      const web = new ServiceContainer(stack, 'web', { image: NGINX, networks: [net], volumes: [{ volume: data, containerPath: '/data' }] });
      expect(web.host).toBe(host);
      expect(DockerHost.of(stack)).toBe(host);
    }
    const { manifest, stacks } = synthApp(app);
    expect(manifest.stacks.east.dependencies).toEqual([]);
    expect(manifest.stacks.west.dependencies).toEqual([]);
    expect(stacks.east.provider.docker).toEqual([{ host: 'tcp://10.0.0.1:2376' }]);
    expect(stacks.west.provider.docker).toEqual([{ host: 'tcp://10.0.0.2:2376' }]);
    for (const json of Object.values(stacks)) {
      expect(json.data).toBeUndefined();
      expect(json.output).toBeUndefined();
      expect(Object.values(resources(json, 'docker_container'))[0].networks_advanced[0].name).toMatch(/^\$\{docker_network\.[^.]+\.name\}$/);
    }
  });

  test('a container on one host cannot join a network of another host (in another stack)', () => {
    const app = Testing.app();
    const east = new TerraformStack(app, 'east');
    new DockerHost(east, 'host', { url: 'tcp://10.0.0.1:2376' });
    const eastNet = new ServiceNetwork(east, 'front');
    const west = new TerraformStack(app, 'west');
    new DockerHost(west, 'host', { url: 'tcp://10.0.0.2:2376' });
    const message = 'west/web: invalid networks[0] "east/front": a network on the container\'s host west/host (it is on east/host)';
    expect(() => new ServiceContainer(west, 'web', { image: NGINX, networks: [eastNet] })).toThrow(message);
    const web = new ServiceContainer(west, 'web2', { image: NGINX, networks: [new ServiceNetwork(west, 'front')] });
    expect(() => web.connect(eastNet)).toThrow(ValidationError);
    expect(() => web.connect(eastNet)).toThrow('west/web2: invalid networks[1] "east/front": a network on the container\'s host west/host (it is on east/host)');
  });

  test('the same holds when the container names the other host explicitly and the network lives in its own stack', () => {
    const app = Testing.app();
    const east = new TerraformStack(app, 'east');
    const eastHost = new DockerHost(east, 'host', { url: 'tcp://10.0.0.1:2376' });
    const west = new TerraformStack(app, 'west');
    new DockerHost(west, 'host', { url: 'tcp://10.0.0.2:2376' });
    const westNet = new ServiceNetwork(west, 'front');
    const apps = new TerraformStack(app, 'apps');
    expect(() => new ServiceContainer(apps, 'web', { host: eastHost, image: NGINX, networks: [westNet] }))
      .toThrow('apps/web: invalid networks[0] "west/front": a network on the container\'s host east/host (it is on west/host)');
  });

  test('volumes and built images of another host are rejected too', () => {
    const app = Testing.app();
    const east = new TerraformStack(app, 'east');
    new DockerHost(east, 'host', { url: 'tcp://10.0.0.1:2376' });
    const eastData = new DataVolume(east, 'data');
    const eastImage = new MinimalImage(east, 'api-image', { context: API_CONTEXT, name: 'team/api:1.4.2' });
    const west = new TerraformStack(app, 'west');
    new DockerHost(west, 'host', { url: 'tcp://10.0.0.2:2376' });
    const westNet = new ServiceNetwork(west, 'front');
    expect(() => new ServiceContainer(west, 'cache', { image: NGINX, networks: [westNet], volumes: [{ volume: eastData, containerPath: '/data' }] }))
      .toThrow('west/cache: invalid volumes[0].volume "east/data": a volume on the container\'s host west/host');
    expect(() => new ServiceContainer(west, 'api', { image: eastImage, networks: [westNet] }))
      .toThrow('west/api: invalid image "east/api-image": an image built on the container\'s host west/host (this one builds on east/host)');
  });

  test('two hosts of other stacks in one stack: a clear error while both would be the default provider, two providers once one has an alias', () => {
    const app = Testing.app();
    const a = new TerraformStack(app, 'a');
    const b = new TerraformStack(app, 'b');
    const hostA = new DockerHost(a, 'host', { url: 'tcp://10.0.0.1:2376' });
    const hostB = new DockerHost(b, 'host', { url: 'tcp://10.0.0.2:2376' });
    const apps = new TerraformStack(app, 'apps');
    new ServiceContainer(apps, 'svc-x', { host: hostA, image: NGINX, networks: [new ServiceNetwork(a, 'net')] });
    expect(() => new ServiceContainer(apps, 'svc-y', { host: hostB, image: NGINX, networks: [new ServiceNetwork(b, 'net')] }))
      .toThrow('apps/svc-y: invalid host "b/host": a host whose provider alias is free in stack apps: a/host already uses the default provider; give one of them an alias');

    const app2 = Testing.app();
    const a2 = new TerraformStack(app2, 'a');
    const b2 = new TerraformStack(app2, 'b');
    const hostA2 = new DockerHost(a2, 'host', { url: 'tcp://10.0.0.1:2376' });
    const hostB2 = new DockerHost(b2, 'host', { url: 'tcp://10.0.0.2:2376', alias: 'west' });
    const apps2 = new TerraformStack(app2, 'apps');
    new ServiceContainer(apps2, 'svc-x', { host: hostA2, image: NGINX, networks: [new ServiceNetwork(a2, 'net')] });
    new ServiceContainer(apps2, 'svc-y', { host: hostB2, image: NGINX, networks: [new ServiceNetwork(b2, 'net')] });
    const json = synthApp(app2).stacks.apps;
    expect(json.provider.docker).toEqual([{ host: 'tcp://10.0.0.1:2376' }, { alias: 'west', host: 'tcp://10.0.0.2:2376' }]);
    const byName = (n: string) => resources(json, 'docker_container')[keyByName(json, 'docker_container', n)];
    expect(byName('svc-x').provider).toBe('docker');
    expect(byName('svc-y').provider).toBe('docker.west');
    // One pulled image per host, each with its host's provider.
    expect(Object.values(resources(json, 'docker_image')).map((i: any) => i.provider).sort()).toEqual(['docker', 'docker.west']);
  });

  test('a stack\'s own default host after it already uses another stack\'s default host is a clear error', () => {
    const app = Testing.app();
    const platform = new TerraformStack(app, 'platform');
    new DockerHost(platform, 'host');
    const apps = new TerraformStack(app, 'apps');
    new ServiceContainer(apps, 'web', { image: NGINX, networks: [new ServiceNetwork(platform, 'front')] });
    expect(() => new DockerHost(apps, 'local'))
      .toThrow('apps/local: invalid alias (missing): an alias no other DockerHost with a provider in this stack uses (platform/host, of another stack, already has it here)');
  });

  test('a stack with its own default host cannot take another unaliased host without an alias', () => {
    const app = Testing.app();
    const platform = new TerraformStack(app, 'platform');
    const remote = new DockerHost(platform, 'host', { url: 'tcp://10.0.0.1:2376' });
    const apps = new TerraformStack(app, 'apps');
    new DockerHost(apps, 'host');
    expect(() => new ServiceContainer(apps, 'web', { host: remote, image: NGINX, networks: [new ServiceNetwork(platform, 'front')] }))
      .toThrow('apps/web: invalid host "platform/host": a host whose provider alias is free in stack apps: apps/host already uses the default provider; give one of them an alias');
  });
});

describe('cross-stack composition: references', () => {
  function twoStacks(): { app: App; platform: TerraformStack; apps: TerraformStack; front: ServiceNetwork } {
    const app = Testing.app();
    const platform = new TerraformStack(app, 'platform');
    new DockerHost(platform, 'host');
    const front = new ServiceNetwork(platform, 'front');
    const apps = new TerraformStack(app, 'apps');
    return { app, platform, apps, front };
  }

  test('dependsOn across stacks is rejected with a clear error (Terraform orders creation only within a stack)', () => {
    const { platform, apps, front } = twoStacks();
    const db = new ServiceContainer(platform, 'db', { image: NGINX, networks: [front] });
    expect(() => new ServiceContainer(apps, 'web', { image: NGINX, networks: [front], dependsOn: [db] }))
      .toThrow('apps/web: invalid dependsOn[0] "platform/db": a container of the same stack apps (Terraform orders creation only within one stack)');
    const web = new ServiceContainer(apps, 'web2', { image: NGINX, networks: [front] });
    expect(() => web.addDependency(db)).toThrow('apps/web2: invalid dependsOn[0] "platform/db": a container of the same stack apps');
    expect(web.dependencies).toEqual([]);
  });

  test('dependsOn across hosts is rejected', () => {
    const app = Testing.app();
    const east = new TerraformStack(app, 'east');
    new DockerHost(east, 'host', { url: 'tcp://10.0.0.1:2376' });
    const db = new ServiceContainer(east, 'db', { image: NGINX, networks: [new ServiceNetwork(east, 'back')] });
    const west = new TerraformStack(app, 'west');
    new DockerHost(west, 'host', { url: 'tcp://10.0.0.2:2376' });
    expect(() => new ServiceContainer(west, 'web', { image: NGINX, networks: [new ServiceNetwork(west, 'front')], dependsOn: [db] }))
      .toThrow('west/web: invalid dependsOn[0] "east/db": a container on the same host west/host');
  });

  test('names stay unique per host across stacks', () => {
    const { platform, apps, front } = twoStacks();
    new ServiceContainer(platform, 'web', { image: NGINX, networks: [front] });
    expect(() => new ServiceContainer(apps, 'web', { image: NGINX, networks: [front] }))
      .toThrow('apps/web: invalid serviceName "web": a container name not used by another construct on host platform/host (platform/web already uses it)');
    expect(() => new ServiceNetwork(apps, 'front')).toThrow('platform/front already uses it');
  });

  test('ContainerImage.fromRegistry declares the pulled image in the container\'s stack, once per stack', () => {
    const { app, platform, apps, front } = twoStacks();
    new ServiceContainer(platform, 'svc-a', { image: NGINX, networks: [front] });
    new ServiceContainer(apps, 'svc-b', { image: NGINX, networks: [front] });
    new ServiceContainer(apps, 'svc-c', { image: NGINX, networks: [front] });
    const { stacks } = synthApp(app);
    for (const json of [stacks.platform, stacks.apps]) {
      const images = Object.entries(resources(json, 'docker_image'));
      expect(images).toHaveLength(1);
      const [key, image] = images[0];
      expect(image).toMatchObject({ name: 'nginx:1.27-alpine', provider: 'docker' });
      for (const c of Object.values(resources(json, 'docker_container'))) expect(c.image).toBe(`\${docker_image.${key}.image_id}`);
    }
    // Only the network crosses: one output, one remote state.
    expect(Object.keys(stacks.platform.output)).toHaveLength(1);
    expect(Object.keys(stacks.apps.data.terraform_remote_state)).toEqual([REMOTE]);
  });

  test('a network connected after construction crosses the stacks too', () => {
    const { app, apps, platform } = twoStacks();
    const back = new ServiceNetwork(platform, 'back', { internal: true });
    const front = platform.node.findChild('front') as ServiceNetwork;
    const web = new ServiceContainer(apps, 'web', { image: NGINX, networks: [front] });
    web.connect(back, ['web-backend']);
    const { stacks } = synthApp(app);
    const container = Object.values(resources(stacks.apps, 'docker_container'))[0];
    expect(container.networks_advanced.map((n: any) => exported(stacks.apps, stacks.platform, n.name))).toEqual([
      `\${docker_network.${keyByName(stacks.platform, 'docker_network', 'front')}.name}`,
      `\${docker_network.${keyByName(stacks.platform, 'docker_network', 'back')}.name}`,
    ]);
    expect(container.networks_advanced[1].aliases).toEqual(['web', 'web-backend']);
  });
});
