/**
 * The catalogue of bad input: one case per check. Each asserts that the error is the library's
 * `ValidationError` (never a TypeError or a cdktf-internal error) and that its message names the
 * construct path, the prop, the bad value and what is allowed.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, TerraformStack, TerraformVariable, Testing } from 'cdktf';
import {
  ContainerImage, DataVolume, DockerHost, EndpointMode, Healthcheck, MinimalImage, OverlayNetwork, PortMapping, Protocol, RegistryCredentials,
  RegistryPush, RestartPolicy, Secret, ServiceContainer, ServiceNetwork, ServicePort, SwarmConfig, SwarmSecret, SwarmService, ValidationError,
} from '../lib';
import { ProductionChecks } from '../lib/production-checks';
import { main as review } from '../lib/review/cli';

const ctx = path.join(__dirname, '..', 'examples', 'reference-app', 'api');
const redis = () => ContainerImage.fromRegistry('redis:7.4-alpine');

interface Expected {
  /** The construct path the message starts with. */
  readonly path: string;
  /** The prop the message names. */
  readonly prop: string;
  /** A substring of what is allowed. */
  readonly allowed: string | RegExp;
  /** The bad value as the message shows it, when the case cares. */
  readonly value?: string;
}

/** Runs `fn` and asserts it throws a ValidationError that names the path, the prop and what is allowed. */
function expectValidation(fn: () => unknown, expected: Expected): ValidationError {
  let thrown: unknown;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  if (thrown === undefined) throw new Error(`expected a ValidationError for ${expected.path} ${expected.prop}, nothing was thrown`);
  if (!(thrown instanceof ValidationError)) {
    throw new Error(`expected a ValidationError, got ${(thrown as Error)?.constructor?.name}: ${(thrown as Error)?.message}`);
  }
  expect(thrown.constructPath).toBe(expected.path);
  expect(thrown.prop).toBe(expected.prop);
  expect(thrown.message.startsWith(`${expected.path}: invalid ${expected.prop} `)).toBe(true);
  if (typeof expected.allowed === 'string') {
    expect(thrown.allowed).toContain(expected.allowed);
    expect(thrown.message).toContain(expected.allowed);
  } else {
    expect(thrown.message).toMatch(expected.allowed);
  }
  if (expected.value !== undefined) expect(thrown.message).toContain(` ${expected.value}: `);
  return thrown;
}

/** One output folder for every app of this file (nothing is written to it: synth here is in memory). */
let outdir: string;
beforeAll(() => {
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'errors-out-'));
});
afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));
const newApp = (): App => Testing.app({ outdir });

/** A fresh app with stack `s` and its default host `s/host`. */
function fresh(): { app: App; stack: TerraformStack; host: DockerHost } {
  const app = newApp();
  const stack = new TerraformStack(app, 's');
  const host = new DockerHost(stack, 'host');
  return { app, stack, host };
}

/** A container on a network in a fresh stack, with `extra` props. */
function container(extra: Record<string, unknown>, id = 'svc'): ServiceContainer {
  const { stack } = fresh();
  const net = new ServiceNetwork(stack, 'net');
  return new ServiceContainer(stack, id, { image: redis(), networks: [net], ...extra } as any);
}

const synth = (stack: TerraformStack) => JSON.parse(Testing.synth(stack, true));

describe('ports and protocols', () => {
  test('a host port outside 1-65535', () => {
    expectValidation(() => container({ ports: [PortMapping.public(70000, 80)] }),
      { path: 's/svc', prop: 'ports[0].hostPort', allowed: 'an integer from 1 to 65535', value: '70000' });
  });
  test('a container port of 0', () => {
    expectValidation(() => container({ ports: [PortMapping.local(8080, 0)] }),
      { path: 's/svc', prop: 'ports[0].containerPort', allowed: 'a port number, an integer from 1 to 65535', value: '0' });
  });
  test('a fractional port', () => {
    expectValidation(() => container({ ports: [PortMapping.public(8080.5, 80)] }),
      { path: 's/svc', prop: 'ports[0].hostPort', allowed: 'an integer from 1 to 65535' });
  });
  test('a protocol outside tcp, udp, sctp', () => {
    expectValidation(() => container({ ports: [PortMapping.public(8080, 80, 'icmp' as Protocol)] }),
      { path: 's/svc', prop: 'ports[0].protocol', allowed: 'one of tcp, udp, sctp', value: '"icmp"' });
  });
  test('a host address that is not an IP address', () => {
    expectValidation(() => container({ ports: [PortMapping.onInterface('localhost', 8080, 80)] }),
      { path: 's/svc', prop: 'ports[0].hostIp', allowed: 'an IPv4 or IPv6 address of the host' });
  });
  test('the same interface, port and protocol published twice on one host, across containers', () => {
    const { stack } = fresh();
    const net = new ServiceNetwork(stack, 'net');
    new ServiceContainer(stack, 'web', { image: redis(), networks: [net], ports: [PortMapping.public(8080, 80)] });
    expectValidation(() => new ServiceContainer(stack, 'admin', { image: redis(), networks: [net], ports: [PortMapping.public(8080, 81)] }),
      { path: 's/admin', prop: 'ports[0]', allowed: 'not already published on host s/host (s/web publishes 0.0.0.0:8080/tcp)', value: '"0.0.0.0:8080/tcp"' });
  });
  test('a loopback port that all interfaces already publish', () => {
    const { stack } = fresh();
    const net = new ServiceNetwork(stack, 'net');
    new ServiceContainer(stack, 'web', { image: redis(), networks: [net], ports: [PortMapping.public(8080, 80)] });
    expectValidation(() => new ServiceContainer(stack, 'debug', { image: redis(), networks: [net], ports: [PortMapping.local(8080, 80)] }),
      { path: 's/debug', prop: 'ports[0]', allowed: 's/web publishes 0.0.0.0:8080/tcp' });
  });
  test('addPort with something that is not a PortMapping', () => {
    const c = container({});
    expectValidation(() => c.addPort({ hostPort: 80, containerPort: 80 } as any),
      { path: 's/svc', prop: 'ports[0]', allowed: 'a PortMapping from PortMapping.public, PortMapping.local or PortMapping.onInterface' });
  });
});

