/**
 * What the end-to-end tests share: the environment e2e/setup.sh prepared (read from the variables
 * of e2e/.work/env.sh), Terraform in a stack folder, the docker CLI against each engine, and the
 * gate that skips with a printed reason where the environment is missing — or fails, when
 * `E2E_REQUIRED=1` (as `.ci/run` sets it), so that CI can never pass by skipping.
 */
import { spawn, spawnSync, SpawnSyncOptions } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export const ROOT = path.resolve(__dirname, '..', '..');

const NEEDED = ['TF_CLI_CONFIG_FILE', 'E2E_BUSYBOX_IMAGE', 'E2E_REGISTRY', 'E2E_PROVIDER_VERSIONS', 'E2E_ENGINE_SCRIPT'];

/** Why the tier cannot run here, or undefined when it can. */
export function missing(): string | undefined {
  if (process.env.E2E_READY !== '1') return 'E2E_READY is not 1: run `bash e2e/setup.sh` as root, then `. e2e/.work/env.sh`';
  const unset = NEEDED.filter((v) => !process.env[v]);
  if (unset.length > 0) return `${unset.join(', ')} not set: source e2e/.work/env.sh`;
  if (!fs.existsSync(process.env.TF_CLI_CONFIG_FILE as string)) return `TF_CLI_CONFIG_FILE ${process.env.TF_CLI_CONFIG_FILE} does not exist`;
  const info = spawnSync('docker', ['-H', 'unix:///run/docker.sock', 'info', '--format', '{{.ServerVersion}}'], { encoding: 'utf8' });
  if (info.status !== 0) return `the Docker engine does not answer: ${(info.stderr || '').trim().split('\n')[0]}`;
  return undefined;
}

/**
 * `describe`, or a skipped one with the reason printed; with `E2E_REQUIRED=1` a missing
 * environment fails the suite instead.
 */
export function describeE2E(name: string, body: () => void): void {
  const why = missing();
  if (why === undefined) {
    describe(name, body);
    return;
  }
  if (process.env.E2E_REQUIRED === '1') {
    describe(name, () => {
      test('the end-to-end environment is ready', () => {
        throw new Error(`E2E_REQUIRED=1 but the end-to-end tier cannot run: ${why}`);
      });
    });
    return;
  }
  console.log(`[e2e] skipped "${name}": ${why}`);
  describe.skip(name, body);
}

/** Provider versions the setup verified, the first being the one built here. */
export function providerVersions(): string[] {
  return (process.env.E2E_PROVIDER_VERSIONS ?? '').split(/\s+/).filter(Boolean);
}

/** One `describeE2E` per provider version the setup verified (one gated suite when there is none). */
export function describeEachProvider(name: string, body: (version: string) => void): void {
  const versions = missing() === undefined ? providerVersions() : [];
  if (versions.length === 0) {
    describeE2E(name, () => body('none'));
    return;
  }
  for (const version of versions) describeE2E(`${name} on provider ${version}`, () => body(version));
}

export const BUSYBOX = process.env.E2E_BUSYBOX_IMAGE ?? 'local/busybox:1.35';
export const REGISTRY = process.env.E2E_REGISTRY ?? '127.0.0.1:5000';
export const MAIN_ENGINE = 'unix:///run/docker.sock';

export interface Run {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command; fails with its output unless `allow` lists the exit code. */
export function run(cmd: string, args: string[], opts: SpawnSyncOptions & { allow?: number[] } = {}): Run {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, ...opts });
  const status = r.status ?? -1;
  const out = { status, stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? '') };
  if (!(opts.allow ?? [0]).includes(status)) {
    const tail = (s: string) => s.split('\n').slice(-40).join('\n');
    throw new Error(`${cmd} ${args.join(' ')} exited ${status}${r.error ? ` (${r.error.message})` : ''}\n--- stdout\n${tail(out.stdout)}\n--- stderr\n${tail(out.stderr)}`);
  }
  return out;
}

/** The docker CLI against one engine (the main one by default). */
export function docker(args: string[], engine: Engine = MAIN, allow?: number[]): string {
  return run('docker', [...engine.flags, ...args], { allow }).stdout.trim();
}

export interface Engine {
  readonly name: string;
  /** docker CLI flags that reach it. */
  readonly flags: string[];
}
export const MAIN: Engine = { name: 'main', flags: ['-H', MAIN_ENGINE] };
/** The second engine, over its local socket (the deploys reach it over tcp+TLS). */
export const ENGINE2: Engine = { name: 'engine2', flags: ['-H', process.env.E2E_ENGINE2_SOCKET ?? 'unix:///run/cdktf-e2e/engine2.sock'] };

