/**
 * `npm run bench [-- --json] [--rounds 9] [--runs 15] [--sizes 100,1000,5000] [--keep]`
 *
 * A benchmark, not a test (never part of `npm test`): the library against the raw provider
 * bindings, in separate processes, interleaved over several rounds.
 *
 * 1. Synth: for each N, the same stack (bench/spec.ts) built with the library and with the
 *    raw `DockerProvider`/`Network`/`Image`/`Container` classes, then `app.synth()` to a temp
 *    folder. The child times construct + synth after its imports are loaded (load cost is
 *    reported on its own) and reports its peak RSS. Once per N the two outputs are checked
 *    for equivalence (bench/equivalence.ts), so the comparison is fair.
 *    Then the linearity of the per-host checks: N = 1000 and 5000 networks with distinct subnets.
 * 2. Review: the review CLI (compiled) on the largest stack against a bare Node process that
 *    reads and JSON.parses the same file; whole-process times.
 * 3. Load: requiring the compiled library entry against requiring cdktf plus the provider
 *    modules the library imports; in-process require time and whole-process time.
 *
 * Everything runs compiled (bench/compile.ts), so TypeScript compilation skews nothing.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { parseArgs } from 'util';
import { benchWorkspace, machineLine, median, ROOT } from './compile';
import { assertEquivalent, readStack } from './equivalence';
import { STACK_ID } from './spec';

interface ChildResult {
  readonly mode: 'lib' | 'raw' | 'networks';
  readonly n: number;
  readonly loadMs: number;
  readonly constructMs: number;
  readonly synthMs: number;
  readonly totalMs: number;
  readonly cpuMs: number;
  readonly sinceStartMs: number;
  readonly maxRssKb: number;
  /** Whole-process wall time, measured by this runner. */
  processMs: number;
}

const TARGETS = { synthRatio: 1.1, rssRatio: 1.2, scaling: 5.5, review: 2, load: 1.2 };

const started = Date.now();
const { values: opts } = parseArgs({
  args: process.argv.slice(2),
  options: {
    json: { type: 'boolean', default: false },
    rounds: { type: 'string', default: '9' },
    runs: { type: 'string', default: '15' },
    sizes: { type: 'string', default: '100,1000,5000' },
    keep: { type: 'boolean', default: false },
  },
});
const rounds = Number(opts.rounds);
/** Runs of the short review and load measurements (each well under a second, so more of them is cheap). */
const runs = Number(opts.runs);
const sizes = String(opts.sizes).split(',').map(Number);
if (!Number.isInteger(rounds) || rounds < 1 || !Number.isInteger(runs) || runs < 1 || sizes.some((n) => !Number.isInteger(n) || n < 1)) {
  process.stderr.write('usage: npm run bench -- [--json] [--rounds 9] [--runs 15] [--sizes 100,1000,5000] [--keep]\n');
  process.exit(2);
}
const json = opts.json as boolean;
/** Progress and the human-readable report: stdout, unless --json (then stdout has only JSON lines). */
const say = (text: string) => (json ? process.stderr : process.stdout).write(`${text}\n`);
const emit = (obj: object) => json && process.stdout.write(`${JSON.stringify(obj)}\n`);

const round1 = (x: number) => Math.round(x * 10) / 10;
const round3 = (x: number) => Math.round(x * 1000) / 1000;
const fmt = (x: number, w = 9) => x.toFixed(x >= 100 ? 0 : 1).padStart(w);

/** Children get a clean cdktf environment: CDKTF_* variables would redirect or reconfigure the app. */
const childEnv: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('CDKTF_')));

function child(mode: ChildResult['mode'], n: number, outdir: string): ChildResult {
  const p = run([childJs, mode, String(n), outdir]);
  if (p.status !== 0) throw new Error(`${mode} N=${n} failed (exit ${p.status}):\n${p.stderr}`);
  const lines = p.stdout.trim().split('\n');
  const res = JSON.parse(lines[lines.length - 1]) as ChildResult;
  res.processMs = p.ms;
  return res;
}

