/**
 * The reference app deployed with the real `cdktf deploy` to the main engine, inspected,
 * re-planned, rebuilt after a one-byte change of its build context, and destroyed.
 */
import * as fs from 'fs';
import * as path from 'path';
import {
  BUSYBOX, REGISTRY, ROOT, StackDir, cdktf, cdktfProject, containerEvents, describeEachProvider, docker, removeImages, filesContaining, httpGet, inspect, objects, registryTags, run,
  tempDir, unique, waitHealthy,
} from './harness';

const SERVICES = ['cache', 'api', 'web'];
const WEB_PORT = 18080;

describeEachProvider('reference app', (version) => {
  const work = tempDir('reference');
  const context = path.join(work, 'api');
  const password = unique('registry-password');
  const env = {
    E2E_PROVIDER_VERSION: version,
    E2E_API_CONTEXT: context,
    E2E_WEB_PORT: String(WEB_PORT),
    // The local registry takes any login; the password is random so that a leak can be searched for.
    TF_VAR_REGISTRY_USER: 'e2e',
    TF_VAR_REGISTRY_PASSWORD: password,
  };
  const stackDir = new StackDir(path.join(work, 'cdktf.out', 'stacks', 'reference-app'), env);

  beforeAll(() => {
    fs.cpSync(path.join(ROOT, 'examples', 'reference-app', 'api'), context, { recursive: true });
    cdktfProject(work, 'reference-app');
    // Nothing of an earlier, interrupted run may stand in the way.
    for (const name of SERVICES) docker(['rm', '-f', name], undefined, [0, 1]);
  });

  afterAll(() => {
    // Leave nothing behind, whatever failed: also the local tags destroy leaves (see the destroy test).
    if (fs.existsSync(path.join(stackDir.dir, 'terraform.tfstate'))) {
      try { stackDir.destroy(); } catch { /* reported by the destroy test */ }
    }
    removeImages('localhost:5000/team/api');
  });

  test('cdktf deploy (offline: --skip-provider-lock) brings every service up, healthy, in order', async () => {
    const t0 = Date.now();
    cdktf(work, ['deploy', 'reference-app', '--auto-approve', '--skip-provider-lock'], env);
    console.log(`[e2e] reference app ${version}: cdktf deploy took ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    await waitHealthy(SERVICES);
    // Ordered start, as the engine's events tell it: each service started only after its dependency was healthy.
    const events = containerEvents(t0);
    const at = (name: string, status: string) => events.find((e) => e.name === name && e.status === status)?.timeNano ?? NaN;
    expect(at('api', 'start')).toBeGreaterThan(at('cache', 'health_status: healthy'));
    expect(at('web', 'start')).toBeGreaterThan(at('api', 'health_status: healthy'));
  });

  test.each(SERVICES)('%s carries every default of the defaults table, as docker inspect shows', (name) => {
    const c = inspect(name);
    const h = c.HostConfig;
    expect(c.State.Running).toBe(true);
    expect(h.CapDrop).toEqual(['ALL']);
    expect(h.SecurityOpt).toEqual(['no-new-privileges:true']);
    expect(h.ReadonlyRootfs).toBe(true);
    expect(h.Tmpfs['/tmp']).toBe('rw,noexec,nosuid,size=64m');
    expect(h.Memory).toBe((name === 'cache' ? 256 : 512) * 1024 * 1024);
    expect(h.MemorySwap).toBe(h.Memory); // swap off
    expect(h.RestartPolicy.Name).toBe('unless-stopped');
    expect(h.Init).toBe(true);
    expect(h.LogConfig).toEqual({ Type: 'json-file', Config: { 'max-file': '3', 'max-size': '10m' } });
    expect(h.Privileged).toBe(false);
    expect(c.Config.StopTimeout).toBe(10);
    const nets = c.NetworkSettings.Networks;
    expect(Object.keys(nets)).not.toContain('bridge'); // never on Docker's default bridge
    expect(Object.keys(nets).sort()).toEqual(name === 'api' ? ['back', 'front'] : name === 'web' ? ['front'] : ['back']);
    for (const n of Object.values(nets) as any[]) expect(n.Aliases).toContain(name);
    expect(c.Config.Healthcheck.Test.length).toBeGreaterThan(1);
  });

  test('the internal network is internal; the api reaches the cache by its service name, the web cannot', () => {
    expect(inspect('back').Internal).toBe(true);
    expect(inspect('back').IPAM.Config[0]).toMatchObject({ Subnet: '10.20.0.0/24', Gateway: '10.20.0.1' });
    expect(inspect('front').Internal).toBe(false);
    expect(docker(['exec', 'api', 'wget', '-q', '-O-', 'http://cache:6379/'])).toContain('busybox');
    const fromWeb = run('docker', ['exec', 'web', 'nc', '-w', '2', 'cache', '6379', '-e', 'true'], { allow: [0, 1] });
    expect(fromWeb.status).toBe(1); // web is not on the back network: the name does not resolve there
  });

  test('the published port answers on the host, from the web container', async () => {
    const r = await httpGet(`http://127.0.0.1:${WEB_PORT}/`);
    expect(r).toMatchObject({ status: 200 });
    expect(inspect('web').HostConfig.PortBindings['8080/tcp']).toEqual([{ HostIp: '0.0.0.0', HostPort: String(WEB_PORT) }]);
  });

  test('the api image was pushed to the default plain-HTTP registry; the password is in no file and not in state', async () => {
    expect(REGISTRY).toBe('127.0.0.1:5000'); // the registry behind the app's default http://localhost:5000
    const catalog = (await (await fetch(`http://${REGISTRY}/v2/_catalog`)).json()) as { repositories: string[] };
    expect(catalog.repositories).toContain('team/api');
    expect(await registryTags('team/api')).toContain('1.4.2');
    expect(filesContaining(work, password)).toEqual([]);
    expect(stackDir.stateText()).not.toContain(password);
  });

  test('a re-plan right after the deploy shows no change', () => {
    const plan = stackDir.plan();
    expect({ code: plan.code, text: plan.code === 0 ? '' : plan.text }).toEqual({ code: 0, text: '' });
  });

  test('one changed byte in the build context rebuilds, re-tags, re-pushes and replaces only the api container', async () => {
    const before = inspect('api').Id;
    const others = { cache: inspect('cache').Id, web: inspect('web').Id };
    const file = path.join(context, 'www', 'index.json');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/.$/s, (c) => (c === '\n' ? ' \n' : `${c} `)));
    cdktf(work, ['synth'], env);
    const changes = stackDir.planChanges();
    const kinds = changes.map((c) => `${c.address.split('.')[0]} ${c.actions.join('+')}`).sort();
    expect(kinds).toEqual([
      'docker_container delete+create',
      'docker_image delete+create',
      'docker_registry_image delete+create',
      'docker_tag delete+create',
    ]);
    expect(changes.find((c) => c.address.startsWith('docker_container'))?.address).toMatch(/^docker_container\.api_/);
    expect(changes.find((c) => c.address.startsWith('docker_image'))?.address).toMatch(/^docker_image\.api-image_/);
    cdktf(work, ['deploy', 'reference-app', '--auto-approve', '--skip-provider-lock'], env);
    await waitHealthy(SERVICES);
    expect(inspect('api').Id).not.toBe(before);
    expect({ cache: inspect('cache').Id, web: inspect('web').Id }).toEqual(others);
    expect(stackDir.plan().code).toBe(0);
  });

  test('cdktf destroy leaves no container, network or volume, and keeps the pushed tag', async () => {
    cdktf(work, ['destroy', 'reference-app', '--auto-approve', '--skip-provider-lock'], env);
    for (const name of SERVICES) expect(objects('container', name)).not.toContain(name);
    expect(objects('network', '').filter((n) => ['front', 'back'].includes(n))).toEqual([]);
    expect(objects('volume', 'cache-data')).toEqual([]);
    expect(await registryTags('team/api')).toContain('1.4.2');
    // The built image's name goes with the stack (keepLocally false); the local tag the push made
    // stays, with the image under it: the provider's docker_tag removes nothing on destroy (README: Deploy).
    expect(docker(['images', '-q', 'team/api:1.4.2'])).toBe('');
    expect(docker(['images', '-q', 'localhost:5000/team/api:1.4.2'])).not.toBe('');
    // The pulled base image is kept (keepLocally true by default): other stacks use it.
    expect(docker(['images', '-q', BUSYBOX])).not.toBe('');
  });
});
