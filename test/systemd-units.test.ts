import 'cdktf/lib/testing/adapters/jest';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Construct } from 'constructs';
import { App, Aspects, TerraformStack, TerraformVariable, Testing } from 'cdktf';
import {
  ContainerImage, DockerHost, Healthcheck, RestartPolicy, ServiceContainer, ServiceContainerProps, ServiceNetwork, SUPERVISOR_LABEL, ValidationError,
} from '../lib';
import { SystemdRestart, SystemdUnits, SystemdUnitsProps } from '../lib/systemd-units';
import { BootOrderApp } from '../examples/boot-order/app';
import { ReferenceApp } from '../examples/reference-app/app';

const image = () => ContainerImage.fromRegistry('redis:7.4-alpine');

/** A stack with a default host and a network. */
function newStack(app: App = Testing.app()) {
  const stack = new TerraformStack(app, 'test');
  const host = new DockerHost(stack, 'host');
  const net = new ServiceNetwork(stack, 'net');
  return { app, stack, host, net };
}

function container(scope: Construct, id: string, net: ServiceNetwork, extra: Partial<ServiceContainerProps> = {}) {
  return new ServiceContainer(scope, id, { image: image(), networks: [net], ...extra });
}

const outdirs: string[] = [];
afterAll(() => outdirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** A real synth into a temporary folder: the stack's JSON and its unit files by name. */
function fullSynth(build: (app: App) => TerraformStack): { outdir: string; json: any; files: Record<string, string>; folder: string } {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'systemd-units-test-'));
  outdirs.push(outdir);
  const app = new App({ outdir, skipValidation: false });
  const stack = build(app);
  app.synth();
  const stackDir = path.join(outdir, 'stacks', stack.node.id);
  const json = JSON.parse(fs.readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8'));
  const assets = path.join(stackDir, 'assets');
  const [named] = fs.readdirSync(assets);
  const [hash] = fs.readdirSync(path.join(assets, named));
  const folder = path.join(assets, named, hash);
  const files: Record<string, string> = {};
  for (const f of fs.readdirSync(folder)) files[f] = fs.readFileSync(path.join(folder, f), 'utf8');
  return { outdir, json, files, folder };
}

/** The values of one setting in a unit file. */
function setting(unit: string, key: string): string[] {
  return unit.split('\n').filter((l) => l.startsWith(`${key}=`)).map((l) => l.slice(key.length + 1));
}

function thrown(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return e as ValidationError;
  }
  throw new Error('expected a ValidationError');
}

