import 'cdktf/lib/testing/adapters/jest';
import * as path from 'path';
import { App, TerraformStack, TerraformVariable, Testing } from 'cdktf';
import {
  ContainerImage, DataVolume, DockerHost, EndpointMode, Healthcheck, MinimalImage, OverlayNetwork, Protocol, RestartCondition, Secret,
  ServiceContainer, ServiceMode, ServiceNetwork, ServicePort, SwarmConfig, SwarmSecret, SwarmService, UpdateFailureAction, UpdateOrder,
} from '../lib';
import { only, resources } from './util';
import { expectError, swarmHost } from './swarm-util';

const CTX = path.join(__dirname, '..', 'examples', 'reference-app', 'api');
const redis = () => ContainerImage.fromRegistry('redis:7.4-alpine');

/** A fresh stack `test` with a swarm manager `host` (provider `version`) and an overlay network `mesh`. */
function swarmStack(version = '3.6.2'): { app: App; stack: TerraformStack; host: DockerHost; mesh: OverlayNetwork } {
  const made = swarmHost(version);
  return { ...made, mesh: new OverlayNetwork(made.stack, 'mesh') };
}

const synth = (stack: TerraformStack): any => JSON.parse(Testing.synth(stack, true));

/** One service `svc` on `mesh` with `extra` props; `json()` is its docker_service. */
function service(extra: Record<string, unknown> = {}, version = '3.6.2') {
  const { stack, host, mesh } = swarmStack(version);
  const s = new SwarmService(stack, 'svc', { image: redis(), networks: [mesh], ...extra } as any);
  return { stack, host, mesh, s, json: () => only(synth(stack), 'docker_service') };
}

describe('SwarmService defaults', () => {
  const { json, stack } = service({ healthcheck: Healthcheck.command(['redis-cli', 'ping']) });
  const svc = json();
  const spec = svc.task_spec.container_spec;

  test('replicated, two tasks; the deploy waits until the service has converged', () => {
    expect(svc.name).toBe('svc');
    expect(svc.mode).toEqual({ replicated: { replicas: 2 } });
    expect(svc.converge_config).toEqual({ delay: '5s', timeout: '3m' });
  });
  test('restarted on failure after 5 s, without limit (every field written: the engine reads back 0s and 0)', () => {
    expect(svc.task_spec.restart_policy).toEqual({ condition: 'on-failure', delay: '5s', max_attempts: 0, window: '0s' });
  });
  test('rolling updates one task at a time, start-first, rolled back on failure; the monitor outlasts the health check', () => {
    // start period 10 + interval 10 x retries 3 + timeout 5
    expect(svc.update_config).toEqual({ parallelism: 1, delay: '0s', order: 'start-first', failure_action: 'rollback', monitor: '45s' });
    expect(svc.rollback_config).toEqual({ parallelism: 1, delay: '0s', order: 'start-first', failure_action: 'pause', monitor: '45s' });
  });
  test('the container specification: no capabilities, read-only root, tmpfs /tmp, stop grace 10 s', () => {
    expect(spec.cap_drop).toEqual(['ALL']);
    expect(spec.cap_add).toBeUndefined();
    expect(spec.read_only).toBe(true);
    expect(spec.mounts).toEqual([{ target: '/tmp', type: 'tmpfs', tmpfs_options: { size_bytes: 64 * 1024 * 1024 } }]);
    expect(spec.stop_grace_period).toBe('10s');
    expect(spec.user).toBeUndefined();
  });
  test('memory limit 512 MiB, no reservation; json-file logs with both rotation options', () => {
    expect(svc.task_spec.resources).toEqual({ limits: { memory_bytes: 512 * 1024 * 1024 } });
    expect(svc.task_spec.log_driver).toEqual({ name: 'json-file', options: { 'max-size': '10m', 'max-file': '3' } });
  });
  test('health check durations as the provider reads them back', () => {
    expect(spec.healthcheck).toEqual({ test: ['CMD', 'redis-cli', 'ping'], interval: '10s', timeout: '5s', start_period: '10s', retries: 3 });
  });
  test('a pulled image by digest: its repo_digest, or its image_id when it came from no registry', () => {
    const images = Object.keys(resources(synth(stack), 'docker_image'));
    expect(spec.image).toBe(`\${coalesce(docker_image.${images[0]}.repo_digest, docker_image.${images[0]}.image_id)}`);
  });
  test('the overlay network by id (provider 3.6.2: in `name`), the service name as alias; VIP endpoint, no ports', () => {
    expect(svc.task_spec.networks_advanced).toEqual([{ name: expect.stringMatching(/^\$\{docker_network\.mesh_[0-9A-F]{8}\.id\}$/), aliases: ['svc'] }]);
    expect(svc.endpoint_spec).toEqual({ mode: 'vip' });
  });
  test('no init with provider 3.6.2 (its docker_service has none), no placement, no secrets', () => {
    expect(spec.init).toBeUndefined();
    expect(svc.task_spec.placement).toBeUndefined();
    expect(spec.secrets).toBeUndefined();
  });
});