/** `docker inspect` of one object. */
export function inspect(name: string, engine: Engine = MAIN): any {
  return JSON.parse(docker(['inspect', name], engine))[0];
}

/** Names of the objects of a kind (container, network, volume) whose names start with `prefix`. */
export function objects(kind: 'container' | 'network' | 'volume', prefix: string, engine: Engine = MAIN): string[] {
  const args = kind === 'container' ? ['ps', '-a', '--format', '{{.Names}}'] : [kind, 'ls', '--format', '{{.Name}}'];
  return docker(args, engine).split('\n').filter((n) => n.startsWith(prefix));
}

/** Removes what an earlier, interrupted run may have left: containers, networks and volumes named `prefix*`. */
export function removeObjects(prefix: string, engine: Engine = MAIN): void {
  for (const c of objects('container', prefix, engine)) docker(['rm', '-f', c], engine);
  for (const n of objects('network', prefix, engine)) docker(['network', 'rm', n], engine);
  for (const v of objects('volume', prefix, engine)) docker(['volume', 'rm', '-f', v], engine);
}

/**
 * Removes the local tags of a repository, and its untagged images left by rebuilds. By name, never
 * `rmi -f <id>`: an image id can carry other tags too (the base image a test re-tagged).
 */
export function removeImages(repository: string, engine: Engine = MAIN): void {
  const rows = docker(['images', '--format', '{{.Repository}}:{{.Tag}} {{.ID}}', repository], engine).split('\n').filter(Boolean);
  for (const row of rows) {
    const [ref, id] = row.split(' ');
    docker(['rmi', ref.endsWith(':<none>') ? id : ref], engine, [0, 1]);
  }
}

/** Waits until every named container runs and, where it has a health check, is healthy. */
export async function waitHealthy(names: string[], engine: Engine = MAIN, timeoutMs = 120_000): Promise<number> {
  const t0 = Date.now();
  let last = '';
  while (Date.now() - t0 < timeoutMs) {
    const states = names.map((n) => {
      const r = run('docker', [...engine.flags, 'inspect', '--format', '{{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}', n], { allow: [0, 1] });
      return `${n}=${r.status === 0 ? r.stdout.trim() : 'absent'}`;
    });
    last = states.join(', ');
    if (states.every((s) => /=running (healthy|none)$/.test(s))) return Date.now() - t0;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`containers not running and healthy within ${timeoutMs} ms: ${last}`);
}

/** Container events (start, health_status: healthy, ...) of the engine since `sinceMs`, oldest first. */
export function containerEvents(sinceMs: number, engine: Engine = MAIN): { name: string; status: string; timeNano: number }[] {
  const out = docker(['events', '--since', String(Math.floor(sinceMs / 1000)), '--until', String(Math.ceil(Date.now() / 1000) + 1),
    '--filter', 'type=container', '--format', '{{json .}}'], engine);
  return out.split('\n').filter(Boolean).map((l) => JSON.parse(l))
    .map((e: any) => ({ name: e.Actor?.Attributes?.name as string, status: e.status as string, timeNano: Number(e.timeNano) }));
}

/** Restarts an engine with e2e/engine.sh (the way setup started it); returns the seconds it took. */
export function restartEngine(which: 'main' | 'engine2'): number {
  const t0 = Date.now();
  run('bash', [process.env.E2E_ENGINE_SCRIPT as string, 'restart', which]);
  return (Date.now() - t0) / 1000;
}

/** Makes `work` a cdktf project whose app is `e2e/apps/<app>.ts`, run with ts-node (no compile step). */
export function cdktfProject(work: string, app: string): void {
  fs.writeFileSync(path.join(work, 'cdktf.json'), JSON.stringify({
    language: 'typescript',
    app: `${path.join(ROOT, 'node_modules', '.bin', 'ts-node')} --transpile-only --project ${path.join(ROOT, 'tsconfig.json')} ${path.join(ROOT, 'e2e', 'apps', `${app}.ts`)}`,
    sendCrashReports: 'false',
    terraformProviders: [],
  }));
}

/** The cdktf CLI of the repo in `work` (no version check, no colours); its stdout. */
export function cdktf(work: string, command: string[], env: Record<string, string>): string {
  return run(path.join(ROOT, 'node_modules', '.bin', 'cdktf'), command, {
    cwd: work,
    env: { ...process.env, ...env, CHECKPOINT_DISABLE: '1', CI: '1', FORCE_COLOR: '0' },
  }).stdout;
}

/** Terraform in one synthesized stack folder, with the setup's CLI configuration. */
export class StackDir {
  constructor(public readonly dir: string, private readonly vars: Record<string, string> = {}) {}