describe('SystemdUnits in examples/boot-order', () => {
  let synth: ReturnType<typeof fullSynth>;
  let json: any;
  let files: Record<string, string>;
  let folder: string;
  beforeAll(() => {
    synth = fullSynth((app) => new BootOrderApp(app, 'boot-order'));
    ({ json, files, folder } = synth);
  });

  test('one unit per container, ordered web after api after cache', () => {
    expect(Object.keys(files).sort()).toEqual(['docker-api.service', 'docker-cache.service', 'docker-web.service']);
    const cache = files['docker-cache.service'];
    const api = files['docker-api.service'];
    const web = files['docker-web.service'];
    expect(setting(cache, 'Requires')).toEqual(['docker.service']);
    expect(setting(cache, 'After')).toEqual(['docker.service']);
    expect(setting(api, 'Requires')).toEqual(['docker.service docker-cache.service']);
    expect(setting(api, 'After')).toEqual(['docker.service docker-cache.service']);
    expect(setting(web, 'Requires')).toEqual(['docker.service docker-api.service']);
    expect(setting(web, 'After')).toEqual(['docker.service docker-api.service']);
  });

  test('start, stop and restart through the Docker CLI on the existing container', () => {
    const api = files['docker-api.service'];
    expect(setting(api, 'Type')).toEqual(['simple']);
    expect(setting(api, 'ExecStart')).toEqual(['/usr/bin/docker start -a api']);
    expect(setting(api, 'ExecStop')).toEqual(['/usr/bin/docker stop -t 10 api']);
    expect(setting(api, 'Restart')).toEqual(['always']);
    expect(setting(api, 'RestartSec')).toEqual(['5']);
    expect(setting(api, 'TimeoutStopSec')).toEqual(['40']);
    expect(setting(api, 'SuccessExitStatus')).toEqual(['143']);
    expect(setting(api, 'WantedBy')).toEqual(['multi-user.target']);
    // The api has a health check: its unit counts as started once healthy (bounded, non-fatal).
    expect(setting(api, 'ExecStartPost')).toEqual([
      `-/usr/bin/timeout 60 /bin/sh -c 'until [ "$$(/usr/bin/docker inspect -f "{{.State.Health.Status}}" api)" = healthy ]; do sleep 1; done'`,
    ]);
    expect(setting(api, 'TimeoutStartSec')).toEqual(['90']);
    expect(setting(api, 'Environment')).toEqual([]);
    expect(api.indexOf('[Unit]')).toBeLessThan(api.indexOf('[Service]'));
    expect(api.indexOf('[Service]')).toBeLessThan(api.indexOf('[Install]'));
  });

  test("each container's Docker restart policy is off, with the supervisor label", () => {
    const containers = json.resource.docker_container;
    expect(Object.keys(containers)).toHaveLength(3);
    for (const c of Object.values<any>(containers)) {
      expect(c.restart).toBe('no');
      expect(c.max_retry_count).toBeUndefined();
      expect(c.labels).toEqual(expect.arrayContaining([{ label: SUPERVISOR_LABEL, value: 'systemd' }]));
      expect(c.must_run).toBe(true);
    }
  });

  test('the install output installs the files of the asset and enables the units in start order', () => {
    const assetPath = path.relative(path.join(synth.outdir, 'stacks', 'boot-order'), folder);
    expect(json.output['boot-order_install'].value).toBe(
      `sudo install -m 0644 -t /etc/systemd/system "\${abspath(path.module)}/${assetPath}"/*.service`
      + ' && sudo systemctl daemon-reload'
      + ' && sudo systemctl enable --now docker-cache.service docker-api.service docker-web.service',
    );
    expect(json.output['boot-order_install'].description).toContain('unix:///var/run/docker.sock');
  });

  test('the staging folder is gone after synth: the output holds the stacks and the manifest only', () => {
    expect(fs.readdirSync(synth.outdir).sort()).toEqual(['manifest.json', 'stacks']);
  });

  test('the reference app itself stays on Docker restart policies', () => {
    const app = Testing.app();
    const stack = new ReferenceApp(app, 'reference-app');
    const out = JSON.parse(Testing.synth(stack));
    for (const c of Object.values<any>(out.resource.docker_container)) expect(c.restart).toBe('unless-stopped');
  });
});

