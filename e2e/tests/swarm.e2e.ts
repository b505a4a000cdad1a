/**
 * A real multi-node Swarm: three engines on this machine (the main engine as manager, two dockerd
 * in network namespaces of their own as workers; e2e/swarm.sh makes them in beforeAll and removes
 * them in afterAll). The same deployment is made twice, one variant after the other:
 *
 * - `raw Terraform`: the provider's docker_network (overlay), docker_secret, docker_config and
 *   docker_service written as JSON here: proves the environment and the provider's behaviour;
 * - `library constructs`: e2e/apps/swarm-app.ts (DockerHost { swarm: true }, OverlayNetwork,
 *   SwarmSecret, SwarmConfig, SwarmService), synthesized with cdktf.
 *
 * Each deploys a 3-replica web service (hardened, health-checked, with a secret and a config) and an
 * edge service publishing a port in host mode on every node that reaches the web by name over the
 * overlay network, then: spread, docker inspect of the task containers, the secret only inside the
 * web tasks, name resolution across nodes, an image change rolled out start-first one task at a time
 * under a bounded request loop against every node's published port (no failed request), an update
 * whose health check fails rolled back automatically, a node drained and its tasks rescheduled,
 * zero-change re-plans, and a destroy that leaves nothing on any node.
 *
 * Not available in this kernel: IPVS, so no ingress routing mesh and no VIP load balancing; the
 * services use endpoint mode dnsrr and the edge publishes in host mode.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdktf';
import * as lib from '../../lib';
import { CONFIG_PATH, EDGE_MEMORY_MIB, SWARM_APP_STACK, TASK_USER, WEB_MEMORY_MIB, secretPath, swarmApp } from '../apps/swarm-app';
import {
  BUSYBOX, Engine, MAIN, REGISTRY, Run, SWARM_NODES, StackDir, SwarmTask, describeE2E, docker, httpGet, providerVersions, removeImages, run,
  runAsync, serviceTasks, swarm, swarmEngine, tempDir, terraformAsync, unique, waitFor,
} from './harness';

const CONFIG_CONTENT = 'greeting=hello-from-swarm-config';
const SECRET_VARIABLE = 'sw_token';
const FAST_HEALTH = { interval: '2s', timeout: '3s', retries: 3, start_period: '2s' };
const HTTPD = ['httpd', '-f', '-p', '8080', '-h', '/srv/www'];
const MIB = 1024 * 1024;

interface Images {
  web: Record<'1' | '2' | 'bad', string>;
  edge: string;
}

/** docker build (FROM the local busybox, no context) + push to the local registry; the reference by digest. */
function buildAndPush(repository: string, tag: string, dockerfile: string): string {
  const ref = `${REGISTRY}/${repository}:${tag}`;
  run('docker', [...MAIN.flags, 'build', '-q', '-t', ref, '-'], { input: dockerfile });
  docker(['push', ref]);
  const digests = docker(['image', 'inspect', '--format', '{{range .RepoDigests}}{{println .}}{{end}}', ref]).split('\n');
  const digest = digests.find((d) => d.startsWith(`${REGISTRY}/${repository}@`));
  if (!digest) throw new Error(`no registry digest for ${ref}: ${digests.join(' ')}`);
  return `${ref}@${digest.split('@')[1]}`;
}

const b64 = (s: string) => Buffer.from(s).toString('base64');
const script = (at: string, text: string) => `echo ${b64(text)} | base64 -d > ${at} && chmod 0755 ${at}`;

function buildImages(): Images {
  const web = (version: string, healthy: boolean) => buildAndPush('e2e/swarm-web', version, [
    `FROM ${BUSYBOX}`,
    `RUN mkdir -p /srv/www/cgi-bin && echo 'sw-web ${version}' > /srv/www/index.html${healthy ? ' && echo ok > /srv/www/health' : ''} && ` +
      script('/srv/www/cgi-bin/whoami', [
        '#!/bin/sh',
        "printf 'Content-Type: text/plain\\r\\n\\r\\n'",
        `printf 'sw-web %s %s %s\\n' '${version}' "$(hostname)" "$(cat ${CONFIG_PATH} 2>/dev/null)"`,
        '',
      ].join('\n')),
  ].join('\n'));
  const edge = buildAndPush('e2e/swarm-edge', '1', [
    `FROM ${BUSYBOX}`,
    "RUN mkdir -p /srv/www/cgi-bin && echo edge > /srv/www/index.html && " + script('/srv/www/cgi-bin/web', [
      '#!/bin/sh',
      'if body=$(wget -q -O- "http://$UPSTREAM/cgi-bin/whoami" 2>&1); then',
      "  printf 'Content-Type: text/plain\\r\\n\\r\\nedge %s -> %s\\n' \"$(hostname)\" \"$body\"",
      'else',
      "  printf 'Status: 502 Bad Gateway\\r\\nContent-Type: text/plain\\r\\n\\r\\nedge %s: no answer from %s: %s\\n' \"$(hostname)\" \"$UPSTREAM\" \"$body\"",
      'fi',
      '',
    ].join('\n')),
  ].join('\n'));
  return { web: { 1: web('1', true), 2: web('2', true), bad: web('bad', false) }, edge };
}

