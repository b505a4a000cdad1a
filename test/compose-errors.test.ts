/**
 * Bad compose input: each case is the library's ValidationError whose prop names the compose
 * file, line, column and key path (`<file>:<line>:<col> services.web.ports[1]`) and whose
 * message says what is allowed. Nothing is a TypeError or a cdktf-internal error.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { TerraformStack, Testing } from 'cdktf';
import { ComposeProject, ComposeProjectProps, DockerHost, ValidationError } from '../lib';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'compose-errors-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

let n = 0;
/** Writes `yaml` (and `extra` files beside it) into a fresh folder; returns the compose file's path. */
function write(yaml: string, extra: Record<string, string> = {}): string {
  const folder = path.join(dir, `case${n++}`);
  fs.mkdirSync(folder, { recursive: true });
  for (const [name, text] of Object.entries(extra)) {
    fs.mkdirSync(path.dirname(path.join(folder, name)), { recursive: true });
    fs.writeFileSync(path.join(folder, name), text);
  }
  const file = path.join(folder, 'compose.yaml');
  fs.writeFileSync(file, yaml);
  return file;
}

function build(file: string, props: Partial<ComposeProjectProps> = {}): TerraformStack {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'test');
  new DockerHost(stack, 'host');
  new ComposeProject(stack, 'proj', { file, ...props });
  Testing.synth(stack, true);
  return stack;
}

interface Expected {
  /** `<line>:<col> <key path>` after the file name. */
  readonly at: string;
  /** A part of what is allowed. */
  readonly allowed: string;
  /** The construct path the message starts with. @default 'test/proj' */
  readonly path?: string;
  /** The file the position is in, if not the compose file. */
  readonly file?: string;
}

function expectError(fn: () => unknown, file: string, expected: Expected): ValidationError {
  let thrown: unknown;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  if (thrown === undefined) throw new Error(`expected a ValidationError at ${expected.at}, nothing was thrown`);
  if (!(thrown instanceof ValidationError)) throw new Error(`expected a ValidationError, got ${(thrown as Error)?.constructor?.name}: ${(thrown as Error)?.message}`);
  const where = expected.path ?? 'test/proj';
  const prop = `${expected.file ?? file}:${expected.at}`;
  expect(thrown.constructPath).toBe(where);
  expect(thrown.prop).toBe(prop);
  expect(thrown.message.startsWith(`${where}: invalid ${prop} `)).toBe(true);
  expect(thrown.allowed).toContain(expected.allowed);
  return thrown;
}

const check = (yaml: string, expected: Expected, props: Partial<ComposeProjectProps> = {}, extra: Record<string, string> = {}) => {
  const file = write(yaml, extra);
  return expectError(() => build(file, props), file, expected);
};