describe('which containers get a unit', () => {
  test('containers added after the construct count too (resolved at synth)', () => {
    const { stack, net } = newStack();
    const db = container(stack, 'db', net);
    const units = new SystemdUnits(stack, 'units');
    // Known at construction: handed over at once.
    expect(db.supervisedBy).toBe('systemd');
    const app2 = container(stack, 'app', net, { dependsOn: [db] });
    expect(app2.supervisedBy).toBeUndefined();
    const json = JSON.parse(Testing.synth(stack, true));
    expect(app2.supervisedBy).toBe('systemd');
    expect(units.unitNames).toEqual(['docker-db.service', 'docker-app.service']);
    for (const c of Object.values<any>(json.resource.docker_container)) expect(c.restart).toBe('no');
    expect(json.output.units_install.value).toContain('enable --now docker-db.service docker-app.service');
    expect(setting(units.renderUnit(app2), 'Requires')).toEqual(['docker.service docker-db.service']);
  });

  test('a dependency added after the construct is in the unit', () => {
    const { stack, net } = newStack();
    const a = container(stack, 'svc-a', net);
    const b = container(stack, 'svc-b', net);
    const units = new SystemdUnits(stack, 'units');
    b.addDependency(a);
    Testing.synth(stack);
    expect(units.unitNames).toEqual(['docker-svc-a.service', 'docker-svc-b.service']);
    expect(setting(units.renderUnit(b), 'After')).toEqual(['docker.service docker-svc-a.service']);
  });

  test('the unit files of a real synth follow containers added later, and their hash follows the files', () => {
    const build = (restartDelaySeconds: number) => fullSynth((app) => {
      const { stack, net } = newStack(app);
      new SystemdUnits(stack, 'units', { restartDelaySeconds });
      container(stack, 'late', net);
      return stack;
    });
    const one = build(5);
    const two = build(7);
    expect(Object.keys(one.files)).toEqual(['docker-late.service']);
    expect(setting(two.files['docker-late.service'], 'RestartSec')).toEqual(['7']);
    expect(path.basename(one.folder)).toMatch(/^[0-9A-F]{32}$/);
    expect(path.basename(one.folder)).not.toBe(path.basename(two.folder));
    expect(one.json.output.units_install.value).toContain(path.basename(one.folder));
  });

  test('other Aspects see the hand-over of containers added later', () => {
    const { stack, net } = newStack();
    new SystemdUnits(stack, 'units');
    const late = container(stack, 'late', net);
    const seen: string[] = [];
    Aspects.of(stack).add({ visit: (node) => { if (node === late) seen.push(String(late.resource.restartInput)); } });
    Testing.synth(stack);
    expect(seen).toEqual(['no']);
  });

  test('only containers of the host: another host of the stack keeps Docker restarts', () => {
    const { stack, host, net } = newStack();
    const other = new DockerHost(stack, 'other', { alias: 'other', url: 'ssh://deploy@10.0.0.5' });
    const otherNet = new ServiceNetwork(stack, 'other-net', { host: other });
    container(stack, 'here', net);
    const there = container(stack, 'there', otherNet, { host: other });
    const units = new SystemdUnits(stack, 'units', { host });
    Testing.synth(stack);
    expect(units.unitNames).toEqual(['docker-here.service']);
    expect(there.supervisedBy).toBeUndefined();
  });

  test('explicit containers: their dependencies are added, the rest keeps Docker restarts', () => {
    const { stack, net } = newStack();
    const db = container(stack, 'db', net);
    const api = container(stack, 'api', net, { dependsOn: [db] });
    const batch = container(stack, 'batch', net);
    const units = new SystemdUnits(stack, 'units', { containers: [api] });
    const json = JSON.parse(Testing.synth(stack, true));
    expect(units.unitNames).toEqual(['docker-db.service', 'docker-api.service']);
    expect(db.supervisedBy).toBe('systemd');
    expect(batch.supervisedBy).toBeUndefined();
    const restarts = Object.values<any>(json.resource.docker_container).map((c) => [c.name, c.restart]).sort();
    expect(restarts).toEqual([['api', 'no'], ['batch', 'unless-stopped'], ['db', 'no']]);
  });

  test('boot order: each step takes the earliest added container whose dependencies are placed', () => {
    const { stack, net } = newStack();
    const a = container(stack, 'svc-a', net);
    container(stack, 'svc-b', net);
    const c = container(stack, 'svc-c', net);
    const d = container(stack, 'svc-d', net);
    a.addDependency(c);
    c.addDependency(d);
    const units = new SystemdUnits(stack, 'units');
    expect(units.unitNames).toEqual(['docker-svc-b.service', 'docker-svc-d.service', 'docker-svc-c.service', 'docker-svc-a.service']);
  });

  test('explicit containers on a long dependency chain: the dependencies are collected without recursion', () => {
    // A reduced call stack stands in for the default one on a chain of thousands of containers.
    const script = `
      const { TerraformStack, Testing } = require('cdktf');
      const { ContainerImage, DockerHost, ServiceContainer, ServiceNetwork } = require('./lib');
      const { SystemdUnits } = require('./lib/systemd-units');
      const stack = new TerraformStack(Testing.app(), 'test');
      new DockerHost(stack, 'host');
      const net = new ServiceNetwork(stack, 'net');
      const image = ContainerImage.fromRegistry('redis:7.4-alpine');
      const chain = [];
      for (let i = 0; i < 400; i++) chain.push(new ServiceContainer(stack, 'c' + i, { image, networks: [net], dependsOn: chain.slice(-1) }));
      const names = new SystemdUnits(stack, 'units', { containers: [chain[399]] }).unitNames;
      process.stdout.write(JSON.stringify([names.length, names[0], names[399]]));
    `;
    const child = spawnSync(process.execPath, ['--stack-size=100', '-r', 'ts-node/register/transpile-only', '-e', script], {
      cwd: path.join(__dirname, '..'), encoding: 'utf8',
    });
    expect({ status: child.status, stderr: child.stderr.split('\n').find((l) => /Error/.test(l)) }).toEqual({ status: 0, stderr: undefined });
    expect(JSON.parse(child.stdout)).toEqual([400, 'docker-c0.service', 'docker-c399.service']);
  }, 30000);
});