describe('SwarmService with the 4.6 provider line', () => {
  test.each(['4.6.0', '~> 4.6'])('%s: networks by `id` (the 4.6 line reads back id only), init on', (version) => {
    const svc = service({}, version).json();
    expect(svc.task_spec.networks_advanced).toEqual([{ id: expect.stringMatching(/^\$\{docker_network\.mesh_[0-9A-F]{8}\.id\}$/), aliases: ['svc'] }]);
    expect(svc.task_spec.container_spec.init).toBe(true);
    expect(service({ init: false }, version).json().task_spec.container_spec.init).toBe(false);
  });
});

describe('SwarmService opt-outs', () => {
  test('each default can be turned off or changed', () => {
    const svc = service({
      serviceName: 'cache-main', replicas: 5, readOnlyRootFilesystem: false, dropAllCapabilities: false, memoryMiB: 128, cpus: 0.5,
      memoryReservationMiB: 64, cpuReservation: 0.25, logMaxSizeMiB: 50, logMaxFiles: 7, stopTimeoutSeconds: 90, tmpfsSizeMiB: 16,
      user: '999:1000', waitForConvergence: false,
      restartPolicy: { condition: RestartCondition.ANY, delaySeconds: 1, maxAttempts: 3, windowSeconds: 120 },
      updateConfig: { parallelism: 2, delaySeconds: 10, order: UpdateOrder.STOP_FIRST, failureAction: UpdateFailureAction.PAUSE, monitorSeconds: 3600 },
      rollbackConfig: { parallelism: 0, order: UpdateOrder.STOP_FIRST, failureAction: UpdateFailureAction.CONTINUE, monitorSeconds: 65 },
    }).json();
    const spec = svc.task_spec.container_spec;
    expect(svc).toMatchObject({ name: 'cache-main', mode: { replicated: { replicas: 5 } } });
    expect(svc.converge_config).toBeUndefined();
    expect([spec.read_only, spec.cap_drop, spec.user, spec.stop_grace_period]).toEqual([false, undefined, '999:1000', '1m30s']);
    expect(spec.mounts[0].tmpfs_options).toEqual({ size_bytes: 16 * 1024 * 1024 });
    expect(svc.task_spec.resources).toEqual({
      limits: { memory_bytes: 128 * 1024 * 1024, nano_cpus: 500000000 },
      reservation: { memory_bytes: 64 * 1024 * 1024, nano_cpus: 250000000 },
    });
    expect(svc.task_spec.log_driver.options).toEqual({ 'max-size': '50m', 'max-file': '7' });
    expect(svc.task_spec.restart_policy).toEqual({ condition: 'any', delay: '1s', max_attempts: 3, window: '2m' });
    expect(svc.update_config).toEqual({ parallelism: 2, delay: '10s', order: 'stop-first', failure_action: 'pause', monitor: '1h' });
    expect(svc.rollback_config).toEqual({ parallelism: 0, delay: '0s', order: 'stop-first', failure_action: 'continue', monitor: '1m5s' });
  });

  test('capabilities added back: upper-cased, CAP_-prefixed, de-duplicated and sorted, as for a container', () => {
    const spec = service({ addCapabilities: ['net_bind_service', 'CAP_CHOWN', 'CHOWN'] }).json().task_spec.container_spec;
    expect([spec.cap_drop, spec.cap_add]).toEqual([['ALL'], ['CAP_CHOWN', 'CAP_NET_BIND_SERVICE']]);
  });

  test('writable paths: tmpfs mounts; named volumes: volume mounts', () => {
    const { stack, mesh } = swarmStack();
    const data = new DataVolume(stack, 'data');
    new SwarmService(stack, 'svc', {
      image: redis(), networks: [mesh], writablePaths: ['/var/cache/nginx'], volumes: [{ volume: data, containerPath: '/data' }, { volume: data, containerPath: '/seed', readOnly: true }],
    });
    expect(only(synth(stack), 'docker_service').task_spec.container_spec.mounts).toEqual([
      { target: '/tmp', type: 'tmpfs', tmpfs_options: { size_bytes: 67108864 } },
      { target: '/var/cache/nginx', type: 'tmpfs', tmpfs_options: { size_bytes: 67108864 } },
      { target: '/data', type: 'volume', source: expect.stringMatching(/^\$\{docker_volume\.data_[0-9A-F]{8}\.name\}$/), read_only: false },
      { target: '/seed', type: 'volume', source: expect.stringMatching(/^\$\{docker_volume\.data_[0-9A-F]{8}\.name\}$/), read_only: true },
    ]);
  });

  test('global: one task per node, no replicas, no converge_config (the provider refuses it for global services)', () => {
    const svc = service({ mode: ServiceMode.GLOBAL }).json();
    expect(svc.mode).toEqual({ global: true });
    expect(svc.converge_config).toBeUndefined();
  });

  test('placement: constraints, spread preferences, most tasks per node', () => {
    const svc = service({ placementConstraints: ['node.role==manager', 'node.labels.zone != b'], placementPreferences: ['node.labels.zone'], maxReplicasPerNode: 1 }).json();
    expect(svc.task_spec.placement).toEqual({ constraints: ['node.role==manager', 'node.labels.zone != b'], prefs: ['node.labels.zone'], max_replicas: 1 });
    // The engine fills in the image's platforms on create; the provider would read them back as a change.
    expect(svc.lifecycle).toEqual({ ignore_changes: ['task_spec[0].placement[0].platforms'] });
  });

  test('no placement block, no ignored platforms', () => {
    expect(service().json().lifecycle).toBeUndefined();
  });

  test('the converge timeout grows with the replicas and the monitor period', () => {
    expect(service({ replicas: 10 }).json().converge_config.timeout).toBe('8m15s'); // (10 + 1) x 45 s
    expect(service({ convergeTimeoutSeconds: 600 }).json().converge_config.timeout).toBe('10m');
  });
});