interface StackProps {
  readonly providerVersion: string;
  readonly prefix: string;
  readonly webImage: string;
  readonly edgeImage: string;
  readonly edgePort: number;
}

/** The deployment with the provider's resources directly (Terraform JSON), as verified by hand. */
function rawStack(p: StackProps): object {
  const hardened = (memoryMiB: number) => ({
    user: TASK_USER, read_only: true, cap_drop: ['ALL'], init: true, stop_grace_period: '10s',
    mounts: [{ type: 'tmpfs', target: '/tmp', tmpfs_options: [{ size_bytes: 16 * MIB }] }],
    resources: memoryMiB,
  });
  const task = (memoryMiB: number, container: Record<string, unknown>, extra: Record<string, unknown> = {}) => {
    const { resources, ...spec } = { ...hardened(memoryMiB), ...container } as Record<string, unknown>;
    return [{
      container_spec: [spec],
      resources: [{ limits: [{ memory_bytes: (resources as number) * MIB }] }],
      networks_advanced: [{ id: '${docker_network.net.id}' }],
      log_driver: [{ name: 'json-file', options: { 'max-size': '10m', 'max-file': '3' } }],
      // delay and window explicitly: the engine reads back 0s for both, a change on every plan otherwise.
      restart_policy: [{ condition: 'any', delay: '5s', window: '0s', max_attempts: 0 }],
      ...extra,
    }];
  };
  return {
    terraform: { required_providers: { docker: { source: 'kreuzwerker/docker', version: p.providerVersion } } },
    provider: { docker: [{ host: 'unix:///var/run/docker.sock' }] },
    variable: { [SECRET_VARIABLE]: { type: 'string', sensitive: true } },
    resource: {
      docker_network: { net: { name: `${p.prefix}-net`, driver: 'overlay', attachable: true } },
      docker_secret: { token: { name: `${p.prefix}-token`, data: `\${base64encode(var.${SECRET_VARIABLE})}` } },
      docker_config: { conf: { name: `${p.prefix}-conf`, data: b64(CONFIG_CONTENT) } },
      docker_service: {
        web: {
          name: `${p.prefix}-web`,
          task_spec: task(WEB_MEMORY_MIB, {
            image: p.webImage, command: HTTPD,
            healthcheck: [{ test: ['CMD', 'wget', '-q', '-O', '/dev/null', 'http://127.0.0.1:8080/health'], ...FAST_HEALTH }],
            secrets: [{
              secret_id: '${docker_secret.token.id}', secret_name: '${docker_secret.token.name}', file_name: secretPath(p.prefix),
              file_uid: '65534', file_gid: '65534', file_mode: 0o400,
            }],
            configs: [{ config_id: '${docker_config.conf.id}', config_name: '${docker_config.conf.name}', file_name: CONFIG_PATH }],
          }, { placement: [{ max_replicas: 2, prefs: ['node.labels.e2e.node'] }] }),
          mode: [{ replicated: [{ replicas: 3 }] }],
          endpoint_spec: [{ mode: 'dnsrr' }],
          update_config: [{ parallelism: 1, order: 'start-first', failure_action: 'rollback', monitor: '10s' }],
          rollback_config: [{ parallelism: 1, order: 'start-first', monitor: '5s' }],
          converge_config: [{ delay: '2s', timeout: '3m' }],
          // The engine records the image's platform in the placement at create (the provider queries the registry
          // then, not on update): with a placement block of our own that would be a change on the next plan.
          lifecycle: { ignore_changes: ['task_spec[0].placement[0].platforms'] },
        },
        edge: {
          name: `${p.prefix}-edge`,
          task_spec: task(EDGE_MEMORY_MIB, {
            image: p.edgeImage, command: HTTPD, env: { UPSTREAM: `${p.prefix}-web:8080` },
            healthcheck: [{ test: ['CMD', 'wget', '-q', '-O', '/dev/null', 'http://127.0.0.1:8080/'], ...FAST_HEALTH }],
          }),
          mode: [{ replicated: [{ replicas: 3 }] }],
          endpoint_spec: [{ mode: 'dnsrr', ports: [{ target_port: 8080, published_port: p.edgePort, publish_mode: 'host' }] }],
          converge_config: [{ delay: '2s', timeout: '3m' }],
        },
      },
    },
  };
}

