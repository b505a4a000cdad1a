/**
 * The review command: inputs (cdktf.out, stack folder, cdk.tf.json, plans),
 * formats, exit codes, a raw-bindings stack full of violations, and a plan
 * reviewed the same as the equivalent cdk.tf.json.
 */
import 'cdktf/lib/testing/adapters/jest';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { App, Aspects, Testing, TerraformStack } from 'cdktf';
import { Container } from '@cdktf/provider-docker/lib/container';
import { Image } from '@cdktf/provider-docker/lib/image';
import { Network } from '@cdktf/provider-docker/lib/network';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { RegistryImage } from '@cdktf/provider-docker/lib/registry-image';
import { Tag } from '@cdktf/provider-docker/lib/tag';
import { Volume } from '@cdktf/provider-docker/lib/volume';
import { ProductionChecks } from '../lib/production-checks';
import { Finding, ReviewReport, StackReview } from '../lib/review/model';
import { addMultiStack } from '../examples/multi-stack/stacks';
import { contextDir, hardened, newStack, runCli, tempDir, writeJson } from './fixtures/review/helpers';

const PLAN_DIR = path.join(__dirname, 'fixtures', 'review', 'plan');
const ROOT = path.join(__dirname, '..');

function json(run: { stdout: string }): ReviewReport {
  return JSON.parse(run.stdout) as ReviewReport;
}

const key = (f: Finding) => `${f.resource} ${f.rule} ${f.severity}${f.suppressed ? ' suppressed' : ''}`;

/** A small, clean app: two services on user-defined networks, a volume, one loopback port. */
function cleanApp(stack: TerraformStack): void {
  new DockerProvider(stack, 'docker', { host: 'unix:///var/run/docker.sock' });
  const front = new Network(stack, 'front', { name: 'front' });
  const back = new Network(stack, 'back', { name: 'back', internal: true });
  const data = new Volume(stack, 'data', { name: 'cache-data' });
  const cacheImage = new Image(stack, 'cache_image', { name: 'redis:7.4-alpine', keepLocally: true });
  const cache = new Container(stack, 'cache', hardened({
    name: 'cache',
    image: cacheImage.imageId,
    networksAdvanced: [{ name: back.id, aliases: ['cache'] }],
    volumes: [{ volumeName: data.name, containerPath: '/data' }],
    healthcheck: { test: ['CMD', 'redis-cli', 'ping'] },
  }));
  new Container(stack, 'web', hardened({
    name: 'web',
    image: 'nginx:1.27-alpine',
    networksAdvanced: [{ name: front.id, aliases: ['web'] }, { name: back.id }],
    ports: [{ internal: 80, external: 8080, ip: '127.0.0.1' }],
    dependsOn: [cache],
  }));
}

describe('inputs', () => {
  test('a cdktf.out folder (manifest.json) with several stacks', () => {
    const outdir = tempDir();
    const app = new App({ outdir });
    cleanApp(new TerraformStack(app, 'one'));
    const two = new TerraformStack(app, 'two');
    cleanApp(two);
    new Container(two, 'bad', hardened({ name: 'bad', image: 'busybox', privileged: true }));
    app.synth();

    const run = runCli([outdir, '--format', 'json']);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('');
    const report = json(run);
    expect(report.stacks.map((s) => s.name)).toEqual(['one', 'two']);
    expect(report.stacks[0].findings).toEqual([]);
    expect(report.stacks[1].findings.map(key)).toEqual([
      'docker_container.bad image-not-pinned error',
      'docker_container.bad privileged-container error',
    ]);
    expect(report.stacks[0].services.map((s) => s.name)).toEqual(['cache', 'web']);
  });

  test('a cdktf.out folder without manifest.json, a stack folder and a single cdk.tf.json', () => {
    const outdir = Testing.fullSynth(newStack(cleanApp));
    fs.rmSync(path.join(outdir, 'manifest.json'));
    const stackDir = path.join(outdir, 'stacks', 'stack');
    for (const target of [outdir, stackDir, path.join(stackDir, 'cdk.tf.json')]) {
      const run = runCli([target, '--format', 'json']);
      expect({ target, code: run.code, stderr: run.stderr }).toEqual({ target, code: 0, stderr: '' });
      expect(json(run).stacks.map((s) => [s.name, s.services.length])).toEqual([['stack', 2]]);
    }
  });

  test('a file with non-ASCII text reads as UTF-8 (an ASCII file is read another way)', () => {
    const doc = { resource: { docker_container: { web: { name: 'café-web', image: 'nginx:1.27-alpine', labels: { note: 'Grüße, 東京' } } } } };
    const file = writeJson(doc);
    expect(fs.readFileSync(file).length).toBeGreaterThan(JSON.stringify(doc).length); // multi-byte characters on disk
    const run = runCli([file]);
    expect(run.stdout.split('\n').some((l) => l.startsWith('café-web  nginx:1.27-alpine'))).toBe(true);
    const ascii = runCli([writeJson({ resource: { docker_container: { web: { name: 'cafe-web', image: 'nginx:1.27-alpine' } } } })]);
    expect(ascii.stdout.split('\n').some((l) => l.startsWith('cafe-web  nginx:1.27-alpine'))).toBe(true);
    expect(json(runCli([file, '--format', 'json'])).stacks[0].services[0].name).toBe('café-web');
  });

  test('the command starts without cdktf, the provider bindings or the Dockerfile parser', () => {
    const script = [
      "require('ts-node').register({ transpileOnly: true });",
      "const { main } = require('./lib/review/cli');",
      `main([${JSON.stringify(path.join(PLAN_DIR, 'cdk.tf.json'))}, '--format', 'json'], { stdout() {}, stderr() {} });`,
      "const loaded = Object.keys(require.cache);",
      "console.log(JSON.stringify(['/node_modules/cdktf/', '/node_modules/@cdktf/', '/node_modules/constructs/', '/node_modules/dockerfile-ast/'].map((m) => loaded.some((k) => k.includes(m)))));",
    ].join('\n');
    const child = spawnSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8' });
    expect(child.stderr).toBe('');
    expect(JSON.parse(child.stdout)).toEqual([false, false, false, false]);
  });
});

