/**
 * A compose file of our own (test/fixtures/compose/e2e) deployed through `ComposeProject` with the
 * real `cdktf deploy`: built images with health checks, a healthy-ordered start
 * (`depends_on: condition: service_healthy`), a named volume, a file secret, an internal network
 * and a port published on 127.0.0.1 only; then a zero-change re-plan and a clean destroy.
 */
import * as fs from 'fs';
import * as path from 'path';
import {
  ROOT, StackDir, cdktf, cdktfProject, containerEvents, describeEachProvider, docker, httpGet, inspect, objects, removeObjects, tempDir, waitHealthy,
} from './harness';

const PROJECT = 'compose-e2e';
const WEB = `${PROJECT}-web-1`;
const STORE = `${PROJECT}-store-1`;
const PORT = 18480;

describeEachProvider('compose project', (version) => {
  const work = tempDir('compose');
  const composeDir = path.join(work, 'app');
  const env = { E2E_PROVIDER_VERSION: version, E2E_COMPOSE_FILE: path.join(composeDir, 'compose.yaml') };
  const stackDir = new StackDir(path.join(work, 'cdktf.out', 'stacks', PROJECT), env);

  beforeAll(() => {
    fs.cpSync(path.join(ROOT, 'test', 'fixtures', 'compose', 'e2e'), composeDir, { recursive: true });
    cdktfProject(work, 'compose-app');
    removeObjects(PROJECT);
  });

  afterAll(() => {
    if (fs.existsSync(path.join(stackDir.dir, 'terraform.tfstate'))) {
      try { stackDir.destroy(); } catch { /* reported by the destroy test */ }
    }
  });

  test('cdktf deploy brings store up healthy before web is created, then web healthy', async () => {
    const t0 = Date.now();
    cdktf(work, ['deploy', PROJECT, '--auto-approve', '--skip-provider-lock'], env);
    console.log(`[e2e] compose project ${version}: cdktf deploy took ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    await waitHealthy([STORE, WEB]);
    const events = containerEvents(t0);
    const at = (name: string, status: string) => events.find((e) => e.name === name && e.status === status)?.timeNano ?? NaN;
    expect(at(WEB, 'create')).toBeGreaterThan(at(STORE, 'health_status: healthy'));
  });

  test('web answers on 127.0.0.1 only, and reaches the store by its name and its alias over the internal network', async () => {
    expect(inspect(WEB).HostConfig.PortBindings['8080/tcp']).toEqual([{ HostIp: '127.0.0.1', HostPort: String(PORT) }]);
    expect(await httpGet(`http://127.0.0.1:${PORT}/`)).toMatchObject({ status: 200 });
    expect(docker(['exec', WEB, 'wget', '-q', '-O-', 'http://store:8081/'])).toContain('stored');
    expect(docker(['exec', WEB, 'wget', '-q', '-O-', 'http://storage:8081/'])).toContain('stored');
    expect(inspect(`${PROJECT}_back`).Internal).toBe(true);
    expect(inspect(`${PROJECT}_front`).Internal).toBe(false);
    expect(Object.keys(inspect(STORE).NetworkSettings.Networks).sort()).toEqual([`${PROJECT}_back`]);
    expect(Object.keys(inspect(WEB).NetworkSettings.Networks).sort()).toEqual([`${PROJECT}_back`, `${PROJECT}_front`]);
  });

  test('the secret is a read-only file at /run/secrets/<name>; the named volume holds the data', () => {
    const store = inspect(STORE);
    const secret = (store.Mounts as any[]).find((m) => m.Destination === '/run/secrets/store-token');
    expect(secret).toMatchObject({ Type: 'bind', RW: false });
    expect(docker(['exec', STORE, 'cat', '/run/secrets/store-token']).trim().length).toBeGreaterThan(0);
    const data = (store.Mounts as any[]).find((m) => m.Destination === '/data');
    expect(data).toMatchObject({ Type: 'volume', Name: `${PROJECT}_store-data`, RW: true });
    expect(docker(['exec', STORE, 'cat', '/data/index.html']).trim()).toBe('stored');
  });

  test.each([WEB, STORE])('%s runs with the library defaults and the compose limits', (name) => {
    const h = inspect(name).HostConfig;
    expect(h.CapDrop).toEqual(['ALL']);
    expect(h.SecurityOpt).toEqual(['no-new-privileges:true']);
    expect(h.ReadonlyRootfs).toBe(true);
    expect(h.Memory).toBe(32 * 1024 * 1024);
    expect(h.MemorySwap).toBe(h.Memory);
    expect(h.Init).toBe(true);
    expect(h.LogConfig).toEqual({ Type: 'json-file', Config: { 'max-file': '3', 'max-size': '10m' } });
    expect(Object.keys(inspect(name).NetworkSettings.Networks)).not.toContain('bridge');
  });

  test('a re-plan right after the deploy shows no change', () => {
    const plan = stackDir.plan();
    expect({ code: plan.code, text: plan.code === 0 ? '' : plan.text }).toEqual({ code: 0, text: '' });
  });

  test('cdktf destroy leaves no container or network of the project', () => {
    cdktf(work, ['destroy', PROJECT, '--auto-approve', '--skip-provider-lock'], env);
    expect(objects('container', PROJECT)).toEqual([]);
    expect(objects('network', PROJECT)).toEqual([]);
    expect(objects('volume', PROJECT)).toEqual([]);
  });
});
