/**
 * The drift matrix (e2e/apps/drift-matrix.ts) deployed with Terraform in each stack folder:
 * every stack re-plans with no change right after the deploy and again after a restart of the
 * Docker daemon; then destroy leaves nothing but the pushed tags that are meant to stay.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdktf';
import { CONTAINERS, PORTS, PUSHES, driftMatrix, stackFolder } from '../apps/drift-matrix';
import {
  BUSYBOX, REGISTRY, ROOT, StackDir, describeEachProvider, docker, httpGet, inspect, objects, registryTags, removeImages, removeObjects, restartEngine, run, tempDir,
  unique, waitHealthy,
} from './harness';

const ALL = Object.values(CONTAINERS).flat();
const HEALTHY_AFTER_RESTART = ALL.filter((n) => n !== 'dm-once');

/** The plan text when it is not empty, for a readable failure. */
function noChange(dir: StackDir): { code: number; text: string } {
  const plan = dir.plan();
  return { code: plan.code, text: plan.code === 0 ? '' : plan.text.split('\n').filter((l) => /[~+-] |# /.test(l)).join('\n') };
}

describeEachProvider('drift matrix', (version) => {
  const work = tempDir('drift');
  const token = unique('api-token');
  const dirs: Record<string, StackDir> = {};
  let digest = '';

  beforeAll(() => {
    // The busybox image by digest: pushed to the local registry, so that it has a repository digest.
    const repo = `${REGISTRY}/e2e/dm-busybox`;
    docker(['tag', BUSYBOX, `${repo}:1.35`]);
    docker(['push', `${repo}:1.35`]);
    digest = docker(['inspect', '--format', '{{range .RepoDigests}}{{println .}}{{end}}', `${repo}:1.35`])
      .split('\n').find((d) => d.startsWith(`${repo}@`)) as string;
    expect(digest).toMatch(/@sha256:[0-9a-f]{64}$/);

    const configDir = path.join(work, 'config');
    const outputDir = path.join(work, 'out');
    fs.mkdirSync(configDir);
    fs.mkdirSync(outputDir);
    fs.writeFileSync(path.join(configDir, 'app.conf'), 'mode=drift\n');
    fs.chmodSync(outputDir, 0o777);
    const context = path.join(work, 'context');
    fs.cpSync(path.join(ROOT, 'e2e', 'fixtures', 'multistage'), context, { recursive: true });

    removeObjects('dm-');
    const app = new App({ outdir: path.join(work, 'cdktf.out') });
    const stacks = driftMatrix(app, {
      providerVersion: version, busybox: BUSYBOX, busyboxByDigest: digest, registry: REGISTRY, configDir, outputDir, context,
    });
    app.synth();
    for (const s of stacks) dirs[s.node.id] = new StackDir(stackFolder(app.outdir, s), { TF_VAR_dm_api_token: token });
  });

  afterAll(() => {
    for (const d of Object.values(dirs)) {
      if (fs.existsSync(path.join(d.dir, 'terraform.tfstate'))) {
        try { d.destroy(); } catch { /* reported by the destroy test */ }
      }
    }
    // The local tags the pushes made (destroy leaves them; see the destroy test).
    for (const p of Object.values(PUSHES)) removeImages(`${REGISTRY}/${p.repository}`);
    removeImages(`${REGISTRY}/e2e/dm-busybox`);
  });

  test('every stack deploys; every container runs and is healthy', async () => {
    for (const [id, d] of Object.entries(dirs)) {
      const t0 = Date.now();
      d.init();
      d.apply();
      console.log(`[e2e] drift matrix ${version}: ${id} deployed in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    }
    await waitHealthy(ALL);
  });

  test('each rendered prop arrived at the engine', async () => {
    const web = inspect('dm-web');
    expect(web.Config.User).toBe('65534:65534');
    expect(web.Config.WorkingDir).toBe('/srv/www');
    expect(web.Config.Env).toEqual(expect.arrayContaining(['GREETING=drift', 'EMPTY=', `API_TOKEN=${token}`]));
    expect(web.Config.Labels).toMatchObject({ 'e2e.role': 'web', 'e2e.owner': 'drift-matrix' });
    expect(web.Config.StopTimeout).toBe(3);
    expect(web.HostConfig.NanoCpus).toBe(0.5e9);
    expect(web.HostConfig.Memory).toBe(64 * 1024 * 1024);
    expect(web.HostConfig.MemorySwap).toBe(64 * 1024 * 1024);
    expect(Object.keys(web.NetworkSettings.Networks).sort()).toEqual(['dm-back', 'dm-front', 'dm-plain']);
    expect(web.HostConfig.PortBindings).toEqual({
      '8080/tcp': [{ HostIp: '127.0.0.1', HostPort: String(PORTS.local) }],
      '9000/udp': [{ HostIp: '127.0.0.1', HostPort: String(PORTS.udp) }],
    });
    expect(inspect('dm-always').HostConfig.PortBindings).toEqual({ '8080/tcp': [{ HostIp: '0.0.0.0', HostPort: String(PORTS.public) }] });
    expect(inspect('dm-edge').HostConfig.PortBindings).toEqual({ '8080/tcp': [{ HostIp: '127.0.0.2', HostPort: String(PORTS.onInterface) }] });
    expect(web.Config.Healthcheck).toMatchObject({ Test: ['CMD', 'wget', '-q', '-O', '/dev/null', 'http://127.0.0.1:8080/health'], Interval: 2e9, Retries: 5 });
    expect(docker(['exec', 'dm-web', 'cat', '/srv/www/index.html'])).toBe('drift from the build stage');

    const cache = inspect('dm-cache');
    // The container runs the image the digest names (containers bind to the image id).
    expect(cache.Image).toBe(docker(['image', 'inspect', '--format', '{{.Id}}', digest]));
    expect(cache.HostConfig.RestartPolicy).toEqual({ Name: 'on-failure', MaximumRetryCount: 3 });
    expect(cache.HostConfig).toMatchObject({ CapDrop: ['ALL'], CapAdd: ['CAP_CHOWN', 'CAP_NET_BIND_SERVICE'] });
    expect(cache.HostConfig.Tmpfs).toEqual({ '/tmp': 'rw,noexec,nosuid,size=16m', '/var/run/app': 'rw,nosuid,size=16m' });
    expect(cache.Mounts.map((m: any) => [m.Name, m.Destination, m.RW]).sort()).toEqual([['dm-data', '/data', true], ['dm-scratch', '/scratch', false]]);
    expect(cache.Config.Healthcheck.Test).toEqual(['CMD', 'nc', '-w', '2', '127.0.0.1', '7000', '-e', 'true']);

    const worker = inspect('dm-worker');
    expect(worker.Config.Entrypoint).toEqual(['/bin/sh', '-c']);
    expect(worker.HostConfig.Init).toBe(false);
    expect(worker.Mounts.filter((m: any) => m.Type === 'bind').map((m: any) => [m.Destination, m.RW]).sort()).toEqual([['/config', false], ['/out', true]]);
    expect(fs.readFileSync(path.join(work, 'out', 'worker.log'), 'utf8')).toBe('started\n');

    const always = inspect('dm-always');
    expect(always.HostConfig).toMatchObject({ RestartPolicy: { Name: 'always' }, ReadonlyRootfs: false, CapAdd: ['CAP_NET_BIND_SERVICE'] });
    expect(always.HostConfig.CapDrop ?? []).toEqual([]);
    expect(always.HostConfig.SecurityOpt ?? []).toEqual([]);
    expect(always.HostConfig.LogConfig.Config).toEqual({ 'max-file': '2', 'max-size': '1m' });
    expect(inspect('dm-once').HostConfig.RestartPolicy.Name).toBe('no');

    expect(inspect('dm-back')).toMatchObject({ Internal: true, Labels: { 'e2e.tier': 'back' }, IPAM: { Config: [{ Subnet: '10.231.0.0/24', Gateway: '10.231.0.1', IPRange: '10.231.0.128/25' }] } });
    expect(inspect('dm-front')).toMatchObject({ Attachable: true, Internal: false, Labels: { 'e2e.tier': 'front' } });
    expect(inspect('dm-plain').IPAM.Config).toEqual([{ Subnet: '10.232.0.0/24', Gateway: '10.232.0.1' }]);
    expect(inspect('dm-scratch')).toMatchObject({ Driver: 'local', Options: { type: 'tmpfs', device: 'tmpfs', o: 'size=16m' }, Labels: { 'e2e.kind': 'scratch' } });
    expect(inspect('dm-data').Labels).toEqual({ 'e2e.kind': 'data' });
    expect(await registryTags(PUSHES.kept.repository)).toEqual(PUSHES.kept.tags);
    expect(await registryTags(PUSHES.removed.repository)).toEqual(PUSHES.removed.tags);
  });

  test('each published port answers on its declared interface only', async () => {
    const get = (ip: string, port: number) => httpGet(`http://${ip}:${port}/${port === PORTS.local ? 'health' : ''}`);
    expect(await get('127.0.0.1', PORTS.local)).toMatchObject({ status: 200 });
    expect(await get('127.0.0.2', PORTS.local)).toMatchObject({ error: 'ECONNREFUSED' });
    expect(await get('127.0.0.2', PORTS.onInterface)).toMatchObject({ status: 200 });
    expect(await get('127.0.0.1', PORTS.onInterface)).toMatchObject({ error: 'ECONNREFUSED' });
    expect(await get('127.0.0.1', PORTS.public)).toMatchObject({ status: 200 });
    expect(await get('127.0.0.2', PORTS.public)).toMatchObject({ status: 200 });
  });

  test('containers reach each other by service name on a shared network only', () => {
    expect(run('docker', ['exec', 'dm-worker', 'nc', '-w', '2', 'dm-cache', '7000', '-e', 'true'], { allow: [0, 1] }).status).toBe(0);
    // dm-always is only on dm-plain; dm-cache only on dm-back.
    expect(run('docker', ['exec', 'dm-always', 'nc', '-w', '2', 'dm-cache', '7000', '-e', 'true'], { allow: [0, 1] }).status).toBe(1);
  });

  test('every stack re-plans with no change right after the deploy', () => {
    for (const [id, d] of Object.entries(dirs)) expect({ id, ...noChange(d) }).toEqual({ id, code: 0, text: '' });
  });

  test('after a restart of the Docker daemon every restarting container is back and healthy, and no stack plans a change but the one with restart "no"', async () => {
    const seconds = restartEngine('main');
    const waited = await waitHealthy(HEALTHY_AFTER_RESTART);
    console.log(`[e2e] drift matrix ${version}: daemon restart ${seconds.toFixed(1)} s, containers healthy ${(waited / 1000).toFixed(1)} s later`);
    expect(noChange(dirs['drift-edge'])).toEqual({ code: 0, text: '' });
    // Restart policy "no" means what it says: the container stays stopped, and must_run makes the
    // next plan start it again, in place (the README's limits say so).
    expect(inspect('dm-once').State.Running).toBe(false);
    const changes = dirs['drift-main'].planChanges();
    expect(changes.map((c) => `${c.address.replace(/_[0-9A-F]{8}$/, '')} ${c.actions.join('+')}`)).toEqual(['docker_container.once update']);
    dirs['drift-main'].apply();
    await waitHealthy(ALL);
    for (const [id, d] of Object.entries(dirs)) expect({ id, ...noChange(d) }).toEqual({ id, code: 0, text: '' });
  });

  test('destroy leaves no container, network or volume, keeps the pushed tags, removes those with keepRemotely false', async () => {
    for (const d of Object.values(dirs).reverse()) d.destroy();
    expect(objects('container', 'dm-')).toEqual([]);
    expect(objects('network', 'dm-')).toEqual([]);
    expect(objects('volume', 'dm-')).toEqual([]);
    expect(await registryTags(PUSHES.kept.repository)).toEqual(PUSHES.kept.tags);
    expect(await registryTags(PUSHES.removed.repository)).toEqual([]);
    // What destroy leaves on the host, as the README says: the local tags of the pushes (the provider's
    // docker_tag removes nothing) and the pulled images (keepLocally true by default).
    expect(docker(['images', '--format', '{{.Repository}}:{{.Tag}}', `${REGISTRY}/${PUSHES.kept.repository}`]).split('\n').sort())
      .toEqual(PUSHES.kept.tags.map((t) => `${REGISTRY}/${PUSHES.kept.repository}:${t}`));
    expect(docker(['images', '-q', 'e2e/dm-web:1.0.0'])).toBe('');
  });
});