interface Variant {
  readonly label: string;
  readonly prefix: string;
  readonly edgePort: number;
  /** Why this variant cannot run, or undefined. */
  readonly missing: () => string | undefined;
  /** Writes (synthesizes) the stack for one web image into `folder(work)`. */
  readonly write: (work: string, p: StackProps) => void;
  readonly folder: (work: string) => string;
}

const LIBRARY_CONSTRUCTS = ['OverlayNetwork', 'SwarmSecret', 'SwarmConfig', 'SwarmService'];

const VARIANTS: Variant[] = [
  {
    label: 'raw Terraform (provider resources)', prefix: 'swr', edgePort: 18301,
    missing: () => undefined,
    folder: (work) => path.join(work, 'raw'),
    write: (work, p) => {
      fs.mkdirSync(path.join(work, 'raw'), { recursive: true });
      fs.writeFileSync(path.join(work, 'raw', 'main.tf.json'), JSON.stringify(rawStack(p), null, 2));
    },
  },
  {
    label: 'library constructs (e2e/apps/swarm-app.ts)', prefix: 'swl', edgePort: 18302,
    missing: () => {
      const absent = LIBRARY_CONSTRUCTS.filter((n) => typeof (lib as unknown as Record<string, unknown>)[n] !== 'function');
      return absent.length === 0 ? undefined : `the library does not export ${absent.join(', ')} yet`;
    },
    folder: (work) => path.join(work, 'cdktf.out', 'stacks', SWARM_APP_STACK),
    write: (work, p) => {
      const app = new App({ outdir: path.join(work, 'cdktf.out') });
      swarmApp(app, { ...p, secretVariable: SECRET_VARIABLE, configContent: CONFIG_CONTENT });
      app.synth();
    },
  },
];

// ---- what the checks read -------------------------------------------------------------------

const running = (tasks: SwarmTask[]) => tasks.filter((t) => t.desiredState === 'running' && t.state === 'running');

/** The running tasks of a service once exactly `n` run (and none is starting), or undefined. */
function settled(service: string, n: number): SwarmTask[] | undefined {
  const tasks = serviceTasks(service);
  const live = tasks.filter((t) => t.desiredState === 'running');
  return live.length === n && live.every((t) => t.state === 'running') ? live : undefined;
}
const taskStates = (service: string) => serviceTasks(service).filter((t) => t.desiredState === 'running')
  .map((t) => `${t.slot || t.id.slice(0, 6)}@${t.node || '?'}=${t.state}${t.error ? ` (${t.error})` : ''}`).join(', ');

function updateStatus(service: string): { State?: string; StartedAt?: string; CompletedAt?: string; Message?: string } {
  return JSON.parse(docker(['service', 'inspect', '--format', '{{json .UpdateStatus}}', service]) || 'null') ?? {};
}

/** `docker inspect` of a task's container, on the node that runs it. */
function taskContainer(t: SwarmTask): any {
  return JSON.parse(docker(['inspect', t.containerId as string], swarmEngine(t.node)))[0];
}
function execIn(t: SwarmTask, cmd: string[], allow?: number[]) {
  return run('docker', [...swarmEngine(t.node).flags, 'exec', t.containerId as string, ...cmd], { allow, timeout: 30_000 });
}

interface LoopResult { sent: number; failed: number; failures: string[]; byVersion: Record<string, number>; byNode: Record<string, number> }

/**
 * Requests, one after another, to the edge's host-mode published port on each node in turn until
 * `stop()` says so, bounded by `maxMs` and `maxRequests`. A request fails unless it answers 200 with
 * a web task's answer (the edge relays one).
 */