describe('images, repositories and tags', () => {
  test('an unpinned image reference', () => {
    expectValidation(() => container({ image: ContainerImage.fromRegistry('redis:latest') }),
      { path: 's/svc', prop: 'image', allowed: "pinned by a tag other than 'latest'", value: '"redis:latest"' });
  });
  test('an image reference with upper-case path components', () => {
    expectValidation(() => container({ image: ContainerImage.fromRegistry('Team/Api:1.0') }),
      { path: 's/svc', prop: 'image', allowed: 'lower-case path components' });
  });
  test('fromRegistry with a number: the factory does not throw, the container names its path', () => {
    const image = ContainerImage.fromRegistry(42 as any);
    expectValidation(() => container({ image }), { path: 's/svc', prop: 'image', allowed: 'a pinned image reference', value: '42' });
  });
  test('fromRegistry options of the wrong type', () => {
    expectValidation(() => container({ image: ContainerImage.fromRegistry('redis:7.4-alpine', { keepLocally: 'yes' as any }) }),
      { path: 's/svc', prop: 'image.options.keepLocally', allowed: 'true or false' });
  });
  test('a MinimalImage name without a version', () => {
    const { stack } = fresh();
    expectValidation(() => new MinimalImage(stack, 'api', { context: ctx, name: 'team/api' }),
      { path: 's/api', prop: 'name', allowed: 'pinned by a tag' });
  });
  test('a RegistryPush repository with a tag in it', () => {
    const { stack } = fresh();
    const image = new MinimalImage(stack, 'api', { context: ctx, name: 'team/api:1.4.2' });
    expectValidation(() => new RegistryPush(stack, 'push', { image, repository: 'localhost:5000/team/api:1.4.2', tags: ['1.4.2'] }),
      { path: 's/push', prop: 'repository', allowed: 'a repository without tag or digest' });
  });
  test('a RegistryPush tag "latest"', () => {
    const { stack } = fresh();
    const image = new MinimalImage(stack, 'api', { context: ctx, name: 'team/api:1.4.2' });
    expectValidation(() => new RegistryPush(stack, 'push', { image, repository: 'localhost:5000/team/api', tags: ['1.4.2', 'latest'] }),
      { path: 's/push', prop: 'tags[1]', allowed: "'latest' is not pinned" });
  });
  test('RegistryPush tags that are not a list', () => {
    const { stack } = fresh();
    const image = new MinimalImage(stack, 'api', { context: ctx, name: 'team/api:1.4.2' });
    expectValidation(() => new RegistryPush(stack, 'push', { image, repository: 'localhost:5000/team/api', tags: 'x' as any }),
      { path: 's/push', prop: 'tags', allowed: 'at least one tag' });
  });
  test('a RegistryPush of an image that is not a MinimalImage', () => {
    const { stack } = fresh();
    expectValidation(() => new RegistryPush(stack, 'push', { image: redis() as any, repository: 'localhost:5000/team/api', tags: ['1'] }),
      { path: 's/push', prop: 'image', allowed: 'a MinimalImage built by this app' });
  });
});

describe('environment variables', () => {
  test('a name starting with a digit', () => {
    expectValidation(() => container({ environment: { '1BAD': 'x' } }),
      { path: 's/svc', prop: 'environment.1BAD', allowed: 'letters, digits and underscores, not starting with a digit' });
  });
  test('a name with a dash, added later', () => {
    const c = container({});
    expectValidation(() => c.addEnvironment('CACHE-HOST', 'cache'), { path: 's/svc', prop: 'environment.CACHE-HOST', allowed: 'letters, digits and underscores' });
  });
  test('a value that is not a string', () => {
    expectValidation(() => container({ environment: { A: 1 as any } }), { path: 's/svc', prop: 'environment.A', allowed: 'a string value', value: '1' });
  });
  test('the same name plain and secret', () => {
    expectValidation(() => container({ environment: { TOKEN: 'x' }, secretEnvironment: { TOKEN: Secret.fromVariable('token') } }),
      { path: 's/svc', prop: 'secretEnvironment.TOKEN', allowed: 'each environment variable name once' });
  });
  test('a secret from a variable name Terraform refuses', () => {
    expectValidation(() => container({ secretEnvironment: { TOKEN: Secret.fromVariable('1token') } }),
      { path: 's/svc', prop: 'secretEnvironment.TOKEN', allowed: 'a Terraform variable name' });
  });
});

describe('memory and CPUs', () => {
  test("memory below Docker's minimum of 6 MiB", () => {
    expectValidation(() => container({ memoryMiB: 4 }), { path: 's/svc', prop: 'memoryMiB', allowed: "at least 6 (Docker's minimum)", value: '4' });
  });
  test('memory as a string', () => {
    expectValidation(() => container({ memoryMiB: '512' as any }), { path: 's/svc', prop: 'memoryMiB', allowed: 'an integer', value: '"512"' });
  });
  test('zero CPUs', () => {
    expectValidation(() => container({ cpus: 0 }), { path: 's/svc', prop: 'cpus', allowed: 'greater than 0 and at most 1024' });
  });
  test('NaN CPUs', () => {
    expectValidation(() => container({ cpus: NaN }), { path: 's/svc', prop: 'cpus', allowed: 'a number of CPUs', value: 'NaN' });
  });
});

describe('absolute paths', () => {
  test('a relative working dir', () => {
    expectValidation(() => container({ workingDir: 'app' }), { path: 's/svc', prop: 'workingDir', allowed: "an absolute path starting with '/'" });
  });
  test('a writable path with ..', () => {
    expectValidation(() => container({ writablePaths: ['/var/../etc'] }), { path: 's/svc', prop: 'writablePaths[0]', allowed: "without '..' segments" });
  });
  test('a relative volume mount path', () => {
    const { stack } = fresh();
    const net = new ServiceNetwork(stack, 'net');
    const data = new DataVolume(stack, 'data');
    expectValidation(() => new ServiceContainer(stack, 'svc', { image: redis(), networks: [net], volumes: [{ volume: data, containerPath: 'data' }] }),
      { path: 's/svc', prop: 'volumes[0].containerPath', allowed: "an absolute path starting with '/'" });
  });
  test('a relative bind mount host path', () => {
    expectValidation(() => container({ bindMounts: [{ hostPath: 'srv/config', containerPath: '/config' }] }),
      { path: 's/svc', prop: 'bindMounts[0].hostPath', allowed: "an absolute host path starting with '/'" });
  });
  test('a bind mount without a container path', () => {
    expectValidation(() => container({ bindMounts: [{ hostPath: '/srv/config' }] }),
      { path: 's/svc', prop: 'bindMounts[0].containerPath', allowed: "an absolute path starting with '/'", value: '(missing)' });
  });
  test('two mounts on one container path', () => {
    expectValidation(() => container({ writablePaths: ['/data'], bindMounts: [{ hostPath: '/srv', containerPath: '/data' }] }),
      { path: 's/svc', prop: 'bindMounts[0].containerPath', allowed: 'a container path not already mounted' });
  });
});