describe('unit settings from props', () => {
  test('prefix, Docker unit and CLI, restart, wait, target', () => {
    const { stack, net } = newStack();
    const db = container(stack, 'db', net, { healthcheck: Healthcheck.command(['redis-cli', 'ping']), stopTimeoutSeconds: 120 });
    const units = new SystemdUnits(stack, 'units', {
      unitPrefix: 'app-', dockerUnit: 'snap.docker.dockerd.service', dockerPath: '/snap/bin/docker',
      restart: SystemdRestart.ON_FAILURE, restartDelaySeconds: 0, waitTimeoutSeconds: 300, wantedBy: 'graphical.target',
    });
    Testing.synth(stack);
    const unit = units.renderUnit(db);
    expect(units.unitNameOf(db)).toBe('app-db.service');
    expect(setting(unit, 'Requires')).toEqual(['snap.docker.dockerd.service']);
    expect(setting(unit, 'ExecStart')).toEqual(['/snap/bin/docker start -a db']);
    expect(setting(unit, 'ExecStop')).toEqual(['/snap/bin/docker stop -t 120 db']);
    expect(setting(unit, 'ExecStartPost')[0]).toMatch(/^-\/usr\/bin\/timeout 300 \/bin\/sh -c '.*\/snap\/bin\/docker inspect/);
    expect(setting(unit, 'TimeoutStartSec')).toEqual(['330']);
    expect(setting(unit, 'TimeoutStopSec')).toEqual(['150']);
    expect(setting(unit, 'Restart')).toEqual(['on-failure']);
    expect(setting(unit, 'RestartSec')).toEqual(['0']);
    expect(setting(unit, 'WantedBy')).toEqual(['graphical.target']);
  });

  test('no wait without a health check or with waitForHealthy false', () => {
    const { stack, net } = newStack();
    const plain = container(stack, 'plain', net);
    const checked = container(stack, 'checked', net, { healthcheck: Healthcheck.tcp(6379) });
    const units = new SystemdUnits(stack, 'units', { waitForHealthy: false });
    expect(setting(units.renderUnit(plain), 'ExecStartPost')).toEqual([]);
    expect(setting(units.renderUnit(checked), 'ExecStartPost')).toEqual([]);
    expect(setting(units.renderUnit(checked), 'TimeoutStartSec')).toEqual([]);
  });

  test('a Docker host on another unix socket is passed as DOCKER_HOST', () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'test');
    new DockerHost(stack, 'host', { url: 'unix:///run/user/1000/docker.sock' });
    const net = new ServiceNetwork(stack, 'net');
    const c = container(stack, 'svc', net);
    const units = new SystemdUnits(stack, 'units');
    expect(setting(units.renderUnit(c), 'Environment')).toEqual(['"DOCKER_HOST=unix:///run/user/1000/docker.sock"']);
  });

  test('a remote Docker host: same units, the output says where to run them', () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'test');
    new DockerHost(stack, 'host', { url: 'ssh://deploy@10.0.0.5' });
    const net = new ServiceNetwork(stack, 'net');
    const c = container(stack, 'svc', net);
    const units = new SystemdUnits(stack, 'units');
    const json = JSON.parse(Testing.synth(stack));
    expect(setting(units.renderUnit(c), 'Environment')).toEqual([]);
    expect(json.output.units_install.description).toContain('ssh://deploy@10.0.0.5) after copying the folder there');
  });

  test('% in construct paths is escaped (systemd specifiers)', () => {
    const { stack, net } = newStack();
    const c = container(stack, '100%', net, { serviceName: 'full' });
    const units = new SystemdUnits(stack, 'units');
    expect(setting(units.renderUnit(c), 'Description')).toEqual(['Container full (test/100%%)']);
  });
});