describe('the catalogue of bad compose input', () => {
  test('an unknown service key, at the key', () => {
    check('services:\n  web:\n    image: nginx:1.27\n    imagee: nginx:1.28\n', { at: '4:5 services.web.imagee', allowed: 'a service key of the compose specification' });
  });

  test('an unknown top-level key', () => {
    check('services:\n  web:\n    image: nginx:1.27\nservice:\n  x: {}\n', { at: '4:1 service', allowed: 'a top-level compose key' });
  });

  test('a wrong type: ports as a number, environment as a number, a boolean where a string goes', () => {
    check('services:\n  web:\n    image: nginx:1.27\n    ports: 80\n', { at: '4:12 services.web.ports', allowed: 'a list of ports' });
    check('services:\n  web:\n    image: nginx:1.27\n    environment: 5\n', { at: '4:18 services.web.environment', allowed: 'a list of NAME=value or a mapping' });
    check('services:\n  web:\n    image: nginx:1.27\n    hostname: true\n', { at: '4:15 services.web.hostname', allowed: 'a host name' });
  });

  test('an undefined variable with :? and ?, with the message of the file', () => {
    const e = check('services:\n  web:\n    image: "nginx:${TAG:?set TAG to the release}"\n', {
      at: '3:12 services.web.image', allowed: 'required variable TAG is not set: set TAG to the release',
    });
    expect(e.message).toContain('"nginx:${TAG:?set TAG to the release}"');
    check('services:\n  web:\n    image: nginx:1.27\n    environment:\n      - A=${EMPTY_ONE:?}\n', { at: '5:9 services.web.environment[0]', allowed: 'required variable EMPTY_ONE is empty' }, { environment: { EMPTY_ONE: '' } });
    // Without the colon an empty value is a value.
    const ok = write('services:\n  web:\n    image: nginx:1.27\n    environment:\n      - A=${EMPTY_ONE?}\n');
    expect(() => build(ok, { environment: { EMPTY_ONE: '' } })).not.toThrow();
  });

  test('bad interpolation syntax', () => {
    check('services:\n  web:\n    image: nginx:1.27\n    command: echo ${UNCLOSED\n', { at: '4:14 services.web.command', allowed: 'a "${" closed by "}"' });
    check('services:\n  web:\n    image: nginx:1.27\n    command: echo $1\n', { at: '4:14 services.web.command', allowed: '("$$" is a literal "$")' });
    check('services:\n  web:\n    image: nginx:1.27\n    command: echo ${A/b/c}\n', { at: '4:14 services.web.command', allowed: '${VAR:-default}' });
  });

  test('a depends_on on a missing service, listing the services', () => {
    check('services:\n  web:\n    image: nginx:1.27\n    depends_on: [api]\n', { at: '4:18 services.web.depends_on[0]', allowed: 'a service of this file: one of web' });
    check('services:\n  web:\n    image: nginx:1.27\n    depends_on:\n      api:\n        condition: service_started\n', { at: '6:9 services.web.depends_on.api', allowed: 'one of web' });
  });

  test('a dependency cycle, naming the cycle', () => {
    check('services:\n  a:\n    image: busybox:1.36\n    depends_on: [b]\n  b:\n    image: busybox:1.36\n    depends_on: [c]\n  c:\n    image: busybox:1.36\n    depends_on: [a]\n', {
      at: '10:17 services.c.depends_on', allowed: 'dependencies must not form a cycle (a → b → c → a)',
    });
    check('services:\n  a:\n    image: busybox:1.36\n    depends_on: [a]\n', { at: '4:18 services.a.depends_on[0]', allowed: 'a service cannot depend on itself' });
  });

  test('depends_on conditions the library cannot honour', () => {
    check('services:\n  job:\n    image: busybox:1.36\n  web:\n    image: nginx:1.27\n    depends_on:\n      job:\n        condition: service_completed_successfully\n', {
      at: '8:20 services.web.depends_on.job.condition', allowed: 'service_started or service_healthy: a one-shot job',
    });
    check('services:\n  db:\n    image: busybox:1.36\n  web:\n    image: nginx:1.27\n    depends_on:\n      db:\n        condition: service_healthy\n', {
      at: '8:9 services.web.depends_on.db', allowed: 'a service with a healthcheck for condition service_healthy (db has no healthcheck in this file)',
    });
  });

  test('a required dependency on a service no active profile enables', () => {
    check('services:\n  web:\n    image: nginx:1.27\n    depends_on: [debug]\n  debug:\n    image: busybox:1.36\n    profiles: [debug]\n', {
      at: '4:18 services.web.depends_on[0]', allowed: 'a service enabled by the active profiles (debug is in profiles debug)',
    });
  });

  test('deploy.replicas > 1 and scale: one container per service on one engine', () => {
    check('services:\n  web:\n    image: nginx:1.27\n    deploy:\n      replicas: 3\n', { at: '5:17 services.web.deploy.replicas', allowed: 'several replicas need a Swarm' });
    check('services:\n  web:\n    image: nginx:1.27\n    scale: 2\n', { at: '4:12 services.web.scale', allowed: 'several replicas need a Swarm' });
    check('services:\n  web:\n    image: nginx:1.27\n    deploy:\n      mode: global\n', { at: '5:13 services.web.deploy.mode', allowed: 'replicated' });
  });

  test('network_mode host and service:x are refused with the reason', () => {
    check('services:\n  web:\n    image: nginx:1.27\n    network_mode: host\n', { at: '4:5 services.web.network_mode', allowed: "the host's network namespace removes isolation" });
    check('services:\n  a:\n    image: nginx:1.27\n  b:\n    image: nginx:1.27\n    network_mode: "service:a"\n', { at: '6:5 services.b.network_mode', allowed: 'use networks' });
  });

  test('legacy links, volumes_from and extends are refused', () => {
    check('services:\n  a:\n    image: nginx:1.27\n    links: [b]\n', { at: '4:5 services.a.links', allowed: 'links are legacy' });
    check('services:\n  a:\n    image: nginx:1.27\n    volumes_from: [b]\n', { at: '4:5 services.a.volumes_from', allowed: 'mount the named volumes themselves' });
    check('services:\n  a:\n    image: nginx:1.27\n    extends: { service: b }\n', { at: '4:5 services.a.extends', allowed: 'write the extended service out in full' });
  });

  test('ports: no host port (Docker would pick one), a bad port, a host range for one port', () => {
    check('services:\n  web:\n    image: nginx:1.27\n    ports:\n      - "8080:80"\n      - "443"\n', { at: '6:9 services.web.ports[1]', allowed: 'a host port, e.g. "8080:80"' });
    check('services:\n  web:\n    image: nginx:1.27\n    ports: ["80:70000"]\n', { at: '4:13 services.web.ports[0]', allowed: 'ports from 1 to 65535' });
    check('services:\n  web:\n    image: nginx:1.27\n    ports: ["8000-8010:80"]\n', { at: '4:13 services.web.ports[0]', allowed: 'ranges of the same length' });
    check('services:\n  web:\n    image: nginx:1.27\n    ports: ["localhost:80:80"]\n', { at: '4:13 services.web.ports[0]', allowed: 'an IPv4 or IPv6 address' });
  });

  test('a construct\'s refusal names the compose place: one container port published twice (tcp and udp)', () => {
    const e = check('services:\n  log:\n    image: logstash:7.16.1\n    ports:\n      - "5000:5000/tcp"\n      - "5000:5000/udp"\n', {
      at: '6:9 services.log.ports[1] (ports[1])', path: 'test/proj/log', allowed: 'a container port not already published',
    });
    expect(e.message).toContain('"0.0.0.0:5000->5000/udp"');
  });

  test('a construct\'s refusal across services: the same host port published twice on the host', () => {
    check('services:\n  a:\n    image: nginx:1.27\n    ports: ["8080:80"]\n  b:\n    image: nginx:1.27\n    ports: ["8080:80"]\n', {
      at: '7:13 services.b.ports[0] (ports[0])', path: 'test/proj/b', allowed: 'a host port and protocol not already published',
    });
  });

  test('an environment name the library refuses, at its key; in an env_file, at its line there', () => {
    check('services:\n  es:\n    image: elasticsearch:7.16.1\n    environment:\n      discovery.type: single-node\n', {
      at: '5:7 services.es.environment.discovery.type', allowed: 'an environment variable name of letters, digits and underscores',
    });
    const file = write('services:\n  es:\n    image: elasticsearch:7.16.1\n    env_file: es.env\n', { 'es.env': '# settings\nGOOD=1\n\nbad-name=2\n' });
    expectError(() => build(file), file, { file: path.join(path.dirname(file), 'es.env'), at: '4:1 bad-name', allowed: 'an environment variable name' });
  });

  test('YAML errors with their line and column; duplicate keys; not a mapping', () => {
    check('services:\n  web:\n    image: [nginx\n', { at: '4:1', allowed: 'a YAML 1.2 document' });
    check('services:\n  web:\n    image: nginx:1.27\n    image: nginx:1.28\n', { at: '4:5 services.web.image', allowed: 'each key once in a mapping' });
    check('- just\n- a list\n', { at: '1:1', allowed: 'a compose file: a mapping with `services`' });
    check('name: empty\n', { at: '1:1 services', allowed: 'a mapping of at least one service' });
  });

  test('undeclared named volume, network, secret', () => {
    check('services:\n  db:\n    image: postgres:16.4\n    volumes: ["db-data:/var/lib/postgresql/data"]\n', { at: '4:15 services.db.volumes[0]', allowed: 'a volume declared under the top-level volumes (none declared)' });
    check('services:\n  db:\n    image: postgres:16.4\n    networks: [back]\nnetworks:\n  front: {}\n', { at: '4:16 services.db.networks[0]', allowed: 'a network declared under the top-level networks (front), or default' });
    check('services:\n  db:\n    image: postgres:16.4\n    secrets: [pw]\n', { at: '4:15 services.db.secrets[0]', allowed: 'a secret declared under the top-level secrets' });
  });

  test('a secret file that is missing (Docker would mount an empty folder)', () => {
    check('services:\n  db:\n    image: postgres:16.4\n    secrets: [pw]\nsecrets:\n  pw:\n    file: ./pw.txt\n', { at: '7:11 secrets.pw.file', allowed: 'an existing file' });
  });

  test('external networks and volumes are not declared here', () => {
    check('services:\n  a:\n    image: nginx:1.27\n    networks: [ext]\nnetworks:\n  ext:\n    external: true\n', { at: '7:15 networks.ext.external', allowed: 'an external network is not managed here' });
    check('services:\n  a:\n    image: nginx:1.27\n    volumes: ["v:/v"]\nvolumes:\n  v:\n    external: true\n', { at: '7:15 volumes.v.external', allowed: 'an external volume is not managed here' });
  });

  test('unpinned images: no tag and :latest', () => {
    check('services:\n  a:\n    image: redis:latest\n', { at: '3:12 services.a.image', allowed: "pinned by a tag other than 'latest'" });
    check('services:\n  a:\n    image: Redis:7\n', { at: '3:12 services.a.image', allowed: 'a Docker image reference' }, { allowUnpinnedImages: true });
  });

  test('values the library keeps in whole units: sub-second health checks, memory not in MiB, tmpfs sizes that differ', () => {
    check('services:\n  a:\n    image: nginx:1.27\n    healthcheck:\n      test: ["CMD", "true"]\n      interval: 500ms\n', { at: '6:17 services.a.healthcheck.interval', allowed: "whole seconds from 1 to 86400 (the library's durations are whole seconds)" });
    check('services:\n  a:\n    image: nginx:1.27\n    healthcheck:\n      test: ["CMD", "true"]\n      timeout: soon\n', { at: '6:16 services.a.healthcheck.timeout', allowed: 'a duration such as 10s or 1m30s' });
    check('services:\n  a:\n    image: nginx:1.27\n    mem_limit: 100000000\n', { at: '4:16 services.a.mem_limit', allowed: 'a memory limit of whole MiB' });
    check('services:\n  a:\n    image: nginx:1.27\n    tmpfs: ["/a:size=8m", "/b:size=16m"]\n', { at: '4:27 services.a.tmpfs[1]', allowed: 'one tmpfs size per service' });
  });

  test('cap_add ALL, a static address without a subnet, a bad restart', () => {
    check('services:\n  a:\n    image: nginx:1.27\n    cap_add: [NET_ADMIN, ALL]\n', { at: '4:26 services.a.cap_add[1]', allowed: 'ALL is not allowed' });
    check('services:\n  a:\n    image: nginx:1.27\n    networks:\n      n:\n        ipv4_address: 10.0.0.5\nnetworks:\n  n: {}\n', { at: '6:23 services.a.networks.n.ipv4_address', allowed: 'give networks.n.ipam.config a subnet' });
    check('services:\n  a:\n    image: nginx:1.27\n    networks:\n      n:\n        ipv4_address: 10.9.0.5\nnetworks:\n  n:\n    ipam:\n      config:\n        - subnet: 10.0.0.0/24\n', { at: '6:23 services.a.networks.n.ipv4_address', allowed: 'an address inside the subnet 10.0.0.0/24' });
    check('services:\n  a:\n    image: nginx:1.27\n    restart: sometimes\n', { at: '4:14 services.a.restart', allowed: 'no, always, on-failure[:max-retries] or unless-stopped' });
  });

  test('a build context that does not exist; a Dockerfile outside the context', () => {
    check('services:\n  a:\n    build: ./nope\n', { at: '3:12 services.a.build', allowed: 'an existing folder' });
    check('services:\n  a:\n    build:\n      context: ./app\n      dockerfile: ../Dockerfile\n', { at: '5:19 services.a.build.dockerfile', allowed: 'a Dockerfile inside the build context' }, {}, { 'app/Dockerfile': 'FROM local/busybox:1.35\n', Dockerfile: 'FROM x\n' });
    check('services:\n  a:\n    build:\n      context: ./app\n      ssh: [default]\n', { at: '5:7 services.a.build.ssh', allowed: 'MinimalImage builds with context, dockerfile, args, target and platform only' }, {}, { 'app/Dockerfile': 'FROM local/busybox:1.35\n' });
  });

  test('the .env beside the file: a bad line names the .env file and its line', () => {
    const file = write('services:\n  a:\n    image: nginx:${TAG}\n', { '.env': 'TAG=1.27\nno equals sign here\n' });
    expectError(() => build(file), file, { file: path.join(path.dirname(file), '.env'), at: '2:1', allowed: 'KEY=VALUE lines' });
  });

  test('a missing env_file, unless required: false (then noted)', () => {
    check('services:\n  a:\n    image: nginx:1.27\n    env_file: missing.env\n', { at: '4:15 services.a.env_file', allowed: 'an existing env file' });
    const file = write('services:\n  a:\n    image: nginx:1.27\n    env_file:\n      - path: missing.env\n        required: false\n');
    const app = Testing.app();
    const stack = new TerraformStack(app, 'test');
    new DockerHost(stack, 'host');
    const p = new ComposeProject(stack, 'proj', { file });
    expect(p.notes).toEqual([expect.objectContaining({ line: 5, column: 9, keyPath: 'services.a.env_file[0]', message: expect.stringContaining('does not exist (required: false)') })]);
  });

  test('a service name compose refuses; a project name compose refuses', () => {
    check('services:\n  "-web":\n    image: nginx:1.27\n', { at: '2:3 services.-web', allowed: 'a service name of letters, digits' });
    check('name: Shop\nservices:\n  web:\n    image: nginx:1.27\n', { at: '1:7 name', allowed: 'a compose project name: lower-case' });
  });
});

