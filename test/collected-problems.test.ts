/**
 * Problems are reported together, not the first alone: every problem of one props object in one
 * ValidationError when the construct is made, and every problem that only shows once the construct
 * tree is complete in one ValidationError at synth (each still naming path, prop, value and what
 * is allowed).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, TerraformStack, TerraformVariable, Testing } from 'cdktf';
import {
  ContainerImage, DockerHost, Healthcheck, MinimalImage, OverlayNetwork, PortMapping, RegistryCredentials, RegistryPush, ServiceContainer, ServiceNetwork,
  SwarmService, SystemdUnits, ValidationError,
} from '../lib';

const image = () => ContainerImage.fromRegistry('redis:7.4-alpine');

function caught(fn: () => unknown): ValidationError {
  let error: unknown;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  if (!(error instanceof ValidationError)) throw new Error(`expected a ValidationError, got ${String(error)}`);
  return error;
}

/** A stack with three independent mistakes: two containers on no network, and units for a host with no container. */
function threeMistakes(app: App): TerraformStack {
  const stack = new TerraformStack(app, 'shop');
  new DockerHost(stack, 'host');
  const edge = new DockerHost(stack, 'edge', { url: 'ssh://deploy@edge.example.com', alias: 'edge' });
  const net = new ServiceNetwork(stack, 'net');
  new ServiceContainer(stack, 'web', { image: image() });
  new ServiceContainer(stack, 'db', { image: image(), networks: [net] });
  new ServiceContainer(stack, 'worker', { image: image() });
  new SystemdUnits(stack, 'units', { host: edge });
  return stack;
}

describe('a stack with several problems found at synth', () => {
  test('reports all three in one ValidationError, each naming path, prop and what is allowed', () => {
    const stack = threeMistakes(Testing.app());
    const error = caught(() => Testing.synth(stack, true));
    expect(error.problems.map((p) => [p.constructPath, p.prop])).toEqual([
      ['shop/web', 'networks'],
      ['shop/worker', 'networks'],
      ['shop/units', 'containers'],
    ]);
    for (const p of error.problems) {
      expect(p).toBeInstanceOf(ValidationError);
      expect(p.message.startsWith(`${p.constructPath}: invalid ${p.prop} `)).toBe(true);
      expect(p.message.endsWith(`: ${p.allowed}`)).toBe(true);
    }
    expect(error.problems[2].allowed).toContain('at least one ServiceContainer on host shop/edge');
    const lines = error.message.split('\n');
    expect(lines[0]).toBe('3 problems in stack shop:');
    expect(lines.slice(1)).toEqual(error.problems.map((p) => `  - ${p.message}`));
    // The combined error's fields are its first problem's.
    expect([error.constructPath, error.prop, error.allowed]).toEqual([error.problems[0].constructPath, 'networks', error.problems[0].allowed]);
    expect(error.stack?.split('\n')[0]).toBe('ValidationError: 3 problems in stack shop:');
  });

  test('app.synth() reports them the same way', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-checks-'));
    try {
      const app = new App({ outdir });
      threeMistakes(app);
      const error = caught(() => app.synth());
      expect(error.problems).toHaveLength(3);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });

  test('one problem is thrown as itself, message unchanged', () => {
    const stack = new TerraformStack(Testing.app(), 's');
    new DockerHost(stack, 'host');
    new ServiceContainer(stack, 'web', { image: image() });
    const error = caught(() => Testing.synth(stack, true));
    expect(error.problems).toEqual([error]);
    expect(error.message).toBe("s/web: invalid networks (none): at least one ServiceNetwork, in `networks` or by connect(); containers never sit on Docker's default bridge");
  });

  test('a unit that cannot be written fails at staging with the stack\'s other problems, also without validation', () => {
    const stack = new TerraformStack(Testing.app(), 's');
    new DockerHost(stack, 'host');
    const net = new ServiceNetwork(stack, 'net');
    const name = new TerraformVariable(stack, 'name', { type: 'string' });
    new ServiceContainer(stack, 'named', { image: image(), networks: [net], serviceName: name.stringValue });
    new ServiceContainer(stack, 'lonely', { image: image() });
    new SystemdUnits(stack, 'units');
    const error = caught(() => Testing.synth(stack));
    expect(error.problems.map((p) => `${p.constructPath} ${p.prop}`).sort()).toEqual(['s/lonely networks', 's/named serviceName']);
  });

  test('the problems of another stack are not this stack\'s', () => {
    const app = Testing.app();
    threeMistakes(app);
    const clean = new TerraformStack(app, 'clean');
    new DockerHost(clean, 'host');
    new ServiceContainer(clean, 'web', { image: image(), networks: [new ServiceNetwork(clean, 'net')] });
    expect(() => Testing.synth(clean, true)).not.toThrow();
  });
});