async function requestLoop(port: number, stop: () => boolean, maxMs = 5 * 60_000, maxRequests = 50_000): Promise<LoopResult> {
  const r: LoopResult = { sent: 0, failed: 0, failures: [], byVersion: {}, byNode: {} };
  const t0 = Date.now();
  while (!stop() && Date.now() - t0 < maxMs && r.sent < maxRequests) {
    for (const node of SWARM_NODES) {
      r.sent++;
      const res = await httpGet(`http://${node.address}:${port}/cgi-bin/web`);
      const m = 'status' in res && res.status === 200 ? /^edge \S+ -> sw-web (\S+) /.exec(res.body) : null;
      if (m) {
        r.byVersion[m[1]] = (r.byVersion[m[1]] ?? 0) + 1;
        r.byNode[node.name] = (r.byNode[node.name] ?? 0) + 1;
      } else {
        r.failed++;
        if (r.failures.length < 20) r.failures.push(`${new Date().toISOString()} ${node.name}: ${'error' in res ? res.error : `${res.status} ${res.body.trim()}`}`);
      }
    }
  }
  return r;
}

interface Sampling { samples: number; minRunning: number; maxStarting: number }

/** Samples the service's tasks (docker service ps, without blocking) until `stop()`: the fewest running, the most not yet running. */
async function sampleTasks(service: string, stop: () => boolean, maxMs = 5 * 60_000): Promise<Sampling> {
  const s: Sampling = { samples: 0, minRunning: Infinity, maxStarting: 0 };
  const t0 = Date.now();
  while (!stop() && Date.now() - t0 < maxMs) {
    const r = await runAsync('docker', [...MAIN.flags, 'service', 'ps', service, '--filter', 'desired-state=running', '--format', '{{.CurrentState}}'], { allow: [0, 1], timeoutMs: 30_000 });
    if (r.status === 0) {
      const states = r.stdout.split('\n').filter(Boolean);
      const up = states.filter((x) => x.startsWith('Running')).length;
      s.samples++;
      s.minRunning = Math.min(s.minRunning, up);
      s.maxStarting = Math.max(s.maxStarting, states.length - up);
    }
    await new Promise((res) => setTimeout(res, 300));
  }
  return s;
}

/** Services, secrets, configs, networks and task containers whose names start with `prefix`, on every node. */
function leftovers(prefix: string): string[] {
  const found: string[] = [];
  const named = (args: string[], engine: Engine = MAIN) => docker(args, engine).split('\n').filter((n) => n.startsWith(prefix));
  found.push(...named(['service', 'ls', '--format', '{{.Name}}']).map((n) => `service ${n}`));
  found.push(...named(['secret', 'ls', '--format', '{{.Name}}']).map((n) => `secret ${n}`));
  found.push(...named(['config', 'ls', '--format', '{{.Name}}']).map((n) => `config ${n}`));
  for (const node of SWARM_NODES) {
    found.push(...named(['network', 'ls', '--format', '{{.Name}}'], node.engine).map((n) => `network ${n} on ${node.name}`));
    found.push(...named(['ps', '-a', '--format', '{{.Names}}'], node.engine).map((n) => `container ${n} on ${node.name}`));
  }
  return found;
}

function removeLeftovers(prefix: string): void {
  const names = (args: string[]) => docker(args).split('\n').filter((n) => n.startsWith(prefix));
  for (const s of names(['service', 'ls', '--format', '{{.Name}}'])) docker(['service', 'rm', s], MAIN, [0, 1]);
  for (const s of names(['secret', 'ls', '--format', '{{.Name}}'])) docker(['secret', 'rm', s], MAIN, [0, 1]);
  for (const c of names(['config', 'ls', '--format', '{{.Name}}'])) docker(['config', 'rm', c], MAIN, [0, 1]);
  for (const n of names(['network', 'ls', '--format', '{{.Name}}'])) docker(['network', 'rm', n], MAIN, [0, 1]);
}

const secs = (ms: number) => (ms / 1000).toFixed(1);