describe('SwarmService features', () => {
  test('command is the Docker API args, entrypoint its command; working dir, environment as a map, labels', () => {
    const spec = service({
      command: ['redis-server', '--appendonly', 'yes'], entrypoint: ['docker-entrypoint.sh'], workingDir: '/data',
      environment: { B: '2', A: '1' }, labels: { team: 'core' },
    }).json().task_spec.container_spec;
    expect(spec).toMatchObject({ args: ['redis-server', '--appendonly', 'yes'], command: ['docker-entrypoint.sh'], dir: '/data', env: { A: '1', B: '2' } });
    expect(spec.labels).toEqual([{ label: 'team', value: 'core' }]);
  });

  test('secret environment: a sensitive variable reference, never the value', () => {
    process.env.TF_VAR_api_token = 'never-in-json-4711';
    const { stack } = service({ secretEnvironment: { API_TOKEN: Secret.fromVariable('api_token') } });
    const json = synth(stack);
    expect(only(json, 'docker_service').task_spec.container_spec.env).toEqual({ API_TOKEN: '${var.api_token}' });
    expect(json.variable.api_token).toMatchObject({ sensitive: true });
    expect(JSON.stringify(json)).not.toContain('never-in-json-4711');
    delete process.env.TF_VAR_api_token;
  });

  test('ports: ingress through the routing mesh, host mode on the task nodes; host-mode ports make updates stop-first', () => {
    const svc = service({ ports: [ServicePort.ingress(8080, 80), ServicePort.host(9000, 9000, Protocol.UDP)] }).json();
    expect(svc.endpoint_spec).toEqual({
      mode: 'vip',
      ports: [
        { target_port: 80, published_port: 8080, protocol: 'tcp', publish_mode: 'ingress' },
        { target_port: 9000, published_port: 9000, protocol: 'udp', publish_mode: 'host' },
      ],
    });
    // An old and a new task cannot bind one node's port: start-first would never start the new one there.
    expect([svc.update_config.order, svc.rollback_config.order]).toEqual(['stop-first', 'stop-first']);
    expect(service({ ports: [ServicePort.host(9000, 9000)], updateConfig: { order: UpdateOrder.START_FIRST } }).json().update_config.order).toBe('start-first');
  });

  test('dnsrr endpoint mode with host-mode ports (no IPVS needed)', () => {
    const svc = service({ endpointMode: EndpointMode.DNSRR, ports: [ServicePort.host(8080, 8080)] }).json();
    expect(svc.endpoint_spec).toEqual({ mode: 'dnsrr', ports: [{ target_port: 8080, published_port: 8080, protocol: 'tcp', publish_mode: 'host' }] });
  });

  test('secrets as files at /run/secrets/<name>, mode 0400, owned by root unless told', () => {
    const { stack, mesh } = swarmStack();
    const db = new SwarmSecret(stack, 'db-password', { value: Secret.fromVariable('db_password') });
    const tls = new SwarmSecret(stack, 'tls-key', { value: Secret.fromVariable('tls_key'), secretName: 'tls' });
    new SwarmService(stack, 'api', {
      image: redis(), networks: [mesh],
      secrets: [{ secret: db }, { secret: tls, target: 'server.key', mode: 0o440, uid: '65534', gid: '65534' }, { secret: tls, target: '/etc/ssl/private/key.pem' }],
    });
    const json = synth(stack);
    const keys = Object.keys(resources(json, 'docker_secret'));
    const ref = (k: string, a: string) => `\${docker_secret.${k}.${a}}`;
    expect(only(json, 'docker_service').task_spec.container_spec.secrets).toEqual([
      { secret_id: ref(keys[0], 'id'), secret_name: ref(keys[0], 'name'), file_name: '/run/secrets/db-password', file_mode: 0o400, file_uid: '0', file_gid: '0' },
      { secret_id: ref(keys[1], 'id'), secret_name: ref(keys[1], 'name'), file_name: '/run/secrets/server.key', file_mode: 0o440, file_uid: '65534', file_gid: '65534' },
      { secret_id: ref(keys[1], 'id'), secret_name: ref(keys[1], 'name'), file_name: '/etc/ssl/private/key.pem', file_mode: 0o400, file_uid: '0', file_gid: '0' },
    ]);
  });

  test('configs as files, at /<configName> by default, mode 0444', () => {
    const { stack, mesh } = swarmStack();
    const conf = new SwarmConfig(stack, 'site', { content: 'server {}' });
    new SwarmService(stack, 'web', { image: redis(), networks: [mesh], configs: [{ config: conf }, { config: conf, target: '/etc/nginx/conf.d/default.conf', mode: 0o400, uid: '101' }] });
    const json = synth(stack);
    const [key] = Object.keys(resources(json, 'docker_config'));
    expect(only(json, 'docker_service').task_spec.container_spec.configs).toEqual([
      { config_id: `\${docker_config.${key}.id}`, config_name: `\${docker_config.${key}.name}`, file_name: '/site', file_mode: 0o444, file_uid: '0', file_gid: '0' },
      { config_id: `\${docker_config.${key}.id}`, config_name: `\${docker_config.${key}.name}`, file_name: '/etc/nginx/conf.d/default.conf', file_mode: 0o400, file_uid: '101', file_gid: '0' },
    ]);
  });

  test('images: a reference with a digest as written, a built image by id', () => {
    const digest = `redis:7.4-alpine@sha256:${'ab'.repeat(32)}`;
    expect(service({ image: ContainerImage.fromRegistry(digest) }).json().task_spec.container_spec.image).toBe(digest);
    const { stack, mesh } = swarmStack();
    new SwarmService(stack, 'api', { image: new MinimalImage(stack, 'api-image', { context: CTX, name: 'team/api:1.4.2' }), networks: [mesh] });
    expect(only(synth(stack), 'docker_service').task_spec.container_spec.image).toMatch(/^\$\{docker_image\.api-image_[0-9A-F]{8}\.image_id\}$/);
  });

  test('one image per reference, shared by containers and services; a ServiceContainer still runs on a manager', () => {
    const { stack, mesh } = swarmStack();
    const bridge = new ServiceNetwork(stack, 'local');
    new SwarmService(stack, 'svc', { image: redis(), networks: [mesh] });
    new ServiceContainer(stack, 'tool', { image: redis(), networks: [bridge] });
    const json = synth(stack);
    expect(Object.keys(resources(json, 'docker_image'))).toHaveLength(1);
    expect(only(json, 'docker_container').image).toMatch(/\.image_id\}$/);
  });

  test('token values pass unjudged', () => {
    const { stack, mesh } = swarmStack();
    const num = (id: string) => new TerraformVariable(stack, id, { type: 'number' }).numberValue;
    new SwarmService(stack, 'svc', {
      image: redis(), networks: [mesh], replicas: num('replicas'), memoryMiB: num('memory'), cpus: num('cpus'),
      ports: [ServicePort.ingress(num('port'), 80)], stopTimeoutSeconds: num('grace'),
    });
    const svc = only(synth(stack), 'docker_service');
    expect(svc.mode.replicated.replicas).toBe('${var.replicas}');
    expect(svc.task_spec.resources.limits).toEqual({ memory_bytes: '${(var.memory * 1048576)}', nano_cpus: '${(var.cpus * 1000000000)}' });
    expect(svc.endpoint_spec.ports[0].published_port).toBe('${var.port}');
    expect(svc.task_spec.container_spec.stop_grace_period).toBe('${var.grace}s');
    expect(svc.converge_config.timeout).toBe('3m');
  });
});

