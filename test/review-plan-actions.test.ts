/**
 * What the reports say beyond the findings:
 *
 * - on a plan (`terraform show -json` with `resource_changes`), what will happen
 *   per stack: counts of created / updated / replaced / deleted resources, the
 *   containers replaced (downtime) or deleted by name, and the attributes that
 *   force each replacement, in the text, JSON and Markdown formats; nothing of
 *   it for a synthesized stack;
 * - the text format stays one line per entry: a multi-line `command` is shown
 *   once, on one line, shortened; a network given by `network_mode` shows in
 *   the networks column.
 */
import 'cdktf/lib/testing/adapters/jest';
import * as fs from 'fs';
import * as path from 'path';
import { App, Aspects, TerraformStack, Testing } from 'cdktf';
import { Container } from '@cdktf/provider-docker/lib/container';
import { Network } from '@cdktf/provider-docker/lib/network';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { PRODUCTION_REVIEW_FILE, ProductionChecks } from '../lib/production-checks';
import { attributePath, planActions } from '../lib/review/summary';
import { ReviewReport, StackReview } from '../lib/review/model';
import { SHOWN_VALUE_MAX, tidyMessage } from '../lib/review/report';
import { renderMarkdown } from '../lib/review/report-markdown';
import { renderText } from '../lib/review/report-text';
import { Build, hardened, newStack, runCli, tempDir, viaAspect, writeJson } from './fixtures/review/helpers';

const PLANS = path.join(__dirname, 'fixtures', 'review', 'plans');
/** A deployed shop: the cache's image tag moves (replace), the worker is removed (delete), a front network is added (create), the api gets more memory (update in place). */
const PLAN = path.join(PLANS, 'update-replace-delete.json');
const SYNTHESIZED = path.join(__dirname, 'fixtures', 'review', 'plan', 'cdk.tf.json');

function planDoc(): { resource_changes: Record<string, unknown>[] } & Record<string, unknown> {
  return JSON.parse(fs.readFileSync(PLAN, 'utf8'));
}

function reviewJson(target: string, ...args: string[]): { code: number; stack: StackReview; report: ReviewReport } {
  const run = runCli([target, '--format', 'json', ...args]);
  expect(run.stderr).toBe('');
  const report = JSON.parse(run.stdout) as ReviewReport;
  return { code: run.code, stack: report.stacks[0], report };
}

/** The text report's plan block: from the `Plan:` line to the blank line after it. */
function textPlanBlock(text: string): string[] {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.startsWith('Plan: '));
  if (start < 0) return [];
  const end = lines.indexOf('', start);
  return lines.slice(start, end);
}

/** The Markdown report's plan section, without its heading. */
function markdownPlanSection(md: string): string[] {
  const lines = md.split('\n');
  const start = lines.indexOf('### Plan');
  if (start < 0) return [];
  const end = lines.findIndex((l, i) => i > start && l.startsWith('### '));
  return lines.slice(start + 1, end).filter((l) => l !== '');
}

