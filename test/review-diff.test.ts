/**
 * The review of a change (`--base <base> <head>`): each category on base/head
 * fixture pairs (test/fixtures/review/diff/), read from folders, single
 * `cdk.tf.json` files and `terraform show -json` plans; identical inputs; a
 * renamed logical id under the same construct path; `--fail-on`; unreadable
 * input; the three formats.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Change, ReviewDiff } from '../lib/review/diff';
import { runCli, tempDir } from './fixtures/review/helpers';

const DIFF = path.join(__dirname, 'fixtures', 'review', 'diff');
const ROOT = path.join(__dirname, '..');
const pair = (name: string) => [path.join(DIFF, name, 'base'), path.join(DIFF, name, 'head')] as const;

interface DiffJson extends ReviewDiff {
  readonly base: string;
  readonly head: string;
  readonly failOn: string;
  readonly result: string;
  readonly summary: { worse: { error: number; warning: number; info: number }; better: number; neutral: number; failing: number };
}

function diffJson(base: string, head: string, ...args: string[]): { code: number; report: DiffJson } {
  const run = runCli(['--base', base, head, '--format', 'json', ...args]);
  expect(run.stderr).toBe('');
  return { code: run.code, report: JSON.parse(run.stdout) as DiffJson };
}

/** Each change as `severity effect category resource: what`. */
const line = (c: Change) => `${c.severity} ${c.effect} ${c.category} ${c.resource}: ${c.what}`;
const lines = (report: ReviewDiff) => report.stacks.flatMap((s) => s.changes.map(line));

