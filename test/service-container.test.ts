import 'cdktf/lib/testing/adapters/jest';
import { TerraformVariable } from 'cdktf';
import {
  ContainerImage, DataVolume, Healthcheck, PortMapping, Protocol, RestartPolicy, Secret, ServiceContainer, ServiceNetwork,
  ValidationError,
} from '../lib';
import { newStack, only, resources, synth } from './util';

const redis = ContainerImage.fromRegistry('redis:7.4-alpine');

function container(extra: Record<string, unknown> = {}) {
  const { stack } = newStack();
  const net = new ServiceNetwork(stack, 'net');
  const c = new ServiceContainer(stack, 'svc', { image: redis, networks: [net], ...extra } as any);
  return { stack, net, c, json: () => only(synth(stack), 'docker_container') };
}

describe('ServiceContainer defaults', () => {
  const { json } = container();
  const c = json();

  test('restart unless-stopped and must_run', () => {
    expect(c.restart).toBe('unless-stopped');
    expect(c.must_run).toBe(true);
  });
  test('init on', () => expect(c.init).toBe(true));
  test('all capabilities dropped, none added', () => expect(c.capabilities).toEqual({ drop: ['ALL'] }));
  test('no-new-privileges', () => expect(c.security_opts).toEqual(['no-new-privileges:true']));
  test('read-only root with a tmpfs /tmp', () => {
    expect(c.read_only).toBe(true);
    expect(c.tmpfs).toEqual({ '/tmp': 'rw,noexec,nosuid,size=64m' });
  });
  test('memory limit 512 MiB', () => expect(c.memory).toBe(512));
  test('json-file logging with both rotation options', () => {
    expect(c.log_driver).toBe('json-file');
    expect(c.log_opts).toEqual({ 'max-size': '10m', 'max-file': '3' });
  });
  test('only the user-defined network, with the service name as alias', () => {
    expect(c.networks_advanced).toEqual([{ name: expect.stringMatching(/^\$\{docker_network\.net_[0-9A-F]{8}\.name\}$/), aliases: ['svc'] }]);
    expect(c.network_mode).toBeUndefined();
    expect(c.links).toBeUndefined();
  });
  test('the image is the image id, never the name', () => {
    expect(c.image).toMatch(/^\$\{docker_image\.[^.]+\.image_id\}$/);
  });
  test('no user forced, no health check, no wait, not privileged', () => {
    expect(c.user).toBeUndefined();
    expect(c.healthcheck).toBeUndefined();
    expect(c.wait).toBe(false);
    expect(c.privileged).toBeUndefined();
  });
  test('name is the construct id; stop grace 10 s', () => {
    expect(c.name).toBe('svc');
    expect(c.stop_timeout).toBe(10);
  });
});

describe('ServiceContainer opt-outs', () => {
  test('each default can be turned off or changed', () => {
    const c = container({
      restartPolicy: RestartPolicy.ON_FAILURE, maxRetryCount: 5, init: false, dropAllCapabilities: false,
      noNewPrivileges: false, readOnlyRootFilesystem: false, memoryMiB: 128, logMaxSizeMiB: 50, logMaxFiles: 7,
      stopTimeoutSeconds: 30, tmpfsSizeMiB: 16, user: '999:1000', serviceName: 'redis-main', cpus: 0.5,
    }).json();
    expect(c).toMatchObject({
      restart: 'on-failure', max_retry_count: 5, init: false, read_only: false, memory: 128, cpus: '0.5',
      log_opts: { 'max-size': '50m', 'max-file': '7' }, stop_timeout: 30, user: '999:1000', name: 'redis-main',
      tmpfs: { '/tmp': 'rw,noexec,nosuid,size=16m' },
    });
    expect(c.capabilities).toBeUndefined();
    expect(c.security_opts).toBeUndefined();
    expect(c.networks_advanced[0].aliases).toEqual(['redis-main']);
  });

  test('capabilities added back are upper-cased, de-duplicated and sorted; ALL still dropped', () => {
    const c = container({ addCapabilities: ['net_bind_service', 'CAP_CHOWN', 'CHOWN'] }).json();
    // With the CAP_ prefix, as the engine reports them (without it, every plan would replace the container).
    expect(c.capabilities).toEqual({ drop: ['ALL'], add: ['CAP_CHOWN', 'CAP_NET_BIND_SERVICE'] });
  });

  test('writable paths become tmpfs mounts', () => {
    const c = container({ writablePaths: ['/var/cache/nginx', '/var/run'] }).json();
    expect(c.tmpfs).toEqual({
      '/tmp': 'rw,noexec,nosuid,size=64m', '/var/cache/nginx': 'rw,nosuid,size=64m', '/var/run': 'rw,nosuid,size=64m',
    });
  });
});