describe('a plan: what will happen', () => {
  test('text: the counts, each replacement with what forces it and the container it takes down, each deletion', () => {
    const run = runCli([PLAN]);
    expect(run.stderr).toBe('');
    expect(textPlanBlock(run.stdout)).toEqual([
      'Plan: 1 to create, 1 to update in place, 1 to replace, 1 to delete',
      '  replace docker_container.cache (container shop-cache, downtime), forced by image',
      '  delete docker_container.worker (container shop-worker)',
    ]);
    // After the service table (the containers the plan leaves), before the findings.
    const lines = run.stdout.split('\n');
    expect(lines.findIndex((l) => l.startsWith('SERVICE '))).toBeLessThan(lines.findIndex((l) => l.startsWith('Plan: ')));
    expect(lines.findIndex((l) => l.startsWith('Plan: '))).toBeLessThan(lines.findIndex((l) => l === 'Findings:' || l === 'No findings.'));
  });

  test('json: a `plan` field in the stack object', () => {
    const { stack } = reviewJson(PLAN);
    expect(Object.keys(stack)).toEqual(['name', 'services', 'findings', 'plan']);
    expect(stack.plan).toEqual({
      counts: { create: 1, update: 1, replace: 1, delete: 1 },
      replaced: [{ address: 'docker_container.cache', container: 'shop-cache', forcedBy: ['image'] }],
      deleted: [{ address: 'docker_container.worker', container: 'shop-worker' }],
    });
    // The services are what the plan leaves: the deleted worker is not among them, the replaced cache runs the new image.
    expect(stack.services.map((s) => [s.name, s.image])).toEqual([['shop-api', 'registry.example.com/shop/api:2.3.0'], ['shop-cache', 'redis:7.4.2-alpine']]);
  });

  test('markdown: a Plan section with the counts and a table of replacements and deletions', () => {
    const run = runCli([PLAN, '--format', 'markdown']);
    expect(run.stderr).toBe('');
    expect(markdownPlanSection(run.stdout)).toEqual([
      ':warning: 1 to create, 1 to update in place, 1 to replace, 1 to delete',
      '| Action | Resource | Container | Forced by |',
      '| --- | --- | --- | --- |',
      '| **replace** (downtime) | `docker_container.cache` | `shop-cache` | `image` |',
      '| **delete** | `docker_container.worker` | `shop-worker` | - |',
    ]);
    const md = run.stdout;
    expect(md.indexOf('### Plan')).toBeGreaterThan(md.indexOf('| Service | Image |'));
    expect(md.indexOf('### Plan')).toBeLessThan(md.indexOf('### Findings'));
  });

  test('replace_paths read as attribute paths; either order of delete and create is a replacement; several forcing attributes are listed', () => {
    const doc = planDoc();
    const cache = doc.resource_changes.find((rc) => rc.address === 'docker_container.cache') as { change: { actions: string[]; replace_paths: unknown[] } };
    cache.change.actions = ['create', 'delete'];
    cache.change.replace_paths = [['image'], ['ports', 0, 'external'], ['log_opts', 'max-size'], ['labels', 'app.kind']];
    const file = writeJson(doc, 'plan.json');
    const forcedBy = ['image', 'ports[0].external', 'log_opts.max-size', 'labels["app.kind"]'];
    expect(reviewJson(file).stack.plan?.replaced).toEqual([{ address: 'docker_container.cache', container: 'shop-cache', forcedBy }]);
    expect(textPlanBlock(runCli([file]).stdout)[1]).toBe(`  replace docker_container.cache (container shop-cache, downtime), forced by ${forcedBy.join(', ')}`);
    expect(markdownPlanSection(runCli([file, '-f', 'markdown']).stdout)[3])
      .toBe('| **replace** (downtime) | `docker_container.cache` | `shop-cache` | `image`, `ports[0].external`, `log_opts.max-size`, `labels["app.kind"]` |');
  });

  test('other resources, tainted and requested replacements, deposed objects; data sources and no-ops are not counted', () => {
    const doc = planDoc();
    const change = (address: string, type: string, actions: string[], extra: Record<string, unknown> = {}, name?: string) => ({
      address, mode: 'managed', type, name: address.split('.').pop(), provider_name: 'registry.terraform.io/kreuzwerker/docker',
      change: { actions, before: name ? { name } : {}, after: actions.includes('create') && name ? { name } : null, after_unknown: {}, before_sensitive: {}, after_sensitive: {} },
      ...extra,
    });
    doc.resource_changes = [
      change('data.docker_network.bridge', 'docker_network', ['read'], { mode: 'data' }),
      change('docker_container.api', 'docker_container', ['delete', 'create'], { action_reason: 'replace_because_tainted' }, 'shop-api'),
      change('docker_container.cache', 'docker_container', ['delete'], { deposed: '1a2b3c4d' }, 'shop-cache'),
      change('docker_container.web', 'docker_container', ['delete', 'create'], { action_reason: 'replace_by_request' }),
      change('docker_image.api', 'docker_image', ['delete', 'create'], { action_reason: 'replace_because_cannot_update' }),
      change('docker_network.back', 'docker_network', ['no-op']),
      change('docker_volume.data', 'docker_volume', ['delete'], { action_reason: 'delete_because_no_resource_config' }),
    ];
    (doc.resource_changes[4] as { change: Record<string, unknown> }).change.replace_paths = [['name']];
    const file = writeJson(doc, 'plan.json');
    expect(reviewJson(file).stack.plan).toEqual({
      counts: { create: 0, update: 0, replace: 3, delete: 2 },
      replaced: [
        { address: 'docker_container.api', container: 'shop-api', forcedBy: [], reason: 'tainted' },
        // No name in the change: the resource name stands in.
        { address: 'docker_container.web', container: 'web', forcedBy: [], reason: 'requested' },
        { address: 'docker_image.api', forcedBy: ['name'] },
      ],
      deleted: [
        { address: 'docker_container.cache', container: 'shop-cache', deposed: '1a2b3c4d' },
        { address: 'docker_volume.data' },
      ],
    });
    expect(textPlanBlock(runCli([file]).stdout)).toEqual([
      'Plan: 0 to create, 0 to update in place, 3 to replace, 2 to delete',
      '  replace docker_container.api (container shop-api, downtime), forced by tainted',
      '  replace docker_container.web (container web, downtime), forced by -replace requested',
      '  replace docker_image.api, forced by name',
      '  delete docker_container.cache (container shop-cache; deposed object 1a2b3c4d)',
      '  delete docker_volume.data',
    ]);
    expect(markdownPlanSection(runCli([file, '-f', 'markdown']).stdout).slice(3)).toEqual([
      '| **replace** (downtime) | `docker_container.api` | `shop-api` | tainted |',
      '| **replace** (downtime) | `docker_container.web` | `web` | -replace requested |',
      '| replace | `docker_image.api` | - | `name` |',
      '| **delete** | `docker_container.cache` (deposed object `1a2b3c4d`) | `shop-cache` | - |',
      '| delete | `docker_volume.data` | - | - |',
    ]);
  });

  test('a plan that changes nothing says so', () => {
    const doc = planDoc();
    for (const rc of doc.resource_changes) (rc.change as { actions: string[] }).actions = ['no-op'];
    const file = writeJson(doc, 'plan.json');
    expect(reviewJson(file).stack.plan).toEqual({ counts: { create: 0, update: 0, replace: 0, delete: 0 }, replaced: [], deleted: [] });
    expect(textPlanBlock(runCli([file]).stdout)).toEqual(['Plan: no changes']);
    expect(markdownPlanSection(runCli([file, '-f', 'markdown']).stdout)).toEqual(['no changes']);
  });

  test('the first plan of a stack: everything is created', () => {
    const { stack } = reviewJson(path.join(__dirname, 'fixtures', 'review', 'plan', 'plan.json'));
    expect(stack.plan).toEqual({ counts: { create: 8, update: 0, replace: 0, delete: 0 }, replaced: [], deleted: [] });
  });

  test('--suppressions keeps the plan actions', () => {
    const { stack } = reviewJson(PLAN, '--suppressions', SYNTHESIZED);
    expect(stack.plan?.counts).toEqual({ create: 1, update: 1, replace: 1, delete: 1 });
  });

  test('resource_changes of another shape: exit 2, one line naming the part', () => {
    const cases: [unknown, RegExp][] = [
      [5, /resource_changes must be a list of resource changes \(got 5\)/],
      [[7], /resource_changes\[0\] must be an object \(got 7\)/],
      [[{ address: 'docker_container.a', type: 'docker_container' }], /resource_changes\[0\]\.change must be an object \(got nothing\)/],
      [[{ address: 'docker_container.a', change: { actions: 'create' } }], /resource_changes\[0\]\.change\.actions must be a list of action names/],
      [[{ address: 'docker_container.a', change: { actions: ['delete', 'create'], replace_paths: ['image'] } }], /resource_changes\[0\]\.change\.replace_paths must be a list of attribute paths/],
      [[{ change: { actions: ['create'] } }], /resource_changes\[0\]\.address must be a string/],
    ];
    for (const [changes, message] of cases) {
      const doc = { ...planDoc(), resource_changes: changes };
      const run = runCli([writeJson(doc, 'plan.json'), '--format', 'json']);
      expect({ code: run.code, stdout: run.stdout }).toEqual({ code: 2, stdout: '' });
      expect(run.stderr).toMatch(message);
      expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    }
  });
});