describe('networks', () => {
  test('a subnet with host bits set', () => {
    const { stack } = fresh();
    expectValidation(() => new ServiceNetwork(stack, 'back', { subnet: '10.20.0.1/24' }),
      { path: 's/back', prop: 'subnet', allowed: 'an IPv4 network in CIDR notation with no host bits set' });
  });
  test('a gateway outside its subnet', () => {
    const { stack } = fresh();
    expectValidation(() => new ServiceNetwork(stack, 'back', { subnet: '10.20.0.0/24', gateway: '10.21.0.1' }),
      { path: 's/back', prop: 'gateway', allowed: 'an address inside the subnet 10.20.0.0/24', value: '"10.21.0.1"' });
  });
  test('a gateway without a subnet', () => {
    const { stack } = fresh();
    expectValidation(() => new ServiceNetwork(stack, 'back', { gateway: '10.20.0.1' }),
      { path: 's/back', prop: 'gateway', allowed: 'only together with `subnet`' });
  });
  test('an IP range outside its subnet', () => {
    const { stack } = fresh();
    expectValidation(() => new ServiceNetwork(stack, 'back', { subnet: '10.20.0.0/24', ipRange: '10.20.1.0/25' }),
      { path: 's/back', prop: 'ipRange', allowed: 'a range inside the subnet 10.20.0.0/24' });
  });
  test('two networks on one host with overlapping subnets', () => {
    const { stack } = fresh();
    new ServiceNetwork(stack, 'a', { subnet: '10.20.0.0/16' });
    expectValidation(() => new ServiceNetwork(stack, 'b', { subnet: '10.20.5.0/24' }),
      { path: 's/b', prop: 'subnet', allowed: 'a subnet that does not overlap another network\'s on host s/host (s/a has 10.20.0.0/16)' });
  });
  test("Docker's predefined network names", () => {
    const { stack } = fresh();
    expectValidation(() => new ServiceNetwork(stack, 'n', { networkName: 'bridge' }), { path: 's/n', prop: 'networkName', allowed: 'not one of Docker\'s predefined networks' });
  });
  test('a container without any network (checked at synth)', () => {
    const { stack } = fresh();
    new ServiceContainer(stack, 'lonely', { image: redis() });
    expectValidation(() => Testing.synth(stack, true), { path: 's/lonely', prop: 'networks', allowed: 'at least one ServiceNetwork', value: '(none)' });
  });
  test('connect: a network on another host', () => {
    const { stack } = fresh();
    const other = new DockerHost(stack, 'other', { url: 'ssh://deploy@10.0.0.5', alias: 'other' });
    const net = new ServiceNetwork(stack, 'net');
    const far = new ServiceNetwork(stack, 'far', { host: other });
    const c = new ServiceContainer(stack, 'svc', { image: redis(), networks: [net] });
    expectValidation(() => c.connect(far), { path: 's/svc', prop: 'networks[1]', allowed: "a network on the container's host s/host (it is on s/other)" });
  });
  test('connect: the same network twice', () => {
    const { stack } = fresh();
    const net = new ServiceNetwork(stack, 'net');
    const c = new ServiceContainer(stack, 'svc', { image: redis(), networks: [net] });
    expectValidation(() => c.connect(net), { path: 's/svc', prop: 'networks[1]', allowed: 'each network once' });
  });
  test('connect: an alias Docker refuses', () => {
    const { stack } = fresh();
    const net = new ServiceNetwork(stack, 'net');
    const c = new ServiceContainer(stack, 'svc', { image: redis() });
    expectValidation(() => c.connect(net, ['bad alias']), { path: 's/svc', prop: 'networks[0].aliases[0]', allowed: 'a Docker object name' });
  });
});

describe('duplicate names on one host', () => {
  test('two containers with one service name', () => {
    const { stack } = fresh();
    const net = new ServiceNetwork(stack, 'net');
    new ServiceContainer(stack, 'a', { image: redis(), networks: [net], serviceName: 'cache' });
    expectValidation(() => new ServiceContainer(stack, 'b', { image: redis(), networks: [net], serviceName: 'cache' }),
      { path: 's/b', prop: 'serviceName', allowed: 'a container name not used by another construct on host s/host (s/a already uses it)' });
  });
  test('two networks with one name', () => {
    const { stack } = fresh();
    new ServiceNetwork(stack, 'a', { networkName: 'shared' });
    expectValidation(() => new ServiceNetwork(stack, 'b', { networkName: 'shared' }),
      { path: 's/b', prop: 'networkName', allowed: 'a network name not used by another construct on host s/host (s/a already uses it)' });
  });
  test('two volumes with one name', () => {
    const { stack } = fresh();
    new DataVolume(stack, 'a', { volumeName: 'data' });
    expectValidation(() => new DataVolume(stack, 'b', { volumeName: 'data' }),
      { path: 's/b', prop: 'volumeName', allowed: 'a volume name not used by another construct on host s/host (s/a already uses it)' });
  });
  test('a volume name Docker refuses', () => {
    const { stack } = fresh();
    expectValidation(() => new DataVolume(stack, 'vol', { volumeName: '-data' }), { path: 's/vol', prop: 'volumeName', allowed: 'a Docker object name' });
  });
});

/** Docker refuses container and volume names shorter than two characters (docker/cli#1641); network names may be one. */
describe('container and volume names of at least two characters', () => {
  const rule = 'a Docker object name: letters, digits, and _ . - (not first), from 2 to 128 characters';
  test('a one-character serviceName: the exact message', () => {
    const { stack } = fresh();
    const net = new ServiceNetwork(stack, 'net');
    const error = expectValidation(() => new ServiceContainer(stack, 'cache', { image: redis(), networks: [net], serviceName: 'x' }),
      { path: 's/cache', prop: 'serviceName', allowed: rule, value: '"x"' });
    expect(error.message).toBe(`s/cache: invalid serviceName "x": ${rule}`);
    expect(error.allowed).toBe(rule);
  });
  test('a one-character volumeName: the exact message', () => {
    const { stack } = fresh();
    const error = expectValidation(() => new DataVolume(stack, 'data', { volumeName: 'x' }),
      { path: 's/data', prop: 'volumeName', allowed: rule, value: '"x"' });
    expect(error.message).toBe(`s/data: invalid volumeName "x": ${rule}`);
    expect(error.allowed).toBe(rule);
  });
  test('a one-character construct id without serviceName: the derived name is refused, naming serviceName', () => {
    const { stack } = fresh();
    const net = new ServiceNetwork(stack, 'net');
    const error = expectValidation(() => new ServiceContainer(stack, 'c', { image: redis(), networks: [net] }),
      { path: 's/c', prop: 'serviceName', allowed: rule, value: '"c"' });
    expect(error.message).toBe(`s/c: invalid serviceName "c": ${rule}`);
  });
  test('a one-character construct id without volumeName: the derived name is refused, naming volumeName', () => {
    const { stack } = fresh();
    const error = expectValidation(() => new DataVolume(stack, 'v'),
      { path: 's/v', prop: 'volumeName', allowed: rule, value: '"v"' });
    expect(error.message).toBe(`s/v: invalid volumeName "v": ${rule}`);
  });
  test('an id that derives to one character (leading characters Docker refuses are dropped) is refused too', () => {
    const { stack } = fresh();
    const net = new ServiceNetwork(stack, 'net');
    expectValidation(() => new ServiceContainer(stack, '-a', { image: redis(), networks: [net] }),
      { path: 's/-a', prop: 'serviceName', allowed: rule, value: '"a"' });
  });
  test('a one-character construct id with an explicit longer name passes', () => {
    const { stack } = fresh();
    const net = new ServiceNetwork(stack, 'net');
    const c = new ServiceContainer(stack, 'c', { image: redis(), networks: [net], serviceName: 'cache' });
    const v = new DataVolume(stack, 'v', { volumeName: 'data' });
    expect(c.serviceName).toBe('cache');
    const json = synth(stack);
    expect((Object.values(json.resource.docker_container)[0] as any).name).toBe('cache');
    expect((Object.values(json.resource.docker_volume)[0] as any).name).toBe('data');
    expect(v.node.path).toBe('s/v');
  });
  test('two-character names pass, explicit and derived from the construct id', () => {
    const { stack } = fresh();
    const net = new ServiceNetwork(stack, 'net');
    new ServiceContainer(stack, 'db', { image: redis(), networks: [net] });
    new ServiceContainer(stack, 'cache', { image: redis(), networks: [net], serviceName: 'c1' });
    new DataVolume(stack, 'v1');
    new DataVolume(stack, 'data', { volumeName: 'd2' });
    const json = synth(stack);
    expect(Object.values(json.resource.docker_container).map((r: any) => r.name).sort()).toEqual(['c1', 'db']);
    expect(Object.values(json.resource.docker_volume).map((r: any) => r.name).sort()).toEqual(['d2', 'v1']);
  });
  test('a one-character network name still passes', () => {
    const { stack } = fresh();
    new ServiceNetwork(stack, 'n', { networkName: 'x' });
    new ServiceNetwork(stack, 'm');
    expect(() => Testing.synth(stack, true)).not.toThrow();
  });
});

