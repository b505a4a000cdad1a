import 'cdktf/lib/testing/adapters/jest';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { execFileSync } from 'child_process';
import { Aspects, Testing } from 'cdktf';
import { SwarmApp, SwarmAppProps } from '../examples/swarm/app';
import { ProductionChecks } from '../lib';
import { resources } from './util';

function synthSwarm(props: SwarmAppProps = {}): { json: any; checks: ProductionChecks; stack: SwarmApp } {
  const stack = new SwarmApp(Testing.app(), 'swarm-app', props);
  const checks = new ProductionChecks();
  Aspects.of(stack).add(checks);
  return { json: JSON.parse(Testing.synth(stack, true)), checks, stack };
}

const { json, checks, stack } = synthSwarm();
const services = resources(json, 'docker_service');
const byName = (name: string) => Object.values(services).find((s: any) => s.name === name) as any;
const networks = resources(json, 'docker_network');
const networkKey = (name: string) => Object.keys(networks).find((k) => networks[k].name === name) as string;

describe('the swarm example: the reference app as Swarm services', () => {
  test('three services: web, api, cache; no standalone containers', () => {
    expect(Object.values(services).map((s: any) => s.name).sort()).toEqual(['api', 'cache', 'web']);
    expect(resources(json, 'docker_container')).toEqual({});
  });

  test('the review finds no errors and no unsuppressed warnings; each exception is reasoned', () => {
    const findings = checks.reviewOf(stack).findings;
    expect(findings.filter((f) => !f.suppressed)).toEqual([]);
    expect(findings.map((f) => `${f.rule} ${f.resource.split('.')[1].replace(/_[0-9A-F]{8}$/, '')}`).sort()).toEqual([
      'port-published-on-all-interfaces web', 'single-replica-service cache', 'user-not-set web',
    ]);
  });

  test('encrypted overlay networks: a public front, an internal back with a subnet', () => {
    expect(Object.values(networks).map((n: any) => [n.name, n.driver, n.internal, n.options]).sort()).toEqual([
      ['back', 'overlay', true, { encrypted: '' }],
      ['front', 'overlay', false, { encrypted: '' }],
    ]);
    expect(networks[networkKey('back')].ipam_config).toEqual([{ subnet: '10.21.0.0/24', gateway: '10.21.0.1' }]);
  });

  test.each([['web', ['front']], ['api', ['front', 'back']], ['cache', ['back']]])('%s joins %j by id, with its name as alias', (name, nets) => {
    expect(byName(name).task_spec.networks_advanced).toEqual((nets as string[]).map((n) => ({ name: `\${docker_network.${networkKey(n)}.id}`, aliases: [name] })));
  });

  test.each(['web', 'api', 'cache'])('%s carries the defaults of a service', (name) => {
    const s = byName(name);
    expect(s.task_spec.container_spec).toMatchObject({ read_only: true, cap_drop: ['ALL'], stop_grace_period: '10s' });
    expect(s.task_spec.container_spec.healthcheck).toBeDefined();
    expect(s.task_spec.log_driver).toEqual({ name: 'json-file', options: { 'max-size': '10m', 'max-file': '3' } });
    expect(s.task_spec.restart_policy).toMatchObject({ condition: 'on-failure' });
    expect(s.update_config).toMatchObject({ parallelism: 1, failure_action: 'rollback' });
    expect(s.converge_config).toBeDefined();
  });

  test('web: published through the routing mesh, its site from a SwarmConfig read from nginx.conf', () => {
    const web = byName('web');
    expect(web.endpoint_spec.ports).toEqual([{ target_port: 80, published_port: 8080, protocol: 'tcp', publish_mode: 'ingress' }]);
    const [config] = Object.values(resources(json, 'docker_config')) as any[];
    const content = fs.readFileSync(path.join(__dirname, '..', 'examples', 'swarm', 'nginx.conf'));
    expect(Buffer.from(config.data, 'base64').equals(content)).toBe(true);
    expect(web.task_spec.container_spec.configs[0].file_name).toBe('/etc/nginx/conf.d/default.conf');
  });

  test('api: two replicas, the database password as a file of its user, never in the JSON', () => {
    const api = byName('api');
    expect(api.mode).toEqual({ replicated: { replicas: 2 } });
    expect(api.task_spec.container_spec.secrets).toEqual([expect.objectContaining({ file_name: '/run/secrets/db-password', file_mode: 0o400, file_uid: '65534', file_gid: '65534' })]);
    expect((Object.values(resources(json, 'docker_secret'))[0] as any).data).toBe('${base64encode(var.db_password)}');
    expect(json.variable.db_password).toMatchObject({ sensitive: true });
  });

  test('cache: one task on the manager that holds its volume, updated stop-first', () => {
    const cache = byName('cache');
    expect(cache.mode).toEqual({ replicated: { replicas: 1 } });
    expect(cache.task_spec.placement).toEqual({ constraints: ['node.role==manager'] });
    expect([cache.update_config.order, cache.rollback_config.order]).toEqual(['stop-first', 'stop-first']);
    expect(cache.task_spec.container_spec.mounts).toContainEqual({ target: '/data', type: 'volume', source: expect.stringMatching(/docker_volume\./), read_only: false });
  });

  test('with the 4.6 provider line: networks by id, init on', () => {
    const s = Object.values(resources(synthSwarm({ providerVersion: '4.6.0' }).json, 'docker_service')) as any[];
    for (const svc of s) {
      expect(svc.task_spec.container_spec.init).toBe(true);
      for (const n of svc.task_spec.networks_advanced) expect(Object.keys(n).sort()).toEqual(['aliases', 'id']);
    }
  });

  test('main.ts synthesizes with cdktf and the review command passes it', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'swarm-synth-'));
    const root = path.join(__dirname, '..');
    execFileSync(path.join(root, 'node_modules', '.bin', 'cdktf'), ['synth', '--output', out], {
      cwd: path.join(root, 'examples', 'swarm'), env: { ...process.env, CHECKPOINT_DISABLE: '1' }, stdio: 'pipe',
    });
    expect(fs.existsSync(path.join(out, 'stacks', 'swarm-app', 'cdk.tf.json'))).toBe(true);
    const report = execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(root, 'lib', 'review', 'cli.ts'), out, '--format', 'json'], {
      cwd: root, encoding: 'utf8', stdio: 'pipe',
    });
    expect(JSON.parse(report).stacks[0].findings.filter((f: any) => f.severity === 'error' && !f.suppressed)).toEqual([]);
    fs.rmSync(out, { recursive: true, force: true });
  });
});
