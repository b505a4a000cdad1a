/**
 * Swarm services in the review: a `docker_service` is read as the container its
 * tasks run, so the container rules judge it too (through both front ends),
 * with messages that name the service's own attributes; its summary row says
 * how many tasks it runs; a plan of the same services gives the same findings.
 */
import 'cdktf/lib/testing/adapters/jest';
import * as fs from 'fs';
import * as path from 'path';
import { Service } from '@cdktf/provider-docker/lib/service';
import { Aspects, TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { ContainerImage, DockerHost, Healthcheck, OverlayNetwork, ProductionChecks, SwarmService } from '../lib';
import { Severity } from '../lib/review/model';
import { RULES } from '../lib/review/rules/index';
import { Build, hardenedService, runCli, ServiceOverrides, viaAspect, viaCli } from './fixtures/review/helpers';

const S = 'docker_service.s';
const service = (overrides: ServiceOverrides): Build => (stack) => {
  new Service(stack, 's', hardenedService(overrides));
};

test('the hardened service passes every rule in both front ends', () => {
  const aspect = viaAspect(service({}));
  expect(aspect.error).toBe('');
  expect(aspect.review.findings).toEqual([]);
  expect(aspect.review.services.map((s) => [s.name, s.kind, s.replicas])).toEqual([['api', 'swarm-service', 2]]);
  const cli = viaCli(service({}));
  expect(cli.code).toBe(0);
  expect(cli.findings).toEqual([]);
});

/** A container rule, a service that breaks it, and the service attribute its message must name. */
const TASK_CASES: [string, ServiceOverrides, string][] = [
  ['image-not-pinned', { spec: { image: 'nginx:latest' } }, 'task_spec.container_spec.image "nginx:latest"'],
  ['image-not-pinned', { spec: { image: 'registry.example.com/team/api' } }, 'has no tag'],
  ['multiple-processes', { spec: { command: ['/usr/bin/supervisord'] } }, 'task_spec.container_spec.command and args'],
  ['host-namespace', { task: { networksAdvanced: [{ name: 'host' }] } }, 'task_spec.networks_advanced joins the "host" network'],
  ['docker-socket-mounted', { spec: { mounts: [{ type: 'bind', source: '/var/run/docker.sock', target: '/var/run/docker.sock' }] } }, 'task_spec.container_spec.mounts (bind)'],
  ['sensitive-host-path', { spec: { mounts: [{ type: 'bind', source: '/etc', target: '/host-etc' }] } }, 'task_spec.container_spec.mounts (bind) mounts the host\'s "/etc"'],
  ['capabilities-not-dropped', { spec: { capDrop: [] } }, 'task_spec.container_spec.cap_drop does not contain "ALL"'],
  ['writable-root-filesystem', { spec: { readOnly: false } }, 'task_spec.container_spec.read_only is not true'],
  ['no-memory-limit', { task: { resources: {} } }, 'task_spec.resources.limits.memory_bytes is not set'],
  ['no-restart-policy', { task: { restartPolicy: { condition: 'none' } } }, 'task_spec.restart_policy.condition is "none"'],
  ['no-health-check', { spec: { healthcheck: undefined } }, 'no task_spec.container_spec.healthcheck block'],
  ['no-health-check', { spec: { healthcheck: { test: ['NONE'] } } }, 'task_spec.container_spec.healthcheck.test is NONE'],
  ['no-log-rotation', { task: { logDriver: undefined } }, 'task_spec.log_driver.name is not set'],
  ['no-log-rotation', { task: { logDriver: { name: 'json-file', options: { 'max-size': '10m' } } } }, 'without task_spec.log_driver.options max-file'],
  ['port-published-on-all-interfaces', { service: { endpointSpec: { ports: [{ targetPort: 8080, publishedPort: 80 }] } } }, 'port 80 -> 8080/tcp (publish_mode ingress) is published on all interfaces of every node'],
  ['port-published-on-all-interfaces', { service: { endpointSpec: { ports: [{ targetPort: 8080, publishedPort: 80, publishMode: 'host' }] } } }, '(publish_mode host) is published on all interfaces of each node that runs a task'],
  ['literal-secret-env', { spec: { env: { API_TOKEN: 'abc123' } } }, 'task_spec.container_spec.env API_TOKEN has a literal value'],
  ['user-not-set', { spec: { user: 'root' } }, 'task_spec.container_spec.user is "root"'],
  ['user-not-set', { spec: { user: undefined } }, 'task_spec.container_spec.user is not set'],
  ['dangerous-capability-added', { spec: { capAdd: ['CAP_SYS_ADMIN'] } }, 'task_spec.container_spec.cap_add grants CAP_SYS_ADMIN'],
  ['confinement-disabled', { spec: { privileges: { seLinuxContext: { disable: true } } } }, 'task_spec.container_spec.privileges.se_linux_context.disable = true'],
  ['kernel-parameter-set', { spec: { sysctl: { 'vm.swappiness': '10' } } }, 'task_spec.container_spec.sysctl sets "vm.swappiness"'],
];

describe.each(TASK_CASES)('%s reads the task of a service: %j', (ruleId, overrides, message) => {
  const severity = RULES.find((r) => r.id === ruleId)?.severity;

  test('Aspect', () => {
    const run = viaAspect(service(overrides));
    const found = run.review.findings.filter((f) => f.rule === ruleId && f.resource === S);
    expect(found.map((f) => f.message)).toEqual([expect.stringContaining(message)]);
    if (severity === Severity.ERROR) expect(run.error).toContain(`${ruleId} (${S})`);
    else expect(run.warnings.some((w) => w.includes(`[${ruleId}] ${S}:`))).toBe(true);
    // The case breaks this rule only.
    expect(run.review.findings.map((f) => f.rule)).toEqual([ruleId]);
  });

  test('review command', () => {
    const run = viaCli(service(overrides));
    expect(run.findings.filter((f) => f.rule === ruleId && f.resource === S).map((f) => f.message)).toEqual([expect.stringContaining(message)]);
    expect(run.code).toBe(severity === Severity.ERROR ? 1 : 0);
  });
});

test('log-rotation-incomplete reads a service whose log driver comes from a variable (both front ends)', () => {
  const build: Build = (stack) => {
    const driver = new TerraformVariable(stack, 'log_driver', { type: 'string', default: 'json-file' });
    new Service(stack, 's', hardenedService({ task: { logDriver: { name: driver.stringValue, options: { 'max-size': '10m' } } } }));
  };
  const expected = [expect.stringMatching(/^task_spec\.log_driver\.options sets max-size but not max-file \(task_spec\.log_driver\.name \$\{var\.log_driver\}\)/)];
  expect(viaAspect(build).review.findings.filter((f) => f.rule === 'log-rotation-incomplete').map((f) => f.message)).toEqual(expected);
  expect(viaCli(build).findings.filter((f) => f.rule === 'log-rotation-incomplete').map((f) => f.message)).toEqual(expected);
});

test('every container rule that has a counterpart in a service is exercised on one; the others are named', () => {
  const onTasks = RULES.filter((r) => r.types.includes('docker_container') && r.types.includes('docker_service')).map((r) => r.id).sort();
  expect([...new Set([...TASK_CASES.map((c) => c[0]), 'log-rotation-incomplete'])].sort()).toEqual(onTasks);
  // What docker_service cannot express (provider 3.6.2), so the review does not ask it of services.
  const containerOnly = RULES.filter((r) => r.types.includes('docker_container') && !r.types.includes('docker_service')).map((r) => r.id).sort();
  expect(containerOnly).toEqual([
    'default-bridge-network', 'host-device-mapped', 'image-referenced-by-name', 'legacy-links', 'memory-swap-unset', 'no-new-privileges-missing', 'privileged-container',
  ]);
});

const CORPUS = path.join(__dirname, 'fixtures', 'review', 'corpus');

test('a plan of services (nested blocks as lists, env as a map) gives the findings of the same services synthesized', () => {
  const labels = (file: string) => {
    const run = runCli([path.join(CORPUS, file), '--format', 'json']);
    expect(run.stderr).toBe('');
    return (JSON.parse(run.stdout).stacks[0].findings as { rule: string; resource: string; message: string }[]).map((f) => `${f.rule} ${f.resource}: ${f.message}`).sort();
  };
  const synthesized = labels('swarm-services-risky.json');
  expect(synthesized.length).toBeGreaterThan(15);
  expect(labels('plan-swarm-services-risky.json')).toEqual(synthesized);
  // The literal secret's value appears in no finding.
  expect(synthesized.join('\n')).not.toContain('s3cr3t-literal');
  expect(fs.readFileSync(path.join(CORPUS, 'swarm-services-risky.json'), 'utf8')).toContain('s3cr3t-literal');
});

describe('reports say how many tasks a service runs', () => {
  const build: Build = (stack) => {
    new Service(stack, 's', hardenedService({ service: { name: 'api', endpointSpec: { ports: [{ targetPort: 8080, publishedPort: 8080, publishMode: 'host' }] } } }));
    new Service(stack, 'g', hardenedService({ service: { name: 'agent', mode: { global: true } } }));
  };

  test('text: a REPLICAS column, ports with their publish mode, the restart condition', () => {
    const run = runCli([viaCli(build).outdir]);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe('Stack stack: 2 services, 0 errors, 1 warning, 0 suppressed');
    expect(lines[2]).toMatch(/^SERVICE +REPLICAS +IMAGE +PORTS/);
    expect(lines.find((l) => l.startsWith('agent '))).toMatch(/^agent +global +registry\.example\.com\/team\/api:1\.2\.3 +- +mesh +- +on-failure +256 MiB +yes$/);
    expect(lines.find((l) => l.startsWith('api '))).toMatch(/^api +2 +\S+ +0\.0\.0\.0:8080->8080\/tcp \(host\) +mesh/);
  });

  test('markdown: a Replicas column and service nodes in the diagram', () => {
    const md = runCli([viaCli(build).outdir, '--format', 'markdown']).stdout;
    expect(md).toContain('| Service | Replicas | Image |');
    expect(md).toMatch(/\| `agent` \| global \| /);
    expect(md).toMatch(/c\d+\[\["api<br\/>registry\.example\.com\/team\/api:1\.2\.3<br\/>service, 2 replicas"\]\]/);
    expect(md).toMatch(/c\d+\[\["agent<br\/>[^"]*<br\/>global service"\]\]/);
  });

  test('json: replicas, global and kind on each service', () => {
    const services = viaCli(build).report.stacks[0].services;
    expect(services.map((s) => [s.name, s.kind, s.replicas, s.global])).toEqual([['agent', 'swarm-service', undefined, true], ['api', 'swarm-service', 2, undefined]]);
  });
});

test('a SwarmService of the library: its image by digest (coalesce of repo_digest and image_id) reads as that image; its overlay network by name', () => {
  for (const providerVersion of ['3.6.2', '4.6.0']) {
    const stack = new TerraformStack(Testing.app(), 'stack');
    new DockerHost(stack, 'host', { swarm: true, providerVersion });
    const mesh = new OverlayNetwork(stack, 'mesh');
    new SwarmService(stack, 'api', {
      image: ContainerImage.fromRegistry('nginx:1.27-alpine'), networks: [mesh], healthcheck: Healthcheck.http(80, '/'), user: '101',
    });
    const checks = new ProductionChecks();
    Aspects.of(stack).add(checks);
    const json = JSON.parse(Testing.synth(stack, true));
    const service = Object.values(json.resource.docker_service as Record<string, any>)[0];
    expect(service.task_spec.container_spec.image).toMatch(/^\$\{coalesce\(docker_image\.[^.]+\.repo_digest, docker_image\.[^.]+\.image_id\)\}$/);
    const review = checks.reviewOf(stack);
    expect(review.services.map((s) => [s.name, s.image, s.networks])).toEqual([['api', 'nginx:1.27-alpine', ['mesh']]]);
    expect(review.findings).toEqual([]);
  }
});