describe('health checks', () => {
  test('an interval of 0 seconds', () => {
    expectValidation(() => container({ healthcheck: Healthcheck.tcp(6379, { intervalSeconds: 0 }) }),
      { path: 's/svc', prop: 'healthcheck.intervalSeconds', allowed: 'whole seconds from 1 to 86400' });
  });
  test('a fractional timeout', () => {
    expectValidation(() => container({ healthcheck: Healthcheck.tcp(6379, { timeoutSeconds: 1.5 }) }),
      { path: 's/svc', prop: 'healthcheck.timeoutSeconds', allowed: 'whole seconds from 1 to 3600' });
  });
  test('zero retries', () => {
    expectValidation(() => container({ healthcheck: Healthcheck.command(['redis-cli', 'ping'], { retries: 0 }) }),
      { path: 's/svc', prop: 'healthcheck.retries', allowed: 'an integer from 1 to 100' });
  });
  test('a negative start period', () => {
    expectValidation(() => container({ healthcheck: Healthcheck.shell('true', { startPeriodSeconds: -1 }) }),
      { path: 's/svc', prop: 'healthcheck.startPeriodSeconds', allowed: 'whole seconds from 0 to 86400' });
  });
  test('Healthcheck.http with port 70000: the factory defers, the container names its path', () => {
    const check = Healthcheck.http(70000, '/health');
    expectValidation(() => container({ healthcheck: check }), { path: 's/svc', prop: 'healthcheck.port', allowed: 'an integer from 1 to 65535' });
  });
  test('Healthcheck.http with a path without a leading slash', () => {
    expectValidation(() => container({ healthcheck: Healthcheck.http(8080, 'health') }),
      { path: 's/svc', prop: 'healthcheck.path', allowed: "a URL path starting with '/'" });
  });
  test('Healthcheck.command with a shell string instead of a list', () => {
    expectValidation(() => container({ healthcheck: Healthcheck.command('redis-cli ping' as any) }),
      { path: 's/svc', prop: 'healthcheck.command', allowed: 'a non-empty list of strings (exec form)' });
  });
  test('waiting for healthy without a health check', () => {
    expectValidation(() => container({ waitForHealthy: true }), { path: 's/svc', prop: 'waitForHealthy', allowed: 'true only with a `healthcheck`' });
  });
});

describe('restart, capabilities, user, dependencies', () => {
  test('a restart policy outside the enum', () => {
    expectValidation(() => container({ restartPolicy: 'sometimes' as RestartPolicy }),
      { path: 's/svc', prop: 'restartPolicy', allowed: 'one of no, on-failure, always, unless-stopped' });
  });
  test('a retry count without on-failure', () => {
    expectValidation(() => container({ maxRetryCount: 3 }), { path: 's/svc', prop: 'maxRetryCount', allowed: 'only with RestartPolicy.ON_FAILURE' });
  });
  test('adding back ALL capabilities', () => {
    expectValidation(() => container({ addCapabilities: ['ALL'] }), { path: 's/svc', prop: 'addCapabilities[0]', allowed: 'ALL is not allowed' });
  });
  test('a user with a space', () => {
    expectValidation(() => container({ user: 'app user' }), { path: 's/svc', prop: 'user', allowed: 'a user name or UID' });
  });
  test('a dependency cycle (addDependency)', () => {
    const { stack } = fresh();
    const net = new ServiceNetwork(stack, 'net');
    const a = new ServiceContainer(stack, 'svc-a', { image: redis(), networks: [net] });
    const b = new ServiceContainer(stack, 'svc-b', { image: redis(), networks: [net], dependsOn: [a] });
    const c = new ServiceContainer(stack, 'svc-c', { image: redis(), networks: [net], dependsOn: [b] });
    expectValidation(() => a.addDependency(c),
      { path: 's/svc-a', prop: 'dependsOn[0]', allowed: 'dependencies must not form a cycle', value: '"s/svc-c"' });
  });
  test('a container that depends on itself', () => {
    const c = container({});
    expectValidation(() => c.addDependency(c), { path: 's/svc', prop: 'dependsOn[0]', allowed: 'must not form a cycle' });
  });
  test('a dependency on a container of another host', () => {
    const { stack } = fresh();
    const other = new DockerHost(stack, 'other', { url: 'tcp://10.0.0.5:2376', alias: 'other' });
    const a = new ServiceContainer(stack, 'svc-a', { image: redis(), host: other, networks: [new ServiceNetwork(stack, 'n1', { host: other })] });
    const b = new ServiceContainer(stack, 'svc-b', { image: redis(), networks: [new ServiceNetwork(stack, 'n2')] });
    expectValidation(() => b.addDependency(a), { path: 's/svc-b', prop: 'dependsOn[0]', allowed: 'a container on the same host s/host' });
  });
});