describe('ServiceContainer features', () => {
  test('ports name their host interface and protocol', () => {
    const { c, json } = container({ ports: [PortMapping.public(8080, 80)] });
    c.addPort(PortMapping.local(9090, 9090, Protocol.UDP));
    c.addPort(PortMapping.onInterface('10.0.0.5', 443, 8443));
    // Sorted by container port: the order in which the provider reads them back.
    expect(json().ports).toEqual([
      { internal: 80, external: 8080, ip: '0.0.0.0', protocol: 'tcp' },
      { internal: 8443, external: 443, ip: '10.0.0.5', protocol: 'tcp' },
      { internal: 9090, external: 9090, ip: '127.0.0.1', protocol: 'udp' },
    ]);
    expect(c.ports.map((p) => p.containerPort)).toEqual([80, 9090, 8443]);
  });

  test('a container port is published once (several bindings would come back reordered: a replacement on every plan)', () => {
    const { c } = container({ ports: [PortMapping.local(8080, 80)] });
    expect(() => c.addPort(PortMapping.onInterface('10.0.0.5', 8081, 80))).toThrow(
      /^test\/svc: invalid ports\[1\] "10\.0\.0\.5:8081->80\/tcp": a container port not already published \(it is, as 127\.0\.0\.1:8080\/tcp\): the provider reads several bindings/,
    );
    expect(() => c.addPort(PortMapping.local(8082, 80, Protocol.UDP))).toThrow(/invalid ports\[1\] "127\.0\.0\.1:8082->80\/udp": a container port not already published/);
  });

  test('environment: sorted NAME=value entries; addEnvironment adds, duplicates throw', () => {
    const { c, json } = container({ environment: { B: '2', A: '1' } });
    c.addEnvironment('C', 'three');
    expect(json().env).toEqual(['A=1', 'B=2', 'C=three']);
    expect(() => c.addEnvironment('A', 'again')).toThrow(/svc: invalid environment.A "A": each environment variable name once/);
  });

  test('secret environment: a sensitive variable reference, never the value', () => {
    process.env.TF_VAR_db_password = 'p4ss-never-in-json';
    const { stack } = newStack();
    const net = new ServiceNetwork(stack, 'net');
    const existing = new TerraformVariable(stack, 'api_token', { type: 'string', sensitive: true });
    new ServiceContainer(stack, 'svc', {
      image: redis, networks: [net],
      secretEnvironment: { DB_PASSWORD: Secret.fromVariable('db_password'), API_TOKEN: Secret.fromTerraformVariable(existing) },
    });
    const json = synth(stack);
    expect(only(json, 'docker_container').env).toEqual(['API_TOKEN=${var.api_token}', 'DB_PASSWORD=${var.db_password}']);
    expect(json.variable.db_password).toMatchObject({ sensitive: true, type: 'string' });
    expect(JSON.stringify(json)).not.toContain('p4ss-never-in-json');
    delete process.env.TF_VAR_db_password;
  });

  test('command, entrypoint, working dir, labels', () => {
    const c = container({ command: ['redis-server', '--appendonly', 'yes'], entrypoint: ['docker-entrypoint.sh'], workingDir: '/data', labels: { team: 'core' } }).json();
    expect(c).toMatchObject({ command: ['redis-server', '--appendonly', 'yes'], entrypoint: ['docker-entrypoint.sh'], working_dir: '/data', labels: [{ label: 'team', value: 'core' }] });
  });

  test('volumes read-write by default, bind mounts read-only by default', () => {
    const { stack } = newStack();
    const net = new ServiceNetwork(stack, 'net');
    const data = new DataVolume(stack, 'data');
    new ServiceContainer(stack, 'svc', {
      image: redis, networks: [net],
      volumes: [{ volume: data, containerPath: '/data' }, { volume: data, containerPath: '/backup', readOnly: true }],
      bindMounts: [{ hostPath: '/etc/app/config', containerPath: '/config' }, { hostPath: '/srv/uploads', containerPath: '/uploads', readOnly: false }],
    });
    expect(only(synth(stack), 'docker_container').volumes).toEqual([
      { volume_name: expect.stringMatching(/^\$\{docker_volume\.data_[0-9A-F]{8}\.name\}$/), container_path: '/data', read_only: false },
      { volume_name: expect.stringMatching(/^\$\{docker_volume\.data_[0-9A-F]{8}\.name\}$/), container_path: '/backup', read_only: true },
      { host_path: '/etc/app/config', container_path: '/config', read_only: true },
      { host_path: '/srv/uploads', container_path: '/uploads', read_only: false },
    ]);
  });

  test('health checks: command, shell, http, tcp with timing', () => {
    const cmd = container({ healthcheck: Healthcheck.command(['redis-cli', 'ping'], { intervalSeconds: 5, retries: 5 }) }).json();
    expect(cmd.healthcheck).toEqual({ test: ['CMD', 'redis-cli', 'ping'], interval: '5s', timeout: '5s', start_period: '10s', retries: 5 });
    expect(cmd.wait).toBe(true);
    expect(cmd.wait_timeout).toBe(60);
    expect(container({ healthcheck: Healthcheck.http(8080, '/health') }).json().healthcheck.test).toEqual(['CMD', 'wget', '-q', '-O', '/dev/null', 'http://127.0.0.1:8080/health']);
    // No -z: busybox's small nc lacks it; -e true closes the connection as soon as it is made.
    expect(container({ healthcheck: Healthcheck.tcp(6379) }).json().healthcheck.test).toEqual(['CMD', 'nc', '-w', '2', '127.0.0.1', '6379', '-e', 'true']);
    expect(container({ healthcheck: Healthcheck.tcp(6379, { startIntervalSeconds: 3 }) }).json().healthcheck.start_interval).toBe('3s');
    expect(container({ healthcheck: Healthcheck.shell('pg_isready -U app') }).json().healthcheck.test).toEqual(['CMD-SHELL', 'pg_isready -U app']);
    expect(container({ healthcheck: Healthcheck.tcp(6379), waitForHealthy: false }).json().wait).toBe(false);
  });

  test('dependsOn orders creation; a dependency with a health check is created with wait', () => {
    const { stack } = newStack();
    const net = new ServiceNetwork(stack, 'net');
    const cache = new ServiceContainer(stack, 'cache', { image: redis, networks: [net], healthcheck: Healthcheck.command(['redis-cli', 'ping']) });
    const api = new ServiceContainer(stack, 'api', { image: redis, networks: [net], dependsOn: [cache] });
    const json = synth(stack);
    const containers = resources(json, 'docker_container');
    const key = (name: string) => Object.keys(containers).find((k) => containers[k].name === name) as string;
    expect(containers[key('api')].depends_on).toEqual([`docker_container.${key('cache')}`]);
    expect(containers[key('cache')].wait).toBe(true);
    expect(api.dependencies).toEqual([cache]);
  });

  test('connect joins more networks with extra aliases; twice is an error', () => {
    const { stack, c, json } = container();
    const other = new ServiceNetwork(stack, 'other');
    c.connect(other, ['redis', 'kv']);
    expect(json().networks_advanced[1]).toEqual({ name: expect.stringMatching(/^\$\{docker_network\.other_[0-9A-F]{8}\.name\}$/), aliases: ['svc', 'redis', 'kv'] });
    expect(() => c.connect(other)).toThrow(/test\/svc: invalid networks\[2\] "test\/other": each network once/);
  });

  test('one pulled image per reference per stack, however many containers use it', () => {
    const { stack } = newStack();
    const net = new ServiceNetwork(stack, 'net');
    new ServiceContainer(stack, 'svc-a', { image: ContainerImage.fromRegistry('redis:7.4-alpine'), networks: [net] });
    new ServiceContainer(stack, 'svc-b', { image: ContainerImage.fromRegistry('redis:7.4-alpine'), networks: [net] });
    const images = Object.values(resources(synth(stack), 'docker_image'));
    expect(images).toEqual([expect.objectContaining({ name: 'redis:7.4-alpine', keep_locally: true })]);
  });

  test('a container without any network fails validation: never the default bridge', () => {
    const { stack } = newStack();
    new ServiceContainer(stack, 'lonely', { image: redis });
    expect(() => synth(stack)).toThrow(/test\/lonely: invalid networks \(none\): at least one ServiceNetwork/);
  });
});