/**
 * One specification, two runners: the same props give a container and a service the same
 * hardening, limits, environment and logs, each in its provider's schema.
 */
describe('one container specification for ServiceContainer and SwarmService', () => {
  const props = {
    command: ['redis-server'], entrypoint: ['/entry'], workingDir: '/data', user: '999', environment: { A: '1' },
    writablePaths: ['/run'], tmpfsSizeMiB: 8, memoryMiB: 100, cpus: 1.5, addCapabilities: ['chown'], logMaxSizeMiB: 20, logMaxFiles: 2,
    stopTimeoutSeconds: 30, labels: { team: 'core' }, healthcheck: Healthcheck.tcp(6379, { intervalSeconds: 120, retries: 2 }),
  };
  const { stack, mesh } = swarmStack('4.6.0');
  const bridge = new ServiceNetwork(stack, 'local');
  new ServiceContainer(stack, 'c1', { image: redis(), networks: [bridge], ...props });
  new SwarmService(stack, 's1', { image: redis(), networks: [mesh], ...props });
  const json = synth(stack);
  const c = only(json, 'docker_container');
  const s = only(json, 'docker_service');
  const spec = s.task_spec.container_spec;

  test('process: command, entrypoint, working dir, user, environment, init, labels', () => {
    expect([spec.args, spec.command, spec.dir, spec.user, spec.init, spec.labels]).toEqual([c.command, c.entrypoint, c.working_dir, c.user, c.init, c.labels]);
    expect(Object.entries(spec.env).map(([k, v]) => `${k}=${v}`)).toEqual(c.env);
  });
  test('hardening: capabilities, read-only root, the same tmpfs paths and size', () => {
    expect([spec.cap_drop, spec.cap_add]).toEqual([c.capabilities.drop, c.capabilities.add]);
    expect(spec.read_only).toBe(c.read_only);
    expect(spec.mounts.map((m: any) => m.target).sort()).toEqual(Object.keys(c.tmpfs).sort());
    expect(spec.mounts[0].tmpfs_options.size_bytes).toBe(8 * 1024 * 1024);
  });
  test('limits, logs, stop grace, health check timing', () => {
    expect(s.task_spec.resources.limits).toEqual({ memory_bytes: c.memory * 1024 * 1024, nano_cpus: Number(c.cpus) * 1e9 });
    expect(s.task_spec.log_driver).toEqual({ name: c.log_driver, options: c.log_opts });
    expect([spec.stop_grace_period, c.stop_timeout]).toEqual(['30s', 30]);
    expect(spec.healthcheck).toEqual({ test: c.healthcheck.test, interval: '2m', timeout: c.healthcheck.timeout, start_period: c.healthcheck.start_period, retries: 2 });
    expect(c.healthcheck.interval).toBe('120s');
  });
});

