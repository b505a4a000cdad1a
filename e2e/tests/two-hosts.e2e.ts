/**
 * One app, two Docker engines: the main one on its unix socket and the second one that
 * e2e/setup.sh runs behind tcp://127.0.0.1:2376 with TLS (client certificate required); a third
 * host reaches the main engine over ssh:// (setup's sshd on loopback, key only, host key checked).
 * Each container lands on its own engine; the re-plan is empty; destroy cleans both.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, TerraformStack } from 'cdktf';
import { ContainerImage, DockerHost, Healthcheck, ServiceContainer, ServiceNetwork } from '../../lib';
import { BUSYBOX, ENGINE2, MAIN, StackDir, describeEachProvider, docker, inspect, objects, run, tempDir, waitHealthy } from './harness';

describeEachProvider('two Docker engines in one app (unix socket, tcp+TLS, ssh)', (version) => {
  const work = tempDir('two-hosts');
  let dir: StackDir;
  const engine2Url = process.env.E2E_ENGINE2_HOST ?? 'tcp://127.0.0.1:2376';
  const certPath = process.env.E2E_ENGINE2_CERT_PATH ?? '';
  const sshUrl = process.env.E2E_SSH_HOST ?? 'ssh://root@127.0.0.1:2222';
  const sshConfig = process.env.E2E_SSH_CONFIG ?? '';

  beforeAll(() => {
    for (const [name, engine] of [['th-local', MAIN], ['th-ssh', MAIN], ['th-remote', ENGINE2]] as const) docker(['rm', '-f', name], engine, [0, 1]);
    const app = new App({ outdir: path.join(work, 'cdktf.out') });
    const stack = new TerraformStack(app, 'two-hosts');
    const local = new DockerHost(stack, 'local', { providerVersion: version });
    const remote = new DockerHost(stack, 'remote', { url: engine2Url, tls: { certPath }, alias: 'engine2', providerVersion: version });
    const overSsh = new DockerHost(stack, 'over-ssh', { url: sshUrl, sshOptions: ['-F', sshConfig], alias: 'ssh', providerVersion: version });
    const fast = { intervalSeconds: 2, startPeriodSeconds: 20 };
    for (const [host, name] of [[local, 'th-local'], [remote, 'th-remote'], [overSsh, 'th-ssh']] as const) {
      const net = new ServiceNetwork(stack, `${name}-net`, { host, networkName: `${name}-net` });
      new ServiceContainer(stack, name, {
        host, image: ContainerImage.fromRegistry(BUSYBOX), command: ['httpd', '-f', '-p', '8080', '-h', '/var/www'],
        networks: [net], healthcheck: Healthcheck.http(8080, '/', fast),
      });
    }
    app.synth();
    dir = new StackDir(path.join(app.outdir, 'stacks', 'two-hosts'));
  });

  afterAll(() => {
    if (dir && fs.existsSync(path.join(dir.dir, 'terraform.tfstate'))) {
      try { dir.destroy(); } catch { /* reported by the destroy test */ }
    }
  });

  test('the TLS endpoint refuses a client without a certificate', () => {
    const r = run('docker', ['-H', engine2Url, 'info'], { allow: [0, 1] });
    expect(r.status).toBe(1);
    expect(fs.readdirSync(certPath).sort()).toEqual(['ca.pem', 'cert.pem', 'key.pem']);
  });

  test('the key material is not in the synthesized JSON: only the folder is', () => {
    const json = fs.readFileSync(path.join(dir.dir, 'cdk.tf.json'), 'utf8');
    expect(JSON.parse(json).provider.docker).toEqual([
      { host: 'unix:///var/run/docker.sock' },
      { alias: 'engine2', host: engine2Url, cert_path: certPath },
      { alias: 'ssh', host: sshUrl, ssh_opts: ['-F', sshConfig] },
    ]);
    expect(json).not.toContain('PRIVATE KEY');
  });

  test('deploy puts each container on its own engine, healthy', async () => {
    dir.init();
    dir.apply();
    await waitHealthy(['th-local', 'th-ssh'], MAIN);
    await waitHealthy(['th-remote'], ENGINE2);
    expect(objects('container', 'th-', MAIN).sort()).toEqual(['th-local', 'th-ssh']);
    expect(objects('container', 'th-', ENGINE2)).toEqual(['th-remote']);
    expect(objects('network', 'th-', MAIN).sort()).toEqual(['th-local-net', 'th-ssh-net']);
    expect(objects('network', 'th-', ENGINE2)).toEqual(['th-remote-net']);
    expect(inspect('th-remote', ENGINE2).HostConfig.CapDrop).toEqual(['ALL']);
  });

  test('the re-plan shows no change', () => {
    const plan = dir.plan();
    expect({ code: plan.code, text: plan.code === 0 ? '' : plan.text }).toEqual({ code: 0, text: '' });
  });

  test('destroy leaves nothing on either engine', () => {
    dir.destroy();
    for (const engine of [MAIN, ENGINE2]) {
      expect(objects('container', 'th-', engine)).toEqual([]);
      expect(objects('network', 'th-', engine)).toEqual([]);
    }
  });
});
