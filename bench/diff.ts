/**
 * `npm run bench -- diff [--runs 15] [--n 5000] [--changed 10] [--all-reviewed] [--json] [--keep]`
 *
 * A benchmark, not a test: the review of a change (`cdktf-docker-review --base <base> <head>`)
 * of two syntheses of the N-service benchmark stack against the review of one of them, as
 * whole processes of the compiled command, interleaved (the side that goes first alternates),
 * medians. The target: the diff takes at most twice the review.
 *
 * The base is the benchmark stack (bench/spec.ts) synthesized with the library by bench/child.ts,
 * as `npm run bench` does. The head is the same JSON with `--changed` services (spread over the
 * stack) publishing a port on all interfaces. Before timing, one diff is checked: exit 1 and
 * exactly those services reported as newly exposed.
 *
 * The diff reviews a container the change leaves alone (and all it references) once, for both
 * sides. `--all-reviewed` also changes every image's `keep_locally` (which no rule judges), so that
 * every container references a changed image and both sides are reviewed in full: the worst case.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { parseArgs } from 'util';
import { benchWorkspace, machineLine, median, ROOT } from './compile';
import { STACK_ID } from './spec';

const TARGET = 2;

const { values: opts } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== 'diff'),
  options: {
    json: { type: 'boolean', default: false },
    runs: { type: 'string', default: '15' },
    n: { type: 'string', default: '5000' },
    changed: { type: 'string', default: '10' },
    'all-reviewed': { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
  },
});
const runs = Number(opts.runs);
const n = Number(opts.n);
const changed = Number(opts.changed);
if (![runs, n, changed].every((x) => Number.isInteger(x) && x >= 1) || changed > n) {
  process.stderr.write('usage: npm run bench -- diff [--runs 15] [--n 5000] [--changed 10] [--all-reviewed] [--json] [--keep]\n');
  process.exit(2);
}
const json = opts.json as boolean;
const say = (text: string) => (json ? process.stderr : process.stdout).write(`${text}\n`);

const round1 = (x: number) => Math.round(x * 10) / 10;
const round3 = (x: number) => Math.round(x * 1000) / 1000;

const childEnv: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('CDKTF_')));

function run(args: string[], stdout: 'pipe' | 'ignore' = 'pipe'): { ms: number; status: number | null; stdout: string; stderr: string } {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { cwd: ROOT, env: childEnv, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', stdout, 'pipe'] });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.error) throw r.error;
  return { ms, status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

const allReviewed = opts['all-reviewed'] as boolean;
say(`cdktf-docker-production diff benchmark: N = ${n}, ${changed} services changed${allReviewed ? ', every image touched (both sides reviewed in full)' : ''}, ${runs} interleaved runs`);
say(machineLine());
const { build, tmp } = benchWorkspace('cdktf-docker-bench-diff-', opts.keep as boolean, say);

// The base: the benchmark stack, synthesized as `npm run bench` does.
const outdir = path.join(tmp, 'base');
const synth = run([path.join(build, 'bench', 'child.js'), 'lib', String(n), outdir]);
if (synth.status !== 0) throw new Error(`synth of N=${n} failed (exit ${synth.status}):\n${synth.stderr}`);
const baseFile = path.join(outdir, 'stacks', STACK_ID, 'cdk.tf.json');

// The head: `changed` services, spread over the stack, publish a port on all interfaces.
const doc = JSON.parse(fs.readFileSync(baseFile, 'utf8')) as { resource: { docker_container: Record<string, Record<string, unknown>>; docker_image: Record<string, Record<string, unknown>> } };
if (allReviewed) for (const image of Object.values(doc.resource.docker_image)) image.keep_locally = !image.keep_locally;
const containers = Object.entries(doc.resource.docker_container);
const step = Math.floor(containers.length / changed);
const exposed: string[] = [];
for (let i = 0; i < changed; i++) {
  const [name, body] = containers[i * step];
  body.ports = [{ internal: 8443, external: 40000 + i }];
  exposed.push(`docker_container.${name}`);
}
const headFile = path.join(tmp, 'head', 'cdk.tf.json');
fs.mkdirSync(path.dirname(headFile), { recursive: true });
fs.writeFileSync(headFile, JSON.stringify(doc, null, 2));

const cliJs = path.join(build, 'lib', 'review', 'cli.js');
const diffArgs = [cliJs, '--base', baseFile, headFile];

// The diff finds what changed, and only that.
const check = run([...diffArgs, '--format', 'json']);
if (check.status !== 1) throw new Error(`the diff should exit 1 (ports published on all interfaces), got ${check.status}: ${check.stderr}`);
const report = JSON.parse(check.stdout) as { stacks: { changes: { resource: string; category: string; severity: string; effect: string }[] }[] };
const worse = report.stacks.flatMap((s) => s.changes).filter((c) => c.effect === 'worse' && c.severity !== 'info');
const reported = [...new Set(worse.map((c) => c.resource))].sort();
if (JSON.stringify(reported) !== JSON.stringify([...exposed].sort()) || !worse.every((c) => c.category === 'exposure')) {
  throw new Error(`the diff reported ${JSON.stringify(worse)}; expected exposure changes on ${exposed.join(', ')}`);
}
say(`  check: the diff reports ${worse.length} exposure changes on exactly the ${changed} changed services (exit 1)`);

const reviewMs: number[] = [];
const diffMs: number[] = [];
for (let r = 0; r < runs; r++) {
  for (const which of r % 2 === 0 ? ['review', 'diff'] : ['diff', 'review']) {
    const p = which === 'review' ? run([cliJs, baseFile], 'ignore') : run(diffArgs, 'ignore');
    // 0 or 1 is a completed run (the review of the bench stack passes; the diff finds the exposure).
    if (p.status !== 0 && p.status !== 1) throw new Error(`${which} failed (exit ${p.status}): ${p.stderr}`);
    (which === 'review' ? reviewMs : diffMs).push(p.ms);
  }
}
const result = {
  bench: 'diff', n, changed, allReviewed, reviewMs: round1(median(reviewMs)), diffMs: round1(median(diffMs)), ratio: round3(median(diffMs) / median(reviewMs)), runs,
  fileMb: round1(fs.statSync(baseFile).size / 1024 / 1024),
};
if (json) process.stdout.write(`${JSON.stringify(result)}\n`);
say(`\nReview of a change of the ${n}-service stack (${result.fileMb} MB cdk.tf.json a side), whole process, median of ${runs} interleaved runs`);
say(`  diff (--base) ${result.diffMs} ms   review of one side ${result.reviewMs} ms   ratio ${result.ratio.toFixed(2)}`);
say(`  diff / review ${result.ratio.toFixed(2)} <= ${TARGET}: ${result.ratio <= TARGET ? 'met' : 'NOT MET'}`);