describe('ServiceContainer bad input', () => {
  test('a port of 70000 names the path, the prop and the range', () => {
    expect(() => container({ ports: [PortMapping.public(70000, 80)] })).toThrow(ValidationError);
    expect(() => container({ ports: [PortMapping.public(70000, 80)] })).toThrow('test/svc: invalid ports[0].hostPort 70000: a port number, an integer from 1 to 65535');
  });

  test('an empty image reference names the path, the prop and what is allowed', () => {
    expect(() => container({ image: ContainerImage.fromRegistry('') })).toThrow('test/svc: invalid image "": a pinned image reference such as "redis:7.4-alpine"');
  });

  test('an unpinned image reference is refused', () => {
    expect(() => container({ image: ContainerImage.fromRegistry('redis') })).toThrow(/test\/svc: invalid image "redis": pinned by a tag other than 'latest'/);
    expect(() => container({ image: ContainerImage.fromRegistry('redis:latest') })).toThrow(/invalid image "redis:latest"/);
  });

  test('token values pass unjudged', () => {
    const { stack } = newStack();
    const net = new ServiceNetwork(stack, 'net');
    const port = new TerraformVariable(stack, 'port', { type: 'number' });
    const mem = new TerraformVariable(stack, 'mem', { type: 'number' });
    new ServiceContainer(stack, 'svc', { image: redis, networks: [net], ports: [PortMapping.public(port.numberValue, 80)], memoryMiB: mem.numberValue });
    const c = only(synth(stack), 'docker_container');
    expect(c.ports[0].external).toBe('${var.port}');
    expect(c.memory).toBe('${var.mem}');
  });
});
