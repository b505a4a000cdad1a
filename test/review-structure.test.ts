/**
 * How the review is put together: one rule a file under lib/review/rules/ in
 * a fixed order, a rule that throws reported as a finding (the review goes
 * on), one image-reference grammar for the constructs and the review, and no
 * cdktf module loaded by the review.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as fc from 'fast-check';
import { parseImageReference, readImageReference, unpinnedBy, unpinnedImageReference } from '../lib/_image-reference';
import { blockingFindings, reviewStack, reviewStacks } from '../lib/review/engine';
import { ResourceShape, Severity, StackInput } from '../lib/review/model';
import { RuleDefinition } from '../lib/review/rule-definition';
import { RULES } from '../lib/review/rules/index';

const ROOT = path.join(__dirname, '..');
const RULES_DIR = path.join(ROOT, 'lib', 'review', 'rules');

describe('the rule pack: one rule a file', () => {
  test('the rules come in this order (the order of findings within a resource)', () => {
    expect(RULES.map((r) => r.id)).toEqual([
      'image-not-pinned', 'large-base-image', 'multiple-processes', 'legacy-links', 'default-bridge-network', 'host-namespace',
      'privileged-container', 'docker-socket-mounted', 'sensitive-host-path', 'capabilities-not-dropped', 'no-new-privileges-missing',
      'writable-root-filesystem', 'no-memory-limit', 'no-restart-policy', 'no-health-check', 'no-log-rotation',
      'port-published-on-all-interfaces', 'literal-secret-env', 'literal-registry-credential', 'push-deletes-remote-tag', 'user-not-set',
      'dangerous-capability-added', 'confinement-disabled', 'host-device-mapped', 'kernel-parameter-set', 'image-referenced-by-name',
      'memory-swap-unset', 'log-rotation-incomplete', 'plugin-all-privileges', 'literal-swarm-secret', 'ssh-host-key-unchecked',
      'single-replica-service', 'update-without-rollback', 'secret-in-service-env',
    ]);
  });

  test('each lib/review/rules/<id>.ts exports the one rule with that id, and the barrel lists every file once', () => {
    const files = fs.readdirSync(RULES_DIR).filter((f) => f.endsWith('.ts') && f !== 'index.ts').sort();
    const listed: string[] = [];
    for (const file of files) {
      const exported = Object.values(require(path.join(RULES_DIR, file)) as Record<string, unknown>)
        .filter((v): v is RuleDefinition => typeof v === 'object' && v !== null && typeof (v as RuleDefinition).check === 'function');
      expect({ file, ids: exported.map((r) => r.id) }).toEqual({ file, ids: [file.replace(/\.ts$/, '')] });
      expect(RULES).toContain(exported[0]);
      listed.push(exported[0].id);
    }
    expect([...RULES.map((r) => r.id)].sort()).toEqual(listed);
  });
});

describe('a rule that throws', () => {
  const resource = (type: string, name: string, values: Record<string, unknown> = {}, suppressions: ResourceShape['suppressions'] = []): ResourceShape =>
    ({ address: `${type}.${name}`, type, name, values, suppressions, constructPath: `stack/${name}` });
  const stack = (...resources: ResourceShape[]): StackInput => ({ name: 'stack', resources });
  const rule = (id: string, check: RuleDefinition['check'], severity = Severity.WARNING): RuleDefinition =>
    ({ id, severity, reason: `${id} reason`, source: `${id} source`, types: ['docker_container'], check });
  const before = rule('before', (r) => [`before saw ${r.name}`]);
  const after = rule('after', (r) => [`after saw ${r.name}`]);
  const boom = rule('boom', (r) => {
    if (r.name === 'bad') throw new Error(`cannot read ${r.name}`);
    return [];
  });

  test('becomes an error finding of that rule; the other rules and resources are still reviewed', () => {
    const review = reviewStack(stack(resource('docker_container', 'bad'), resource('docker_container', 'good')), { rules: [before, boom, after] });
    expect(review.findings.map((f) => [f.resource, f.rule, f.severity, f.message])).toEqual([
      ['docker_container.bad', 'before', 'warning', 'before saw bad'],
      ['docker_container.bad', 'boom', 'error', 'rule boom failed on docker_container.bad: cannot read bad'],
      ['docker_container.bad', 'after', 'warning', 'after saw bad'],
      ['docker_container.good', 'before', 'warning', 'before saw good'],
      ['docker_container.good', 'after', 'warning', 'after saw good'],
    ]);
    expect(review.findings[1]).toEqual({
      rule: 'boom',
      severity: Severity.ERROR,
      resource: 'docker_container.bad',
      message: 'rule boom failed on docker_container.bad: cannot read bad',
      source: 'boom source',
      suppressed: false,
      suppressionReason: undefined,
      constructPath: 'stack/bad',
    });
    expect(blockingFindings(review).map((f) => f.rule)).toEqual(['boom']);
    expect(review.services.map((s) => s.address)).toEqual(['docker_container.bad', 'docker_container.good']);
  });

  test('whatever is thrown (not an Error, or something that cannot be shown) is reported', () => {
    const throwing = (thrown: unknown) => rule('odd', () => {
      throw thrown;
    });
    const messageFor = (thrown: unknown) => reviewStack(stack(resource('docker_container', 'c')), { rules: [throwing(thrown)] }).findings.map((f) => f.message);
    expect(messageFor('a string')).toEqual(['rule odd failed on docker_container.c: a string']);
    expect(messageFor(undefined)).toEqual(['rule odd failed on docker_container.c: undefined']);
    expect(messageFor(Object.create(null))).toEqual(['rule odd failed on docker_container.c: (a thrown object)']);
  });

  test('through reviewStacks too; a suppression of the rule on the resource covers its failure like its findings', () => {
    const valid = [{ rule: 'user-not-set', reason: 'the image runs as nobody, set in its own build' }];
    const [review] = reviewStacks([stack(resource('docker_container', 'bad', {}, valid))], {
      rules: [rule('user-not-set', () => {
        throw new TypeError('x is undefined');
      })],
    });
    expect(review.findings.map((f) => [f.rule, f.severity, f.message, f.suppressed, f.suppressionReason])).toEqual([
      ['user-not-set', 'error', 'rule user-not-set failed on docker_container.bad: x is undefined', true, valid[0].reason],
    ]);
    expect(blockingFindings(review)).toEqual([]);
  });

  test('without rules given, the pack runs', () => {
    const input = stack(resource('docker_container', 'c', { image: 'nginx', privileged: true }));
    const review = reviewStack(input);
    expect(review).toEqual(reviewStack(input, { rules: RULES }));
    expect(review.findings.map((f) => f.rule)).toEqual(expect.arrayContaining(['image-not-pinned', 'privileged-container', 'user-not-set']));
  });
});

describe('one image-reference grammar: strict (constructs) and lenient (review) entry points', () => {
  const refs = fc.oneof(
    fc.array(fc.constantFrom('a', 'b', '0', '.', '-', '_', ':', '/', '@', 'latest', 'LATEST', 'Latest', 'localhost', 'registry.example.com:5000',
      'sha256:0123456789abcdef0123456789abcdef', 'team', ' ', '${var.x}'), { maxLength: 10 }).map((parts) => parts.join('')),
    fc.string({ maxLength: 24 }),
  );

  test('where the strict parser accepts a reference, the lenient reader splits it the same way', () => {
    fc.assert(fc.property(refs, (ref) => {
      const strict = parseImageReference(ref);
      if (!strict) return;
      const lenient = readImageReference(ref);
      expect(lenient).toEqual({ name: strict.registry ? `${strict.registry}/${strict.repository}` : strict.repository, tag: strict.tag, digest: strict.digest });
    }), { numRuns: 3000 });
  });

  test('the two pinned verdicts agree but for the case of `latest` (the review also takes LATEST as latest)', () => {
    fc.assert(fc.property(refs, (ref) => {
      const strict = parseImageReference(ref);
      if (!strict) return;
      const caseOfLatest = strict.tag !== undefined && strict.tag !== 'latest' && strict.tag.toLowerCase() === 'latest' && !strict.digest;
      expect(unpinnedImageReference(ref)).toBe(caseOfLatest ? 'latest' : unpinnedBy(strict));
    }), { numRuns: 3000 });
    expect([unpinnedBy(parseImageReference('redis:LATEST')!), unpinnedImageReference('redis:LATEST')]).toEqual([undefined, 'latest']);
  });

  test('the lenient reader takes any text (tokens, half-written references) without failing', () => {
    fc.assert(fc.property(fc.string(), (text) => {
      expect(() => unpinnedImageReference(text)).not.toThrow();
      expect(typeof readImageReference(text).name).toBe('string');
    }), { numRuns: 2000 });
    expect(readImageReference(' ${docker_image.api.name}:${var.tag} ')).toEqual({ name: '${docker_image.api.name}', tag: '${var.tag}', digest: undefined });
  });
});

describe('the command reads its input before it loads the rule pack', () => {
  /** Runs the command with `args` in a fresh Node (ts-node, transpile only); its exit code and whether the engine and any rule file were loaded. */
  function packLoadedAfter(...args: string[]): { code: number; engine: boolean; rules: number; stderr: string } {
    const script = [
      "require('ts-node').register({ transpileOnly: true });",
      "const { main } = require('./lib/review/cli');",
      `const code = main(${JSON.stringify(args)}, { stdout() {}, stderr() {} });`,
      "const keys = Object.keys(require.cache);",
      "console.log(JSON.stringify({ code, engine: keys.some((k) => /[\\\\/]review[\\\\/]engine\\.ts$/.test(k)), rules: keys.filter((k) => /[\\\\/]review[\\\\/]rules[\\\\/]/.test(k)).length }));",
    ].join('\n');
    const child = spawnSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8' });
    return { ...(JSON.parse(child.stdout || '{}') as { code: number; engine: boolean; rules: number }), stderr: child.stderr };
  }

  test('input that cannot be read fails (exit 2) without loading the engine or a rule', () => {
    const run = packLoadedAfter(path.join(__dirname, 'fixtures', 'review', 'no-such-file.json'));
    expect(run.stderr).toBe('');
    expect(run.code).toBe(2);
    expect(run.engine).toBe(false);
    expect(run.rules).toBe(0);
  });

  test('so does a change whose base or head cannot be read (--base)', () => {
    const missing = path.join(__dirname, 'fixtures', 'review', 'no-such-file.json');
    const readable = path.join(__dirname, 'fixtures', 'review', 'plan', 'cdk.tf.json');
    for (const args of [['--base', missing, readable], ['--base', readable, missing]]) {
      const run = packLoadedAfter(...args);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(2);
      expect(run.engine).toBe(false);
      expect(run.rules).toBe(0);
    }
  });

  test('a readable stack loads the engine and every rule file', () => {
    const run = packLoadedAfter(path.join(__dirname, 'fixtures', 'review', 'plan', 'cdk.tf.json'));
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    expect(run.engine).toBe(true);
    expect(run.rules).toBe(fs.readdirSync(path.join(ROOT, 'lib', 'review', 'rules')).filter((f) => f.endsWith('.ts')).length);
  });
});

