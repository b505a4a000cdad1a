/**
 * `npm run bench -- compose [--n 1000] [--rounds 9] [--json] [--keep]`
 *
 * ComposeProject on a generated compose file of N services against declaring the same
 * constructs directly (the baseline, in the same run): each side in its own process, compiled to
 * JS (bench/compile.ts), interleaved over several rounds with the side that goes first
 * alternating. Time is construct + `app.synth()` after the modules loaded; for ComposeProject it
 * includes reading, interpolating and mapping the compose file. Once, the two outputs are checked
 * to be the same Terraform modulo resource names (bench/equivalence.ts).
 *
 * The services are bench/spec.ts's (the library-vs-raw benchmark's): pinned images, three
 * environment variables each, every third a loopback port, every fourth a health check and the
 * healthy ones a dependency chain, every fifth a memory limit, every seventh a writable path.
 *
 * `node compose.js child <compose|direct> <N> <compose file> <outdir>` is one measured process.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { parseArgs } from 'util';
import type * as Cdktf from 'cdktf';
import type * as Lib from '../lib';
import { IMAGE_REFS, NETWORK_NAME, STACK_ID, serviceSpec } from './spec';

const TARGET_RATIO = 1.2;

/** The compose file of N services (YAML written by hand: flow style keeps it short and readable). */
export function composeYaml(n: number): string {
  const lines = [`name: ${STACK_ID}`, 'services:'];
  for (let i = 0; i < n; i++) {
    const s = serviceSpec(i);
    lines.push(`  ${s.name}:`, `    image: ${IMAGE_REFS[s.image]}`, '    environment:');
    for (const [k, v] of Object.entries(s.environment)) lines.push(`      ${k}: "${v}"`);
    if (s.port) lines.push(`    ports: ["127.0.0.1:${s.port.hostPort}:${s.port.containerPort}"]`);
    if (s.healthPort !== undefined) {
      lines.push(`    healthcheck:`, `      test: ["CMD", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:${s.healthPort}/health"]`);
    }
    if (s.writablePaths) lines.push(`    tmpfs: [${s.writablePaths.join(', ')}]`);
    if (s.memoryMiB) lines.push(`    mem_limit: ${s.memoryMiB}m`);
    if (s.dependsOn.length > 0) lines.push(`    depends_on: [${s.dependsOn.map((d) => serviceSpec(d).name).join(', ')}]`);
    lines.push(`    networks: [${NETWORK_NAME}]`);
  }
  lines.push('networks:', `  ${NETWORK_NAME}:`, `    name: ${NETWORK_NAME}`);
  return `${lines.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------------
// One measured process

function child(mode: string, n: number, file: string, outdir: string): void {
  const t0 = performance.now();
  const cdktf = require('cdktf') as typeof Cdktf;
  const lib = require('../lib') as typeof Lib;
  const t1 = performance.now();
  const cpu1 = process.cpuUsage();
  const app = new cdktf.App({ outdir });
  const stack = new cdktf.TerraformStack(app, STACK_ID);
  new lib.DockerHost(stack, 'host');
  if (mode === 'compose') {
    new lib.ComposeProject(stack, STACK_ID, { file });
  } else {
    // The same constructs, declared directly, as the generated code of `convert` would.
    const project = new (require('constructs') as typeof import('constructs')).Construct(stack, STACK_ID);
    const network = new lib.ServiceNetwork(project, `network-${NETWORK_NAME}`, { networkName: NETWORK_NAME });
    const services: Lib.ServiceContainer[] = [];
    for (let i = 0; i < n; i++) {
      const s = serviceSpec(i);
      const svc = new lib.ServiceContainer(project, s.name, {
        image: lib.ContainerImage.fromRegistry(IMAGE_REFS[s.image]),
        serviceName: `${STACK_ID}-${s.name}-1`,
        environment: s.environment,
        ports: s.port ? [lib.PortMapping.local(s.port.hostPort, s.port.containerPort)] : undefined,
        writablePaths: s.writablePaths,
        memoryMiB: s.memoryMiB,
        healthcheck: s.healthPort !== undefined ? lib.Healthcheck.http(s.healthPort, '/health') : undefined,
        dependsOn: s.dependsOn.length > 0 ? s.dependsOn.map((d) => services[d]) : undefined,
      });
      svc.connect(network, [s.name]);
      services.push(svc);
    }
  }
  const t2 = performance.now();
  app.synth();
  const t3 = performance.now();
  const cpu = process.cpuUsage(cpu1);
  process.stdout.write(`${JSON.stringify({
    mode, n, loadMs: t1 - t0, constructMs: t2 - t1, synthMs: t3 - t2, totalMs: t3 - t1, cpuMs: (cpu.user + cpu.system) / 1000, maxRssKb: process.resourceUsage().maxRSS,
  })}\n`);
}

// ---------------------------------------------------------------------------------------------
// The runner

interface Result {
  readonly mode: string;
  readonly loadMs: number;
  readonly constructMs: number;
  readonly synthMs: number;
  readonly totalMs: number;
  readonly cpuMs: number;
  readonly maxRssKb: number;
}

function runner(argv: string[]): void {
  // Loaded here, not at the top: a child process needs neither the compiler nor the runner's modules.
  const { benchWorkspace, machineLine, median } = require('./compile') as typeof import('./compile');
  const { assertEquivalent, readStack } = require('./equivalence') as typeof import('./equivalence');
  const { values: opts } = parseArgs({
    args: argv,
    options: {
      n: { type: 'string', default: '1000' },
      rounds: { type: 'string', default: '9' },
      json: { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
    },
  });
  const n = Number(opts.n);
  const rounds = Number(opts.rounds);
  if (!Number.isInteger(n) || n < 1 || n > 20000 || !Number.isInteger(rounds) || rounds < 1) {
    process.stderr.write('usage: npm run bench -- compose [--n 1000] [--rounds 9] [--json] [--keep]\n');
    process.exit(2);
  }
  const say = (text: string) => (opts.json ? process.stderr : process.stdout).write(`${text}\n`);
  say(`compose benchmark: ComposeProject vs the same constructs declared directly, N = ${n}, ${rounds} interleaved rounds`);
  say(machineLine());
  const { build, tmp } = benchWorkspace('cdktf-docker-bench-compose-', opts.keep as boolean, say);
  const file = path.join(tmp, 'compose.yaml');
  fs.writeFileSync(file, composeYaml(n));
  say(`compose file: ${n} services, ${(fs.statSync(file).size / 1024).toFixed(0)} KiB`);
  const childJs = path.join(build, 'bench', 'compose.js');
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('CDKTF_')));
  const results: Record<'compose' | 'direct', Result[]> = { compose: [], direct: [] };
  for (let r = 0; r < rounds; r++) {
    const order: ('compose' | 'direct')[] = r % 2 === 0 ? ['compose', 'direct'] : ['direct', 'compose'];
    const outdirs: Record<string, string> = {};
    for (const mode of order) {
      const outdir = path.join(tmp, `${mode}-${r}`);
      outdirs[mode] = outdir;
      const p = spawnSync(process.execPath, [childJs, 'child', mode, String(n), file, outdir], { env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
      if (p.status !== 0) throw new Error(`${mode} failed (exit ${p.status}):\n${p.stderr}`);
      const res = JSON.parse(p.stdout.trim().split('\n').pop() as string) as Result;
      results[mode].push(res);
      say(`  round ${r + 1}/${rounds} ${mode.padEnd(7)}: ${res.totalMs.toFixed(0).padStart(6)} ms (construct ${res.constructMs.toFixed(0).padStart(5)} + synth ${res.synthMs.toFixed(0).padStart(5)}), load ${res.loadMs.toFixed(0)} ms, RSS ${(res.maxRssKb / 1024).toFixed(0)} MB`);
    }
    if (r === 0) {
      const counts = assertEquivalent(readStack(outdirs.compose, STACK_ID), readStack(outdirs.direct, STACK_ID));
      say(`  ComposeProject and the direct declaration synthesize the same Terraform modulo resource names (${Object.entries(counts).map(([t, c]) => `${c} ${t}`).join(', ')})`);
    }
    for (const o of Object.values(outdirs)) fs.rmSync(o, { recursive: true, force: true });
  }
  const m = (mode: 'compose' | 'direct', f: (x: Result) => number) => median(results[mode].map(f));
  const row = {
    bench: 'compose', n, rounds,
    composeMs: Math.round(m('compose', (x) => x.totalMs)), directMs: Math.round(m('direct', (x) => x.totalMs)),
    ratio: Math.round((m('compose', (x) => x.totalMs) / m('direct', (x) => x.totalMs)) * 1000) / 1000,
    composeConstructMs: Math.round(m('compose', (x) => x.constructMs)), directConstructMs: Math.round(m('direct', (x) => x.constructMs)),
    composeCpuMs: Math.round(m('compose', (x) => x.cpuMs)), directCpuMs: Math.round(m('direct', (x) => x.cpuMs)),
    composeLoadMs: Math.round(m('compose', (x) => x.loadMs)), directLoadMs: Math.round(m('direct', (x) => x.loadMs)),
    composeRssMb: Math.round(m('compose', (x) => x.maxRssKb) / 1024), directRssMb: Math.round(m('direct', (x) => x.maxRssKb) / 1024),
  };
  if (opts.json) process.stdout.write(`${JSON.stringify(row)}\n`);
  say('');
  say(`median of ${rounds}: ComposeProject ${row.composeMs} ms, direct ${row.directMs} ms, ratio ${row.ratio.toFixed(2)} (CPU ${row.composeCpuMs} / ${row.directCpuMs} ms; construct ${row.composeConstructMs} / ${row.directConstructMs} ms; RSS ${row.composeRssMb} / ${row.directRssMb} MB)`);
  say(`target ratio <= ${TARGET_RATIO}: ${row.ratio <= TARGET_RATIO ? 'met' : 'NOT MET'}`);
}

const args = require.main === module || process.argv[2] === 'compose' ? process.argv.slice(2) : ['__none__'];
if (args[0] === 'child') {
  const [, mode, nText, file, outdir] = args;
  child(mode, Number(nText), file, outdir);
} else if (args[0] !== '__none__') {
  runner(args[0] === 'compose' ? args.slice(1) : args);
}