  private tf(args: string[], allow?: number[]): Run {
    return run('terraform', [...args], {
      cwd: this.dir, allow,
      env: { ...process.env, ...this.vars, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1', TF_INPUT: '0' },
    });
  }

  init(): void {
    this.tf(['init', '-input=false', '-no-color']);
  }

  apply(): string {
    return this.tf(['apply', '-auto-approve', '-input=false', '-no-color']).stdout;
  }

  /** `plan -detailed-exitcode`: 0 = no change, 2 = changes; the plan text with it. */
  plan(): { code: number; text: string } {
    const r = this.tf(['plan', '-detailed-exitcode', '-input=false', '-no-color'], [0, 2]);
    return { code: r.status, text: r.stdout };
  }

  /** The planned resource changes as `terraform show -json` gives them. */
  planChanges(): { address: string; actions: string[]; replacePaths?: unknown }[] {
    const file = path.join(this.dir, 'e2e.tfplan');
    this.tf(['plan', '-input=false', '-no-color', `-out=${file}`]);
    const plan = JSON.parse(this.tf(['show', '-json', file]).stdout);
    fs.rmSync(file, { force: true });
    return (plan.resource_changes ?? [])
      .filter((c: any) => !(c.change.actions.length === 1 && c.change.actions[0] === 'no-op'))
      .map((c: any) => ({ address: c.address, actions: c.change.actions, replacePaths: c.change.replace_paths }));
  }

  destroy(): void {
    this.tf(['destroy', '-auto-approve', '-input=false', '-no-color']);
  }

  /** The state as text (for leak checks). */
  stateText(): string {
    return this.tf(['show', '-json']).stdout;
  }
}

/** A fresh folder under the system temp folder. */
export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `cdktf-e2e-${prefix}-`));
}

/** A value no file holds by chance. */
export function unique(label: string): string {
  return `${label}-${crypto.randomBytes(9).toString('hex')}`;
}

/** Every file under `dir` whose content contains `needle` (for leak checks). */
export function filesContaining(dir: string, needle: string): string[] {
  const found: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) {
        if (e.name !== 'providers') walk(p); // .terraform/providers links to the provider binary
      } else if (e.isFile() && fs.readFileSync(p).includes(needle)) found.push(p);
    }
  };
  walk(dir);
  return found;
}

/** The registry's tags of a repository (an empty list when it has none). */
export async function registryTags(repository: string): Promise<string[]> {
  const res = await fetch(`http://${REGISTRY}/v2/${repository}/tags/list`);
  if (res.status === 404) return [];
  const body = (await res.json()) as { tags?: string[] | null };
  return [...(body.tags ?? [])].sort();
}

/** An HTTP GET from the host; the status, or the error code when nothing answers. */
export async function httpGet(url: string): Promise<{ status: number; body: string } | { error: string }> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
    return { status: res.status, body: await res.text() };
  } catch (e) {
    const cause = (e as { cause?: { code?: string } }).cause;
    return { error: cause?.code ?? String(e) };
  }
}

// ---- Swarm (e2e/swarm.sh, e2e/tests/swarm.e2e.ts) -------------------------------------------------

/** A command run without blocking the event loop (a request loop keeps going meanwhile); fails unless `allow` lists the exit code. */
export function runAsync(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; allow?: number[]; timeoutMs?: number } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    const timer = opts.timeoutMs === undefined ? undefined : setTimeout(() => { stderr += `\n(killed after ${opts.timeoutMs} ms)`; child.kill('SIGTERM'); }, opts.timeoutMs);
    child.on('error', (e) => { if (timer) clearTimeout(timer); reject(e); });
    child.on('close', (code) => {
      if (timer) clearTimeout(timer);
      const out = { status: code ?? -1, stdout, stderr };
      if (!(opts.allow ?? [0]).includes(out.status)) {
        const tail = (s: string) => s.split('\n').slice(-40).join('\n');
        reject(new Error(`${cmd} ${args.join(' ')} exited ${out.status}\n--- stdout\n${tail(stdout)}\n--- stderr\n${tail(stderr)}`));
      } else resolve(out);
    });
  });
}