describe('errors', () => {
  test('a container passed explicitly on another host', () => {
    const { stack, net } = newStack();
    const other = new DockerHost(stack, 'other', { alias: 'other', url: 'ssh://deploy@10.0.0.5' });
    const otherNet = new ServiceNetwork(stack, 'other-net', { host: other });
    container(stack, 'here', net);
    container(stack, 'there', otherNet, { host: other });
    const there = stack.node.findChild('there') as ServiceContainer;
    const e = thrown(() => new SystemdUnits(stack, 'units', { containers: [there] }));
    expect(e.message).toBe(
      "test/units: invalid containers[0] \"test/there\": a container on the units' host test/host (it runs on test/other): units run where their containers run",
    );
  });

  test('a container passed explicitly from another stack', () => {
    const { app, stack, host, net } = newStack();
    const other = new TerraformStack(app, 'other');
    const c = container(other, 'svc', net, { host });
    const e = thrown(() => new SystemdUnits(stack, 'units', { containers: [c] }));
    expect(e.message).toBe('test/units: invalid containers[0] "other/svc": a container of stack test: put a SystemdUnits into each stack');
  });

  test('not a container, or the same one twice', () => {
    const { stack, net } = newStack();
    const c = container(stack, 'svc', net);
    expect(thrown(() => new SystemdUnits(stack, 'a', { containers: [net as unknown as ServiceContainer] })).message)
      .toMatch(/^test\/a: invalid containers\[0\] .*: a ServiceContainer$/);
    expect(thrown(() => new SystemdUnits(stack, 'b', { containers: [c, c] })).message)
      .toBe('test/b: invalid containers[1] "test/svc": each container once');
  });

  test('explicit containers that leave out a dependent', () => {
    const { stack, net } = newStack();
    const db = container(stack, 'db', net);
    container(stack, 'api', net, { dependsOn: [db] });
    const e = thrown(() => new SystemdUnits(stack, 'units', { containers: [db] }));
    expect(e.prop).toBe('containers');
    expect(e.message).toContain('invalid containers "test/api": a list that also holds test/api: it depends on test/db');
  });

  test('a dependent added later that the explicit list leaves out fails at synth', () => {
    const { stack, net } = newStack();
    const db = container(stack, 'db', net);
    new SystemdUnits(stack, 'units', { containers: [db] });
    container(stack, 'api', net, { dependsOn: [db] });
    expect(() => Testing.synth(stack)).toThrow('test/units: invalid containers "test/api": a list that also holds test/api');
  });

  test('two SystemdUnits for the same host in one stack', () => {
    const { stack, net } = newStack();
    container(stack, 'svc', net);
    new SystemdUnits(stack, 'units');
    expect(thrown(() => new SystemdUnits(stack, 'again')).message)
      .toBe('test/again: invalid host "test/host": a host no other SystemdUnits of stack test covers (test/units already writes its units)');
  });

  test('two SystemdUnits whose output names clash', () => {
    const { stack, host, net } = newStack();
    const other = new DockerHost(stack, 'other', { alias: 'other' });
    container(stack, 'svc', net);
    new SystemdUnits(stack, 'units', { host });
    const scope = new ServiceNetwork(stack, 'scope'); // any construct as a scope
    expect(thrown(() => new SystemdUnits(scope, 'units', { host: other })).message).toContain('invalid id "units": an id whose output name units_install');
  });

  test('a host that is not a DockerHost, or of another app', () => {
    const { stack } = newStack();
    expect(thrown(() => new SystemdUnits(stack, 'a', { host: {} as DockerHost })).message).toBe('test/a: invalid host {}: a DockerHost');
    const elsewhere = newStack();
    expect(thrown(() => new SystemdUnits(stack, 'b', { host: elsewhere.host })).message)
      .toBe('test/b: invalid host "test/host": a DockerHost of the same app');
  });

  test.each<[string, SystemdUnitsProps, string]>([
    ['unitPrefix', { unitPrefix: '' }, 'invalid unitPrefix "": a non-empty unit name prefix'],
    ['unitPrefix', { unitPrefix: 'my app-' }, 'invalid unitPrefix "my app-"'],
    ['unitPrefix', { unitPrefix: 'tpl@' }, 'invalid unitPrefix "tpl@"'],
    ['dockerUnit', { dockerUnit: 'docker' }, "invalid dockerUnit \"docker\": a systemd unit name ending in .service, .socket or .target, e.g. 'docker.service'"],
    ['dockerPath', { dockerPath: 'docker' }, "invalid dockerPath \"docker\": an absolute path of the Docker CLI without spaces or '..'"],
    ['dockerPath', { dockerPath: '/usr/bin/../docker' }, 'invalid dockerPath "/usr/bin/../docker"'],
    ['dockerPath', { dockerPath: '/opt/my docker' }, 'invalid dockerPath "/opt/my docker"'],
    ['restart', { restart: 'unless-stopped' as SystemdRestart }, 'invalid restart "unless-stopped": one of always, on-failure, on-abnormal'],
    ['restartDelaySeconds', { restartDelaySeconds: -1 }, 'invalid restartDelaySeconds -1: an integer from 0 to 3600'],
    ['restartDelaySeconds', { restartDelaySeconds: 1.5 }, 'invalid restartDelaySeconds 1.5'],
    ['waitForHealthy', { waitForHealthy: 'yes' as unknown as boolean }, 'invalid waitForHealthy "yes": true or false'],
    ['waitTimeoutSeconds', { waitTimeoutSeconds: 0 }, 'invalid waitTimeoutSeconds 0: an integer from 1 to 3600'],
    ['wantedBy', { wantedBy: 'multi-user' }, "invalid wantedBy \"multi-user\": a systemd target name, e.g. 'multi-user.target'"],
    ['containers', { containers: 'web' as unknown as ServiceContainer[] }, 'invalid containers "web": a list of ServiceContainers'],
  ])('bad %s', (prop, props, message) => {
    const { stack } = newStack();
    const e = thrown(() => new SystemdUnits(stack, 'units', props));
    expect(e.prop).toBe(prop);
    expect(e.message).toContain(`test/units: ${message}`);
  });

  test('a token where a literal goes into a file', () => {
    const { stack } = newStack();
    const delay = new TerraformVariable(stack, 'delay', { type: 'number' });
    expect(thrown(() => new SystemdUnits(stack, 'units', { restartDelaySeconds: delay.numberValue })).message)
      .toMatch(/^test\/units: invalid restartDelaySeconds .*: a literal integer from 0 to 3600: it is written into unit files at synth$/);
  });

  test('a container whose service name is a token fails at synth, naming the container', () => {
    const { stack, net } = newStack();
    const name = new TerraformVariable(stack, 'name', { type: 'string' });
    container(stack, 'c', net, { serviceName: name.stringValue });
    new SystemdUnits(stack, 'units');
    expect(() => Testing.synth(stack)).toThrow(/^test\/c: invalid serviceName .*: a literal service name: test\/units writes it into a unit file at synth$/);
  });

  test("a unit name that would be the Docker daemon's own", () => {
    const { stack, net } = newStack();
    container(stack, 'er', net);
    new SystemdUnits(stack, 'units', { unitPrefix: 'dock' });
    expect(() => Testing.synth(stack)).toThrow('test/units: invalid unitPrefix "dock": a prefix that does not make the unit of test/er the Docker unit docker.service');
  });

  test('no container to supervise fails validation', () => {
    const { stack } = newStack();
    new SystemdUnits(stack, 'units');
    expect(() => Testing.synth(stack, true)).toThrow('test/units: invalid containers (none): at least one ServiceContainer on host test/host in stack test');
  });

  test('a container with another outside supervisor', () => {
    const { stack, net } = newStack();
    const c = container(stack, 'svc', net);
    c._superviseExternally('nomad');
    expect(thrown(() => new SystemdUnits(stack, 'units')).message).toBe('test/svc: invalid supervisor "systemd": one outside supervisor (already nomad)');
  });

  test('a container with an explicit Docker restart policy hands it over too', () => {
    const { stack, net } = newStack();
    const c = container(stack, 'svc', net, { restartPolicy: RestartPolicy.ON_FAILURE, maxRetryCount: 3 });
    new SystemdUnits(stack, 'units');
    const json = JSON.parse(Testing.synth(stack));
    expect(json.resource.docker_container[Object.keys(json.resource.docker_container)[0]].restart).toBe('no');
    expect(c.resource.maxRetryCountInput).toBeUndefined();
  });
});