describe('props of ComposeProject', () => {
  const fresh = () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'test');
    new DockerHost(stack, 'host');
    return stack;
  };

  test('file, projectName, profiles, environment, buildTag are checked with the construct path', () => {
    const stack = fresh();
    expect(() => new ComposeProject(stack, 'a', {} as any)).toThrow('test/a: invalid file (missing): the path of a compose file');
    expect(() => new ComposeProject(stack, 'b', { file: 'x.yaml', projectName: 'Shop' })).toThrow('test/b: invalid projectName "Shop": a compose project name');
    expect(() => new ComposeProject(stack, 'c', { file: 'x.yaml', profiles: 'debug' as any })).toThrow('test/c: invalid profiles "debug": a list of profile names');
    expect(() => new ComposeProject(stack, 'd', { file: 'x.yaml', environment: { A: 1 as any } })).toThrow('test/d: invalid environment.A 1: a string value');
    expect(() => new ComposeProject(stack, 'e', { file: 'x.yaml', buildTag: 'latest' })).toThrow("test/e: invalid buildTag \"latest\": an image tag other than 'latest'");
  });

  test('a file that cannot be read', () => {
    const stack = fresh();
    expect(() => new ComposeProject(stack, 'p', { file: path.join(dir, 'absent.yaml') })).toThrow(/^test\/p: invalid file ".*absent\.yaml": a readable compose file \(ENOENT/);
  });
});