describe('no plan, no plan actions', () => {
  const checkAll = (target: string) => {
    const { stack } = reviewJson(target);
    expect(stack).not.toHaveProperty('plan');
    expect(runCli([target]).stdout).not.toMatch(/^Plan: /m);
    expect(runCli([target, '--format', 'markdown']).stdout).not.toContain('### Plan');
  };

  test('a synthesized cdk.tf.json', () => checkAll(SYNTHESIZED));

  test('a cdktf.out folder', () => checkAll(Testing.fullSynth(newStack((s) => {
    new Container(s, 'c', hardened());
  }))));

  test('a state (`terraform show -json` of the state: values, no resource_changes)', () => {
    const doc = planDoc();
    doc.values = doc.planned_values;
    delete doc.planned_values;
    delete (doc as Record<string, unknown>).resource_changes;
    checkAll(writeJson(doc, 'state.json'));
  });

  test('the Aspect, and the production-review.json it writes', () => {
    expect(viaAspect((s) => {
      new Container(s, 'c', hardened());
    }).review).not.toHaveProperty('plan');
    const outdir = tempDir();
    const app = new App({ outdir });
    const stack = new TerraformStack(app, 'stack');
    new DockerProvider(stack, 'docker', {});
    new Container(stack, 'c', hardened());
    Aspects.of(stack).add(new ProductionChecks());
    app.synth();
    const written = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', 'stack', PRODUCTION_REVIEW_FILE), 'utf8')) as ReviewReport;
    expect(written.stacks[0]).not.toHaveProperty('plan');
  });
});

