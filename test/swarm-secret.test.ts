import 'cdktf/lib/testing/adapters/jest';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { DockerHost, Secret, SwarmConfig, SwarmSecret } from '../lib';
import { only } from './util';
import { expectError, swarmHost as swarmStack } from './swarm-util';

const synth = (stack: TerraformStack): any => JSON.parse(Testing.synth(stack, true));

describe('SwarmSecret', () => {
  test('the data is the base64 of a sensitive variable, never the value', () => {
    process.env.TF_VAR_db_password = 'hunter2-never-in-json';
    const { stack } = swarmStack();
    const s = new SwarmSecret(stack, 'db-password', { value: Secret.fromVariable('db_password') });
    const json = synth(stack);
    const secret = only(json, 'docker_secret');
    expect(secret.data).toBe('${base64encode(var.db_password)}');
    expect(json.variable.db_password).toMatchObject({ type: 'string', sensitive: true });
    expect(JSON.stringify(json)).not.toContain('hunter2');
    expect(s.secretName).toBe('db-password');
    delete process.env.TF_VAR_db_password;
  });

  test('replaced, not updated, on a new value: a new name from the time of creation, created before the old one is destroyed', () => {
    const { stack } = swarmStack();
    new SwarmSecret(stack, 'db-password', { value: Secret.fromVariable('db_password'), labels: { team: 'core' } });
    const secret = only(synth(stack), 'docker_secret');
    expect(secret.name).toBe('db-password-${replace(timestamp(), ":", ".")}');
    expect(secret.lifecycle).toEqual({ create_before_destroy: true, ignore_changes: ['name'] });
    expect(secret.labels).toEqual([{ label: 'team', value: 'core' }]);
  });

  test('an existing sensitive Terraform variable, and a secretName', () => {
    const { stack } = swarmStack();
    const v = new TerraformVariable(stack, 'tls_key', { type: 'string', sensitive: true });
    new SwarmSecret(stack, 'key', { value: Secret.fromTerraformVariable(v), secretName: 'tls.key' });
    const secret = only(synth(stack), 'docker_secret');
    expect([secret.name, secret.data]).toEqual(['tls.key-${replace(timestamp(), ":", ".")}', '${base64encode(var.tls_key)}']);
  });

  test('a literal value is refused, and not echoed', () => {
    const { stack } = swarmStack();
    const e = expectError(() => new SwarmSecret(stack, 'db', { value: 'hunter2' as any }),
      'test/db: invalid value "(a string)": a Secret from Secret.fromVariable or Secret.fromTerraformVariable: a swarm secret takes its value from a sensitive variable, never a literal');
    expect(e.message).not.toContain('hunter2');
  });

  test('a host that is not a swarm manager; no props', () => {
    const stack = new TerraformStack(Testing.app(), 'test');
    new DockerHost(stack, 'host');
    expectError(() => new SwarmSecret(stack, 'db', { value: Secret.fromVariable('db_pw') }), 'test/db: invalid host "test/host": a DockerHost with `swarm: true`');
    expectError(() => new SwarmSecret(stack, 'db2', undefined as any), 'test/db2: invalid props (missing): an object with at least `value`');
  });

  test('names: too long for the suffix, ending in punctuation, twice on a host; a bad variable name', () => {
    const { stack } = swarmStack();
    expectError(() => new SwarmSecret(stack, 'a', { value: Secret.fromVariable('v1'), secretName: 'x'.repeat(44) }),
      /test\/a: invalid secretName "x{44}": a secret name of letters, digits and _ \. - \(not first or last\), at most 43 characters: the library appends 21 of Docker's 64/);
    expectError(() => new SwarmSecret(stack, 'b', { value: Secret.fromVariable('v2'), secretName: 'key.' }), 'test/b: invalid secretName "key."');
    new SwarmSecret(stack, 'c', { value: Secret.fromVariable('v3'), secretName: 'shared' });
    expectError(() => new SwarmSecret(stack, 'd', { value: Secret.fromVariable('v4'), secretName: 'shared' }),
      'test/d: invalid secretName "shared": a secret name not used by another construct on host test/host (test/c already uses it)');
    expectError(() => new SwarmSecret(stack, 'e', { value: Secret.fromVariable('1x') }), 'test/e: invalid value "1x": a Terraform variable name');
  });
});

describe('SwarmConfig', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swarm-config-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const sha12 = (text: string) => crypto.createHash('sha256').update(text).digest('hex').slice(0, 12);

  test('from a string: base64 data, named by its content hash, created before the old one is destroyed', () => {
    const { stack } = swarmStack();
    const c = new SwarmConfig(stack, 'site', { content: 'server {}' });
    const config = only(synth(stack), 'docker_config');
    expect(config).toMatchObject({ name: `site-${sha12('server {}')}`, data: Buffer.from('server {}').toString('base64'), lifecycle: { create_before_destroy: true } });
    expect(c.configName).toBe('site');
  });

  test('from a file read at synth; a changed content is a new name (the services that mount it roll)', () => {
    const file = path.join(dir, 'nginx.conf');
    fs.writeFileSync(file, 'one');
    const name = () => {
      const { stack } = swarmStack();
      new SwarmConfig(stack, 'site', { file, configName: 'nginx' });
      return only(synth(stack), 'docker_config').name;
    };
    const before = name();
    expect(before).toBe(`nginx-${sha12('one')}`);
    expect(name()).toBe(before);
    fs.writeFileSync(file, 'two');
    expect(name()).toBe(`nginx-${sha12('two')}`);
  });

  test('a content that is a reference: Terraform encodes and hashes it', () => {
    const { stack } = swarmStack();
    const text = new TerraformVariable(stack, 'site', { type: 'string' }).stringValue;
    new SwarmConfig(stack, 'conf', { content: text });
    const config = only(synth(stack), 'docker_config');
    expect([config.name, config.data]).toEqual(['conf-${substr(sha256(var.site), 0, 12)}', '${base64encode(var.site)}']);
  });

  test('labels with the 4.6 provider line (3.6.2 has none for configs)', () => {
    const { stack } = swarmStack('4.6.0');
    new SwarmConfig(stack, 'conf', { content: 'x', labels: { team: 'core' } });
    expect(only(synth(stack), 'docker_config').labels).toEqual([{ label: 'team', value: 'core' }]);
    const old = swarmStack('3.6.2');
    expectError(() => new SwarmConfig(old.stack, 'conf', { content: 'x', labels: { team: 'core' } }), 'test/conf: invalid labels {"team":"core"}: no labels with provider 3.6.2');
  });

  test('bad input: both or neither source, a missing file, too large, not a swarm manager', () => {
    const { stack } = swarmStack();
    expectError(() => new SwarmConfig(stack, 'a', { content: 'x', file: '/etc/hosts' }), 'test/a: invalid file "/etc/hosts": exactly one of `content` and `file`');
    expectError(() => new SwarmConfig(stack, 'b', {}), 'test/b: invalid content (missing): exactly one of `content` and `file`');
    expectError(() => new SwarmConfig(stack, 'c', { file: path.join(dir, 'missing.conf') }), /test\/c: invalid file ".*missing\.conf": a readable file \(.*: ENOENT\)/);
    expectError(() => new SwarmConfig(stack, 'd', { content: 'x'.repeat(600 * 1024) }), 'test/d: invalid content "(614400 bytes)": at most 500 KiB');
    expectError(() => new SwarmConfig(stack, 'e', { content: 5 as any }), 'test/e: invalid content 5: the content as a string');
    const plain = new TerraformStack(Testing.app(), 'plain');
    new DockerHost(plain, 'host');
    expectError(() => new SwarmConfig(plain, 'conf', { content: 'x' }), 'plain/conf: invalid host "plain/host": a DockerHost with `swarm: true`');
  });
});
