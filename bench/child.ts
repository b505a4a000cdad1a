/**
 * One measured process: `node child.js <lib|raw|networks> <N> <outdir>`.
 *
 * Loads its modules first (timed as load cost), then constructs the benchmark stack with the
 * library or with the raw provider classes and synthesizes it to `outdir` (timed as synth cost).
 * Prints one JSON line: { mode, n, loadMs, constructMs, synthMs, totalMs, cpuMs, sinceStartMs, maxRssKb }
 * (totalMs = construct + synth wall time; cpuMs = user + system CPU time of the same span).
 *
 * `networks` is the linearity check of the per-host duplicate and overlap detection: N
 * ServiceNetworks with distinct subnets (no containers); its time is construct + synth as well.
 *
 * Runs compiled (the runner transpiles bench/ and lib/ into bench/.out/build), so neither side
 * pays for TypeScript compilation.
 */
import { performance } from 'perf_hooks';
import type * as Cdktf from 'cdktf';
import type * as Lib from '../lib';
import type * as ProviderMod from '@cdktf/provider-docker/lib/provider';
import type * as NetworkMod from '@cdktf/provider-docker/lib/network';
import type * as ImageMod from '@cdktf/provider-docker/lib/image';
import type * as ContainerMod from '@cdktf/provider-docker/lib/container';
import { IMAGE_REFS, NETWORK_NAME, STACK_ID, serviceSpec } from './spec';


type Build = (n: number, outdir: string) => Cdktf.App;

function loadLib(): Build {
  const cdktf = require('cdktf') as typeof Cdktf;
  const lib = require('../lib') as typeof Lib;
  return (n, outdir) => {
    const app = new cdktf.App({ outdir });
    const stack = new cdktf.TerraformStack(app, STACK_ID);
    new lib.DockerHost(stack, 'host');
    const network = new lib.ServiceNetwork(stack, NETWORK_NAME);
    const services: Lib.ServiceContainer[] = [];
    for (let i = 0; i < n; i++) {
      const s = serviceSpec(i);
      services.push(new lib.ServiceContainer(stack, s.name, {
        image: lib.ContainerImage.fromRegistry(IMAGE_REFS[s.image]),
        networks: [network],
        environment: s.environment,
        ports: s.port ? [lib.PortMapping.local(s.port.hostPort, s.port.containerPort)] : undefined,
        healthcheck: s.healthPort !== undefined ? lib.Healthcheck.http(s.healthPort, '/health') : undefined,
        writablePaths: s.writablePaths,
        memoryMiB: s.memoryMiB,
        dependsOn: s.dependsOn.map((d) => services[d]),
      }));
    }
    return app;
  };
}

function loadRaw(): Build {
  const cdktf = require('cdktf') as typeof Cdktf;
  const { DockerProvider } = require('@cdktf/provider-docker/lib/provider') as typeof ProviderMod;
  const { Network } = require('@cdktf/provider-docker/lib/network') as typeof NetworkMod;
  const { Image } = require('@cdktf/provider-docker/lib/image') as typeof ImageMod;
  const { Container } = require('@cdktf/provider-docker/lib/container') as typeof ContainerMod;
  return (n, outdir) => {
    const app = new cdktf.App({ outdir });
    const stack = new cdktf.TerraformStack(app, STACK_ID);
    const provider = new DockerProvider(stack, 'docker', { host: 'unix:///var/run/docker.sock' });
    const network = new Network(stack, NETWORK_NAME, { provider, name: NETWORK_NAME, driver: 'bridge', internal: false, attachable: false });
    const images = IMAGE_REFS.map((ref, i) => new Image(stack, `image-${i}`, { provider, name: ref, keepLocally: true }));
    const containers: ContainerMod.Container[] = [];
    for (let i = 0; i < n; i++) {
      const s = serviceSpec(i);
      const tmpfs: Record<string, string> = { '/tmp': 'rw,noexec,nosuid,size=64m' };
      for (const p of s.writablePaths ?? []) tmpfs[p] = 'rw,nosuid,size=64m';
      const healthy = s.healthPort !== undefined;
      containers.push(new Container(stack, s.name, {
        provider,
        name: s.name,
        image: images[s.image].imageId,
        restart: 'unless-stopped',
        mustRun: true,
        init: true,
        capabilities: { drop: ['ALL'] },
        securityOpts: ['no-new-privileges:true'],
        readOnly: true,
        tmpfs,
        memory: s.memoryMiB ?? 512,
        memorySwap: s.memoryMiB ?? 512,
        logDriver: 'json-file',
        logOpts: { 'max-size': '10m', 'max-file': '3' },
        env: Object.keys(s.environment).sort().map((k) => `${k}=${s.environment[k]}`),
        networksAdvanced: [{ name: network.name, aliases: [s.name] }],
        ports: s.port ? [{ internal: s.port.containerPort, external: s.port.hostPort, ip: '127.0.0.1', protocol: 'tcp' }] : undefined,
        healthcheck: healthy
          ? { test: ['CMD', 'wget', '-q', '-O', '/dev/null', `http://127.0.0.1:${s.healthPort}/health`], interval: '10s', timeout: '5s', startPeriod: '10s', retries: 3 }
          : undefined,
        wait: healthy,
        waitTimeout: healthy ? 60 : undefined,
        stopTimeout: 10,
        dependsOn: s.dependsOn.length > 0 ? s.dependsOn.map((d) => containers[d]) : undefined,
      }));
    }
    return app;
  };
}

/** N networks with distinct /24 subnets on one host (10.0.0.0/24, 10.0.1.0/24, ...). */
function loadNetworks(): Build {
  const cdktf = require('cdktf') as typeof Cdktf;
  const lib = require('../lib') as typeof Lib;
  return (n, outdir) => {
    const app = new cdktf.App({ outdir });
    const stack = new cdktf.TerraformStack(app, STACK_ID);
    new lib.DockerHost(stack, 'host');
    for (let i = 0; i < n; i++) {
      new lib.ServiceNetwork(stack, `net-${i}`, { subnet: `10.${(i >> 8) & 255}.${i & 255}.0/24` });
    }
    return app;
  };
}

function main(): void {
  const [mode, nText, outdir] = process.argv.slice(2);
  const n = Number(nText);
  if (!['lib', 'raw', 'networks'].includes(mode) || !Number.isInteger(n) || n < 1 || n > 65536 || !outdir) {
    process.stderr.write('usage: child.js <lib|raw|networks> <N> <outdir>\n');
    process.exit(2);
  }
  const t0 = performance.now();
  const build = mode === 'lib' ? loadLib() : mode === 'raw' ? loadRaw() : loadNetworks();
  const t1 = performance.now();
  const cpu1 = process.cpuUsage();
  const app = build(n, outdir);
  const t2 = performance.now();
  app.synth();
  const t3 = performance.now();
  const cpu = process.cpuUsage(cpu1);
  process.stdout.write(`${JSON.stringify({
    mode,
    n,
    loadMs: t1 - t0,
    constructMs: t2 - t1,
    synthMs: t3 - t2,
    totalMs: t3 - t1,
    cpuMs: (cpu.user + cpu.system) / 1000,
    sinceStartMs: t3,
    maxRssKb: process.resourceUsage().maxRSS,
  })}\n`);
}

main();