/** First executable named `name` on PATH. */
function which(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const file = path.join(dir, name);
    try {
      fs.accessSync(file, fs.constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  return undefined;
}

const SYSTEM_UNIT_DIRS = ['/etc/systemd/system', '/run/systemd/system', '/usr/local/lib/systemd/system', '/usr/lib/systemd/system', '/lib/systemd/system'];
const analyze = which('systemd-analyze');
if (!analyze) {
  console.warn('systemd-units: skipping `systemd-analyze verify`: systemd-analyze is not on PATH (Debian: apt-get install systemd)');
}

describe('systemd-analyze verify', () => {
  (analyze ? test : test.skip)('accepts every generated unit (defaults and custom props)', () => {
    const notes: string[] = [];
    // The units as generated by default name /usr/bin/docker (Debian's docker.io); on a machine
    // without it, they are generated for the CLI that is there, or a stub, and the test says so.
    let dockerPath = '/usr/bin/docker';
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'systemd-verify-'));
    try {
      fs.accessSync(dockerPath, fs.constants.X_OK);
    } catch {
      dockerPath = which('docker') ?? path.join(work, 'docker');
      if (!fs.existsSync(dockerPath)) fs.writeFileSync(dockerPath, '#!/bin/sh\nexit 0\n', { mode: 0o755 });
      notes.push(`/usr/bin/docker is missing: units generated with dockerPath ${dockerPath}`);
    }
    const defaults = fullSynth((app) => new BootOrderApp(app, 'boot-order', {}));
    const custom = fullSynth((app) => {
      const stack = new TerraformStack(app, 'custom');
      new DockerHost(stack, 'host', { url: 'unix:///run/user/1000/docker.sock' });
      const net = new ServiceNetwork(stack, 'net');
      const db = container(stack, 'db', net, { healthcheck: Healthcheck.tcp(6379), stopTimeoutSeconds: 0 });
      container(stack, 'worker', net, { dependsOn: [db] });
      new SystemdUnits(stack, 'units', {
        unitPrefix: 'app-', restart: SystemdRestart.ON_ABNORMAL, restartDelaySeconds: 0, waitTimeoutSeconds: 3600, wantedBy: 'default.target',
      });
      return stack;
    });
    const unitDir = path.join(work, 'units');
    fs.mkdirSync(unitDir);
    const generated = { ...defaults.files, ...custom.files };
    expect(Object.keys(generated)).toHaveLength(5);
    for (const [name, text] of Object.entries(generated)) {
      fs.writeFileSync(path.join(unitDir, name), text.split('/usr/bin/docker').join(dockerPath));
    }
    if (!SYSTEM_UNIT_DIRS.some((d) => fs.existsSync(path.join(d, 'docker.service')))) {
      fs.writeFileSync(path.join(unitDir, 'docker.service'), '[Unit]\nDescription=stub Docker daemon\n\n[Service]\nType=oneshot\nExecStart=/bin/true\n');
      notes.push('no docker.service on this machine: verified against a stub docker.service');
    }
    const result = spawnSync(analyze as string, ['verify', '--man=no', ...Object.keys(generated).map((n) => path.join(unitDir, n))], {
      encoding: 'utf8',
      // The trailing ':' keeps systemd's own search path after the folder of the generated units.
      env: { ...process.env, SYSTEMD_UNIT_PATH: `${unitDir}:`, SYSTEMD_LOG_COLOR: '0' },
    });
    if (notes.length > 0) console.warn(`systemd-units verify: ${notes.join('; ')}`);
    const output = `${result.stdout}${result.stderr}`;
    // verify exits 0 on warnings such as "Unknown key": any line about our units is a failure.
    const ours = output.split('\n').filter((l) => l.includes(unitDir) || Object.keys(generated).some((n) => l.includes(n)));
    expect({ status: result.status, ours }).toEqual({ status: 0, ours: [] });
    fs.rmSync(work, { recursive: true, force: true });
  });
});