describe('each category, from a base/head pair of folders', () => {
  test('exposure: ports newly published or moved to wider interfaces, networks joined that are public or reach one, a network no longer internal, host networking and namespaces', () => {
    const { code, report } = diffJson(...pair('exposure'));
    expect(code).toBe(1);
    expect(lines(report)).toEqual([
      'error worse exposure docker_container.admin: port 9000/tcp moved from 10.0.0.5:9000->9000/tcp to 0.0.0.0:9000->9000/tcp',
      'error worse exposure docker_container.tool: network_mode = "host" added (was unset)',
      'error worse exposure docker_container.tool: pid_mode = "host" added (was unset)',
      'error worse exposure docker_container.web: port 80/tcp moved from 127.0.0.1:8080->80/tcp to 0.0.0.0:8080->80/tcp',
      'error worse exposure docker_service.queue: port 5672/tcp newly published: 0.0.0.0:5672->5672/tcp (ingress)',
      'warning worse exposure docker_container.api: port 8443/tcp newly published: 192.168.1.10:8443->8443/tcp',
      'warning worse exposure docker_container.api: joins network front, which is public (not internal)',
      // back is internal, but api now publishes a port on it: public by the second half of the definition.
      'warning worse exposure docker_container.worker: joins network back, which is public (api publishes 192.168.1.10:8443->8443/tcp on it)',
      'warning worse exposure docker_network.edge: network edge is no longer internal',
      'info worse exposure docker_container.metrics: port 9200/tcp newly published: 127.0.0.1:9200->9200/tcp',
    ]);
    const stack = report.stacks[0];
    // The rule pack's new findings that these changes stand for are listed, not repeated as changes.
    expect(stack.newFindings.map((f) => `${f.resource} ${f.rule}`)).toEqual([
      'docker_container.admin port-published-on-all-interfaces', 'docker_container.tool host-namespace', 'docker_container.tool host-namespace',
      'docker_container.web port-published-on-all-interfaces', 'docker_service.queue port-published-on-all-interfaces',
    ]);
    expect(stack.changes.find((c) => c.resource === 'docker_container.web')).toMatchObject({
      rule: 'port-published-on-all-interfaces', service: 'web', constructPath: 'exposure/web/Resource', why: 'it listens on every address of the host, public ones included',
    });
    // Every change has a one-line why.
    for (const c of stack.changes) expect(c.why).toMatch(/^[^\n]{10,}$/);
  });

  test('hardening dropped: read-only root, capabilities, no-new-privileges, privileged, confinement, memory (removed, or raised more than 4x), health check, restart, user', () => {
    const { code, report } = diffJson(...pair('hardening'));
    expect(code).toBe(1);
    expect(lines(report)).toEqual([
      'error worse hardening docker_container.apparmor: confinement disabled: security_opts "apparmor=unconfined" turns AppArmor off (CIS Docker Benchmark v1.6.0 5.1)',
      'error worse hardening docker_container.caps: capability CAP_SYS_ADMIN added',
      'error worse hardening docker_container.priv: privileged turned on',
      'error worse hardening docker_container.root: user changed to root ("root", was "1000:1000")',
      'warning worse hardening docker_container.caps: capability CAP_NET_BIND_SERVICE added',
      'warning worse hardening docker_container.dropall: capabilities.drop no longer drops ALL',
      'warning worse hardening docker_container.health: health check removed',
      'warning worse hardening docker_container.memgone: memory limit removed (was 256 MiB)',
      'warning worse hardening docker_container.memraised: memory limit raised from 256 MiB to 2048 MiB (8×)',
      'warning worse hardening docker_container.nnp: security_opts no longer sets no-new-privileges',
      'warning worse hardening docker_container.nouser: user no longer set (was "1000:1000")',
      'warning worse hardening docker_container.restart: restart policy off (was unless-stopped)',
      'warning worse hardening docker_container.ro: read_only turned off (was true)',
      // A Swarm service is read as the container its tasks run, named by its own attributes.
      'warning worse hardening docker_service.api: task_spec.container_spec.read_only turned off (was true)',
      'warning worse hardening docker_service.api: task_spec.container_spec.cap_drop no longer drops ALL',
      'warning worse hardening docker_service.api: restart policy off (was on-failure)',
    ]);
    // memsome: 256 -> 1024 MiB is 4x, not more; job runs to completion, so its health check and restart do not matter.
    expect(report.stacks[0].changes.filter((c) => c.resource === 'docker_container.memsome' || c.resource === 'docker_container.job')).toEqual([]);
    expect(report.stacks[0].changes.find((c) => c.what === 'capability CAP_SYS_ADMIN added')?.rule).toBe('dangerous-capability-added');
  });

  test('supply chain: an image from a digest or pinned tag to a floating one (also through a docker_image), a digest to a tag, a built image on a larger base', () => {
    const { code, report } = diffJson(...pair('supply-chain'));
    expect(code).toBe(1);
    const digest = `sha256:${'4f'.repeat(32)}`;
    expect(lines(report)).toEqual([
      'error worse supply-chain docker_container.app: image "registry.example.com/shop/app:1.0.0" -> "registry.example.com/shop/app": from a pinned tag to a floating reference',
      `error worse supply-chain docker_container.db: image "postgres@${digest}" -> "postgres": from a digest to a floating reference`,
      'error worse supply-chain docker_container.web: image "nginx:1.27-alpine" -> "nginx:latest": from a pinned tag to a floating reference',
      'error worse supply-chain docker_service.queue: image "registry.example.com/shop/queue:2.0.1" -> "registry.example.com/shop/queue:latest": from a pinned tag to a floating reference',
      // The docker_image itself: a new finding no other change stands for.
      'error worse findings docker_image.app: new finding image-not-pinned: name "registry.example.com/shop/app" has no tag (Docker pulls `latest`); pin a version tag (e.g. "registry.example.com/shop/app:1.2.3") or a digest',
      `warning worse supply-chain docker_container.cache: image "redis@${digest}" -> "redis:7.4": from a digest to a tag`,
      // From the Dockerfile in the build context (test/fixtures/review/contexts/node-alpine -> node-full) ...
      'warning worse supply-chain docker_image.built: base image of registry.example.com/shop/built:1.0.0: "node:20-alpine" -> "node:20" (a full distribution)',
      // ... and from the recorded base label when the context is not there.
      'warning worse supply-chain docker_image.labelled: base image of registry.example.com/shop/labelled:1.0.0: "gcr.io/distroless/static-debian12" -> "debian:12" (a full distribution)',
      'info neutral supply-chain docker_container.box: image "busybox:1.36" -> "busybox:1.37"',
    ]);
  });

  test('secrets: a variable moved from a (sensitive) variable to a literal, literal credentials added', () => {
    const { code, report } = diffJson(...pair('secrets'));
    expect(code).toBe(1);
    expect(lines(report)).toEqual([
      'error worse secrets docker_container.api: env DB_PASSWORD moved from ${var.db_password} (a sensitive variable) to a literal value',
      // Not named like a secret, but the variable is declared sensitive.
      'error worse secrets docker_container.api: env DATABASE_URL moved from ${var.database_url} (a sensitive variable) to a literal value',
      'error worse secrets docker_secret.signing: literal credential added (literal-swarm-secret): data is a literal; take it from a sensitive variable (e.g. ${base64encode(var.x)})',
      'error worse secrets docker_service.worker: task_spec.container_spec.env API_TOKEN moved from ${var.api_token} (a sensitive variable) to a literal value',
      'error worse secrets provider.docker: literal credential added (literal-registry-credential): registry_auth[0].password (registry registry.example.com) is a literal; use a sensitive variable reference (${var.x})',
      'warning worse secrets docker_container.api: env LOG_LEVEL moved from ${var.log_level} (a variable not declared sensitive) to a literal value',
      'info better findings docker_service.worker: resolved secret-in-service-env: task_spec.container_spec.env API_TOKEN passes a secret as an environment variable; give it as a docker_secret in task_spec.container_spec.secrets (a file under /run/secrets)',
    ]);
    // The literal values never show.
    const text = runCli(['--base', ...pair('secrets')]).stdout;
    for (const secret of ['hunter2', 'postgres://app:pw', 'tok-123456789', 's3cret-literal', 'bGl0ZXJhbA==']) expect(text).not.toContain(secret);
  });

  test('suppressions: every one added or whose reason changed, with its reason; a worse change its rule suppresses is info', () => {
    const { code, report } = diffJson(...pair('suppressions'));
    expect(code).toBe(0);
    expect(lines(report)).toEqual([
      'warning worse suppressions docker_container.api: suppression of user-not-set: reason changed from "the image runs as nobody, set in its own build" to "the image runs as uid 65532 (distroless nonroot)"',
      'warning worse suppressions docker_container.bad: suppression of no-health-check added: "todo"',
      'warning worse suppressions docker_container.web: suppression of port-published-on-all-interfaces added: "web is the public entry point behind the host firewall"',
      'info worse exposure docker_container.web: port 80/tcp moved from 127.0.0.1:80->80/tcp to 0.0.0.0:80->80/tcp',
      'info neutral suppressions docker_container.old: suppression of writable-root-filesystem removed (was "legacy app writes its pid file next to the binary")',
    ]);
    const changes = report.stacks[0].changes;
    expect(changes[3].suppressionReason).toBe('web is the public entry point behind the host firewall');
    // The ignored suppression stands for the invalid-suppression finding: listed, not a second change.
    expect(changes[1].why).toMatch(/^the review ignores it \(no real reason\)/);
    expect(report.stacks[0].newFindings.map((f) => `${f.resource} ${f.rule}`)).toEqual(['docker_container.bad invalid-suppression', 'docker_container.web port-published-on-all-interfaces']);
    expect(runCli(['--base', ...pair('suppressions'), '--fail-on', 'warning']).code).toBe(1);
  });

  test('services added and removed; a renamed logical id with the same construct path is neither', () => {
    const { code, report } = diffJson(...pair('services'));
    expect(code).toBe(1);
    expect(lines(report)).toEqual([
      'error worse exposure docker_container.new: port 80/tcp newly published: 0.0.0.0:8081->80/tcp',
      'info worse exposure docker_container.moved: joins network back, which is public (new publishes 0.0.0.0:8081->80/tcp on it)',
      'info worse exposure docker_container.new: joins network back, which is public (new publishes 0.0.0.0:8081->80/tcp on it)',
      'info better findings docker_container.old: resolved writable-root-filesystem: read_only is not true; mount the root filesystem read-only and give writable paths a tmpfs or a volume',
      // Same address, another construct path: two resources.
      'info neutral services docker_container.moved: container moved added (image registry.example.com/shop/moved:1.4.2)',
      'info neutral services docker_container.moved: container moved removed',
      'info neutral services docker_container.new: container new added (image registry.example.com/shop/new:1.4.2)',
      'info neutral services docker_container.old: container old removed',
      'info neutral services docker_container.web_9E8F7A6B: address changed from docker_container.web_5A1B2C3D to docker_container.web_9E8F7A6B (same construct path services/web/Resource)',
    ]);
    const stack = report.stacks[0];
    const renamed = stack.changes.filter((c) => c.resource.startsWith('docker_container.web_') || c.baseResource?.startsWith('docker_container.web_'));
    expect(renamed.map((c) => [c.category, c.baseResource])).toEqual([['services', 'docker_container.web_5A1B2C3D']]);
    // Its findings are matched across the rename: none new, none resolved.
    expect([...stack.newFindings, ...stack.resolvedFindings].filter((f) => f.resource.startsWith('docker_container.web_'))).toEqual([]);
    expect(stack.newFindings.map((f) => `${f.resource} ${f.rule}`)).toEqual(['docker_container.new port-published-on-all-interfaces']);
    expect(stack.resolvedFindings.map((f) => `${f.resource} ${f.rule}`)).toEqual(['docker_container.old writable-root-filesystem']);
  });
});