describe('the review loads no cdktf module', () => {
  /** Requires these modules in a fresh Node (ts-node, transpile only), reviews the plan fixture, and lists the cdktf modules then loaded. */
  function cdktfModulesLoadedBy(modules: string[]): { loaded: string[]; stderr: string; reviewed: boolean } {
    const script = [
      "require('ts-node').register({ transpileOnly: true });",
      ...modules.map((m) => `require(${JSON.stringify(m)});`),
      "const { main } = require('./lib/review/cli');",
      "let out = '';",
      `const code = main([${JSON.stringify(path.join(__dirname, 'fixtures', 'review', 'plan', 'cdk.tf.json'))}, '--format', 'json'], { stdout(t) { out += t; }, stderr() {} });`,
      "const keys = Object.keys(require.cache);",
      "console.log(JSON.stringify({",
      "  loaded: keys.filter((k) => /[\\\\/]node_modules[\\\\/](cdktf|@cdktf[\\\\/]provider-docker|constructs)[\\\\/]/.test(k)),",
      "  reviewed: code === 1 && JSON.parse(out).stacks[0].findings.some((f) => f.rule === 'image-not-pinned') && keys.some((k) => k.endsWith('_image-reference.ts')),",
      '}));',
    ].join('\n');
    const child = spawnSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8' });
    return { ...(JSON.parse(child.stdout || '{}') as { loaded: string[]; reviewed: boolean }), stderr: child.stderr };
  }

  test('the command, the engine, the rules, the suppression policy and the image-reference grammar', () => {
    const run = cdktfModulesLoadedBy(['./lib/review/engine', './lib/review/rules/index', './lib/review/rules', './lib/review/suppressions', './lib/_image-reference', './lib/review']);
    expect(run.stderr).toBe('');
    expect(run.reviewed).toBe(true);
    expect(run.loaded).toEqual([]);
  });

  test('the check would see a cdktf module if one were loaded', () => {
    const run = cdktfModulesLoadedBy(['cdktf', '@cdktf/provider-docker/lib/container']);
    expect(run.loaded.some((k) => k.includes(`${path.sep}node_modules${path.sep}cdktf${path.sep}`))).toBe(true);
    expect(run.loaded.some((k) => k.includes(`${path.sep}@cdktf${path.sep}provider-docker${path.sep}`))).toBe(true);
  });
});