/** The problems of an error as `path prop` lines. */
const named = (e: ValidationError) => e.problems.map((p) => `${p.constructPath} ${p.prop}`);

describe('a props object with several mistakes', () => {
  test('a ServiceContainer reports all three at once, when it is made', () => {
    const stack = new TerraformStack(Testing.app(), 's');
    new DockerHost(stack, 'host');
    const net = new ServiceNetwork(stack, 'net');
    const error = caught(() => new ServiceContainer(stack, 'web', {
      image: image(), networks: [net], memoryMiB: 3, user: 'no spaces allowed', ports: [PortMapping.local(8080, 80), PortMapping.local(8081, 80)],
    }));
    expect(named(error)).toEqual(['s/web user', 's/web memoryMiB', 's/web ports[1]']);
    expect(error.message.split('\n')).toEqual(['3 problems in s/web:', ...error.problems.map((p) => `  - ${p.message}`)]);
    // Nothing was declared for the refused container.
    expect(stack.node.tryFindChild('web')?.node.tryFindChild('Resource')).toBeUndefined();
  });

  test('a SwarmService reports its own and the shared props\' mistakes together', () => {
    const stack = new TerraformStack(Testing.app(), 's');
    new DockerHost(stack, 'host', { swarm: true });
    const mesh = new OverlayNetwork(stack, 'mesh');
    const error = caught(() => new SwarmService(stack, 'api', {
      image: image(), networks: [mesh], replicas: -1, logMaxFiles: 0, restartPolicy: { delaySeconds: -5 },
      healthcheck: Healthcheck.tcp(6379, { startIntervalSeconds: 1 }),
    }));
    expect(named(error).sort()).toEqual(['s/api healthcheck.startIntervalSeconds', 's/api logMaxFiles', 's/api replicas', 's/api restartPolicy.delaySeconds']);
  });

  test('a mistake that another prop depends on is reported once', () => {
    const stack = new TerraformStack(Testing.app(), 's');
    new DockerHost(stack, 'host', { swarm: true });
    const mesh = new OverlayNetwork(stack, 'mesh');
    // The reservation is judged against the limit only when the limit itself is valid.
    const error = caught(() => new SwarmService(stack, 'api', { image: image(), networks: [mesh], memoryMiB: 3, memoryReservationMiB: 256 }));
    expect(named(error)).toEqual(['s/api memoryMiB']);
  });

  test('wrong JavaScript types are all reported before any value is read', () => {
    const stack = new TerraformStack(Testing.app(), 's');
    new DockerHost(stack, 'host');
    const error = caught(() => new ServiceContainer(stack, 'web', { image: image(), ports: 'x', networks: {}, memoryMiB: 3, hostt: 1 } as any));
    expect(named(error)).toEqual(['s/web hostt', 's/web networks', 's/web ports']);
  });

  test('a RegistryPush reports its repository and tag mistakes together', () => {
    const stack = new TerraformStack(Testing.app(), 's');
    new DockerHost(stack, 'host', { registries: [RegistryCredentials.anonymous('http://localhost:5000')] });
    const api = new MinimalImage(stack, 'api', { context: path.join(__dirname, '..', 'examples', 'reference-app', 'api'), name: 'team/api:1.0.0' });
    const error = caught(() => new RegistryPush(stack, 'push', { image: api, repository: 'localhost:5000/Team/API', tags: ['latest', '1.0'] }));
    expect(named(error)).toEqual(['s/push repository', 's/push tags[0]']);
  });

  test('a single mistake is thrown as itself', () => {
    const stack = new TerraformStack(Testing.app(), 's');
    new DockerHost(stack, 'host');
    const error = caught(() => new ServiceContainer(stack, 'web', { image: image(), networks: [new ServiceNetwork(stack, 'net')], memoryMiB: 3 }));
    expect(error.problems).toEqual([error]);
    expect(error.message).toBe("s/web: invalid memoryMiB 3: a memory limit in MiB: an integer of at least 6 (Docker's minimum)");
  });
});