describe('Docker hosts and registry credentials', () => {
  test('a host URL with an unsupported scheme', () => {
    const { stack } = fresh();
    expectValidation(() => new DockerHost(stack, 'remote', { url: 'http://10.0.0.5:2375', alias: 'remote' }),
      { path: 's/remote', prop: 'url', allowed: 'scheme unix://, tcp:// or ssh://', value: '"http://10.0.0.5:2375"' });
  });
  test('TLS material with an ssh:// URL', () => {
    const { stack } = fresh();
    expectValidation(() => new DockerHost(stack, 'remote', { url: 'ssh://deploy@10.0.0.5', alias: 'remote', tls: { certPath: '/certs' } }),
      { path: 's/remote', prop: 'tls', allowed: 'TLS material only with a tcp:// url' });
  });
  test('a construct created directly in the App, outside any stack', () => {
    const { app, host } = fresh();
    expectValidation(() => new ServiceNetwork(app, 'n', { host }), { path: 'n', prop: 'scope', allowed: 'a construct inside a TerraformStack' });
    expectValidation(() => new DockerHost(app, 'h'), { path: 'h', prop: 'scope', allowed: 'not the App' });
  });
  test('no host in the stack', () => {
    const stack = new TerraformStack(newApp(), 's');
    expectValidation(() => new DataVolume(stack, 'vol'), { path: 's/vol', prop: 'host', allowed: "a DockerHost: add `new DockerHost(stack, 'host')`" });
  });
  test('a registry address with a port above 65535', () => {
    const stack = new TerraformStack(newApp(), 's');
    expectValidation(() => new DockerHost(stack, 'host', { registries: [RegistryCredentials.fromEnvironment('localhost:99999', 'U', 'P')] }),
      { path: 's/host', prop: 'registries[0].address', allowed: 'a registry port from 1 to 65535' });
  });
  test('a Docker config file that is not an absolute path', () => {
    const stack = new TerraformStack(newApp(), 's');
    expectValidation(() => new DockerHost(stack, 'host', { registries: [RegistryCredentials.fromDockerConfig('localhost:5000', '.docker/config.json')] }),
      { path: 's/host', prop: 'registries[0].configPath', allowed: "an absolute host path starting with '/'" });
  });
  test('Docker config credentials for a push', () => {
    const { stack } = fresh();
    const image = new MinimalImage(stack, 'api', { context: ctx, name: 'team/api:1.4.2' });
    expectValidation(() => new RegistryPush(stack, 'push', {
      image, repository: 'localhost:5000/team/api', tags: ['1'], credentials: RegistryCredentials.fromDockerConfig('localhost:5000', '/root/.docker/config.json'),
    }), { path: 's/push', prop: 'credentials', allowed: 'a Docker config file works only in DockerHost registries' });
  });
});

describe('build contexts', () => {
  test('a context folder that does not exist', () => {
    const { stack } = fresh();
    expectValidation(() => new MinimalImage(stack, 'api', { context: '/nonexistent/api', name: 'team/api:1.0' }),
      { path: 's/api', prop: 'context', allowed: 'an existing folder' });
  });
  test('a Dockerfile that is a folder', () => {
    const { stack } = fresh();
    expectValidation(() => new MinimalImage(stack, 'api', { context: ctx, name: 'team/api:1.0', dockerfile: 'www' }),
      { path: 's/api', prop: 'dockerfile', allowed: 'a file inside the context' });
  });
  test('a Dockerfile outside the context', () => {
    const { stack } = fresh();
    expectValidation(() => new MinimalImage(stack, 'api', { context: ctx, name: 'team/api:1.0', dockerfile: '../Dockerfile' }),
      { path: 's/api', prop: 'dockerfile', allowed: 'a path relative to the context, inside it' });
  });
  test('a build argument name starting with a digit', () => {
    const { stack } = fresh();
    expectValidation(() => new MinimalImage(stack, 'api', { context: ctx, name: 'team/api:1.0', buildArgs: { '1X': 'y' } }),
      { path: 's/api', prop: 'buildArgs.1X', allowed: 'an environment variable name' });
  });
});

/**
 * Wrong JavaScript types smuggled past the TypeScript types. Before the audit each of these
 * crashed with a TypeError (or a cdktf/constructs/fs error, or synthesized junk silently).
 */