function run(args: string[], stdout: 'pipe' | 'ignore' = 'pipe'): { ms: number; status: number | null; stdout: string; stderr: string } {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, {
    cwd: ROOT, env: childEnv, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', stdout, 'pipe'],
  });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.error) throw r.error;
  return { ms, status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

// ---------------------------------------------------------------------------------------------
say(`cdktf-docker-production benchmark: ${rounds} interleaved rounds, N = ${sizes.join(', ')}`);
say(machineLine());
const { build, tmp } = benchWorkspace('cdktf-docker-bench-', opts.keep as boolean, say);
const childJs = path.join(build, 'bench', 'child.js');
const loadJs = path.join(build, 'bench', 'load.js');

// 1. Synth --------------------------------------------------------------------------------------
const results = new Map<number, { lib: ChildResult[]; raw: ChildResult[] }>();
for (const n of sizes) results.set(n, { lib: [], raw: [] });
let reviewTarget: string | undefined;
const largest = Math.max(...sizes);

for (let r = 0; r < rounds; r++) {
  for (const [i, n] of sizes.entries()) {
    // Alternate which side goes first, so neither always runs on a warmer (or hotter) machine.
    const order: ('lib' | 'raw')[] = (r + i) % 2 === 0 ? ['lib', 'raw'] : ['raw', 'lib'];
    const outdirs: Record<string, string> = {};
    for (const mode of order) {
      const outdir = path.join(tmp, `${mode}-${n}-${r}`);
      outdirs[mode] = outdir;
      const res = child(mode, n, outdir);
      (results.get(n) as { lib: ChildResult[]; raw: ChildResult[] })[mode].push(res);
      say(`  round ${r + 1}/${rounds} N=${String(n).padStart(5)} ${mode}: ${fmt(res.totalMs, 7)} ms (construct ${fmt(res.constructMs, 6)} + synth ${fmt(res.synthMs, 6)}), load ${fmt(res.loadMs, 5)} ms, RSS ${fmt(res.maxRssKb / 1024, 5)} MB, process ${fmt(res.processMs, 7)} ms`);
    }
    if (r === 0) {
      const counts = assertEquivalent(readStack(outdirs.lib, STACK_ID), readStack(outdirs.raw, STACK_ID));
      say(`  N=${n}: library and raw output equivalent modulo resource names (${Object.entries(counts).map(([t, c]) => `${c} ${t}`).join(', ')})`);
    }
    fs.rmSync(outdirs.raw, { recursive: true, force: true });
    if (n === largest && r === rounds - 1) {
      reviewTarget = outdirs.lib;
    } else {
      fs.rmSync(outdirs.lib, { recursive: true, force: true });
    }
  }
}

say('');
say(`Synth (construct + synth, measured inside the child after its imports; median of ${rounds} interleaved rounds)`);
say('      N    lib ms    raw ms  ratio   lib CPU   raw CPU  lib RSS MB  raw RSS MB  RSS ratio  lib load  raw load  lib proc  raw proc');
const synthRows: { n: number; libMs: number; rawMs: number; ratio: number; libRssMb: number; rawRssMb: number; rssRatio: number }[] = [];
for (const n of sizes) {
  const { lib, raw } = results.get(n) as { lib: ChildResult[]; raw: ChildResult[] };
  const m = (xs: ChildResult[], f: (x: ChildResult) => number) => median(xs.map(f));
  const libMs = m(lib, (x) => x.totalMs);
  const rawMs = m(raw, (x) => x.totalMs);
  const libRssMb = m(lib, (x) => x.maxRssKb) / 1024;
  const rawRssMb = m(raw, (x) => x.maxRssKb) / 1024;
  const row = {
    n, libMs: round1(libMs), rawMs: round1(rawMs), ratio: round3(libMs / rawMs), libRssMb: round1(libRssMb), rawRssMb: round1(rawRssMb),
    rssRatio: round3(libRssMb / rawRssMb),
    libCpuMs: round1(m(lib, (x) => x.cpuMs)), rawCpuMs: round1(m(raw, (x) => x.cpuMs)),
    libConstructMs: round1(m(lib, (x) => x.constructMs)), rawConstructMs: round1(m(raw, (x) => x.constructMs)),
    libSynthMs: round1(m(lib, (x) => x.synthMs)), rawSynthMs: round1(m(raw, (x) => x.synthMs)),
    libLoadMs: round1(m(lib, (x) => x.loadMs)), rawLoadMs: round1(m(raw, (x) => x.loadMs)),
    libProcessMs: round1(m(lib, (x) => x.processMs)), rawProcessMs: round1(m(raw, (x) => x.processMs)),
    rounds,
  };
  synthRows.push(row);
  emit(row);
  say(`  ${String(n).padStart(5)} ${fmt(libMs)} ${fmt(rawMs)} ${row.ratio.toFixed(2).padStart(6)} ${fmt(row.libCpuMs)} ${fmt(row.rawCpuMs)} ${fmt(libRssMb, 11)} ${fmt(rawRssMb, 11)} ${row.rssRatio.toFixed(2).padStart(10)} ${fmt(row.libLoadMs)} ${fmt(row.rawLoadMs)} ${fmt(row.libProcessMs)} ${fmt(row.rawProcessMs)}`);
}

// Linearity of the per-host checks (names, ports, subnet overlap) ------------------------------------
const netSizes = [1000, 5000];
const netMs: Record<number, number[]> = { 1000: [], 5000: [] };
for (let r = 0; r < rounds; r++) {
  for (const n of r % 2 === 0 ? netSizes : [...netSizes].reverse()) {
    const outdir = path.join(tmp, `networks-${n}-${r}`);
    netMs[n].push(child('networks', n, outdir).totalMs);
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}
const networks = { n1000Ms: round1(median(netMs[1000])), n5000Ms: round1(median(netMs[5000])), ratio: round3(median(netMs[5000]) / median(netMs[1000])), rounds };
emit({ bench: 'networks', ...networks });
say(`\nNetworks with distinct subnets on one host (construct + synth, median of ${rounds} rounds): N=1000 ${fmt(networks.n1000Ms)} ms, N=5000 ${fmt(networks.n5000Ms)} ms, ratio ${networks.ratio.toFixed(2)} (linear = 5)`);

// 2. Review -------------------------------------------------------------------------------------
const cliJs = path.join(build, 'lib', 'review', 'cli.js');
let review: { n: number; reviewMs: number; bareMs: number; ratio: number; runs: number } | undefined;
if (!reviewTarget) {
  say('\nReview: skipped (no synthesized stack)');
} else if (!fs.existsSync(cliJs)) {
  say('\nReview: skipped: lib/review/cli.ts does not exist yet');
} else {
  const file = path.join(reviewTarget, 'stacks', STACK_ID, 'cdk.tf.json');
  const bare = ['-e', "JSON.parse(require('fs').readFileSync(process.argv[1], 'utf8'))", file];
  const reviewMs: number[] = [];
  const bareMs: number[] = [];
  for (let r = 0; r < runs; r++) {
    for (const which of r % 2 === 0 ? ['review', 'bare'] : ['bare', 'review']) {
      if (which === 'review') {
        const p = run([cliJs, file], 'ignore');
        // 0 = no error findings, 1 = error findings: both are a completed review.
        if (p.status !== 0 && p.status !== 1) throw new Error(`review failed (exit ${p.status}): ${p.stderr}`);
        reviewMs.push(p.ms);
      } else {
        const p = run(bare, 'ignore');
        if (p.status !== 0) throw new Error(`bare read+parse failed: ${p.stderr}`);
        bareMs.push(p.ms);
      }
    }
  }
  review = { n: largest, reviewMs: round1(median(reviewMs)), bareMs: round1(median(bareMs)), ratio: round3(median(reviewMs) / median(bareMs)), runs };
  emit({ bench: 'review', ...review, fileMb: round1(fs.statSync(file).size / 1024 / 1024) });
  say(`\nReview of the ${largest}-service stack (${(fs.statSync(file).size / 1024 / 1024).toFixed(1)} MB cdk.tf.json), whole process, median of ${runs} interleaved runs`);
  say(`  review CLI ${fmt(review.reviewMs)} ms   bare node read+JSON.parse ${fmt(review.bareMs)} ms   ratio ${review.ratio.toFixed(2)}`);
}

// 3. Load ---------------------------------------------------------------------------------------
const providerModules = [...fs.readFileSync(path.join(ROOT, 'lib', '_provider.ts'), 'utf8')
  .matchAll(/^export\s+\{[^}]*\}\s+from\s+'(@cdktf\/provider-docker\/[^']+)'/gm)].map((m) => m[1]);
const rawModules = ['cdktf', ...new Set(providerModules)];
const libEntry = path.join(build, 'lib', 'index.js');
const loadIn: Record<'lib' | 'raw', number[]> = { lib: [], raw: [] };
const loadProc: Record<'lib' | 'raw', number[]> = { lib: [], raw: [] };
const loadRuns = runs;
for (let r = 0; r < loadRuns; r++) {
  for (const mode of r % 2 === 0 ? ['lib', 'raw'] as const : ['raw', 'lib'] as const) {
    const modules = mode === 'lib' ? [libEntry] : rawModules;
    const inproc = run([loadJs, mode, ...modules]);
    if (inproc.status !== 0) throw new Error(`load ${mode} failed: ${inproc.stderr}`);
    loadIn[mode].push((JSON.parse(inproc.stdout.trim()) as { requireMs: number }).requireMs);
    const whole = run(['-e', modules.map((m) => `require(${JSON.stringify(m)});`).join('')], 'ignore');
    if (whole.status !== 0) throw new Error(`load ${mode} failed: ${whole.stderr}`);
    loadProc[mode].push(whole.ms);
  }
}
const load = {
  libRequireMs: round1(median(loadIn.lib)), rawRequireMs: round1(median(loadIn.raw)), ratio: round3(median(loadIn.lib) / median(loadIn.raw)),
  libProcessMs: round1(median(loadProc.lib)), rawProcessMs: round1(median(loadProc.raw)), processRatio: round3(median(loadProc.lib) / median(loadProc.raw)),
  runs: loadRuns,
};
emit({ bench: 'load', ...load, rawModules });
say(`\nLoad: require of the library entry vs cdktf + ${providerModules.length} provider modules (${providerModules.map((m) => m.split('/').pop()).join(', ')}); median of ${loadRuns} interleaved runs`);
say(`  in-process require  library ${fmt(load.libRequireMs)} ms   raw ${fmt(load.rawRequireMs)} ms   ratio ${load.ratio.toFixed(2)}`);
say(`  whole process       library ${fmt(load.libProcessMs)} ms   raw ${fmt(load.rawProcessMs)} ms   ratio ${load.processRatio.toFixed(2)}`);

// Targets ---------------------------------------------------------------------------------------
const mark = (ok: boolean) => (ok ? 'met' : 'NOT MET');
say('\nTargets');
for (const row of synthRows.filter((x) => x.n >= 1000)) {
  say(`  synth ratio at N=${row.n} ${row.ratio.toFixed(2)} <= ${TARGETS.synthRatio}: ${mark(row.ratio <= TARGETS.synthRatio)}; RSS ratio ${row.rssRatio.toFixed(2)} <= ${TARGETS.rssRatio}: ${mark(row.rssRatio <= TARGETS.rssRatio)}`);
}
const r1000 = synthRows.find((x) => x.n === 1000);
const r5000 = synthRows.find((x) => x.n === 5000);
if (r1000 && r5000) {
  const scaling = r5000.libMs / r1000.libMs;
  say(`  library time N=5000 / N=1000 ${scaling.toFixed(2)} <= ${TARGETS.scaling}: ${mark(scaling <= TARGETS.scaling)} (raw: ${(r5000.rawMs / r1000.rawMs).toFixed(2)})`);
  emit({ bench: 'scaling', libRatio: round3(scaling), rawRatio: round3(r5000.rawMs / r1000.rawMs) });
}
say(`  networks N=5000 / N=1000 ${networks.ratio.toFixed(2)} <= ${TARGETS.scaling} (same bar as the stack; linear = 5): ${mark(networks.ratio <= TARGETS.scaling)}`);
if (review) say(`  review / bare read+parse ${review.ratio.toFixed(2)} <= ${TARGETS.review}: ${mark(review.ratio <= TARGETS.review)}`);
say(`  load (in-process require) ${load.ratio.toFixed(2)} <= ${TARGETS.load}: ${mark(load.ratio <= TARGETS.load)} (whole process ${load.processRatio.toFixed(2)})`);
say(`\nbenchmark took ${((Date.now() - started) / 1000).toFixed(0)} s`);