/** Terraform in a stack folder without blocking the event loop, with the environment `StackDir` gives it. */
export function terraformAsync(dir: string, args: string[], vars: Record<string, string> = {}, allow?: number[], timeoutMs = 10 * 60_000): Promise<Run> {
  return runAsync('terraform', args, {
    cwd: dir, allow, timeoutMs,
    env: { ...process.env, ...vars, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1', TF_INPUT: '0' },
  });
}

/** e2e/swarm.sh, which makes and removes the three-engine swarm. */
export const SWARM_SCRIPT = path.join(ROOT, 'e2e', 'swarm.sh');

/** One node of the e2e swarm: its engine (for `docker inspect` of its task containers) and where its host-mode ports answer from the host. */
export interface SwarmNode {
  /** main, swarm1 or swarm2: also the node label `e2e.node` swarm.sh sets. */
  readonly name: string;
  readonly engine: Engine;
  /** The address of the node's host-mode published ports, from the host. */
  readonly address: string;
}

/** The three nodes of the swarm e2e/swarm.sh makes: the main engine (manager) and two engines in network namespaces (workers). */
export const SWARM_NODES: SwarmNode[] = [
  { name: 'main', engine: MAIN, address: '127.0.0.1' },
  { name: 'swarm1', engine: { name: 'swarm1', flags: ['-H', 'unix:///run/cdktf-swarm/swarm1.sock'] }, address: '10.77.0.11' },
  { name: 'swarm2', engine: { name: 'swarm2', flags: ['-H', 'unix:///run/cdktf-swarm/swarm2.sock'] }, address: '10.77.0.12' },
];

/** `e2e/swarm.sh up|down|status`; the seconds it took and the line it printed. */
export function swarm(command: 'up' | 'down' | 'status'): { seconds: number; output: string } {
  const t0 = Date.now();
  const r = run('bash', [SWARM_SCRIPT, command], { timeout: 5 * 60_000 });
  return { seconds: (Date.now() - t0) / 1000, output: (r.stdout + r.stderr).trim() };
}

/** Swarm node id -> node name (`e2e.node` label: main, swarm1, swarm2), as the manager knows them. */
export function swarmNodeNames(): Map<string, string> {
  const ids = docker(['node', 'ls', '-q']).split('\n').filter(Boolean);
  const nodes = JSON.parse(docker(['node', 'inspect', ...ids])) as any[];
  return new Map(nodes.map((n) => [n.ID as string, (n.Spec?.Labels?.['e2e.node'] ?? n.Description?.Hostname) as string]));
}

/** A swarm task as `docker inspect` of the task shows it, with what the tests read. */
export interface SwarmTask {
  readonly id: string;
  readonly slot: number;
  /** The node's name (main, swarm1, swarm2), or '' while unassigned. */
  readonly node: string;
  readonly desiredState: string;
  readonly state: string;
  readonly image: string;
  readonly containerId?: string;
  readonly createdAt: number;
  /** When the task reached its current state (ms since the epoch). */
  readonly stateSince: number;
  /** Its addresses on each network, by network id (without the prefix length). */
  readonly addresses: Record<string, string[]>;
  readonly error?: string;
}

/** Every task of a service the manager still knows (the task history included), oldest first. */
export function serviceTasks(service: string): SwarmTask[] {
  const ids = docker(['service', 'ps', '-q', '--no-trunc', service]).split('\n').filter(Boolean);
  if (ids.length === 0) return [];
  const names = swarmNodeNames();
  return (JSON.parse(docker(['inspect', '--type', 'task', ...ids])) as any[]).map((t) => ({
    id: t.ID, slot: t.Slot ?? 0, node: names.get(t.NodeID) ?? '', desiredState: t.DesiredState, state: t.Status?.State,
    image: t.Spec?.ContainerSpec?.Image ?? '', containerId: t.Status?.ContainerStatus?.ContainerID,
    createdAt: Date.parse(t.CreatedAt), stateSince: Date.parse(t.Status?.Timestamp),
    addresses: Object.fromEntries((t.NetworksAttachments ?? []).map((a: any) => [a.Network.ID, (a.Addresses ?? []).map((x: string) => x.split('/')[0])])),
    error: t.Status?.Err,
  })).sort((a, b) => a.createdAt - b.createdAt);
}

/** The engine of a swarm node by name. */
export function swarmEngine(node: string): Engine {
  const found = SWARM_NODES.find((n) => n.name === node);
  if (!found) throw new Error(`no swarm node named "${node}"`);
  return found.engine;
}

/** Polls `probe` every `intervalMs` until it returns a value other than undefined; fails with the last `describe()` after `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => T | undefined, timeoutMs: number, intervalMs = 500, describe?: () => string): Promise<{ value: T; ms: number }> {
  const t0 = Date.now();
  for (;;) {
    const value = probe();
    if (value !== undefined) return { value, ms: Date.now() - t0 };
    if (Date.now() - t0 > timeoutMs) throw new Error(`${what}: not reached within ${timeoutMs} ms${describe ? `: ${describe()}` : ''}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
