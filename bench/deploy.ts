/**
 * `npm run bench -- deploy [--rounds 3] [--json]`
 *
 * Deploy timing on a real engine, a benchmark and not a test: needs the end-to-end environment
 * (`bash e2e/setup.sh`, then `. e2e/.work/env.sh`). The reference-app variant of the e2e tier
 * (e2e/apps/reference-app.ts, synthesized once with the cdktf CLI) is taken through, per round:
 *
 *   deploy     `terraform apply` until every container is running and healthy
 *   re-plan    `terraform plan -detailed-exitcode` (must be 0)
 *   rebuild    one byte of the api's build context changed, re-synthesized, applied until healthy
 *   destroy    `terraform destroy`
 *
 * The share of the deploy spent waiting for health checks is read off the engine: for each
 * container in the healthy-ordered chain, from its start to its first passing check, summed
 * (the chain is sequential) and divided by the deploy's wall time. The baseline in the same run
 * is the engine itself: `docker run -d` of the same three images with the same commands, with
 * no Terraform, no health checks and no ordering; the report gives deploy / baseline.
 *
 * It also tries a health check with `start_interval` on this engine and reports the answer.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseArgs } from 'util';

const ROOT = path.resolve(__dirname, '..');
const { values: opts } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== 'deploy'),
  options: { rounds: { type: 'string', default: '3' }, json: { type: 'boolean', default: false } },
});
const rounds = Number(opts.rounds);
const say = (text: string) => (opts.json ? process.stderr : process.stdout).write(`${text}\n`);

if (process.env.E2E_READY !== '1' || !process.env.TF_CLI_CONFIG_FILE) {
  process.stderr.write('bench deploy: needs the end-to-end environment: run `bash e2e/setup.sh`, then `. e2e/.work/env.sh`\n');
  process.exit(2);
}
const version = (process.env.E2E_PROVIDER_VERSIONS ?? '').split(/\s+/)[0];
const busybox = process.env.E2E_BUSYBOX_IMAGE ?? 'local/busybox:1.35';

function sh(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}, allow = [0]): { ms: number; status: number; out: string } {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { cwd, env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const status = r.status ?? -1;
  if (!allow.includes(status)) throw new Error(`${cmd} ${args.join(' ')} exited ${status}:\n${r.stdout}\n${r.stderr}`);
  return { ms, status, out: `${r.stdout}${r.stderr}` };
}
const docker = (args: string[], allow = [0]) => sh('docker', args, ROOT, {}, allow);
const inspect = (name: string) => JSON.parse(docker(['inspect', name]).out)[0];

const SERVICES = ['cache', 'api', 'web'];
async function untilHealthy(): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const ok = SERVICES.every((n) => {
      const r = docker(['inspect', '--format', '{{.State.Health.Status}}', n], [0, 1]);
      return r.status === 0 && r.out.trim() === 'healthy';
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('services not healthy within 120 s');
}

/** Seconds from each container's start to its first passing check, summed over the chain. */
function healthWaitMs(): number {
  return SERVICES.reduce((sum, n) => {
    const c = inspect(n);
    const pass = (c.State.Health.Log as { ExitCode: number; End: string }[]).find((l) => l.ExitCode === 0);
    return sum + (pass ? Date.parse(pass.End) - Date.parse(c.State.StartedAt) : 0);
  }, 0);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cdktf-bench-deploy-'));
  const context = path.join(work, 'api');
  fs.cpSync(path.join(ROOT, 'examples', 'reference-app', 'api'), context, { recursive: true });
  fs.writeFileSync(path.join(work, 'cdktf.json'), JSON.stringify({
    language: 'typescript', sendCrashReports: 'false', terraformProviders: [],
    app: `${path.join(ROOT, 'node_modules', '.bin', 'ts-node')} --transpile-only --project ${path.join(ROOT, 'tsconfig.json')} ${path.join(ROOT, 'e2e', 'apps', 'reference-app.ts')}`,
  }));
  const env = {
    E2E_PROVIDER_VERSION: version, E2E_API_CONTEXT: context, E2E_WEB_PORT: '18090',
    TF_VAR_REGISTRY_USER: 'bench', TF_VAR_REGISTRY_PASSWORD: 'bench', CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1',
  };
  const cdktf = path.join(ROOT, 'node_modules', '.bin', 'cdktf');
  const stackDir = path.join(work, 'cdktf.out', 'stacks', 'reference-app');
  const tf = (args: string[], allow?: number[]) => sh('terraform', [...args, '-no-color', '-input=false'], stackDir, env, allow);
  for (const n of SERVICES) docker(['rm', '-f', n], [0, 1]);

  say(`deploy benchmark: reference-app variant, provider ${version}, ${rounds} rounds, ${os.cpus().length} CPUs`);
  sh(cdktf, ['synth'], work, env);
  tf(['init']);
  const figures: Record<string, number[]> = { deploy: [], replan: [], rebuild: [], destroy: [], healthWait: [], baseline: [] };
  for (let r = 0; r < rounds; r++) {
    const t0 = process.hrtime.bigint();
    tf(['apply', '-auto-approve']);
    await untilHealthy();
    figures.deploy.push(Number(process.hrtime.bigint() - t0) / 1e6);
    figures.healthWait.push(healthWaitMs());
    const plan = tf(['plan', '-detailed-exitcode'], [0, 2]);
    if (plan.status !== 0) throw new Error(`re-plan is not empty:\n${plan.out}`);
    figures.replan.push(plan.ms);

    const file = path.join(context, 'www', 'index.json');
    fs.appendFileSync(file, ' ');
    sh(cdktf, ['synth'], work, env);
    const t1 = process.hrtime.bigint();
    tf(['apply', '-auto-approve']);
    await untilHealthy();
    figures.rebuild.push(Number(process.hrtime.bigint() - t1) / 1e6);
    figures.destroy.push(tf(['destroy', '-auto-approve']).ms);

    // Baseline: the engine alone starts the same three containers.
    const images = { cache: busybox, api: busybox, web: busybox };
    const tb = process.hrtime.bigint();
    for (const n of SERVICES) docker(['run', '-d', '--name', `bench-${n}`, images[n as keyof typeof images], 'httpd', '-f', '-p', '8080', '-h', '/var/www']);
    figures.baseline.push(Number(process.hrtime.bigint() - tb) / 1e6);
    for (const n of SERVICES) docker(['rm', '-f', `bench-${n}`]);
    say(`  round ${r + 1}: deploy ${(figures.deploy[r] / 1000).toFixed(1)} s (health wait ${(figures.healthWait[r] / 1000).toFixed(1)} s), ` +
      `re-plan ${(figures.replan[r] / 1000).toFixed(1)} s, rebuild ${(figures.rebuild[r] / 1000).toFixed(1)} s, destroy ${(figures.destroy[r] / 1000).toFixed(1)} s, ` +
      `docker run baseline ${(figures.baseline[r] / 1000).toFixed(1)} s`);
  }

  // What this engine does with start_interval.
  const probe = docker(['run', '-d', '--name', 'bench-start-interval', '--health-cmd', 'true', '--health-start-interval', '1s', busybox, 'sleep', '60'], [0, 1, 125]);
  docker(['rm', '-f', 'bench-start-interval'], [0, 1]);
  const engine = docker(['version', '--format', '{{.Server.Version}} (API {{.Server.APIVersion}})']).out.trim();
  const startInterval = probe.status === 0 ? 'accepted' : `refused: ${probe.out.trim().split('\n').pop()}`;

  const m = Object.fromEntries(Object.entries(figures).map(([k, v]) => [k, median(v)]));
  const result = {
    provider: version, engine, rounds,
    deployS: m.deploy / 1000, replanS: m.replan / 1000, rebuildS: m.rebuild / 1000, destroyS: m.destroy / 1000,
    healthWaitShare: m.healthWait / m.deploy, deployOverBaseline: m.deploy / m.baseline, startInterval,
  };
  say(`medians: deploy ${result.deployS.toFixed(1)} s, re-plan ${result.replanS.toFixed(1)} s, rebuild deploy ${result.rebuildS.toFixed(1)} s, destroy ${result.destroyS.toFixed(1)} s`);
  say(`health-check wait: ${(result.healthWaitShare * 100).toFixed(0)} % of the deploy; deploy / docker run baseline = ${result.deployOverBaseline.toFixed(1)}`);
  say(`start_interval on engine ${engine}: ${startInterval}`);
  if (opts.json) process.stdout.write(`${JSON.stringify(result)}\n`);
  fs.rmSync(work, { recursive: true, force: true });
}

main().catch((e) => {
  process.stderr.write(`bench deploy: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