describe('SwarmService bad input names the path, the prop, the value and what is allowed', () => {

  test('a host that is not a swarm manager', () => {
    const stack = new TerraformStack(Testing.app(), 'test');
    const host = new DockerHost(stack, 'host');
    expectError(() => new SwarmService(stack, 'svc', { image: redis(), host }),
      'test/svc: invalid host "test/host": a DockerHost with `swarm: true` (a swarm manager): a swarm service exists only in a swarm');
  });
  test('a bridge ServiceNetwork', () => {
    const { stack } = swarmStack();
    const bridge = new ServiceNetwork(stack, 'local');
    expectError(() => new SwarmService(stack, 'svc', { image: redis(), networks: [bridge as any] }),
      /^test\/svc: invalid networks\[0\] "test\/local": an OverlayNetwork: a bridge ServiceNetwork exists on one host only/);
  });
  test('no network', () => {
    const { stack } = swarmStack();
    expectError(() => new SwarmService(stack, 'svc', { image: redis() }), 'test/svc: invalid networks (none): at least one OverlayNetwork');
  });
  test('the same network twice, and one of another host', () => {
    const { stack, mesh } = swarmStack();
    expectError(() => new SwarmService(stack, 'svc', { image: redis(), networks: [mesh, mesh] }), 'test/svc: invalid networks[1] "test/mesh": each network once');
    const other = new DockerHost(stack, 'other', { swarm: true, alias: 'other', url: 'ssh://deploy@10.0.0.5' });
    const far = new OverlayNetwork(stack, 'far', { host: other });
    expectError(() => new SwarmService(stack, 'svc2', { image: redis(), networks: [far] }), /invalid networks\[0\] "test\/far": a network on the service's host test\/host \(it is on test\/other\)/);
  });
  test('an ingress port with dnsrr', () => {
    expectError(() => service({ endpointMode: EndpointMode.DNSRR, ports: [ServicePort.ingress(8080, 80)] }),
      /^test\/svc: invalid ports\[0\] "8080->80\/tcp \(ingress\)": a port in host mode \(ServicePort\.host\) with EndpointMode\.DNSRR/);
  });
  test('a published port twice; a port another service publishes on the host', () => {
    expectError(() => service({ ports: [ServicePort.ingress(8080, 80), ServicePort.host(8080, 81)] }), 'test/svc: invalid ports[1] "8080/tcp": a published port and protocol not already published by this service');
    const { stack, mesh } = swarmStack();
    new SwarmService(stack, 'web', { image: redis(), networks: [mesh], ports: [ServicePort.ingress(8080, 80)] });
    expectError(() => new SwarmService(stack, 'admin', { image: redis(), networks: [mesh], ports: [ServicePort.ingress(8080, 80)] }),
      'test/admin: invalid ports[0] "0.0.0.0:8080/tcp": a host port and protocol not already published on host test/host (test/web publishes 0.0.0.0:8080/tcp)');
  });
  test('a port of 70000, a protocol and a publish mode outside the enums, a port that is no ServicePort', () => {
    expectError(() => service({ ports: [ServicePort.ingress(70000, 80)] }), 'test/svc: invalid ports[0].publishedPort 70000: a port number, an integer from 1 to 65535');
    expectError(() => service({ ports: [ServicePort.host(80, 80, 'icmp' as Protocol)] }), 'test/svc: invalid ports[0].protocol "icmp": one of tcp, udp, sctp');
    expectError(() => service({ ports: [{ publishedPort: 80, targetPort: 80 }] }), /invalid ports\[0\] .*: a ServicePort from ServicePort\.ingress or ServicePort\.host/);
  });
  test('replicas with a global service, waiting for a global service to converge, a bad mode', () => {
    expectError(() => service({ mode: ServiceMode.GLOBAL, replicas: 3 }), 'test/svc: invalid replicas 3: a replica count only with ServiceMode.REPLICATED');
    expectError(() => service({ mode: ServiceMode.GLOBAL, waitForConvergence: true }), 'test/svc: invalid waitForConvergence true: false for a global service');
    expectError(() => service({ mode: 'daemonset' }), 'test/svc: invalid mode "daemonset": one of replicated, global');
    expectError(() => service({ replicas: -1 }), 'test/svc: invalid replicas -1: a number of tasks from 0 to 10000');
  });
  test('an update monitor period no longer than the time a task may take to be found unhealthy', () => {
    expectError(() => service({ healthcheck: Healthcheck.tcp(6379), updateConfig: { monitorSeconds: 40 } }),
      "test/svc: invalid updateConfig.monitorSeconds 40: seconds longer than the health check's start period + interval × retries (40 s)");
    expect(service({ healthcheck: Healthcheck.tcp(6379), updateConfig: { monitorSeconds: 41 } }).json().update_config.monitor).toBe('41s');
  });
  test('a rollback that rolls back; enums of the rollout', () => {
    expectError(() => service({ rollbackConfig: { failureAction: UpdateFailureAction.ROLLBACK } }), 'test/svc: invalid rollbackConfig.failureAction "rollback": pause or continue');
    expectError(() => service({ updateConfig: { order: 'random' } }), 'test/svc: invalid updateConfig.order "random": one of start-first, stop-first');
    expectError(() => service({ updateConfig: { parallelism: 1.5 } }), 'test/svc: invalid updateConfig.parallelism 1.5');
    expectError(() => service({ restartPolicy: { condition: 'always' } }), 'test/svc: invalid restartPolicy.condition "always": one of none, on-failure, any');
    expectError(() => service({ updateConfig: 'fast' }), 'test/svc: invalid updateConfig "fast": an object of ServiceUpdateConfig');
  });
  test('a health check start interval (docker_service has none)', () => {
    expectError(() => service({ healthcheck: Healthcheck.tcp(6379, { startIntervalSeconds: 2 }) }),
      "test/svc: invalid healthcheck.startIntervalSeconds 2: no start interval for a SwarmService: docker_service's healthcheck has no start_interval");
  });
  test('placement: a spread= preference, a constraint without an operator, max replicas of 0', () => {
    expectError(() => service({ placementPreferences: ['spread=node.labels.zone'] }), /invalid placementPreferences\[0\] "spread=node.labels.zone": a spread descriptor such as 'node.labels.zone', without 'spread='/);
    expectError(() => service({ placementConstraints: ['node.role'] }), /invalid placementConstraints\[0\] "node.role": a constraint '<attribute> == <value>'/);
    expectError(() => service({ maxReplicasPerNode: 0 }), 'test/svc: invalid maxReplicasPerNode 0: tasks per node');
  });
  test('a service name that is no DNS label; the same name twice on a host', () => {
    expectError(() => service({ serviceName: 'api.v1' }), 'test/svc: invalid serviceName "api.v1": a swarm service name: letters and digits, with - or _ between them, at most 63 characters');
    const { stack, mesh } = swarmStack();
    new SwarmService(stack, 'a', { image: redis(), networks: [mesh], serviceName: 'api' });
    expectError(() => new SwarmService(stack, 'b', { image: redis(), networks: [mesh], serviceName: 'api' }),
      'test/b: invalid serviceName "api": a service name not used by another construct on host test/host (test/a already uses it)');
  });
  test('reservations above the limits', () => {
    expectError(() => service({ memoryMiB: 128, memoryReservationMiB: 256 }), 'test/svc: invalid memoryReservationMiB 256: a memory reservation in MiB: an integer from 1 to the memory limit (128)');
    expectError(() => service({ cpus: 1, cpuReservation: 2 }), 'test/svc: invalid cpuReservation 2: a number of CPUs greater than 0 and at most the CPU limit (1)');
  });
  test('secret and config mounts', () => {
    const { stack, mesh } = swarmStack();
    const db = new SwarmSecret(stack, 'db', { value: Secret.fromVariable('db_pw') });
    const conf = new SwarmConfig(stack, 'conf', { content: 'x' });
    const svc = (id: string, extra: Record<string, unknown>) => () => new SwarmService(stack, id, { image: redis(), networks: [mesh], ...extra } as any);
    expectError(svc('s1', { secrets: [db] }), /test\/s1: invalid secrets\[0\]\.secret \(missing\): a SwarmSecret/);
    expectError(svc('s2', { secrets: [{ secret: db, target: 'a/b' }] }), 'test/s2: invalid secrets[0].target "a/b": a file name under /run/secrets');
    expectError(svc('s3', { secrets: [{ secret: db, mode: 0o1777 }] }), 'test/s3: invalid secrets[0].mode 1023: a file mode from 0 to 0o777');
    expectError(svc('s4', { secrets: [{ secret: db, uid: 'www-data' }] }), 'test/s4: invalid secrets[0].uid "www-data": a numeric id as a string');
    expectError(svc('s5', { secrets: [{ secret: db }, { secret: db }] }), 'test/s5: invalid secrets[1].target "/run/secrets/db": a container path not already mounted');
    expectError(svc('s6', { configs: [{ config: conf, target: 'conf.d/x' }] }), 'test/s6: invalid configs[0].target "conf.d/x": an absolute path in the container');
    expectError(svc('s7', { configs: [{ config: db }] }), 'test/s7: invalid configs[0].config "test/db": a SwarmConfig');
    expectError(svc('s8', { configs: 'conf' }), 'test/s8: invalid configs "conf": a list of config mounts');
  });
  test('the shared specification checks as for a container', () => {
    expectError(() => service({ memoryMiB: 4 }), "test/svc: invalid memoryMiB 4: a memory limit in MiB: an integer of at least 6 (Docker's minimum)");
    expectError(() => service({ addCapabilities: ['ALL'] }), 'test/svc: invalid addCapabilities[0] "ALL": a Linux capability name such as NET_BIND_SERVICE (ALL is not allowed)');
    expectError(() => service({ image: ContainerImage.fromRegistry('redis:latest') }), /^test\/svc: invalid image "redis:latest": pinned by a tag/);
    expectError(() => service({ writablePaths: ['/data'], volumes: [{ volume: undefined, containerPath: '/x' }] }), 'test/svc: invalid volumes[0].volume (missing): a DataVolume');
  });
});

/**
 * The JSON is checked against both provider lines' schemas: provider 3.6.2's, as its bindings
 * write it (every attribute through them but for the 4.6 line's own, added by override), and
 * 4.6.0's, from `terraform providers schema -json` of the build the end-to-end tier deploys with.
 */
describe('the synthesized JSON fits the schema of the provider release the host names', () => {
  const schema46 = require('./fixtures/provider-schema/docker-4.6.0.json').resources;
  const paths362 = new Set<string>(require('./fixtures/provider-schema/docker-3.6.2-paths.json').paths);

  function everything(version: string): any {
    const { stack, mesh } = swarmStack(version);
    const db = new SwarmSecret(stack, 'db', { value: Secret.fromVariable('db_pw') });
    const conf = new SwarmConfig(stack, 'conf', { content: 'x', labels: version === '3.6.2' ? undefined : { team: 'core' } });
    new OverlayNetwork(stack, 'back', { encrypted: true, internal: true, subnet: '10.30.0.0/24' });
    const data = new DataVolume(stack, 'data');
    new SwarmService(stack, 'full', {
      image: redis(), networks: [mesh], replicas: 3, ports: [ServicePort.ingress(8080, 80), ServicePort.host(9090, 9090)],
      secrets: [{ secret: db }], configs: [{ config: conf }], volumes: [{ volume: data, containerPath: '/data' }],
      healthcheck: Healthcheck.http(80, '/'), addCapabilities: ['CHOWN'], cpus: 1, memoryReservationMiB: 64, cpuReservation: 0.5,
      environment: { A: 'b' }, labels: { a: 'b' }, command: ['x'], entrypoint: ['y'], workingDir: '/w', user: '1',
      placementConstraints: ['node.role==manager'], placementPreferences: ['node.labels.zone'], maxReplicasPerNode: 2,
    });
    new SwarmService(stack, 'everywhere', { image: redis(), networks: [mesh], mode: ServiceMode.GLOBAL, endpointMode: EndpointMode.DNSRR });
    return synth(stack).resource;
  }

  /** Key paths of a resource's JSON (`a.b/` for a block, `a.b` for an attribute), as in the 3.6.2 fixture. */
  function keyPaths(type: string, value: any, prefix = ''): string[] {
    const out: string[] = [];
    for (const [k, v] of Object.entries(value)) {
      if (['provider', 'lifecycle', 'depends_on', '//'].includes(k)) continue;
      const p = `${prefix}${k}`;
      const blocks = [v].flat().filter((x) => x !== null && typeof x === 'object' && !Array.isArray(x));
      const isBlock = blocks.length > 0 && !['env', 'options', 'log_opts', 'driver_options', 'tmpfs'].includes(k);
      if (isBlock) {
        out.push(`${type}:${p}/`);
        for (const b of blocks) out.push(...keyPaths(type, b, `${p}.`));
      } else out.push(`${type}:${p}`);
    }
    return out;
  }

  /** Every key is in the 4.6 schema, none deprecated; every required attribute and min_items block is there. */
  function check46(block: any, value: any, where: string, problems: string[]): void {
    for (const [k, v] of Object.entries(value)) {
      if (['provider', 'lifecycle', 'depends_on', '//'].includes(k)) continue;
      const s = block[k];
      if (!s) problems.push(`${where}.${k}: not in the schema`);
      else if (s.deprecated) problems.push(`${where}.${k}: deprecated`);
      else if (s.block) {
        const items = [v].flat();
        if (s.max_items !== undefined && items.length > s.max_items) problems.push(`${where}.${k}: more than ${s.max_items}`);
        for (const item of items) check46(s.block, item, `${where}.${k}`, problems);
      }
    }
    for (const [k, s] of Object.entries<any>(block)) {
      if ((s.required || s.min_items > 0) && value[k] === undefined) problems.push(`${where}.${k}: required, missing`);
    }
  }

  test('provider 4.6.0: every attribute exists, none deprecated, the required ones present, converge_config not with global', () => {
    const json = everything('4.6.0');
    const problems: string[] = [];
    for (const type of ['docker_service', 'docker_secret', 'docker_config', 'docker_network']) {
      for (const [name, r] of Object.entries<any>(json[type] ?? {})) check46(schema46[type], r, `${type}.${name}`, problems);
    }
    expect(problems).toEqual([]);
    const global = Object.values<any>(json.docker_service).find((r) => r.mode.global);
    expect(global.converge_config).toBeUndefined();
  });

  test('provider 3.6.2: every key path is one its bindings know (so no init, networks by name, no config labels)', () => {
    const json = everything('3.6.2');
    const unknown = ['docker_service', 'docker_secret', 'docker_config', 'docker_network']
      .flatMap((type) => Object.values<any>(json[type] ?? {}).flatMap((r) => keyPaths(type, r)))
      .filter((p) => !paths362.has(p));
    expect(unknown).toEqual([]);
  });

  test('the differences between the lines the library handles', () => {
    const byPath = (list: string[]) => new Set(list);
    const p46 = byPath(Object.keys(schema46.docker_service.task_spec.block.container_spec.block));
    expect(p46.has('init')).toBe(true);
    expect(paths362.has('docker_service:task_spec.container_spec.init')).toBe(false);
    expect(schema46.docker_service.task_spec.block.networks_advanced.block.name.deprecated).toBe(true);
    expect(paths362.has('docker_service:task_spec.networks_advanced.id')).toBe(false);
    expect(schema46.docker_config.labels).toBeDefined();
    expect(paths362.has('docker_config:labels/')).toBe(false);
  });
});