describe('the same pairs from single files and from plans', () => {
  test.each(['exposure', 'hardening', 'supply-chain', 'secrets', 'suppressions', 'services'])('%s: the cdk.tf.json files give what their folders give', (name) => {
    const [base, head] = pair(name);
    const fromFolders = diffJson(base, head);
    const fromFiles = diffJson(path.join(base, 'cdk.tf.json'), path.join(head, 'cdk.tf.json'));
    expect(fromFiles.code).toBe(fromFolders.code);
    expect(fromFiles.report.stacks).toEqual(fromFolders.report.stacks);
    expect(fromFiles.report.stacks[0].changes.length).toBeGreaterThan(0);
  });

  test('terraform show -json plans: matched by address, configuration tells references from literals, sensitive variables from the plan', () => {
    const base = path.join(DIFF, 'plans', 'base.json');
    const head = path.join(DIFF, 'plans', 'head.json');
    const { code, report } = diffJson(base, head);
    expect(code).toBe(1);
    // One stack a side: matched whatever the file names.
    expect(report.stacks.map((s) => [s.name, s.status])).toEqual([['head', 'changed']]);
    expect(lines(report)).toEqual([
      'error worse exposure docker_container.web: port 80/tcp moved from 127.0.0.1:8080->80/tcp to 0.0.0.0:8080->80/tcp',
      'error worse hardening docker_container.api: privileged turned on',
      'error worse supply-chain docker_container.worker: image "registry.example.com/shop/worker:2.4.0" -> "registry.example.com/shop/worker:latest": from a pinned tag to a floating reference',
      'error worse secrets docker_container.api: env DB_PASSWORD moved from ${var.db_password} (a sensitive variable) to a literal value',
      'warning worse exposure docker_network.app: network shop is no longer internal',
      'warning worse hardening docker_container.api: read_only turned off (was true)',
      // A service's nested blocks as plans write them (one-element lists).
      'warning worse hardening docker_service.queue: task_spec.container_spec.cap_drop no longer drops ALL',
    ]);
  });

});

