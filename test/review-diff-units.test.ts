/**
 * The review of a change, from the engine side (`diffStacks` on stacks built
 * here): how resources are matched, what "public" and "reaches a public
 * network" mean, secrets without the variables' declarations, the Markdown
 * limits, and that the diff stays linear in the number of services.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ChangeSeverity, diffStacks } from '../lib/review/diff';
import { sameValue } from '../lib/review/diff-match';
import { loadStacks } from '../lib/review/load';
import { highlightedTopology, MARKDOWN_MAX_ROWS, renderDiffMarkdown } from '../lib/review/diff-report';
import { ResourceShape, StackInput, StackReview } from '../lib/review/model';
import { renderMermaid } from '../lib/review/report-markdown';

const HARDENED = {
  image: 'registry.example.com/team/app:1.2.3',
  restart: 'unless-stopped',
  capabilities: { drop: ['ALL'] },
  security_opts: ['no-new-privileges:true'],
  read_only: true,
  memory: 256,
  memory_swap: 256,
  log_driver: 'json-file',
  log_opts: { 'max-size': '10m', 'max-file': '3' },
  healthcheck: { test: ['CMD', '/app/healthcheck'] },
  user: '1000:1000',
};

function container(id: string, values: Record<string, unknown> = {}, constructPath: string | undefined = `app/${id}/Resource`, address = `docker_container.${id}`): ResourceShape {
  return { address, type: 'docker_container', name: address.split('.').pop() as string, values: { name: id, ...HARDENED, networks_advanced: [{ name: 'internal' }], ...values }, constructPath, suppressions: [] };
}

function network(name: string, internal: boolean): ResourceShape {
  return { address: `docker_network.${name}`, type: 'docker_network', name, values: { name, internal }, constructPath: `app/${name}/Resource`, suppressions: [] };
}

const stack = (...resources: ResourceShape[]): StackInput => ({ name: 'app', resources });

describe('matching resources', () => {
  test('by construct path first: a new address under the same path is one resource', () => {
    const { diff } = diffStacks([stack(container('web', {}, 'app/web/Resource', 'docker_container.web_1'))], [stack(container('web', {}, 'app/web/Resource', 'docker_container.web_2'))]);
    expect(diff.stacks[0].changes.map((c) => [c.category, c.resource, c.baseResource])).toEqual([['services', 'docker_container.web_2', 'docker_container.web_1']]);
  });

  test('by address where one side has no construct path (a plan against a synthesized stack)', () => {
    const { diff } = diffStacks([stack(container('web', {}, 'app/web/Resource'))], [stack(container('web', { read_only: false }, undefined))]);
    expect(diff.stacks[0].changes.map((c) => c.what)).toEqual(['read_only turned off (was true)']);
  });

  test('not by address where both have construct paths and they differ', () => {
    const { diff } = diffStacks([stack(network('internal', true), container('web', {}, 'app/web/Resource'))], [stack(network('internal', true), container('web', {}, 'app/other/Resource'))]);
    expect(diff.stacks[0].changes.map((c) => c.what)).toEqual(['container web added (image registry.example.com/team/app:1.2.3)', 'container web removed']);
  });

  test('a path match wins over an address match: the address a rename frees is not taken by another resource', () => {
    // Head: web moved to address b; a new resource a (another construct) took web's old address.
    const base = stack(container('web', {}, 'app/web/Resource', 'docker_container.a'));
    const head = stack(container('web', {}, 'app/web/Resource', 'docker_container.b'), container('fresh', {}, 'app/fresh/Resource', 'docker_container.a'));
    const changes = diffStacks([base], [head]).diff.stacks[0].changes.filter((c) => c.category === 'services');
    expect(changes.map((c) => c.what)).toEqual([
      'container fresh added (image registry.example.com/team/app:1.2.3)',
      'address changed from docker_container.a to docker_container.b (same construct path app/web/Resource)',
    ]);
  });
});

describe('public networks', () => {
  test('a network reaches a public one through a container on both; joining it is a warning for a container that reached none', () => {
    const base = stack(
      network('internal', true), network('inner', true), network('front', false),
      container('gateway', { networks_advanced: [{ name: 'inner' }, { name: 'front' }] }),
      container('db', { networks_advanced: [{ name: 'internal' }] }),
    );
    const head = stack(
      network('internal', true), network('inner', true), network('front', false),
      container('gateway', { networks_advanced: [{ name: 'inner' }, { name: 'front' }] }),
      container('db', { networks_advanced: [{ name: 'internal' }, { name: 'inner' }] }),
    );
    const [change] = diffStacks([base], [head]).diff.stacks[0].changes;
    expect(change).toMatchObject({
      category: 'exposure', severity: 'warning', effect: 'worse', resource: 'docker_container.db',
      what: 'joins network inner, which reaches public network front through gateway',
      why: 'it was on no public network: whoever takes gateway from the public side reaches it',
    });
  });

  test('joining another public network when already on one is info; a network the stack does not declare counts as public; so does the default bridge', () => {
    const base = stack(network('front', false), container('web', { networks_advanced: [{ name: 'front' }] }), container('box', { networks_advanced: [{ name: 'internal' }] }), network('internal', true));
    const head = stack(network('front', false), container('web', { networks_advanced: [{ name: 'front' }, { name: 'elsewhere' }] }), container('box', { networks_advanced: undefined }), network('internal', true));
    expect(diffStacks([base], [head]).diff.stacks[0].changes.map((c) => `${c.severity} ${c.resource}: ${c.what}`)).toEqual([
      "warning docker_container.box: joins Docker's default bridge, which is public (Docker's default bridge, not internal)",
      'info docker_container.web: joins network elsewhere, which is public (not declared here, so not known to be internal)',
    ]);
  });

  test('a port on loopback does not make a network public', () => {
    const base = stack(network('internal', true), container('a'), container('b', { networks_advanced: [{ name: 'other' }] }), network('other', true));
    const head = stack(network('internal', true), container('a', { ports: [{ internal: 80, external: 8080, ip: '127.0.0.1' }] }), container('b', { networks_advanced: [{ name: 'other' }, { name: 'internal' }] }), network('other', true));
    expect(diffStacks([base], [head]).diff.stacks[0].changes.map((c) => c.what)).toEqual(['port 80/tcp newly published: 127.0.0.1:8080->80/tcp']);
  });
});

describe('secrets without the variable declarations', () => {
  const env = (values: string[]) => stack(network('internal', true), container('api', { env: values }));
  const base = env(['DATABASE_URL=${var.database_url}', 'DB_PASSWORD=${var.db_password}']);
  const head = env(['DATABASE_URL=postgres://u:p@db/app', 'DB_PASSWORD=a-literal-password']);

  test('judged by the name: an error for a secret-looking name, a warning otherwise', () => {
    const changes = diffStacks([base], [head]).diff.stacks[0].changes;
    expect(changes.map((c) => `${c.severity} ${c.what}`)).toEqual([
      'error env DB_PASSWORD moved from ${var.db_password} (a variable) to a literal value',
      'warning env DATABASE_URL moved from ${var.database_url} (a variable) to a literal value',
    ]);
  });

  test('a sensitive declaration makes it an error', () => {
    const asked: string[] = [];
    const changes = diffStacks([base], [head], { sensitive: (s, v) => (asked.push(`${s}.${v}`), v === 'database_url') }).diff.stacks[0].changes;
    expect(changes.map((c) => c.severity)).toEqual([ChangeSeverity.ERROR, ChangeSeverity.ERROR]);
    expect(asked.sort()).toEqual(['app.database_url', 'app.db_password']);
  });
});

describe('markdown limits', () => {
  test('a table holds at most MARKDOWN_MAX_ROWS rows and says how many more the JSON lists', () => {
    const n = MARKDOWN_MAX_ROWS + 60; // 2 edges each: above the 500 Mermaid draws
    const base = stack(network('internal', true), ...Array.from({ length: n }, (_, i) => container(`s${i}`)));
    const head = stack(network('internal', true), ...Array.from({ length: n }, (_, i) => container(`s${i}`, { ports: [{ internal: 80, external: 10000 + i }] })));
    const result = diffStacks([base], [head]);
    expect(result.diff.stacks[0].changes).toHaveLength(n);
    const md = renderDiffMarkdown(result, { base: 'b', head: 'h', failOn: ChangeSeverity.ERROR }).split('\n');
    const start = md.indexOf('### What got worse') + 4;
    expect(md.slice(start).findIndex((l) => !l.startsWith('| '))).toBe(MARKDOWN_MAX_ROWS);
    expect(md).toContain('_… and 60 more; `--format json` lists them all._');
    // Too many edges for Mermaid: the note instead of the diagram.
    expect(md.join('\n')).toContain('_Topology diagram omitted:');
  });

  test('the highlight leaves the note of an omitted diagram alone', () => {
    const services = Array.from({ length: 600 }, (_, i) => ({ address: `docker_container.c${i}`, name: `c${i}`, image: 'x:1', ports: [], networks: [], volumes: [], dependsOn: [] }));
    const review: StackReview = { name: 'big', services, findings: [] };
    expect(highlightedTopology(review, new Set(['docker_container.c1']))).toEqual(renderMermaid(review));
    expect(renderMermaid(review)[0]).toMatch(/^_Topology diagram omitted: 600 edges/);
  });
});

describe('linear in the number of services', () => {
  /** The fastest of three diffs of N services, 1 in 100 of them changed. */
  function fastest(n: number): number {
    const make = (changed: boolean) => stack(network('internal', true), ...Array.from({ length: n }, (_, i) => container(`s${i}`, changed && i % 100 === 0 ? { ports: [{ internal: 80, external: 10000 + i }] } : {})));
    const base = make(false);
    const head = make(true);
    let best = Infinity;
    for (let r = 0; r < 3; r++) {
      const t0 = process.hrtime.bigint();
      const { diff } = diffStacks([base], [head]);
      best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e6);
      expect(diff.stacks[0].changes).toHaveLength(n / 100);
    }
    return best;
  }

  test('4x the services take well under 16x the time (quadratic); linear is 4x', () => {
    fastest(500); // warm up
    const small = fastest(1000);
    const large = fastest(4000);
    expect(large / small).toBeLessThan(10);
  });
});