describe('wrong JavaScript types give a ValidationError, never a TypeError', () => {
  type Case = [string, (stack: TerraformStack) => unknown, string, string];
  const net = (stack: TerraformStack) => new ServiceNetwork(stack, 'net');
  const svc = (stack: TerraformStack, extra: Record<string, unknown>) =>
    new ServiceContainer(stack, 'svc', { image: redis(), networks: [net(stack)], ...extra } as any);
  const built = (stack: TerraformStack) => new MinimalImage(stack, 'api', { context: ctx, name: 'team/api:1.4.2' });
  const cases: Case[] = [
    ['ServiceContainer props undefined', (s) => new ServiceContainer(s, 'svc', undefined as any), 's/svc', 'props'],
    ['ServiceContainer host {}', (s) => svc(s, { host: {} }), 's/svc', 'host'],
    ['ServiceContainer networks [{}]', (s) => svc(s, { networks: [{}] }), 's/svc', 'networks[0]'],
    ['ServiceContainer networks 5', (s) => svc(s, { networks: 5 }), 's/svc', 'networks'],
    ['ServiceContainer environment "x"', (s) => svc(s, { environment: 'x' }), 's/svc', 'environment'],
    ['ServiceContainer ports 5', (s) => svc(s, { ports: 5 }), 's/svc', 'ports'],
    ['ServiceContainer volumes {}', (s) => svc(s, { volumes: {} }), 's/svc', 'volumes'],
    ['ServiceContainer volumes [null]', (s) => svc(s, { volumes: [null] }), 's/svc', 'volumes[0]'],
    ['ServiceContainer bindMounts [null]', (s) => svc(s, { bindMounts: [null] }), 's/svc', 'bindMounts[0]'],
    ['ServiceContainer writablePaths "/x"', (s) => svc(s, { writablePaths: '/x' }), 's/svc', 'writablePaths'],
    ['ServiceContainer writablePaths [undefined]', (s) => svc(s, { writablePaths: [undefined] }), 's/svc', 'writablePaths[0]'],
    ['ServiceContainer addCapabilities "NET_ADMIN"', (s) => svc(s, { addCapabilities: 'NET_ADMIN' }), 's/svc', 'addCapabilities'],
    ['ServiceContainer dependsOn {}', (s) => svc(s, { dependsOn: {} }), 's/svc', 'dependsOn'],
    ['ServiceContainer labels "x"', (s) => svc(s, { labels: 'x' }), 's/svc', 'labels'],
    ['ServiceContainer user 1000', (s) => svc(s, { user: 1000 }), 's/svc', 'user'],
    ['ServiceContainer init "no"', (s) => svc(s, { init: 'no' }), 's/svc', 'init'],
    ['ServiceContainer healthcheck {}', (s) => svc(s, { healthcheck: {} }), 's/svc', 'healthcheck'],
    ['ServiceContainer image { bind() {} }', (s) => svc(s, { image: { bind: () => undefined } }), 's/svc', 'image'],
    ['Healthcheck.command(5)', (s) => svc(s, { healthcheck: Healthcheck.command(5 as any) }), 's/svc', 'healthcheck.command'],
    ['Healthcheck.http(Symbol())', (s) => svc(s, { healthcheck: Healthcheck.http(Symbol('port') as any) }), 's/svc', 'healthcheck.port'],
    ['Healthcheck options "x"', (s) => svc(s, { healthcheck: Healthcheck.tcp(80, 'x' as any) }), 's/svc', 'healthcheck.options'],
    ['addEnvironment(undefined, "x")', (s) => svc(s, {}).addEnvironment(undefined as any, 'x'), 's/svc', 'environment.undefined'],
    ['addEnvironment(Symbol(), "x")', (s) => svc(s, {}).addEnvironment(Symbol('n') as any, 'x'), 's/svc', 'environment.Symbol(n)'],
    ['connect(net, null)', (s) => new ServiceContainer(s, 'svc', { image: redis() }).connect(net(s), null as any), 's/svc', 'networks[0].aliases'],
    ['PortMapping.onInterface(Symbol())', (s) => svc(s, { ports: [PortMapping.onInterface(Symbol('ip') as any, 80, 80)] }), 's/svc', 'ports[0].hostIp'],
    ['Secret.fromVariable(undefined)', (s) => svc(s, { secretEnvironment: { A: Secret.fromVariable(undefined as any) } }), 's/svc', 'secretEnvironment.A'],
    ['Secret.fromTerraformVariable(null)', (s) => svc(s, { secretEnvironment: { A: Secret.fromTerraformVariable(null as any) } }), 's/svc', 'secretEnvironment.A'],
    ['ContainerImage.fromRegistry(ref, null)', (s) => svc(s, { image: ContainerImage.fromRegistry('redis:7.4', null as any) }), 's/svc', 'image.options'],
    ['DockerHost props null', (s) => new DockerHost(s, 'h2', null as any), 's/h2', 'props'],
    ['DockerHost registries "x"', (s) => new DockerHost(s, 'h2', { alias: 'two', registries: 'x' as any }), 's/h2', 'registries'],
    ['DockerHost registries [{}]', (s) => new DockerHost(s, 'h2', { alias: 'two', registries: [{} as any] }), 's/h2', 'registries[0]'],
    ['DockerHost sshOptions "-v"', (s) => new DockerHost(s, 'h2', { alias: 'two', url: 'ssh://u@h', sshOptions: '-v' as any }), 's/h2', 'sshOptions'],
    ['DockerHost tls.keyMaterial 5', (s) => new DockerHost(s, 'h2', { alias: 'two', url: 'tcp://h:2376', tls: { keyMaterial: 5 as any } }), 's/h2', 'tls.keyMaterial'],
    ['RegistryCredentials.fromVariables(5)', (s) => new DockerHost(s, 'h2', { alias: 'two', registries: [RegistryCredentials.fromVariables(5 as any)] }), 's/h2', 'registries[0].address'],
    ['RegistryCredentials.fromEnvironment(a, undefined, undefined)', (s) => new DockerHost(s, 'h2', {
      alias: 'two', registries: [RegistryCredentials.fromEnvironment('localhost:5000', undefined as any, undefined as any)],
    }), 's/h2', 'registries[0].usernameVar'],
    ['ServiceNetwork props null', (s) => new ServiceNetwork(s, 'n', null as any), 's/n', 'props'],
    ['ServiceNetwork host 5', (s) => new ServiceNetwork(s, 'n', { host: 5 as any }), 's/n', 'host'],
    ['ServiceNetwork internal "yes"', (s) => new ServiceNetwork(s, 'n', { internal: 'yes' as any }), 's/n', 'internal'],
    ['ServiceNetwork labels { a: 1 }', (s) => new ServiceNetwork(s, 'n', { labels: { a: 1 } as any }), 's/n', 'labels.a'],
    ['ServiceNetwork gateway {}', (s) => new ServiceNetwork(s, 'n', { subnet: '10.0.0.0/24', gateway: {} as any }), 's/n', 'gateway'],
    ['DataVolume props null', (s) => new DataVolume(s, 'vol', null as any), 's/vol', 'props'],
    ['DataVolume driverOptions { a: 1 }', (s) => new DataVolume(s, 'vol', { driverOptions: { a: 1 } as any }), 's/vol', 'driverOptions.a'],
    ['MinimalImage props undefined', (s) => new MinimalImage(s, 'api', undefined as any), 's/api', 'props'],
    ['MinimalImage dockerfile ""', (s) => new MinimalImage(s, 'api', { context: ctx, name: 'a/b:1', dockerfile: '' }), 's/api', 'dockerfile'],
    ['MinimalImage buildArgs { A: 1 }', (s) => new MinimalImage(s, 'api', { context: ctx, name: 'a/b:1', buildArgs: { A: 1 } as any }), 's/api', 'buildArgs.A'],
    ['MinimalImage keepLocally "no"', (s) => new MinimalImage(s, 'api', { context: ctx, name: 'a/b:1', keepLocally: 'no' as any }), 's/api', 'keepLocally'],
    ['RegistryPush props undefined', (s) => new RegistryPush(s, 'push', undefined as any), 's/push', 'props'],
    ['RegistryPush credentials {}', (s) => new RegistryPush(s, 'push', { image: built(s), repository: 'localhost:5000/a', tags: ['1'], credentials: {} as any }), 's/push', 'credentials'],
    ['RegistryPush keepRemotely "x"', (s) => new RegistryPush(s, 'push', { image: built(s), repository: 'localhost:5000/a', tags: ['1'], keepRemotely: 'x' as any }), 's/push', 'keepRemotely'],
  ];
  test.each(cases)('%s', (_name, fn, where, prop) => {
    const { stack } = fresh();
    const error = expectValidation(() => {
      fn(stack);
      Testing.synth(stack, true);
    }, { path: where, prop, allowed: /: \S/ });
    expect(error.allowed.length).toBeGreaterThan(5);
  });
});