describe('a cdktf.out folder of several stacks', () => {
  test('stacks matched by name; stacks added and removed; unchanged stacks say so', () => {
    const { code, report } = diffJson(...pair('app'));
    expect(code).toBe(1);
    expect(report.stacks.map((s) => [s.name, s.status, s.services.base, s.services.head])).toEqual([
      ['platform', 'unchanged', 1, 1], ['shop', 'changed', 1, 1], ['extra', 'added', 0, 1], ['legacy', 'removed', 1, 0],
    ]);
    expect(report.stacks.map((s) => s.changes.map(line))).toEqual([
      [],
      ['error worse exposure docker_container.web: port 80/tcp moved from 127.0.0.1:8080->80/tcp to 0.0.0.0:8080->80/tcp'],
      ['info worse exposure docker_container.web: port 80/tcp newly published: 127.0.0.1:8080->80/tcp', 'info neutral services docker_container.web: container web added (image registry.example.com/shop/web:1.4.2)'],
      ['info neutral services docker_container.web: container web removed'],
    ]);
    const text = runCli(['--base', ...pair('app')]).stdout;
    expect(text).toContain('Stack platform: no change (1 -> 1 services)');
    expect(text).toContain('Stack extra (added): 1 worse (0 errors, 0 warnings, 1 info), 1 other (0 -> 1 services)');
    expect(text.trimEnd().split('\n').pop()).toBe('Result: FAIL: 1 change at or above error made it less safe (--fail-on error)');
  });
});