describe('the head\'s review stands for the base\'s where the change leaves a container alone', () => {
  const DIFF = path.join(__dirname, 'fixtures', 'review', 'diff');
  const pairs: [string, string, string, boolean][] = [
    ['exposure', 'exposure/base', 'exposure/head', false], // a network changed: everything is reviewed
    ['hardening', 'hardening/base', 'hardening/head', false], // every container changed
    ['supply-chain', 'supply-chain/base', 'supply-chain/head', false],
    ['secrets', 'secrets/base', 'secrets/head', false],
    ['suppressions', 'suppressions/base', 'suppressions/head', false], // every container changed
    ['services', 'services/base', 'services/head', false], // web's address changed: reviewed
    ['app', 'app/base', 'app/head', true], // platform is left alone
    ['plans', 'plans/base.json', 'plans/head.json', false],
    ['severity', 'severity/base.json', 'severity/warning-head.json', false],
    ['identical', 'hardening/head', 'hardening/head', true],
  ];
  test.each(pairs)('%s: the same diff either way', (_name, base, head, reuses) => {
    const b = loadStacks(path.join(DIFF, base));
    const h = loadStacks(path.join(DIFF, head));
    const fast = diffStacks(b, h);
    const full = diffStacks(b, h, { reuse: false });
    expect(fast.diff).toEqual(full.diff);
    expect(fast.head).toEqual(full.head);
    expect(full.reused).toBe(0);
    expect(fast.reused > 0).toBe(reuses);
  });

  test('on stacks built here: containers changed, added, removed, renamed; one in another\'s network namespace and what it references are reviewed', () => {
    const base = stack(network('internal', true), network('front', false),
      ...Array.from({ length: 40 }, (_, i) => container(`s${i}`, i % 4 === 0 ? { ports: [{ internal: 80, external: 9000 + i, ip: '127.0.0.1' }] } : {})),
      container('sidecar', { network_mode: 'container:${docker_container.s1.id}', networks_advanced: undefined }),
      container('gone'));
    const head = stack(network('internal', true), network('front', false),
      ...Array.from({ length: 40 }, (_, i) => container(`s${i}`, i % 8 === 0 ? { ports: [{ internal: 80, external: 9000 + i }] } : i % 4 === 0 ? { ports: [{ internal: 80, external: 9000 + i, ip: '127.0.0.1' }] } : i === 3 ? { networks_advanced: [{ name: 'internal' }, { name: 'front' }] } : {}, i === 5 ? 'app/s5/Resource' : `app/s${i}/Resource`, i === 5 ? 'docker_container.s5_renamed' : `docker_container.s${i}`)),
      container('sidecar', { network_mode: 'container:${docker_container.s1.id}', networks_advanced: undefined }),
      container('new'));
    const fast = diffStacks([base], [head]);
    const full = diffStacks([base], [head], { reuse: false });
    expect(fast.diff).toEqual(full.diff);
    // 40 - 5 with new ports (0, 8, ..., 32) - s3 (joins front) - s5 (renamed) - s1 (the sidecar, always reviewed, references it) = 32.
    expect(fast.reused).toBe(32);
    expect(full.diff.stacks[0].changes.filter((c) => c.effect === 'worse' && c.severity === 'error').map((c) => c.resource)).toEqual(
      ['docker_container.s0', 'docker_container.s16', 'docker_container.s24', 'docker_container.s32', 'docker_container.s8'],
    );
  });

  test('a built image with a relative context is another Dockerfile on each side: its containers are reviewed', () => {
    const side = (user: string) => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'diff-context-'));
      fs.mkdirSync(path.join(dir, 'ctx'));
      fs.writeFileSync(path.join(dir, 'ctx', 'Dockerfile'), `FROM alpine:3.20\nUSER ${user}\n`);
      const image: ResourceShape = { address: 'docker_image.app', type: 'docker_image', name: 'app', values: { name: 'team/app:1.0.0', build: { context: './ctx' } }, constructPath: 'app/image/Resource', suppressions: [] };
      const web = container('web', { image: '${docker_image.app.image_id}', user: undefined });
      return { ...stack(network('internal', true), image, web), baseDir: dir };
    };
    const base = side('root');
    const head = side('1000');
    const fast = diffStacks([base], [head]);
    expect(fast.reused).toBe(0);
    expect(fast.diff).toEqual(diffStacks([base], [head], { reuse: false }).diff);
    expect(fast.diff.stacks[0].resolvedFindings.map((f) => `${f.resource} ${f.rule}`)).toEqual(['docker_container.web user-not-set']);
  });

  test('a container naming its image literally is reviewed when the stack\'s images change (image-referenced-by-name looks them up by name)', () => {
    const image = (name: string): ResourceShape => ({ address: 'docker_image.app', type: 'docker_image', name: 'app', values: { name, keep_locally: true }, constructPath: 'app/image/Resource', suppressions: [] });
    const base = stack(network('internal', true), image('team/app:1.2.3'), container('web', { image: 'team/app:1.2.3' }), container('other'));
    const head = stack(network('internal', true), image('team/app:1.2.4'), container('web', { image: 'team/app:1.2.3' }), container('other'));
    const fast = diffStacks([base], [head]);
    expect(fast.reused).toBe(0); // other names its image literally too
    expect(fast.diff).toEqual(diffStacks([base], [head], { reuse: false }).diff);
    expect(fast.diff.stacks[0].resolvedFindings.map((f) => `${f.resource} ${f.rule}`)).toEqual(['docker_container.web image-referenced-by-name']);
  });

  test('sameValue: JSON equality (key order aside)', () => {
    expect(sameValue({ a: [1, { b: 'x' }], c: null }, { c: null, a: [1, { b: 'x' }] })).toBe(true);
    expect(sameValue({ a: [1, 2] }, { a: [2, 1] })).toBe(false);
    expect(sameValue({ a: 1 }, { a: 1, b: undefined })).toBe(false);
    expect(sameValue({ a: {} }, { a: [] })).toBe(false);
    expect(sameValue([], {})).toBe(false);
    expect(sameValue('1', 1)).toBe(false);
  });
});