describe('unresolved tokens pass unjudged', () => {
  test('Terraform variables for numbers, strings and lists synthesize as references', () => {
    const { stack } = fresh();
    const num = (id: string) => new TerraformVariable(stack, id, { type: 'number' }).numberValue;
    const str = (id: string) => new TerraformVariable(stack, id, { type: 'string' }).stringValue;
    const net = new ServiceNetwork(stack, 'net', { subnet: str('subnet'), gateway: str('gateway'), networkName: str('net_name') });
    new DataVolume(stack, 'data', { volumeName: str('volume_name') });
    new ServiceContainer(stack, 'svc', {
      image: ContainerImage.fromRegistry(str('image_ref')),
      networks: [net],
      serviceName: str('service_name'),
      memoryMiB: num('memory'),
      cpus: num('cpus'),
      ports: [PortMapping.public(num('host_port'), num('container_port')), PortMapping.public(num('host_port2'), 80)],
      environment: { PORT: num('env_port') as any, HOST: str('env_host') },
      workingDir: str('workdir'),
      writablePaths: [str('writable')],
      user: str('user'),
      tmpfsSizeMiB: num('tmpfs'),
      logMaxSizeMiB: num('log_size'),
      healthcheck: Healthcheck.http(num('health_port'), '/health', { intervalSeconds: num('interval'), retries: num('retries') }),
    });
    const json = synth(stack);
    const text = JSON.stringify(json);
    const container = Object.values(json.resource.docker_container)[0] as any;
    expect(container.memory).toBe('${var.memory}');
    expect(container.cpus).toBe('${var.cpus}');
    expect(container.working_dir).toBe('${var.workdir}');
    // Known container ports first, in the order the provider reads them back; token ones after.
    expect(container.ports).toEqual([
      expect.objectContaining({ external: '${var.host_port2}', internal: 80 }),
      expect.objectContaining({ external: '${var.host_port}', internal: '${var.container_port}' }),
    ]);
    expect(container.env).toContain('PORT=${var.env_port}');
    expect(container.log_opts['max-size']).toBe('${var.log_size}m');
    expect(container.healthcheck.test).toContain('http://127.0.0.1:${var.health_port}/health');
    expect(container.healthcheck.interval).toBe('${var.interval}s');
    expect(Object.values(json.resource.docker_network)[0]).toMatchObject({ ipam_config: [{ subnet: '${var.subnet}', gateway: '${var.gateway}' }] });
    // No number token leaked as its raw double (e.g. -1.8881545897087626e+289) into a string.
    expect(text).not.toMatch(/\d\.\d+e[+-]\d{2,3}/);
  });
  test('a token tag of a RegistryPush', () => {
    const { stack } = fresh();
    const image = new MinimalImage(stack, 'api', { context: ctx, name: 'team/api:1.4.2' });
    const tag = new TerraformVariable(stack, 'tag', { type: 'string' }).stringValue;
    new RegistryPush(stack, 'push', { image, repository: 'localhost:5000/team/api', tags: ['1.4.2', tag], credentials: RegistryCredentials.fromVariables('localhost:5000') });
    const pushed = Object.values(synth(stack).resource.docker_registry_image).map((r: any) => r.name);
    expect(pushed).toEqual(['localhost:5000/team/api:1.4.2', 'localhost:5000/team/api:${var.tag}']);
  });
});

describe('suppressions (ProductionChecks.suppress)', () => {
  test.each([
    ['no reason', ''],
    ['a blank reason', '   '],
    ['a placeholder reason', 'todo'],
    ['a reason that is not a string', undefined],
  ])('%s', (_name, reason) => {
    const c = container({});
    expectValidation(() => ProductionChecks.suppress(c, 'image-not-pinned', reason as any),
      { path: 's/svc', prop: 'reason', allowed: 'a reason of at least' });
  });
  test('an unknown rule id', () => {
    const c = container({});
    expectValidation(() => ProductionChecks.suppress(c, 'no-such-rule', 'the image is pinned by the registry mirror'),
      { path: 's/svc', prop: 'ruleId', allowed: 'one of the rule ids: image-not-pinned' });
  });
  test.each([
    ['null', null, 'null'],
    ['undefined', undefined, '(missing)'],
    ['a plain object', {}, '{}'],
    ['a number', 5, '5'],
    ['a string', 's/c', '"s/c"'],
    ['an object with a node that is no construct', { node: { path: 'x', findAll: () => [] } }, '{"node":{"path":"x"}}'],
  ])('a construct that is %s', (_name, construct, shown) => {
    expectValidation(() => ProductionChecks.suppress(construct as any, 'image-not-pinned', 'the image is pinned by the registry mirror'),
      { path: 'ProductionChecks.suppress', prop: 'construct', allowed: 'a construct (Construct.isConstruct)', value: shown });
  });
  test.each([
    ['a number', 5],
    ['null', null],
    ['undefined', undefined],
    ['a String object', new String('image-not-pinned')],
    ['an array', ['image-not-pinned']],
  ])('a rule id that is %s', (_name, ruleId) => {
    const c = container({});
    expectValidation(() => ProductionChecks.suppress(c, ruleId as any, 'the image is pinned by the registry mirror'),
      { path: 's/svc', prop: 'ruleId', allowed: 'one of the rule ids: image-not-pinned' });
  });
  test.each([
    ['a number', 12345678901],
    ['null', null],
    ['an object', { why: 'the image is pinned by the registry mirror' }],
    ['a String object', new String('the image is pinned by the registry mirror')],
    ['an array', ['the image is pinned by the registry mirror']],
  ])('a reason that is %s', (_name, reason) => {
    const c = container({});
    expectValidation(() => ProductionChecks.suppress(c, 'image-not-pinned', reason as any),
      { path: 's/svc', prop: 'reason', allowed: 'a reason of at least' });
  });
  test('the construct is judged first, whatever the rule and reason', () => {
    expectValidation(() => ProductionChecks.suppress(null as any, 5 as any, undefined as any),
      { path: 'ProductionChecks.suppress', prop: 'construct', allowed: 'a construct (Construct.isConstruct)', value: 'null' });
  });
});

describe('the review command on unreadable input: exit 2, one line on stderr, nothing written', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'review-bad-input-'));
    fs.mkdirSync(path.join(dir, 'empty'));
    fs.writeFileSync(path.join(dir, 'broken.json'), '{"resource": {');
    fs.writeFileSync(path.join(dir, 'other.json'), JSON.stringify({ name: 'cdktf-docker-production', version: '0.1.0' }));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const listing = () => fs.readdirSync(dir, { recursive: true }).map(String).sort();
  test.each([
    ['a missing file', 'missing.json', /cannot read .*missing\.json/],
    ['a folder without stacks', 'empty', /holds no synthesized stacks/],
    ['invalid JSON', 'broken.json', /broken\.json is not valid JSON/],
    ['JSON of another shape', 'other.json', /other\.json is neither a synthesized stack/],
  ])('%s', (_name, file, message) => {
    const before = listing();
    let stdout = '';
    let stderr = '';
    const code = review([path.join(dir, file)], { stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; } });
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(listing()).toEqual(before);
  });
  test('as a process: exit code 2 and a one-line message on stderr', () => {
    const cli = path.join(__dirname, '..', 'lib', 'review', 'cli.ts');
    let status: number | null = 0;
    let stdout = '';
    let stderr = '';
    try {
      execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', cli, path.join(dir, 'missing.json')], {
        cwd: path.join(__dirname, '..'), encoding: 'utf8', stdio: 'pipe',
      });
    } catch (e) {
      const err = e as { status: number | null; stdout: string; stderr: string };
      ({ status, stdout, stderr } = err);
    }
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(/^cdktf-docker-review: cannot read .*missing\.json/)]);
  });
});