describe('identical inputs: exit 0 and "no change"', () => {
  const inputs = [
    ...['exposure', 'hardening', 'supply-chain', 'secrets', 'suppressions', 'services', 'app'].flatMap((n) => [path.join(DIFF, n, 'head'), path.join(DIFF, n, 'base')]),
    path.join(DIFF, 'hardening', 'head', 'cdk.tf.json'),
    path.join(DIFF, 'plans', 'head.json'),
  ];
  test.each(inputs)('%s', (input) => {
    const text = runCli(['--base', input, input]);
    expect([text.code, text.stderr]).toEqual([0, '']);
    expect(text.stdout).toContain('No change: nothing the review judges differs between base and head.');
    expect(text.stdout.trimEnd().split('\n').pop()).toBe('Result: PASS: no change');
    const { code, report } = diffJson(input, input, '--fail-on', 'info');
    const md = runCli(['--base', input, input, '--format', 'markdown', '--fail-on', 'info']);
    expect(md.code).toBe(0);
    const stacks = report.stacks.length === 1 ? '1 stack' : `${report.stacks.length} stacks`;
    expect(md.stdout.split('\n')).toEqual([
      '<!-- cdktf-docker-production:review-diff -->', '## Production review of this change', '',
      `:white_check_mark: **No change**: nothing the review judges differs between base and head (${stacks}).`, '',
    ]);
    expect(code).toBe(0);
    expect(report.result).toBe('pass');
    expect(report.summary).toEqual({ worse: { error: 0, warning: 0, info: 0 }, better: 0, neutral: 0, failing: 0 });
    expect(report.stacks.every((s) => s.status === 'unchanged' && s.changes.length === 0 && s.newFindings.length === 0 && s.resolvedFindings.length === 0)).toBe(true);
  });

  test('a base full of findings compared with itself still says no change (the findings are the same on both sides)', () => {
    const input = path.join(DIFF, 'hardening', 'head');
    expect(runCli([input, '--format', 'json']).code).toBe(1); // the snapshot review fails
    expect(runCli(['--base', input, input]).code).toBe(0);
  });
});

describe('--fail-on', () => {
  const base = path.join(DIFF, 'severity', 'base.json');
  const warning = path.join(DIFF, 'severity', 'warning-head.json');
  const info = path.join(DIFF, 'severity', 'info-head.json');

  test.each([
    ['a warning, default (error)', warning, [], 0],
    ['a warning, --fail-on error', warning, ['--fail-on', 'error'], 0],
    ['a warning, --fail-on warning', warning, ['--fail-on', 'warning'], 1],
    ['a warning, --fail-on info', warning, ['--fail-on', 'info'], 1],
    ['an info, --fail-on warning', info, ['--fail-on', 'warning'], 0],
    ['an info, --fail-on info', info, ['--fail-on', 'info'], 1],
    ['errors, default', path.join(DIFF, 'hardening', 'head'), [], 1],
  ] as const)('%s', (_name, head, args, expected) => {
    const b = head.includes('hardening') ? path.join(DIFF, 'hardening', 'base') : base;
    expect(runCli(['--base', b, head, ...args]).code).toBe(expected);
    const { report } = diffJson(b, head, ...args);
    expect(report.result).toBe(expected === 1 ? 'fail' : 'pass');
    expect(report.failOn).toBe(args[1] ?? 'error');
  });

  test('better changes never fail: the reverse of a bad change passes at --fail-on info', () => {
    const { code, report } = diffJson(warning, base, '--fail-on', 'info');
    expect(code).toBe(0);
    expect(lines(report)).toEqual(['info better findings docker_container.web: resolved writable-root-filesystem: read_only is not true; mount the root filesystem read-only and give writable paths a tmpfs or a volume']);
  });
});