describeE2E('swarm of three engines (e2e/swarm.sh): overlay network, secret, config, rolling update, rollback, drain', () => {
  const version = providerVersions()[0] ?? 'none';
  const work = tempDir('swarm');
  let images: Images;

  beforeAll(() => {
    const up = swarm('up');
    console.log(`[e2e] swarm: ${up.output} (measured ${up.seconds.toFixed(1)} s)`);
    images = buildImages();
  }, 10 * 60_000);

  afterAll(() => {
    for (const v of VARIANTS) {
      const dir = v.folder(work);
      if (fs.existsSync(path.join(dir, 'terraform.tfstate'))) {
        try { new StackDir(dir, { [`TF_VAR_${SECRET_VARIABLE}`]: 'unused' }).destroy(); } catch { /* reported by the destroy test */ }
      }
      try { removeLeftovers(v.prefix); } catch { /* the swarm goes anyway */ }
    }
    const down = swarm('down');
    console.log(`[e2e] swarm: ${down.output} (measured ${down.seconds.toFixed(1)} s)`);
    removeImages(`${REGISTRY}/e2e/swarm-web`);
    removeImages(`${REGISTRY}/e2e/swarm-edge`);
  }, 10 * 60_000);

  test('three nodes, Ready and Active: the main engine (manager) and two engines in network namespaces', () => {
    const rows = docker(['node', 'ls', '--format', '{{.Hostname}} {{.Status}} {{.Availability}} {{.ManagerStatus}}']).split('\n').sort();
    expect(rows).toEqual(['cdktf-swarm1 Ready Active ', 'cdktf-swarm2 Ready Active ', expect.stringMatching(/ Ready Active Leader$/)]);
    for (const node of SWARM_NODES) expect(docker(['info', '--format', '{{.Swarm.LocalNodeState}}'], node.engine)).toBe('active');
  });

  for (const v of VARIANTS) {
    const why = v.missing();
    if (why !== undefined && process.env.E2E_REQUIRED !== '1') {
      console.log(`[e2e] skipped "${v.label}": ${why}`);
      describe.skip(v.label, () => { test('not available', () => undefined); });
      continue;
    }
    describe(v.label, () => {
      const secretValue = unique('swarm-secret');
      const stack = () => new StackDir(v.folder(work), { [`TF_VAR_${SECRET_VARIABLE}`]: secretValue });
      const props = (webImage: string): StackProps => ({ providerVersion: version, prefix: v.prefix, webImage, edgeImage: images.edge, edgePort: v.edgePort });
      const web = `${v.prefix}-web`;
      const edge = `${v.prefix}-edge`;
      const tf = (args: string[], allow?: number[]) => terraformAsync(v.folder(work), [...args, '-input=false', '-no-color'], { [`TF_VAR_${SECRET_VARIABLE}`]: secretValue }, allow);
      const zeroChange = () => {
        const plan = stack().plan();
        expect({ code: plan.code, text: plan.code === 0 ? '' : plan.text }).toEqual({ code: 0, text: '' });
      };

      beforeAll(() => {
        if (why !== undefined) return;
        removeLeftovers(v.prefix);
      });

      if (why !== undefined) {
        test('the library exports the Swarm constructs', () => {
          throw new Error(`E2E_REQUIRED=1 but ${why} (e2e/apps/swarm-app.ts needs ${LIBRARY_CONSTRUCTS.join(', ')})`);
        });
        return;
      }

      test('deploy: 3 web tasks on the overlay network spread over at least two nodes, an edge task on every node', async () => {
        v.write(work, props(images.web[1]));
        stack().init();
        const t0 = Date.now();
        stack().apply();
        const { value: tasks } = await waitFor(`3 running ${web} tasks`, () => settled(web, 3), 120_000, 500, () => taskStates(web));
        await waitFor(`3 running ${edge} tasks`, () => settled(edge, 3), 120_000, 500, () => taskStates(edge));
        console.log(`[e2e] swarm ${v.label}: deploy took ${secs(Date.now() - t0)} s; web tasks on ${tasks.map((t) => t.node).sort().join(', ')}`);
        expect(new Set(tasks.map((t) => t.node)).size).toBeGreaterThanOrEqual(2);
        expect(running(serviceTasks(edge)).map((t) => t.node).sort()).toEqual(['main', 'swarm1', 'swarm2']);
        const net = JSON.parse(docker(['network', 'inspect', `${v.prefix}-net`]))[0];
        expect({ driver: net.Driver, scope: net.Scope, attachable: net.Attachable }).toEqual({ driver: 'overlay', scope: 'swarm', attachable: true });
        for (const t of tasks) expect(Object.keys(t.addresses)).toContain(net.Id);
        const spec = JSON.parse(docker(['service', 'inspect', web]))[0].Spec;
        expect(spec.EndpointSpec.Mode).toBe('dnsrr');
        expect(spec.Mode.Replicated.Replicas).toBe(3);
        expect(spec.UpdateConfig).toMatchObject({ Parallelism: 1, Order: 'start-first', FailureAction: 'rollback' });
        const edgeSpec = JSON.parse(docker(['service', 'inspect', edge]))[0].Spec;
        expect(edgeSpec.EndpointSpec).toMatchObject({ Mode: 'dnsrr', Ports: [{ Protocol: 'tcp', TargetPort: 8080, PublishedPort: v.edgePort, PublishMode: 'host' }] });
      });

      test('docker inspect of every web task container, on its node: read-only root, cap drop ALL, memory limit, user, health check', () => {
        for (const t of running(serviceTasks(web))) {
          const c = taskContainer(t);
          expect({
            node: t.node, readOnly: c.HostConfig.ReadonlyRootfs, capDrop: c.HostConfig.CapDrop, memory: c.HostConfig.Memory, user: c.Config.User,
            health: c.Config.Healthcheck?.Test, healthy: c.State.Health?.Status, init: c.HostConfig.Init,
            tmp: (c.HostConfig.Mounts ?? []).filter((m: any) => m.Target === '/tmp').map((m: any) => m.Type),
          }).toEqual({
            node: t.node, readOnly: true, capDrop: ['ALL'], memory: WEB_MEMORY_MIB * MIB, user: TASK_USER,
            health: ['CMD', 'wget', '-q', '-O', '/dev/null', 'http://127.0.0.1:8080/health'], healthy: 'healthy', init: true, tmp: ['tmpfs'],
          });
          expect(c.HostConfig.LogConfig).toEqual({ Type: 'json-file', Config: { 'max-file': '3', 'max-size': '10m' } });
          expect(execIn(t, ['touch', '/probe'], [0, 1]).stderr).toContain('Read-only file system');
          expect(execIn(t, ['id', '-u']).stdout.trim()).toBe('65534');
        }
        for (const t of running(serviceTasks(edge))) {
          const c = taskContainer(t);
          expect([c.HostConfig.ReadonlyRootfs, c.HostConfig.CapDrop, c.HostConfig.Memory, c.Config.User]).toEqual([true, ['ALL'], EDGE_MEMORY_MIB * MIB, TASK_USER]);
        }
      });

      test('the secret is readable at its path inside the web tasks only; the config is mounted; neither is in the service spec', () => {
        for (const t of running(serviceTasks(web))) {
          expect(execIn(t, ['cat', secretPath(v.prefix)]).stdout).toBe(secretValue);
          expect(execIn(t, ['stat', '-c', '%u:%g %a', secretPath(v.prefix)]).stdout.trim()).toBe('65534:65534 400');
          expect(execIn(t, ['cat', CONFIG_PATH]).stdout).toBe(CONFIG_CONTENT);
          expect(JSON.stringify(taskContainer(t))).not.toContain(secretValue);
        }
        for (const t of running(serviceTasks(edge))) {
          const r = execIn(t, ['cat', secretPath(v.prefix)], [0, 1]);
          expect({ status: r.status, out: r.stdout }).toEqual({ status: 1, out: '' });
          expect(execIn(t, ['ls', '/run/secrets'], [0, 1]).status).not.toBe(0);
        }
        // The secret's name may carry a suffix (the library makes one per value, for rotation).
        const secrets = docker(['secret', 'ls', '--format', '{{.Name}}']).split('\n').filter((n) => n.startsWith(`${v.prefix}-token`));
        expect(secrets.length).toBe(1);
        for (const args of [['service', 'inspect', web], ['secret', 'inspect', secrets[0]]]) expect(docker(args)).not.toContain(secretValue);
        const written = fs.readdirSync(v.folder(work)).filter((f) => f.endsWith('.tf.json'));
        expect(written.length).toBe(1);
        for (const f of written) expect(fs.readFileSync(path.join(v.folder(work), f), 'utf8')).not.toContain(secretValue);
      });

      test('the edge reaches the web by name over the overlay network, across nodes; each node\'s host-mode port answers', async () => {
        const webTasks = running(serviceTasks(web));
        const netId = JSON.parse(docker(['network', 'inspect', `${v.prefix}-net`]))[0].Id;
        const webIps = webTasks.map((t) => t.addresses[netId][0]).sort();
        let crossNode = 0;
        for (const e of running(serviceTasks(edge))) {
          // dnsrr: the name resolves to the task addresses themselves (no virtual IP).
          const ns = execIn(e, ['nslookup', web, '127.0.0.11']).stdout;
          const resolved = [...ns.matchAll(/^Address:\s*(\d+\.\d+\.\d+\.\d+)$/gm)].map((m) => m[1]).filter((ip) => ip !== '127.0.0.11').sort();
          expect(resolved).toEqual(webIps);
          expect(execIn(e, ['wget', '-q', '-O-', `http://${web}:8080/cgi-bin/whoami`]).stdout).toMatch(new RegExp(`^sw-web 1 \\S+ ${CONFIG_CONTENT}$`, 'm'));
          for (const w of webTasks.filter((x) => x.node !== e.node)) {
            expect(execIn(e, ['wget', '-q', '-O-', `http://${w.addresses[netId][0]}:8080/`]).stdout).toBe('sw-web 1\n');
            crossNode++;
          }
        }
        expect(crossNode).toBeGreaterThanOrEqual(3);
        for (const node of SWARM_NODES) {
          const r = await httpGet(`http://${node.address}:${v.edgePort}/cgi-bin/web`);
          expect(r).toMatchObject({ status: 200, body: expect.stringMatching(/^edge \S+ -> sw-web 1 \S+ greeting=/) });
        }
      });

      test('a re-plan right after the deploy shows no change', zeroChange);

      test('an image change rolls out one task at a time, start-first, while requests to every node\'s published port never fail', async () => {
        const before = running(serviceTasks(web));
        let done = false;
        const loop = requestLoop(v.edgePort, () => done);
        const sampling = sampleTasks(web, () => done);
        await new Promise((r) => setTimeout(r, 2000)); // requests before the update, too
        v.write(work, props(images.web[2]));
        const t0 = Date.now();
        let applyMs = 0;
        try {
          await tf(['apply', '-auto-approve']);
          applyMs = Date.now() - t0;
          // The provider's converge ends when every slot runs a new task; the engine completes the update after its monitor period.
          await waitFor(`${web} update completed`, () => (updateStatus(web).State === 'completed' ? true : undefined), 120_000, 500, () => JSON.stringify(updateStatus(web)));
          await new Promise((r) => setTimeout(r, 2000));
        } finally {
          done = true;
        }
        const [requests, samples] = await Promise.all([loop, sampling]);
        const status = updateStatus(web);
        const updateS = (Date.parse(status.CompletedAt as string) - Date.parse(status.StartedAt as string)) / 1000;
        console.log(`[e2e] swarm ${v.label}: rolling update 1 -> 2: ${updateS.toFixed(1)} s (engine, start to completed incl. 10 s monitor), `
          + `terraform apply ${secs(applyMs)} s; requests sent ${requests.sent}, failed ${requests.failed} `
          + `(by version ${JSON.stringify(requests.byVersion)}, by node ${JSON.stringify(requests.byNode)}); `
          + `task samples ${samples.samples}: fewest running ${samples.minRunning}, most starting at once ${samples.maxStarting}`);
        expect(requests.failures).toEqual([]);
        expect(requests.failed).toBe(0);
        expect(requests.byVersion['1']).toBeGreaterThan(0);
        expect(requests.byVersion['2']).toBeGreaterThan(0);
        for (const node of SWARM_NODES) expect(requests.byNode[node.name]).toBeGreaterThan(0);
        expect(samples.minRunning).toBeGreaterThanOrEqual(3); // start-first: the old task stops only once its successor runs
        expect(samples.maxStarting).toBeLessThanOrEqual(1); // parallelism 1

        // The task history tells the same: each new task was created only once the previous one ran, and each old
        // task was shut down only after the new task of its slot was running.
        const after = running(serviceTasks(web));
        expect(after.map((t) => t.image)).toEqual([images.web[2], images.web[2], images.web[2]]);
        const fresh = [...after].sort((a, b) => a.createdAt - b.createdAt);
        for (let i = 1; i < fresh.length; i++) expect(fresh[i].createdAt).toBeGreaterThanOrEqual(fresh[i - 1].stateSince);
        const history = serviceTasks(web);
        for (const old of before) {
          const gone = history.find((t) => t.id === old.id) as SwarmTask;
          const successor = after.find((t) => t.slot === old.slot) as SwarmTask;
          expect(gone.desiredState).toBe('shutdown');
          expect(gone.stateSince).toBeGreaterThanOrEqual(successor.stateSince);
        }
      });

      test('the re-plan after the rolling update shows no change', zeroChange);

      test('an update whose health check fails is rolled back automatically, and requests still never fail', async () => {
        let done = false;
        const loop = requestLoop(v.edgePort, () => done);
        v.write(work, props(images.web.bad));
        const t0 = Date.now();
        let apply: Run | undefined;
        try {
          // The provider waits for convergence (converge_config) and reports the rollback as an error; without
          // converge_config the apply ends at once and the engine rolls back afterwards.
          apply = await tf(['apply', '-auto-approve'], [0, 1]);
          await waitFor(`${web} rolled back`, () => (updateStatus(web).State === 'rollback_completed' ? true : undefined), 180_000, 500, () => JSON.stringify(updateStatus(web)));
          await waitFor(`3 running ${web} tasks after the rollback`, () => settled(web, 3), 60_000, 500, () => taskStates(web));
        } finally {
          done = true;
        }
        const requests = await loop;
        const status = updateStatus(web);
        console.log(`[e2e] swarm ${v.label}: failing update rolled back in ${secs(Date.parse(status.CompletedAt as string) - Date.parse(status.StartedAt as string))} s `
          + `(engine: ${status.Message}); terraform apply exit ${apply?.status} after ${secs(Date.now() - t0)} s; requests sent ${requests.sent}, failed ${requests.failed}`);
        if (apply && apply.status !== 0) expect(apply.stderr).toMatch(/rollback completed/);
        const tasks = serviceTasks(web);
        expect(running(tasks).map((t) => t.image)).toEqual([images.web[2], images.web[2], images.web[2]]);
        const failedBad = tasks.filter((t) => t.image === images.web.bad && t.state === 'failed');
        expect(failedBad.length).toBeGreaterThanOrEqual(1);
        expect(tasks.filter((t) => t.image === images.web.bad && t.desiredState === 'running')).toEqual([]);
        expect(JSON.parse(docker(['service', 'inspect', web]))[0].Spec.TaskTemplate.ContainerSpec.Image).toBe(images.web[2]);
        expect(requests.failures).toEqual([]);
        // Back to the good image in the code: the re-plan finds the service as the engine rolled it back, no change to
        // it (nor to the network, secret or config). Only an image the stack pulls on the manager (docker_image, which
        // the failed apply swapped for the bad one) may come back; one apply of that, and the plan is empty.
        v.write(work, props(images.web[2]));
        const changes = stack().planChanges();
        const pulls = changes.filter((c) => c.address.startsWith('docker_image.'));
        if (pulls.length > 0) console.log(`[e2e] swarm ${v.label}: after the rollback the plan re-pulls on the manager: ${pulls.map((c) => `${c.address} ${c.actions.join('+')}`).join(', ')}`);
        expect(changes.filter((c) => !c.address.startsWith('docker_image.'))).toEqual([]);
        if (pulls.length > 0) stack().apply();
        zeroChange();
      });

      test('draining a node reschedules its web tasks on the others', async () => {
        const tasks = running(serviceTasks(web));
        const workers = ['swarm1', 'swarm2'].map((n) => ({ n, count: tasks.filter((t) => t.node === n).length })).sort((a, b) => b.count - a.count);
        const drained = workers[0].n;
        expect(workers[0].count).toBeGreaterThanOrEqual(1);
        const nodeId = docker(['info', '--format', '{{.Swarm.NodeID}}'], swarmEngine(drained));
        const t0 = Date.now();
        docker(['node', 'update', '--availability', 'drain', nodeId]);
        try {
          const { value: moved } = await waitFor(`${web} tasks off ${drained}`, () => {
            const now = settled(web, 3);
            return now && now.every((t) => t.node !== drained) ? now : undefined;
          }, 120_000, 250, () => taskStates(web));
          const ms = Date.now() - t0;
          console.log(`[e2e] swarm ${v.label}: drained ${drained} (${workers[0].count} web task(s)): rescheduled, 3 running healthy elsewhere, in ${secs(ms)} s; now on ${moved.map((t) => t.node).sort().join(', ')}`);
          expect(running(serviceTasks(edge)).map((t) => t.node)).not.toContain(drained);
          expect(docker(['ps', '-q', '--filter', `label=com.docker.swarm.service.name=${web}`], swarmEngine(drained))).toBe('');
        } finally {
          docker(['node', 'update', '--availability', 'active', nodeId]);
        }
        // The edge's task for that node comes back (it was pending: no other node had its port free).
        await waitFor(`3 running ${edge} tasks`, () => settled(edge, 3), 120_000, 500, () => taskStates(edge));
      });

      test('destroy removes the services, the secret, the config and the overlay network, on every node', async () => {
        const t0 = Date.now();
        stack().destroy();
        const destroyMs = Date.now() - t0;
        const { ms } = await waitFor(`nothing named ${v.prefix}-* left`, () => (leftovers(v.prefix).length === 0 ? true : undefined), 60_000, 500,
          () => leftovers(v.prefix).join(', '));
        console.log(`[e2e] swarm ${v.label}: destroy took ${secs(destroyMs)} s, the workers were clean ${secs(ms)} s later`);
        expect(leftovers(v.prefix)).toEqual([]);
      });
    });
  }
});