describe('swarm: hosts, overlay networks, services, secrets and configs', () => {
  /** A fresh app with stack `s`, its swarm manager `s/host` and an overlay network `s/mesh`. */
  function swarm(): { stack: TerraformStack; host: DockerHost; mesh: OverlayNetwork } {
    const stack = new TerraformStack(newApp(), 's');
    const host = new DockerHost(stack, 'host', { swarm: true });
    return { stack, host, mesh: new OverlayNetwork(stack, 'mesh') };
  }
  const svc = (extra: Record<string, unknown>) => {
    const { stack, mesh } = swarm();
    return new SwarmService(stack, 'api', { image: redis(), networks: [mesh], ...extra } as any);
  };
  const notSwarm = 'a DockerHost with `swarm: true` (a swarm manager)';

  test('swarm that is not a boolean', () => {
    const stack = new TerraformStack(newApp(), 's');
    expectValidation(() => new DockerHost(stack, 'host', { swarm: 'yes' as any }), { path: 's/host', prop: 'swarm', allowed: 'true or false', value: '"yes"' });
  });
  test.each([
    ['SwarmService', (stack: TerraformStack) => new SwarmService(stack, 'x', { image: redis() }), 'a swarm service'],
    ['OverlayNetwork', (stack: TerraformStack) => new OverlayNetwork(stack, 'x'), 'an overlay network'],
    ['SwarmSecret', (stack: TerraformStack) => new SwarmSecret(stack, 'x', { value: Secret.fromVariable('pw') }), 'a swarm secret'],
    ['SwarmConfig', (stack: TerraformStack) => new SwarmConfig(stack, 'x', { content: 'c' }), 'a swarm config'],
  ])('a %s on a host that is not a swarm manager', (_name, make, what) => {
    const { stack } = fresh();
    expectValidation(() => make(stack), { path: 's/x', prop: 'host', allowed: `${notSwarm}: ${what} exists only in a swarm`, value: '"s/host"' });
  });
  test('a bridge ServiceNetwork for a service', () => {
    const { stack } = swarm();
    const bridge = new ServiceNetwork(stack, 'front');
    expectValidation(() => new SwarmService(stack, 'api', { image: redis(), networks: [bridge as any] }),
      { path: 's/api', prop: 'networks[0]', allowed: 'an OverlayNetwork: a bridge ServiceNetwork exists on one host only', value: '"s/front"' });
  });
  test('a service on no network', () => {
    const { stack } = swarm();
    expectValidation(() => new SwarmService(stack, 'api', { image: redis() }), { path: 's/api', prop: 'networks', allowed: 'at least one OverlayNetwork', value: '(none)' });
  });
  test('a container on an overlay network that is not attachable', () => {
    const { stack, mesh } = swarm();
    expectValidation(() => new ServiceContainer(stack, 'tool', { image: redis(), networks: [mesh] }),
      { path: 's/tool', prop: 'networks[0]', allowed: 'an OverlayNetwork with `attachable: true`', value: '"s/mesh"' });
  });
  test('an ingress port with dnsrr', () => {
    expectValidation(() => svc({ endpointMode: EndpointMode.DNSRR, ports: [ServicePort.ingress(80, 80)] }),
      { path: 's/api', prop: 'ports[0]', allowed: 'a port in host mode (ServicePort.host) with EndpointMode.DNSRR', value: '"80->80/tcp (ingress)"' });
  });
  test('a published port outside 1-65535', () => {
    expectValidation(() => svc({ ports: [ServicePort.host(0, 80)] }), { path: 's/api', prop: 'ports[0].publishedPort', allowed: 'an integer from 1 to 65535', value: '0' });
  });
  test('a service name that is no DNS label', () => {
    expectValidation(() => svc({ serviceName: 'a..b' }), { path: 's/api', prop: 'serviceName', allowed: 'a swarm service name', value: '"a..b"' });
  });
  test('an update monitor period too short for the health check', () => {
    expectValidation(() => svc({ healthcheck: Healthcheck.http(80, '/', { intervalSeconds: 5, retries: 2, startPeriodSeconds: 0 }), updateConfig: { monitorSeconds: 10 } }),
      { path: 's/api', prop: 'updateConfig.monitorSeconds', allowed: "longer than the health check's start period + interval × retries (10 s)", value: '10' });
  });
  test('a health check start interval for a service', () => {
    expectValidation(() => svc({ healthcheck: Healthcheck.tcp(6379, { startIntervalSeconds: 1 }) }),
      { path: 's/api', prop: 'healthcheck.startIntervalSeconds', allowed: 'no start interval for a SwarmService', value: '1' });
  });
  test('replicas of a global service', () => {
    expectValidation(() => svc({ mode: 'global', replicas: 2 }), { path: 's/api', prop: 'replicas', allowed: 'only with ServiceMode.REPLICATED', value: '2' });
  });
  test('a spread= placement preference', () => {
    expectValidation(() => svc({ placementPreferences: ['spread=node.id'] }), { path: 's/api', prop: 'placementPreferences[0]', allowed: "without 'spread='" });
  });
  test('a secret mount of something that is no SwarmSecret', () => {
    expectValidation(() => svc({ secrets: [{ secret: Secret.fromVariable('pw') }] }), { path: 's/api', prop: 'secrets[0].secret', allowed: 'a SwarmSecret' });
  });
  test('a swarm secret from a literal: refused, the value never echoed', () => {
    const { stack } = swarm();
    const e = expectValidation(() => new SwarmSecret(stack, 'pw', { value: 's3cr3t' as any }), { path: 's/pw', prop: 'value', allowed: 'never a literal', value: '"(a string)"' });
    expect(e.message).not.toContain('s3cr3t');
  });
  test('a secret name that leaves no room for the suffix', () => {
    const { stack } = swarm();
    expectValidation(() => new SwarmSecret(stack, 'pw', { value: Secret.fromVariable('pw_v'), secretName: 'p'.repeat(50) }),
      { path: 's/pw', prop: 'secretName', allowed: 'at most 43 characters' });
  });
  test('a config with both a file and a content; one from a file that is not there', () => {
    const { stack } = swarm();
    expectValidation(() => new SwarmConfig(stack, 'c1', { content: 'x', file: '/x' }), { path: 's/c1', prop: 'file', allowed: 'exactly one of `content` and `file`' });
    expectValidation(() => new SwarmConfig(stack, 'c2', { file: '/nonexistent/site.conf' }), { path: 's/c2', prop: 'file', allowed: 'a readable file (/nonexistent/site.conf: ENOENT)' });
  });
  test('wrong JavaScript types of the swarm props', () => {
    expectValidation(() => svc({ networks: 'mesh' }), { path: 's/api', prop: 'networks', allowed: 'a list of OverlayNetwork' });
    expectValidation(() => svc({ ports: {} }), { path: 's/api', prop: 'ports', allowed: 'a list of ServicePort' });
    expectValidation(() => svc({ restartPolicy: 5 }), { path: 's/api', prop: 'restartPolicy', allowed: 'ServiceRestartPolicy' });
    expectValidation(() => svc({ waitForConvergence: 'no' }), { path: 's/api', prop: 'waitForConvergence', allowed: 'true or false' });
    expectValidation(() => svc({ placementConstraints: [5] }), { path: 's/api', prop: 'placementConstraints[0]', allowed: 'a list of constraints' });
    expectValidation(() => svc({ init: 'no' }), { path: 's/api', prop: 'init', allowed: 'true or false' });
  });
});