describe('exit code 2: unreadable input or bad usage', () => {
  const dir = tempDir();
  fs.writeFileSync(path.join(dir, 'invalid.json'), '{"resource": {');
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'x', version: '1.0.0' }));
  const good = path.join(DIFF, 'severity', 'base.json');
  test.each([
    ['a missing base', ['--base', path.join(dir, 'nope'), good], /cannot read .*nope: no such file or directory/],
    ['a missing head', ['--base', good, path.join(dir, 'nope.json')], /cannot read .*nope\.json: no such file or directory/],
    ['invalid JSON as the head', ['--base', good, path.join(dir, 'invalid.json')], /invalid\.json is not valid JSON/],
    ['JSON of another kind as the base', ['--base', path.join(dir, 'package.json'), good], /neither a synthesized stack/],
    ['a folder without stacks as the base', ['--base', dir, good], /holds no synthesized stacks/],
    ['no head', ['--base', good], /missing <head> to compare with --base/],
    ['two heads', ['--base', good, good, good], /expected one <head> besides --base, got 2/],
    ['--base without a value', [good, '--base'], /argument missing/],
    ['an unknown --fail-on', ['--base', good, good, '--fail-on', 'critical'], /unknown --fail-on "critical"; use error, warning or info/],
    ['--fail-on without --base', [good, '--fail-on', 'warning'], /--fail-on needs --base <base>/],
    ['--suppressions with --base', ['--base', good, good, '--suppressions', good], /--suppressions does not go with --base/],
    ['an unknown format', ['--base', good, good, '--format', 'yaml'], /unknown --format "yaml"/],
  ])('%s', (_name, args, message) => {
    const run = runCli(args);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^cdktf-docker-review: /);
    expect(run.stderr).toMatch(message);
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  test('the review of one path is as before', () => {
    const run = runCli([good, '--format', 'json']);
    expect(run.code).toBe(0);
    expect(Object.keys(JSON.parse(run.stdout))).toEqual(['stacks']);
    expect(runCli(['--help']).stdout).toMatch(/--base <base> <head> \[--format text\|json\|markdown\] \[--fail-on error\|warning\|info\]/);
  });
});

describe('formats', () => {
  test('text: per stack a count line, each change on a line with its why on the next, then the verdict', () => {
    const [base, head] = pair('supply-chain');
    const run = runCli(['--base', base, head]);
    const out = run.stdout.split('\n');
    expect(out[0]).toBe(`Review of a change: base ${base}, head ${head}`);
    expect(out[2]).toBe('Stack supply: 8 worse (5 errors, 3 warnings, 0 info), 1 other (6 -> 6 services)');
    expect(out[3]).toBe('  ERROR    supply-chain docker_container.app: image "registry.example.com/shop/app:1.0.0" -> "registry.example.com/shop/app": from a pinned tag to a floating reference');
    expect(out[4]).toBe('                        why: what runs changes with every pull: deploys are no longer reproducible and whatever is pushed to the tag runs unreviewed');
    expect(out.filter((l) => l.startsWith('  note     '))).toEqual(['  note     supply-chain docker_container.box: image "busybox:1.36" -> "busybox:1.37"']);
    expect(out[out.length - 2]).toBe('Result: FAIL: 5 changes at or above error made it less safe (--fail-on error)');
  });

  test('json: paths, threshold, result, counts, and per stack the changes and the findings delta', () => {
    const { report } = diffJson(...pair('hardening'), '--fail-on', 'warning');
    expect(Object.keys(report)).toEqual(['base', 'head', 'failOn', 'result', 'summary', 'stacks']);
    expect(report.summary).toEqual({ worse: { error: 4, warning: 12, info: 0 }, better: 0, neutral: 0, failing: 16 });
    expect(Object.keys(report.stacks[0])).toEqual(['name', 'status', 'services', 'changes', 'newFindings', 'resolvedFindings']);
    expect(report.stacks[0].changes[0]).toEqual({
      category: 'hardening', severity: 'error', effect: 'worse', resource: 'docker_container.apparmor', service: 'apparmor',
      what: 'confinement disabled: security_opts "apparmor=unconfined" turns AppArmor off (CIS Docker Benchmark v1.6.0 5.1)',
      why: "the kernel's confinement of the container is off: an exploit in it meets no second wall",
      rule: 'confinement-disabled', constructPath: 'hardening/apparmor/Resource',
    });
  });
});