describe('exit code 2: unreadable or unrecognised input', () => {
  const dir = tempDir();
  fs.writeFileSync(path.join(dir, 'invalid.json'), '{"resource": {');
  fs.writeFileSync(path.join(dir, 'array.json'), '[1, 2]');
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'x', version: '1.0.0' }));
  fs.writeFileSync(path.join(dir, 'empty.json'), '');
  fs.mkdirSync(path.join(dir, 'no-stacks'));
  fs.writeFileSync(path.join(dir, 'no-stacks', 'README.md'), 'nothing here');
  fs.mkdirSync(path.join(dir, 'broken-manifest'));
  fs.writeFileSync(path.join(dir, 'broken-manifest', 'manifest.json'), JSON.stringify({ stacks: { app: { synthesizedStackPath: 'stacks/app/cdk.tf.json' } } }));

  test.each([
    ['a missing file', [path.join(dir, 'nope.json')], /cannot read .*nope\.json: no such file or directory/],
    ['a folder without stacks', [path.join(dir, 'no-stacks')], /holds no synthesized stacks/],
    ['invalid JSON', [path.join(dir, 'invalid.json')], /invalid\.json is not valid JSON/],
    ['an empty file', [path.join(dir, 'empty.json')], /empty\.json is not valid JSON/],
    ['JSON of another shape (array)', [path.join(dir, 'array.json')], /neither a synthesized stack \(cdk\.tf\.json\) nor `terraform show -json` output/],
    ['JSON of another shape (package.json)', [path.join(dir, 'package.json')], /neither a synthesized stack/],
    ['a manifest naming a missing stack file', [path.join(dir, 'broken-manifest')], /cannot read .*cdk\.tf\.json, listed in/],
    ['no path', [], /missing <path>/],
    ['two paths', [dir, dir], /expected one <path>, got 2/],
    ['an unknown format', [path.join(PLAN_DIR, 'plan.json'), '--format', 'yaml'], /unknown --format "yaml"/],
    ['an unknown option', [path.join(PLAN_DIR, 'plan.json'), '--verbose'], /Unknown option '--verbose'/],
  ])('%s', (_name, args, message) => {
    const run = runCli(args);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^cdktf-docker-review: /);
    expect(run.stderr).toMatch(message);
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  describe('JSON of a recognised kind but another inner shape', () => {
    const STACK = { '//': { metadata: { stackName: 'odd', version: '0.21.0' } }, terraform: { required_providers: { docker: { source: 'kreuzwerker/docker' } } } };
    const PLAN = { format_version: '1.2', terraform_version: '1.9.8' };
    test.each([
      ['a resource type that is a number', { resource: { docker_container: 5 } }, /resource\.docker_container must be an object/],
      ['a resource body that is a number', { resource: { docker_container: { a: 5 } } }, /resource\.docker_container\.a must be an object/],
      ['a resource body that is a string', { ...STACK, resource: { docker_container: { a: 'x' } } }, /resource\.docker_container\.a must be an object/],
      ['a resource body list holding a string', { ...STACK, resource: { docker_image: { a: [{ name: 'x:1' }, 'y'] } } }, /resource\.docker_image\.a\[1\] must be an object/],
      ['a resource type of another provider that is a list', { ...STACK, resource: { null_resource: [] } }, /resource\.null_resource must be an object/],
      ['resource as a list', { resource: [] }, /resource must be an object/],
      ['a resource type whose name holds a line break (the message stays on one line)', { resource: { 'x\ny': 5 } }, /resource\."x\\ny" must be an object/],
      ['resource as a list next to a terraform block', { ...STACK, resource: [] }, /resource must be an object/],
      ['resource as a string', { ...STACK, resource: 'docker_container' }, /resource must be an object/],
      ['the docker provider as a number', { ...STACK, provider: { docker: 5 } }, /provider\.docker must be an object/],
      ['a docker provider list holding null', { ...STACK, provider: { docker: [{}, null] } }, /provider\.docker\[1\] must be an object/],
      ['data as a list', { ...STACK, data: [] }, /data must be an object/],
      ['a terraform_remote_state that is a string', { ...STACK, data: { terraform_remote_state: { platform: 'x' } } }, /data\.terraform_remote_state\.platform must be an object/],
      ['outputs as a number', { ...STACK, output: 5 }, /output must be an object/],
      ['an output that is a string', { ...STACK, output: { url: 'http://x' } }, /output\.url must be an object/],
      ['terraform as a list', { resource: {}, terraform: [] }, /terraform must be an object/],
      ['a backend that is a string', { terraform: { backend: 'local' } }, /terraform\.backend must be an object/],
      ['the // metadata as a number', { resource: {}, '//': 5 }, /"\/\/" must be an object/],
      ['planned_values without format_version', { planned_values: 5 }, /neither a synthesized stack/],
      ['planned_values as a number', { ...PLAN, planned_values: 5 }, /planned_values must be an object/],
      ['planned_values as a number next to a configuration', { ...PLAN, planned_values: 5, configuration: {} }, /planned_values must be an object/],
      ['values as a list', { ...PLAN, values: [] }, /values must be an object/],
      ['a root module that is a number', { ...PLAN, planned_values: { root_module: 5 } }, /planned_values\.root_module must be an object/],
      ['module resources that are an object', { ...PLAN, planned_values: { root_module: { resources: {} } } }, /planned_values\.root_module\.resources must be a list/],
      ['a module resource that is a number', { ...PLAN, planned_values: { root_module: { resources: [5] } } }, /planned_values\.root_module\.resources\[0\] must be an object/],
      ['a docker resource without a type', { ...PLAN, planned_values: { root_module: { resources: [{ address: 'docker_container.a', values: {} }] } } }, /planned_values\.root_module\.resources\[0\]\.type must be a string/],
      ['docker resource values that are a list', { ...PLAN, planned_values: { root_module: { resources: [{ address: 'docker_container.a', type: 'docker_container', name: 'a', values: [] }] } } }, /resources\[0\]\.values must be an object/],
      ['child modules that are a number', { ...PLAN, planned_values: { root_module: { child_modules: 5 } } }, /planned_values\.root_module\.child_modules must be a list/],
      ['a child module without an address', { ...PLAN, planned_values: { root_module: { child_modules: [{ resources: [] }] } } }, /child_modules\[0\]\.address must be a string/],
      ['a configuration that is a list', { ...PLAN, planned_values: {}, configuration: [] }, /configuration must be an object/],
      ['a configuration root module that is a string', { ...PLAN, configuration: { root_module: 'x' } }, /configuration\.root_module must be an object/],
      ['a provider_config that is a list', { ...PLAN, configuration: { provider_config: [] } }, /configuration\.provider_config must be an object/],
    ])('%s: exit 2, one line on stderr naming the part, nothing on stdout', (_name, doc, message) => {
      const file = writeJson(doc);
      for (const target of [file, path.dirname(file)]) {
        const run = runCli([target, '--format', 'json']);
        expect({ code: run.code, stdout: run.stdout }).toEqual({ code: 2, stdout: '' });
        expect(run.stderr).toMatch(/^cdktf-docker-review: /);
        expect(run.stderr).toMatch(message);
        expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
      }
    });

    test('one odd stack in a cdktf.out folder fails the whole review with exit 2 and writes nothing on stdout', () => {
      const outdir = Testing.fullSynth(newStack(cleanApp));
      const odd = path.join(outdir, 'stacks', 'odd');
      fs.mkdirSync(odd);
      fs.writeFileSync(path.join(odd, 'cdk.tf.json'), JSON.stringify({ ...STACK, resource: { docker_container: { a: 5 } } }));
      fs.rmSync(path.join(outdir, 'manifest.json'));
      const run = runCli([outdir]);
      expect({ code: run.code, stdout: run.stdout }).toEqual({ code: 2, stdout: '' });
      expect(run.stderr).toMatch(/odd[\\/]cdk\.tf\.json: resource\.docker_container\.a must be an object/);
    });
  });

  test('as a process: exit status 2 and one line on stderr', () => {
    const child = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', 'lib/review/cli.ts', path.join(dir, 'invalid.json')], { cwd: ROOT, encoding: 'utf8' });
    expect(child.status).toBe(2);
    expect(child.stdout).toBe('');
    expect(child.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  test('a reader that closes the pipe early ends the command quietly, with the review\'s exit code', () => {
    const big = Testing.fullSynth(newStack((stack) => {
      cleanApp(stack);
      for (let i = 0; i < 2000; i++) new Container(stack, `extra${i}`, hardened({ name: `extra${i}`, image: 'adminer:4.8.1', healthcheck: undefined }));
    }));
    const cli = ['-r', 'ts-node/register/transpile-only', 'lib/review/cli.ts', big].map((a) => `'${a}'`).join(' ');
    // The review writes far more than the pipe holds; `head` reads one line and exits.
    const child = spawnSync('bash', ['-c', `set -o pipefail; '${process.execPath}' ${cli} | head -n 1`], { cwd: ROOT, encoding: 'utf8' });
    expect(child.stdout).toBe('Stack stack: 2002 services, 0 errors, 2000 warnings, 0 suppressed\n');
    expect(child.stderr).toBe('');
    expect(child.status).toBe(0);
  });

  test('a slow reader gets the whole report before the command exits, with the review\'s exit code', () => {
    const stackDir = Testing.fullSynth(newStack((stack) => {
      cleanApp(stack);
      for (let i = 0; i < 1000; i++) new Container(stack, `extra${i}`, hardened({ name: `extra${i}`, image: 'adminer:4.8.1', healthcheck: undefined, privileged: i === 0 }));
    }));
    const inProcess = runCli([stackDir]);
    expect(inProcess.code).toBe(1);
    expect(inProcess.stdout.length).toBeGreaterThan(3 * 65536); // three times what a pipe holds: the writes wait on the reader
    const cli = ['-r', 'ts-node/register/transpile-only', 'lib/review/cli.ts', stackDir].map((a) => `'${a}'`).join(' ');
    // The reader starts late; the command exits when its output is flushed, not before.
    const child = spawnSync('bash', ['-c', `set -o pipefail; '${process.execPath}' ${cli} | (sleep 0.5; cat)`], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    expect(child.stderr).toBe('');
    expect(child.stdout).toBe(inProcess.stdout);
    expect(child.status).toBe(1);
  });

  test('--help prints usage and exits 0', () => {
    const run = runCli(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Usage: cdktf-docker-review');
  });
});

describe('legitimate inputs without containers are reviewed, exit 0', () => {
  const backend = { backend: { local: { path: '/tmp/terraform.x.tfstate' } } };
  test.each([
    ['a stack without any resource (only the terraform block)', { terraform: backend }, []],
    ['a stack with a docker provider and no docker resource: the provider is still reviewed', {
      terraform: backend, provider: { docker: [{ host: 'unix:///var/run/docker.sock' }] },
    }, []],
    ['a docker provider with a literal registry password and no resource', {
      terraform: backend, provider: { docker: [{ registry_auth: [{ address: 'localhost:5000', username: 'ci', password: 'hunter2hunter2' }] }] },
    }, ['provider.docker literal-registry-credential error']],
    ['a stack of another provider only', { terraform: backend, provider: { null: [{}] }, resource: { null_resource: { x: { triggers: { a: 'b' } } } } }, []],
    ['an empty resource object', { terraform: backend, resource: {} }, []],
    ['a docker resource written as a list of one body', { terraform: backend, resource: { docker_network: { n: [{ name: 'n' }] } } }, []],
    ['an empty list of provider configurations and of blocks (zero blocks)', { terraform: backend, provider: { docker: [] }, resource: { docker_network: { n: [] } } }, []],
    ['a remote state and outputs of any value', {
      terraform: backend, output: { url: { value: 'http://x' }, n: { value: 5 } },
      data: { terraform_remote_state: { platform: { backend: 'local', config: { path: '/tmp/p.tfstate' } } } },
    }, []],
    ['a plan of an empty configuration', { format_version: '1.2', planned_values: { root_module: {} }, configuration: { root_module: {} } }, []],
    ['a state with no resources yet', { format_version: '1.0', values: { root_module: {} } }, []],
  ])('%s', (_name, doc, findings) => {
    const run = runCli([writeJson(doc), '--format', 'json']);
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: findings.some((f) => f.endsWith(' error')) ? 1 : 0, stderr: '' });
    const report = json(run);
    expect(report.stacks).toHaveLength(1);
    expect(report.stacks[0].services).toEqual([]);
    expect(report.stacks[0].findings.map(key)).toEqual(findings);
  });
});

describe('formats', () => {
  const outdir = Testing.fullSynth(newStack((stack) => {
    cleanApp(stack);
    new Container(stack, 'admin', hardened({ name: 'admin', image: 'adminer:4.8.1', ports: [{ internal: 8080, external: 9000 }], healthcheck: undefined }));
  }));

  test('text: a service table with published ports and host interfaces, and the findings', () => {
    const run = runCli([outdir]);
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe('Stack stack: 3 services, 0 errors, 2 warnings, 0 suppressed');
    expect(lines[2]).toMatch(/^SERVICE\s+IMAGE\s+PORTS \(host->container\)\s+NETWORKS\s+VOLUMES\s+RESTART\s+MEMORY\s+HEALTH$/);
    const row = (name: string) => lines.find((l) => l.startsWith(`${name} `))?.split(/\s{2,}/);
    expect(row('web')).toEqual(['web', 'nginx:1.27-alpine', '127.0.0.1:8080->80/tcp', 'front, back', '-', 'unless-stopped', '256 MiB', 'yes']);
    expect(row('cache')).toEqual(['cache', 'redis:7.4-alpine', '-', 'back', 'cache-data:/data', 'unless-stopped', '256 MiB', 'yes']);
    expect(row('admin')).toEqual(['admin', 'adminer:4.8.1', '0.0.0.0:9000->8080/tcp', 'app', '-', 'unless-stopped', '256 MiB', 'no']);
    // Findings grouped by rule (severity, id, count, source), one line per resource.
    const findings = lines.slice(lines.indexOf('Findings:') + 1);
    expect(findings.slice(0, 4)).toEqual([
      'WARNING no-health-check (1): Talk: service manager duties (ordered start); CIS Docker Benchmark v1.6.0 5.26',
      '  docker_container.admin: no healthcheck block; declare the health check on the container [stack/admin]',
      'WARNING port-published-on-all-interfaces (1): CIS Docker Benchmark v1.6.0 5.13',
      expect.stringMatching(/^ {2}docker_container\.admin: port 9000 -> 8080\/tcp is published on all interfaces .*\[stack\/admin\]$/),
    ]);
    expect(lines.filter((l) => l !== '').pop()).toBe('Result: PASS (0 errors, 2 warnings, 0 suppressed)');
    expect(run.stdout.endsWith(')\n')).toBe(true); // one closing line break
    // Columns line up: each cell of every row starts where its header does, two spaces after the widest cell above it.
    const starts = (l: string) => [...l.matchAll(/(?:^|\s{2})(\S)/g)].map((m) => m.index + m[0].length - 1);
    const table = lines.slice(2, lines.indexOf('', 2));
    expect(table).toHaveLength(5);
    for (const l of table) expect(starts(l)).toEqual(starts(lines[2]));
    expect(lines[3]).toMatch(/^-+ {2}-+ {2}/);
  });

  test('json: stacks with services and findings', () => {
    const report = json(runCli([outdir, '--format', 'json']));
    expect(report.stacks).toHaveLength(1);
    const [stack] = report.stacks;
    expect(stack.name).toBe('stack');
    expect(stack.services.find((s) => s.name === 'web')).toEqual({
      address: 'docker_container.web',
      name: 'web',
      image: 'nginx:1.27-alpine',
      ports: [{ ip: '127.0.0.1', external: 8080, internal: 80, protocol: 'tcp' }],
      networks: ['front', 'back'],
      volumes: [],
      restart: 'unless-stopped',
      memoryMiB: 256,
      healthcheck: ['CMD', '/app/healthcheck'],
      dependsOn: ['docker_container.cache'],
    });
    expect(stack.findings).toEqual([
      expect.objectContaining({ rule: 'no-health-check', severity: 'warning', resource: 'docker_container.admin', suppressed: false, constructPath: 'stack/admin', source: expect.stringContaining('CIS Docker Benchmark v1.6.0 5.26') }),
      expect.objectContaining({ rule: 'port-published-on-all-interfaces', severity: 'warning', resource: 'docker_container.admin', message: expect.stringContaining('9000 -> 8080/tcp') }),
    ]);
    for (const f of stack.findings) expect(Object.keys(f)).toEqual(expect.arrayContaining(['rule', 'severity', 'resource', 'message', 'source']));
  });

  test('markdown: tables and a Mermaid graph of containers, networks, volumes and published ports', () => {
    const run = runCli([outdir, '-f', 'markdown']);
    expect(run.code).toBe(0);
    const md = run.stdout;
    expect(md).toContain('## Stack `stack`');
    expect(md).toContain('| Service | Image | Ports (host->container) | Networks | Volumes | Restart | Memory | Health check |');
    expect(md).toContain('| `web` | `nginx:1.27-alpine` | `127.0.0.1:8080->80/tcp` | front, back | - | unless-stopped | 256 MiB | yes |');
    expect(md).toContain('| **warning** | `no-health-check` | `docker_container.admin` |');
    const mermaid = md.slice(md.indexOf('```mermaid'), md.indexOf('```', md.indexOf('```mermaid') + 3));
    expect(mermaid).toContain('graph LR');
    const id = (label: RegExp) => {
      const m = mermaid.split('\n').map((l) => l.trim()).find((l) => label.test(l));
      expect(m).toBeDefined();
      return (m as string).split(/[[({]/)[0];
    };
    const web = id(/^c\d+\["web<br\/>nginx:1\.27-alpine"\]$/);
    const cache = id(/^c\d+\["cache<br\/>redis:7\.4-alpine"\]$/);
    const front = id(/^n\d+\{\{"network front"\}\}$/);
    const back = id(/^n\d+\{\{"network back"\}\}$/);
    const volume = id(/^v\d+\[\("volume cache-data"\)\]$/);
    const port = id(/^p\d+\(\["127\.0\.0\.1:8080\/tcp"\]\)$/);
    expect(mermaid).toContain(`${web} --- ${front}`);
    expect(mermaid).toContain(`${web} --- ${back}`);
    expect(mermaid).toContain(`${cache} --- ${back}`);
    expect(mermaid).toContain(`${volume} -.->|"/data"| ${cache}`);
    expect(mermaid).toContain(`${port} -->|"80/tcp"| ${web}`);
  });
});

describe('a raw-bindings stack full of violations', () => {
  function violations(stack: TerraformStack): void {
    new DockerProvider(stack, 'docker', { registryAuth: [{ address: 'registry.example.com', username: 'deploy', password: 'Sup3rS3cret' }] });
    const base = new Image(stack, 'fat_image', { name: 'team/fat', buildAttribute: { context: contextDir('node-full') } });
    new Container(stack, 'root_vm', {
      name: 'root-vm',
      image: base.imageId,
      privileged: true,
      networkMode: 'host',
      pidMode: 'host',
      command: ['/usr/bin/supervisord', '-c', '/etc/supervisord.conf'],
      env: ['ADMIN_PASSWORD=admin', 'LOG_LEVEL=debug'],
      volumes: [{ hostPath: '/var/run/docker.sock', containerPath: '/var/run/docker.sock' }, { hostPath: '/etc', containerPath: '/host/etc' }],
      ports: [{ internal: 22, external: 2222 }],
    });
    new Container(stack, 'linked', hardened({ name: 'linked', image: 'redis:latest' })).addOverride('links', ['root-vm:vm']);
    new RegistryImage(stack, 'push', { name: 'registry.example.com/team/fat', authConfig: { address: 'registry.example.com', username: 'deploy', password: 'Sup3rS3cret' } });
    new Tag(stack, 'retag', { sourceImage: 'team/fat', targetImage: 'registry.example.com/team/fat:latest' });
  }

  const expected: Record<string, string[]> = {
    'provider.docker': ['literal-registry-credential error'],
    'docker_image.fat_image': ['image-not-pinned error', 'large-base-image warning'],
    'docker_container.root_vm': [
      'multiple-processes warning', 'host-namespace error', 'host-namespace error', 'privileged-container error', 'docker-socket-mounted error',
      'sensitive-host-path error', 'capabilities-not-dropped warning', 'no-new-privileges-missing warning', 'writable-root-filesystem warning',
      'no-memory-limit warning', 'no-restart-policy warning', 'no-health-check warning', 'no-log-rotation warning',
      'port-published-on-all-interfaces warning', 'literal-secret-env error',
    ],
    'docker_container.linked': ['image-not-pinned error', 'legacy-links error'],
    'docker_registry_image.push': ['image-not-pinned error', 'literal-registry-credential error', 'push-deletes-remote-tag warning'],
    'docker_tag.retag': ['image-not-pinned error', 'image-not-pinned error'],
  };

  test('the review command flags each resource with exactly its violations and exits 1', () => {
    const run = runCli([Testing.fullSynth(newStack(violations)), '--format', 'json']);
    expect(run.code).toBe(1);
    const byResource: Record<string, string[]> = {};
    for (const f of json(run).stacks[0].findings) (byResource[f.resource] ??= []).push(`${f.rule} ${f.severity}`);
    for (const list of [...Object.values(byResource), ...Object.values(expected)]) list.sort();
    expect(byResource).toEqual(expected);
  });

  test('the Aspect fails synth naming every error with its construct path', () => {
    const stack = newStack(violations);
    Aspects.of(stack).add(new ProductionChecks());
    let message = '';
    try {
      Testing.synth(stack, true);
    } catch (e) {
      message = (e as Error).message;
    }
    for (const [resource, rules] of Object.entries(expected)) {
      for (const rule of rules.filter((r) => r.endsWith(' error')).map((r) => r.split(' ')[0])) {
        expect(message).toContain(`${rule} (${resource})`);
      }
    }
    expect(message).toContain('[stack/root_vm] privileged-container (docker_container.root_vm)');
    expect(message).toContain('[stack/docker] literal-registry-credential (provider.docker)');
  });
});

describe('a plan from `terraform show -json`', () => {
  const plan = path.join(PLAN_DIR, 'plan.json');
  const config = path.join(PLAN_DIR, 'cdk.tf.json');

  test('is reviewed the same as the equivalent cdk.tf.json', () => {
    const fromPlan = runCli([plan, '--format', 'json']);
    const fromConfig = runCli([config, '--format', 'json']);
    expect(fromPlan.code).toBe(1);
    expect(fromConfig.code).toBe(1);
    const p = json(fromPlan).stacks[0];
    const c = json(fromConfig).stacks[0];
    expect(p.findings.map(key)).toEqual(c.findings.map(key));
    expect(p.services).toEqual(c.services);
    expect(p.findings.map(key)).toEqual(expect.arrayContaining([
      'docker_container.cache literal-secret-env error',
      'docker_container.legacy image-not-pinned error',
      'docker_container.legacy host-namespace error',
      'docker_container.legacy docker-socket-mounted error',
      'docker_registry_image.api_push literal-registry-credential error',
      'docker_image.api large-base-image warning',
    ]));
  });

  test('references in the configuration are not literals, and unknown image ids resolve to the image', () => {
    const p = json(runCli([plan, '--format', 'json'])).stacks[0];
    // DB_PASSWORD comes from var.db_password (its value is in the plan), the registry password from a variable.
    expect(p.findings.filter((f) => f.resource === 'docker_container.api' && f.rule === 'literal-secret-env')).toEqual([]);
    expect(p.findings.filter((f) => f.resource === 'provider.docker')).toEqual([]);
    expect(p.services.map((s) => [s.name, s.image, s.networks])).toEqual([
      ['api', 'team/api:1.4.2', ['back']],
      ['cache', 'redis:7.4-alpine', ['back']],
      ['legacy', 'nginx', []],
    ]);
  });

  test('plans carry no cdktf metadata: --suppressions takes suppressions from the synthesized stack', () => {
    const doc = JSON.parse(fs.readFileSync(config, 'utf8'));
    for (const [type, name, rule] of [
      ['docker_container', 'cache', 'literal-secret-env'],
      ['docker_registry_image', 'api_push', 'literal-registry-credential'],
    ]) {
      doc.resource[type][name]['//'].production_checks = { suppressions: [{ rule, reason: 'demo credentials of the throw-away review environment' }] };
    }
    doc.resource.docker_container.legacy['//'].production_checks = {
      suppressions: ['image-not-pinned', 'privileged-container', 'host-namespace', 'docker-socket-mounted'].map((rule) => ({ rule, reason: 'legacy host agent, replaced in ticket OPS-1234' })),
    };
    const suppressions = writeJson(doc);

    const withConfig = runCli([suppressions, '--format', 'json']);
    const withPlan = runCli([plan, '--format', 'json', '--suppressions', suppressions]);
    expect(withConfig.code).toBe(0);
    expect(withPlan.code).toBe(0);
    expect(json(withPlan).stacks[0].findings.map(key)).toEqual(json(withConfig).stacks[0].findings.map(key));
    expect(json(withPlan).stacks[0].findings).toContainEqual(expect.objectContaining({
      rule: 'literal-secret-env', resource: 'docker_container.cache', severity: 'error', suppressed: true, suppressionReason: 'demo credentials of the throw-away review environment',
    }));
    // Without them the plan still fails.
    expect(runCli([plan]).code).toBe(1);
  });

  test('module addresses and child modules are followed', () => {
    const doc = JSON.parse(fs.readFileSync(plan, 'utf8'));
    const rootResources = doc.planned_values.root_module.resources;
    doc.planned_values.root_module = {
      resources: [],
      child_modules: [{
        address: 'module.shop',
        resources: rootResources.map((r: { address: string }) => ({ ...r, address: `module.shop.${r.address}` })),
      }],
    };
    doc.configuration.root_module = { module_calls: { shop: { source: './shop', module: doc.configuration.root_module } } };
    const p = json(runCli([writeJson(doc, 'plan.json'), '--format', 'json'])).stacks[0];
    expect(p.services.map((s) => [s.address, s.image])).toEqual([
      ['module.shop.docker_container.api', 'team/api:1.4.2'],
      ['module.shop.docker_container.cache', 'redis:7.4-alpine'],
      ['module.shop.docker_container.legacy', 'nginx'],
    ]);
    expect(p.findings.map((f) => `${f.resource} ${f.rule}`)).toContain('module.shop.docker_container.cache literal-secret-env');
  });
});

describe('cross-stack references (data.terraform_remote_state outputs of another stack)', () => {
  const API_CONTEXT = path.join(ROOT, 'examples', 'reference-app', 'api');
  const REMOTE = /\$\{data\.terraform_remote_state/;
  let multi: string;
  beforeAll(() => {
    multi = tempDir('multi-stack-');
    const app = new App({ outdir: multi });
    addMultiStack(app, { apiContext: API_CONTEXT });
    app.synth();
  });
  const service = (report: ReviewReport, stack: string, name: string) =>
    report.stacks.find((s) => s.name === stack)?.services.find((x) => x.name === name);

  test('examples/multi-stack: the api is judged on the platform\'s image (its Dockerfile sets USER), and shown with the platform\'s names', () => {
    const run = runCli([multi, '--format', 'json']);
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    const report = json(run);
    const apps = report.stacks.find((s) => s.name === 'apps') as StackReview;
    expect(apps.findings.filter((f) => f.rule === 'user-not-set').map((f) => f.resource)).toEqual([expect.stringMatching(/^docker_container\.web/)]);
    expect(apps.services.map((x) => [x.name, x.image, x.networks, x.volumes.map((v) => v.source)])).toEqual([
      ['api', 'team/api:1.4.2', ['front', 'back'], []],
      ['cache', 'redis:7.4-alpine', ['back'], ['cache-data']],
      ['web', 'nginx:1.27-alpine', ['front'], []],
    ]);
    for (const format of ['text', 'markdown']) {
      const out = runCli([multi, '--format', format]).stdout;
      expect(out).not.toMatch(REMOTE);
      if (format === 'markdown') {
        expect(out).toContain('["api<br/>team/api:1.4.2"]');
        expect(out).toContain('{{"network front"}}');
        expect(out).toContain('[("volume cache-data")]');
      }
    }
  });

  test('only the consumer stack: the findings of today, and readable stand-ins instead of the interpolation', () => {
    const run = runCli([path.join(multi, 'stacks', 'apps', 'cdk.tf.json'), '--format', 'json']);
    expect(run.code).toBe(0);
    const report = json(run);
    expect(report.stacks[0].findings.filter((f) => f.rule === 'user-not-set').map((f) => f.resource.replace(/_[0-9A-F]{8}$/, ''))).toEqual([
      'docker_container.api', 'docker_container.web',
    ]);
    expect(service(report, 'apps', 'api')).toMatchObject({ image: 'platform:api-image', networks: ['platform:front', 'platform:back'] });
    expect(service(report, 'apps', 'cache')?.volumes).toEqual([{ type: 'volume', source: 'platform:cache-data', target: '/data', readOnly: false }]);
    for (const format of ['text', 'markdown']) expect(runCli([path.join(multi, 'stacks', 'apps'), '--format', format]).stdout).not.toMatch(REMOTE);
  });

  /** A cdktf.out-like folder (no manifest) with these stacks; returns its path. */
  function writeStacks(stacks: Record<string, object>, files: Record<string, string> = {}): string {
    const dir = tempDir('cross-stack-');
    for (const [name, doc] of Object.entries(stacks)) {
      fs.mkdirSync(path.join(dir, 'stacks', name), { recursive: true });
      fs.writeFileSync(path.join(dir, 'stacks', name, 'cdk.tf.json'), JSON.stringify(doc));
    }
    for (const [file, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), text);
    }
    return dir;
  }
  const backend = (name: string) => ({ backend: { local: { path: `/state/${name}.tfstate` } } });
  const remote = (source: string, output: string) => `\${data.terraform_remote_state.${source}.outputs.${output}}`;
  /** A container that passes every rule but user-not-set (no user), on `network`, with `image`. */
  const containerJson = (image: string, network: string, extra: object = {}) => ({
    image, name: 'x', restart: 'unless-stopped', capabilities: { drop: ['ALL'] }, security_opts: ['no-new-privileges:true'], read_only: true,
    memory: 256, log_driver: 'json-file', log_opts: { 'max-size': '10m', 'max-file': '3' }, healthcheck: { test: ['CMD', '/ok'] },
    networks_advanced: [{ name: network }], ...extra,
  });

  test('matched by backend whatever the source is called; a relative build context resolves in the producing stack\'s folder; addresses may repeat across stacks', () => {
    const producer = {
      terraform: backend('producer'),
      resource: {
        docker_image: { img: { name: 'team/tool:2.0.0', build: { context: 'ctx' } } },
        docker_network: { net: { name: 'shared-net' } },
        docker_volume: { vol: {} },
      },
      output: { image: { value: '${docker_image.img.image_id}' }, net: { value: '${docker_network.net.name}' }, vol: { value: '${docker_volume.vol.name}' } },
    };
    const consumer = {
      terraform: backend('consumer'),
      data: { terraform_remote_state: { shared: { backend: 'local', config: { path: '/state/producer.tfstate' }, workspace: '${terraform.workspace}' } } },
      resource: {
        docker_container: {
          app: containerJson(remote('shared', 'image'), remote('shared', 'net'), { volumes: [{ volume_name: remote('shared', 'vol'), container_path: '/data' }] }),
          own: containerJson('${docker_image.img.image_id}', 'local-net'),
        },
        // The same address as the producer's image: each stack's own.
        docker_image: { img: { name: 'alpine:3.20' } },
      },
    };
    const dir = writeStacks({ producer, consumer }, { 'stacks/producer/ctx/Dockerfile': 'FROM node:20\nUSER root\n' });
    const report = json(runCli([dir, '--format', 'json']));
    const c = report.stacks.find((s) => s.name === 'consumer') as StackReview;
    expect(c.services.map((x) => [x.address, x.image, x.networks, x.volumes.map((v) => v.source)])).toEqual([
      ['docker_container.app', 'team/tool:2.0.0', ['shared-net'], ['producer:vol']],
      ['docker_container.own', 'alpine:3.20', ['local-net'], []],
    ]);
    const users = c.findings.filter((f) => f.rule === 'user-not-set');
    expect(users.map((f) => f.resource)).toEqual(['docker_container.app', 'docker_container.own']);
    expect(users[0].message).toContain(`${path.join(dir, 'stacks', 'producer', 'ctx', 'Dockerfile')} ends with USER root`);
    expect(users[1].message).toContain("the image's user is not known");
    const p = report.stacks.find((s) => s.name === 'producer') as StackReview;
    expect(p.findings.map((f) => `${f.resource} ${f.rule}`)).toEqual(['docker_image.img large-base-image']);
  });

  test('matched by cdktf\'s name when no backend matches; chains of stacks are followed; an unknown source reads as <stack>:<output>', () => {
    const base = {
      terraform: backend('base'),
      resource: { docker_network: { n_0123ABCD: { name: 'base-net' } } },
      output: { 'cross-stack-output-docker_networkn_0123ABCDname': { value: '${docker_network.n_0123ABCD.name}', sensitive: true } },
    };
    const mid = {
      terraform: backend('mid'),
      data: { terraform_remote_state: { 'cross-stack-reference-input-base': { backend: 's3', config: { bucket: 'elsewhere', key: 'base' } } } },
      output: { passed: { value: remote('cross-stack-reference-input-base', 'cross-stack-output-docker_networkn_0123ABCDname') } },
    };
    const top = {
      terraform: backend('top'),
      data: { terraform_remote_state: {
        'cross-stack-reference-input-mid': { backend: 'local', config: { path: '/moved/mid.tfstate' } },
        'cross-stack-reference-input-gone': { backend: 'local', config: { path: '/state/gone.tfstate' } },
      } },
      resource: { docker_container: {
        chained: containerJson('nginx:1.27-alpine', remote('cross-stack-reference-input-mid', 'passed')),
        unknown: containerJson(remote('cross-stack-reference-input-gone', 'cross-stack-output-docker_imageapi_89ABCDEFimage_id'), remote('cross-stack-reference-input-gone', 'lan')),
      } },
    };
    const report = json(runCli([writeStacks({ base, mid, top }), '--format', 'json']));
    const t = report.stacks.find((s) => s.name === 'top') as StackReview;
    expect(t.services.map((x) => [x.address, x.image, x.networks])).toEqual([
      ['docker_container.chained', 'nginx:1.27-alpine', ['base-net']],
      ['docker_container.unknown', 'gone:api', ['gone:lan']],
    ]);
  });
});

describe('suppressions in the JSON', () => {
  function suppressedStack(reason: string, rule = 'privileged-container'): string {
    const stack = newStack((s) => {
      new Container(s, 'agent', hardened({ name: 'agent', privileged: true })).addOverride('//.production_checks.suppressions', [{ rule, reason }]);
    });
    return Testing.fullSynth(stack);
  }

  test('a reasoned suppression is honoured: reported as suppressed, exit 0', () => {
    const run = runCli([suppressedStack('the agent manages host devices for the GPU scheduler'), '--format', 'json']);
    expect(run.code).toBe(0);
    expect(json(run).stacks[0].findings).toEqual([expect.objectContaining({
      rule: 'privileged-container', severity: 'error', suppressed: true, suppressionReason: 'the agent manages host devices for the GPU scheduler',
    })]);
    const text = runCli([suppressedStack('the agent manages host devices for the GPU scheduler')]);
    expect(text.stdout).toContain('SUPPRESSED error privileged-container (1): CIS Docker Benchmark v1.6.0 5.4');
    expect(text.stdout).toContain('  docker_container.agent: privileged = true; add only the capabilities the service needs (capabilities.add) instead [stack/agent] (suppressed: the agent manages host devices for the GPU scheduler)');
    expect(text.stdout).toContain('Result: PASS (0 errors, 0 warnings, 1 suppressed)');
  });

  test.each([
    ['an empty reason', ''],
    ['a trivial reason', 'ok'],
    ['a todo', 'TODO fix this later please'],
    ['only filler words', 'n/a n/a n/a n/a'],
  ])('%s is ignored and reported', (_name, reason) => {
    const run = runCli([suppressedStack(reason), '--format', 'json']);
    expect(run.code).toBe(1);
    const findings = json(run).stacks[0].findings;
    expect(findings).toContainEqual(expect.objectContaining({ rule: 'privileged-container', suppressed: false }));
    expect(findings).toContainEqual(expect.objectContaining({ rule: 'invalid-suppression', severity: 'warning', message: expect.stringContaining('reason must be') }));
  });

  test('an unknown rule is ignored and reported', () => {
    const run = runCli([suppressedStack('the agent manages host devices for the GPU scheduler', 'privileged'), '--format', 'json']);
    expect(run.code).toBe(1);
    expect(json(run).stacks[0].findings).toContainEqual(expect.objectContaining({ rule: 'invalid-suppression', message: expect.stringContaining('rule must be one of the rule ids') }));
  });
});

test('a relative build context resolves against the stack folder (Terraform\'s working directory)', () => {
  const outdir = Testing.fullSynth(newStack((stack) => {
    new Image(stack, 'img', { name: 'team/api:1.0.0', buildAttribute: { context: 'ctx' } });
  }));
  const stackDir = path.join(outdir, 'stacks', 'stack');
  fs.mkdirSync(path.join(stackDir, 'ctx'));
  fs.writeFileSync(path.join(stackDir, 'ctx', 'Dockerfile'), 'FROM ubuntu:24.04\n');
  const findings = json(runCli([outdir, '--format', 'json'])).stacks[0].findings;
  expect(findings).toEqual([expect.objectContaining({ rule: 'large-base-image', message: expect.stringContaining(path.join(stackDir, 'ctx', 'Dockerfile')) })]);
});

test('a state written by `terraform show -json` (values instead of planned_values) is reviewed the same', () => {
  const doc = JSON.parse(fs.readFileSync(path.join(PLAN_DIR, 'plan.json'), 'utf8'));
  doc.values = doc.planned_values;
  delete doc.planned_values;
  delete doc.resource_changes;
  const state = json(runCli([writeJson(doc, 'state.json'), '--format', 'json'])).stacks[0];
  const plan = json(runCli([path.join(PLAN_DIR, 'plan.json'), '--format', 'json'])).stacks[0];
  expect(state.findings.map(key)).toEqual(plan.findings.map(key));
});

test('markdown leaves out a topology diagram larger than Mermaid renders', () => {
  const doc = JSON.parse(fs.readFileSync(path.join(PLAN_DIR, 'cdk.tf.json'), 'utf8'));
  const api = doc.resource.docker_container.api;
  for (let i = 0; i < 2000; i++) doc.resource.docker_container[`api_${i}`] = { ...api, name: `api-${i}`, '//': undefined };
  const md = runCli([writeJson(doc), '--format', 'markdown']).stdout;
  expect(md).not.toContain('```mermaid');
  expect(md).toMatch(/_Topology diagram omitted: \d+ edges exceed the 500 that Mermaid renders; see the service table\._/);
  expect(md).toContain('| `api-299` | `team/api:1.4.2` |');
});

test('markdown table cells cannot open HTML in a pull-request comment: `<` is escaped, and a pipe opens no cell', () => {
  const stack = newStack((s) => {
    const c = new Container(s, 'c', hardened({ user: undefined }));
    ProductionChecks.suppress(c, 'user-not-set', '<img src=x onerror=alert(1)> | the image runs as\nits own user');
  });
  const outdir = Testing.fullSynth(stack);
  const md = runCli([outdir, '--format', 'markdown']).stdout;
  const row = md.split('\n').find((l) => l.includes('user-not-set')) as string;
  expect(row).toContain('&lt;img src=x onerror=alert(1)> \\| the image runs as');
  expect(row.split(' | ')).toHaveLength(5); // the pipe in the reason opens no sixth cell
  expect(md).not.toContain('<img');
});