describe('planActions and attributePath (the engine, directly)', () => {
  test('attribute paths', () => {
    expect(attributePath(['image'])).toBe('image');
    expect(attributePath(['ports', 0, 'external'])).toBe('ports[0].external');
    expect(attributePath(['networks_advanced', 1, 'aliases'])).toBe('networks_advanced[1].aliases');
    expect(attributePath(['build', 0, 'build_args', 'GIT SHA'])).toBe('build[0].build_args["GIT SHA"]');
    expect(attributePath([])).toBe('');
  });

  test('5,000 replaced containers are summarised in linear time', () => {
    const changes = Array.from({ length: 5000 }, (_, i) => ({
      address: `docker_container.c${String(i).padStart(4, '0')}`, type: 'docker_container', actions: ['delete', 'create'], replacePaths: [['image']], name: `c${i}`,
    }));
    const started = process.hrtime.bigint();
    const plan = planActions(changes);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    expect(plan.counts.replace).toBe(5000);
    expect(plan.replaced[4999]).toEqual({ address: 'docker_container.c4999', container: 'c4999', forcedBy: ['image'] });
    expect(ms).toBeLessThan(500);
  });
});

describe('text format: one line per entry', () => {
  const SCRIPT = 'echo starting\nsleep 5 &\nexec /app/server --port 8080';

  function textOf(build: Build): string {
    const run = runCli([Testing.fullSynth(newStack(build))]);
    expect(run.stderr).toBe('');
    return run.stdout;
  }

  function rowOf(text: string, name: string): string[] | undefined {
    return text.split('\n').find((l) => l.startsWith(`${name} `))?.split(/\s{2,}/);
  }

  test('a multi-line command: its finding is one line, the script shown once, the table intact', () => {
    const text = textOf((s) => {
      new Container(s, 'job', hardened({ name: 'job', command: ['/bin/sh', '-c', SCRIPT] }));
    });
    const lines = text.split('\n');
    expect(lines.filter((l) => l.includes('docker_container.job: command'))).toEqual([
      '  docker_container.job: command ["/bin/sh","-c","echo starting\\nsleep 5 &\\nexec /app/server --port 8080"] backgrounds a process with `&`; run one service per container and let Docker supervise it [stack/job]',
    ]);
    // No line of the report starts inside the script, and the script is shown once.
    expect(lines.filter((l) => /^(sleep|exec) /.test(l))).toEqual([]);
    expect(text.split('sleep 5 &').length - 1).toBe(1);
    // The service table: a header, a rule, one row per service, all as wide as the header's columns.
    const header = lines.findIndex((l) => l.startsWith('SERVICE '));
    expect(lines[header + 3]).toBe('');
    expect(rowOf(text, 'job')).toEqual(['job', 'registry.example.com/team/app:1.2.3', '-', 'app', '-', 'unless-stopped', '256 MiB', 'yes']);
  });

  test('a long script is shortened; the JSON report keeps the message whole', () => {
    const long = `${Array.from({ length: 40 }, (_, i) => `echo step ${i}`).join('\n')}\nworker &\nwait`;
    const build: Build = (s) => {
      new Container(s, 'job', hardened({ name: 'job', command: ['/bin/sh', '-c', long] }));
    };
    const line = textOf(build).split('\n').find((l) => l.includes('docker_container.job: command')) as string;
    expect(line).toContain(JSON.stringify(`${long.slice(0, SHOWN_VALUE_MAX - 1)}…`));
    expect(line.length).toBeLessThan(250);
    expect(line).not.toContain('step 39');
    const json = JSON.parse(runCli([Testing.fullSynth(newStack(build)), '--format', 'json']).stdout) as ReviewReport;
    const message = json.stacks[0].findings.find((f) => f.rule === 'multiple-processes')?.message;
    expect(message).toContain(JSON.stringify(['/bin/sh', '-c', long]));
    expect(message).toContain(`\`${long}\``);
  });

  test('markdown: the same one-line, shortened message in the findings table', () => {
    const md = runCli([Testing.fullSynth(newStack((s) => {
      new Container(s, 'job', hardened({ name: 'job', command: ['/bin/sh', '-c', SCRIPT] }));
    })), '--format', 'markdown']).stdout;
    const row = md.split('\n').find((l) => l.includes('`multiple-processes`')) as string;
    expect(row).toContain('command ["/bin/sh","-c","echo starting\\\\nsleep 5 &\\\\nexec /app/server --port 8080"] backgrounds a process with `&`; run one service');
    expect(row.split('sleep 5 &').length - 1).toBe(1);
  });

  test('tidyMessage: a supervisor started from a shell; a message without line breaks or long values is left as is', () => {
    expect(tidyMessage('command ["/bin/sh","-c","cron\\nexec app"] runs cron from a shell (`cron\nexec app`); run one service per container'))
      .toBe('command ["/bin/sh","-c","cron\\nexec app"] runs cron from a shell; run one service per container');
    const plain = 'restart is "no"; use "unless-stopped" (`docker_container.api`)';
    expect(tidyMessage(plain)).toBe(plain);
    expect(tidyMessage('a value\nacross lines')).toBe('a value\\nacross lines');
    expect(tidyMessage(`image "${'x'.repeat(100)}" is long`)).toBe(`image "${'x'.repeat(SHOWN_VALUE_MAX - 1)}…" is long`);
  });

  test('a line break in a value or a suppression reason does not break the table or the finding line', () => {
    const report: ReviewReport = {
      stacks: [{
        name: 'odd',
        services: [{ address: 'docker_container.a', name: 'a', image: 'busybox:1.36', ports: [], networks: ['one\ntwo'], volumes: [], dependsOn: [] }],
        findings: [{ rule: 'no-memory-limit', severity: 'warning' as never, resource: 'docker_container.a', message: 'memory is not set', source: 'CIS', suppressed: true, suppressionReason: 'a batch job,\nbounded by its input' }],
      }],
    };
    const text = renderText(report);
    expect(text.split('\n').find((l) => l.startsWith('a '))?.split(/\s{2,}/)).toEqual(['a', 'busybox:1.36', '-', 'one\\ntwo', '-', 'no', 'unlimited', 'no']);
    expect(text).toContain('  docker_container.a: memory is not set (suppressed: a batch job,\\nbounded by its input)\n');
    expect(renderMarkdown(report)).toContain('suppressed warning (a batch job,\\\\nbounded by its input)');
  });

  describe('network_mode in the networks column', () => {
    const text = textOf((s) => {
      const shop = new Network(s, 'shop', { name: 'shop-net' });
      const db = new Container(s, 'db', hardened({ name: 'db' }));
      new Container(s, 'sidecar', hardened({ name: 'sidecar', networksAdvanced: undefined, networkMode: 'container:other' }));
      new Container(s, 'sidecar_ref', hardened({ name: 'sidecar-ref', networksAdvanced: undefined, networkMode: `container:${db.name}` }));
      new Container(s, 'user_net', hardened({ name: 'user-net', networksAdvanced: undefined, networkMode: 'shop-net' }));
      new Container(s, 'user_net_ref', hardened({ name: 'user-net-ref', networksAdvanced: undefined, networkMode: shop.name }));
      new Container(s, 'host_and_net', hardened({ name: 'host-and-net', networkMode: 'host' }));
      new Container(s, 'host_only', hardened({ name: 'host-only', networksAdvanced: undefined, networkMode: 'host' }));
      new Container(s, 'bridge', hardened({ name: 'bridge', networksAdvanced: undefined }));
      new Container(s, 'both', hardened({ name: 'both', networkMode: 'shop-net', networksAdvanced: [{ name: 'shop-net' }, { name: 'app' }] }));
    });

    test.each([
      ['sidecar', '(container:other)'],
      ['sidecar-ref', '(container:db)'],
      ['user-net', 'shop-net'],
      ['user-net-ref', 'shop-net'],
      ['host-and-net', '(host), app'],
      ['host-only', '(host)'],
      ['bridge', '(default bridge)'],
      ['both', 'shop-net, app'],
    ])('%s: %s', (name, networks) => {
      expect(rowOf(text, name)?.[3]).toBe(networks);
    });

    test('the Markdown table and the Mermaid diagram show it too', () => {
      const outdir = Testing.fullSynth(newStack((s) => {
        new Container(s, 'host_and_net', hardened({ name: 'host-and-net', networkMode: 'host' }));
        new Container(s, 'user_net', hardened({ name: 'user-net', networksAdvanced: undefined, networkMode: 'app' }));
      }));
      const md = runCli([outdir, '--format', 'markdown']).stdout;
      expect(md).toContain('| `host-and-net` | `registry.example.com/team/app:1.2.3` | - | (host), app |');
      expect(md).toContain('| `user-net` | `registry.example.com/team/app:1.2.3` | - | app |');
      const mermaid = md.slice(md.indexOf('```mermaid'));
      const id = (pattern: RegExp) => (mermaid.split('\n').map((l) => l.trim()).find((l) => pattern.test(l)) ?? '').split(/[[({]/)[0];
      const [hostAndNet, userNet, app, host] = [/^c\d+\["host-and-net/, /^c\d+\["user-net/, /^n\d+\{\{"network app"\}\}$/, /^n\d+\{\{"network_mode host"\}\}$/].map(id);
      for (const node of [hostAndNet, userNet, app, host]) expect(node).toMatch(/^[cn]\d+$/);
      expect(mermaid).toContain(`${hostAndNet} --- ${host}`);
      expect(mermaid).toContain(`${hostAndNet} --- ${app}`);
      expect(mermaid).toContain(`${userNet} --- ${app}`);
    });

    test('json: network_mode read as the referenced resource\'s name', () => {
      const outdir = Testing.fullSynth(newStack((s) => {
        const shop = new Network(s, 'shop', { name: 'shop-net' });
        new Container(s, 'user_net_ref', hardened({ name: 'user-net-ref', networksAdvanced: undefined, networkMode: shop.name }));
      }));
      const service = (JSON.parse(runCli([outdir, '--format', 'json']).stdout) as ReviewReport).stacks[0].services[0];
      expect({ networkMode: service.networkMode, networks: service.networks }).toEqual({ networkMode: 'shop-net', networks: [] });
    });
  });
});