/** The Mermaid block of a Markdown report, checked line by line against the statements `renderMermaid` and the highlight write. */
function mermaidBlock(md: string): { nodes: Map<string, string>; edges: [string, string][]; classDefs: Map<string, string>; classes: Map<string, string[]> } {
  const all = md.split('\n');
  const start = all.indexOf('```mermaid');
  expect(start).toBeGreaterThan(0);
  const end = all.indexOf('```', start + 1);
  expect(end).toBeGreaterThan(start);
  const body = all.slice(start + 1, end);
  expect(body[0]).toBe('graph LR');
  const label = '"(?:[^"\\n]|#quot;)*"';
  const nodeRe = new RegExp(`^  ([a-z]\\d+)(?:\\[\\[(${label})\\]\\]|\\[(${label})\\]|\\{\\{(${label})\\}\\}|\\[\\((${label})\\)\\]|\\[/(${label})/\\]|\\(\\[(${label})\\]\\))$`);
  const edgeRe = new RegExp(`^  ([a-z]\\d+) (?:---|-->\\|${label}\\||-\\.->\\|${label}\\|) ([a-z]\\d+)$`);
  const nodes = new Map<string, string>();
  const edges: [string, string][] = [];
  const classDefs = new Map<string, string>();
  const classes = new Map<string, string[]>();
  for (const l of body.slice(1)) {
    let m: RegExpExecArray | null;
    if ((m = nodeRe.exec(l))) {
      expect(nodes.has(m[1])).toBe(false);
      nodes.set(m[1], m.slice(2).find((x) => x !== undefined) as string);
    } else if ((m = edgeRe.exec(l))) {
      edges.push([m[1], m[2]]);
    } else if ((m = /^ {2}classDef ([A-Za-z]\w*) ((?:[a-z-]+:[#\w.]+)(?:,[a-z-]+:[#\w.]+)*)$/.exec(l))) {
      classDefs.set(m[1], m[2]);
    } else if ((m = /^ {2}class ([a-z]\d+(?:,[a-z]\d+)*) ([A-Za-z]\w*)$/.exec(l))) {
      classes.set(m[2], m[1].split(','));
    } else {
      throw new Error(`not a Mermaid statement the report writes: ${JSON.stringify(l)}`);
    }
  }
  for (const [a, b] of edges) expect([nodes.has(a), nodes.has(b)]).toEqual([true, true]);
  for (const [cls, ids] of classes) {
    expect(classDefs.has(cls)).toBe(true);
    for (const id of ids) expect(nodes.has(id)).toBe(true);
  }
  return { nodes, edges, classDefs, classes };
}

describe('markdown for a pull request comment', () => {
  const md = runCli(['--base', ...pair('exposure'), '--format', 'markdown']).stdout;

  test('marker, summary line, a table of what got worse, collapsible details', () => {
    const out = md.split('\n');
    expect(out.slice(0, 4)).toEqual([
      '<!-- cdktf-docker-production:review-diff -->',
      '## Production review of this change',
      '',
      ':x: **10 worse** (5 errors, 4 warnings, 1 info), 0 better, 0 other, in 1 stack: fails at `--fail-on error`.',
    ]);
    const table = out.slice(out.indexOf('### What got worse') + 2, out.indexOf('', out.indexOf('### What got worse') + 2));
    expect(table[0]).toBe('| Severity | Stack | Category | Resource | What changed | Why it matters |');
    expect(table).toHaveLength(2 + 10);
    expect(table[2]).toBe('| **error** | `exposure` | exposure | `docker_container.admin` | port 9000/tcp moved from 10.0.0.5:9000->9000/tcp to 0.0.0.0:9000->9000/tcp | it listens on every address of the host, public ones included |');
    expect(out).toContain('<summary>Findings of the rule pack: 5 new, 0 resolved</summary>');
    expect(out.filter((l) => l === '<details>')).toHaveLength(out.filter((l) => l === '</details>').length);
  });

  test('the Mermaid topology of the head, the changed services highlighted', () => {
    const { nodes, classDefs, classes } = mermaidBlock(md);
    expect(classDefs.get('changed')).toBe('stroke:#d73a49,stroke-width:4px');
    const highlighted = (classes.get('changed') ?? []).map((id) => (nodes.get(id) ?? '').replace(/^"/, '').split('<br/>')[0]).sort();
    // Every container or service with a change; cache's network changed, not cache.
    expect(highlighted).toEqual(['admin', 'api', 'metrics', 'queue', 'tool', 'web', 'worker']);
    const unchanged = [...nodes.entries()].filter(([id]) => id.startsWith('c') && !(classes.get('changed') ?? []).includes(id)).map(([, l]) => l.replace(/^"/, '').split('<br/>')[0]);
    expect(unchanged).toEqual(['cache']);
  });

  test('a comment that passes: no table of worse changes when nothing got worse, and the marker still first', () => {
    const run = runCli(['--base', path.join(DIFF, 'severity', 'warning-head.json'), path.join(DIFF, 'severity', 'base.json'), '--format', 'markdown']);
    expect(run.code).toBe(0);
    const out = run.stdout.split('\n');
    expect(out[0]).toBe('<!-- cdktf-docker-production:review-diff -->');
    expect(out[3]).toBe(':white_check_mark: **0 worse** (0 errors, 0 warnings, 0 info), 1 better, 0 other, in 1 stack: passes at `--fail-on error`.');
    expect(out).toContain('Nothing got worse.');
    expect(out).not.toContain('### What got worse');
    mermaidBlock(run.stdout);
  });
});

describe('the CI recipe (examples/review-pr/review-pr.sh)', () => {
  /** A repository whose base commit synthesizes to one fixture and whose head to another (SYNTH copies the folder). */
  function repository(base: string, head: string): string {
    const repo = tempDir('review-pr-');
    const git = (...args: string[]) => spawnSync('git', ['-c', 'user.email=ci@example.com', '-c', 'user.name=ci', ...args], { cwd: repo, encoding: 'utf8' });
    expect(git('init', '-q').status).toBe(0);
    const commit = (from: string, message: string) => {
      fs.rmSync(path.join(repo, 'app'), { recursive: true, force: true });
      fs.cpSync(from, path.join(repo, 'app', 'synthesized'), { recursive: true });
      expect(git('add', '-A').status).toBe(0);
      expect(git('commit', '-qm', message).status).toBe(0);
    };
    commit(base, 'base');
    commit(head, 'head');
    return repo;
  }

  function recipe(repo: string, args: string[] = [], review = `${process.execPath} -r ${require.resolve('ts-node/register/transpile-only')} ${path.join(ROOT, 'lib', 'review', 'cli.ts')}`): { code: number | null; comment: string; stderr: string } {
    const comment = path.join(repo, 'review.md');
    const child = spawnSync('bash', [path.join(ROOT, 'examples', 'review-pr', 'review-pr.sh'), 'HEAD~1', comment, ...args], {
      cwd: repo,
      encoding: 'utf8',
      env: {
        ...process.env,
        APP_DIR: 'app',
        INSTALL: 'true',
        SYNTH: 'cp -r synthesized',
        REVIEW: review,
        TS_NODE_PROJECT: path.join(ROOT, 'tsconfig.json'),
      },
    });
    return { code: child.status, comment: fs.existsSync(comment) ? fs.readFileSync(comment, 'utf8') : '', stderr: child.stderr };
  }

  test('synthesizes base and head, writes the comment, exits with the review code and removes its worktree', () => {
    const repo = repository(...pair('exposure'));
    const run = recipe(repo);
    expect(run.code).toBe(1);
    expect(run.comment.split('\n')[0]).toBe('<!-- cdktf-docker-production:review-diff -->');
    expect(run.comment).toContain(':x: **10 worse** (5 errors, 4 warnings, 1 info)');
    expect(run.stderr).toContain('Result: FAIL: 5 changes at or above error made it less safe (--fail-on error)');
    const worktrees = spawnSync('git', ['worktree', 'list'], { cwd: repo, encoding: 'utf8' }).stdout.trim().split('\n');
    expect(worktrees).toHaveLength(1);
  });

  test('passes review options on: --fail-on warning fails on warnings (the suppressions pair passes at error)', () => {
    const repo = repository(...pair('suppressions'));
    const run = recipe(repo, ['--fail-on', 'warning']);
    expect(run.code).toBe(1);
    expect(run.comment).toContain('fails at `--fail-on warning`');
  });

  test('a review that does not run is not read as "less safe": exit 3', () => {
    const repo = repository(...pair('app'));
    const run = recipe(repo, [], 'false');
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('the review did not run (exit 1, no comment written)');
  });
});

describe('how it is built', () => {
  test('the diff loads no cdktf module', () => {
    const script = [
      "require('ts-node').register({ transpileOnly: true });",
      "const { main } = require('./lib/review/cli');",
      "let out = '';",
      `const code = main(['--base', ${JSON.stringify(pair('hardening')[0])}, ${JSON.stringify(pair('hardening')[1])}, '--format', 'json'], { stdout(t) { out += t; }, stderr() {} });`,
      "const keys = Object.keys(require.cache);",
      "console.log(JSON.stringify({ code, changes: JSON.parse(out).stacks[0].changes.length, loaded: keys.filter((k) => /[\\\\/]node_modules[\\\\/](cdktf|@cdktf[\\\\/]provider-docker|constructs)[\\\\/]/.test(k)), diff: keys.some((k) => k.endsWith('diff.ts')) }));",
    ].join('\n');
    const child = spawnSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8' });
    expect(child.stderr).toBe('');
    expect(JSON.parse(child.stdout)).toEqual({ code: 1, changes: 16, loaded: [], diff: true });
  });
});
