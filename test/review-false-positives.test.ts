/**
 * Findings the review must not raise, through both front ends (the
 * ProductionChecks Aspect and the review command on the synthesized stack):
 *
 * - `no-restart-policy` on a container Docker removes when it exits (`rm = true`:
 *   the daemon refuses a restart policy there, "can't create 'AutoRemove'
 *   container with restart policy") or one that runs to completion
 *   (`must_run = false`, `start = false`, `attach = true`);
 * - `no-health-check` on a container that runs to completion.
 *
 * The long-running case is still flagged, and so is a lifecycle attribute the
 * review cannot read (a variable).
 */
import 'cdktf/lib/testing/adapters/jest';
import * as fs from 'fs';
import * as path from 'path';
import { TerraformVariable } from 'cdktf';
import { Container, ContainerConfig } from '@cdktf/provider-docker/lib/container';
import { Build, hardened, runCli, viaAspect, viaCli, writeJson } from './fixtures/review/helpers';

const C = 'docker_container.c';

/** A container that passes every rule but what `overrides` changes. */
const container = (overrides: Partial<ContainerConfig>): Build => (stack) => {
  new Container(stack, 'c', hardened(overrides));
};

/** The rule's findings on the container, from the Aspect and from the command; both must agree. */
function findingsOf(rule: string, build: Build): { aspect: string[]; cli: string[]; warnings: string[] } {
  const aspect = viaAspect(build);
  const cli = viaCli(build);
  expect(cli.stderr).toBe('');
  return {
    aspect: aspect.review.findings.filter((f) => f.rule === rule && f.resource === C).map((f) => f.message),
    cli: cli.findings.filter((f) => f.rule === rule && f.resource === C).map((f) => f.message),
    warnings: aspect.warnings.filter((w) => w.includes(`[${rule}]`)),
  };
}

function expectClean(rule: string, build: Build): void {
  expect(findingsOf(rule, build)).toEqual({ aspect: [], cli: [], warnings: [] });
}

function expectFlagged(rule: string, build: Build, message: RegExp): void {
  const found = findingsOf(rule, build);
  expect(found.aspect).toEqual([expect.stringMatching(message)]);
  expect(found.cli).toEqual(found.aspect);
  expect(found.warnings).toHaveLength(1);
}

const RUN_TO_COMPLETION: [string, Partial<ContainerConfig>][] = [
  ['must_run = false (Terraform accepts it stopped)', { mustRun: false }],
  ['start = false (only created)', { start: false }],
  ['attach = true (Terraform waits for it to exit)', { attach: true }],
];

describe('no-restart-policy', () => {
  test('still flags a long-running container without a restart policy', () => {
    expectFlagged('no-restart-policy', container({ restart: undefined }), /^restart is not set; use "unless-stopped"/);
    expectFlagged('no-restart-policy', container({ restart: 'no', mustRun: true, start: true, attach: false, rm: false }), /^restart is "no"/);
  });

  test('rm = true: not flagged (the daemon refuses a restart policy on an auto-removed container)', () => {
    expectClean('no-restart-policy', container({ restart: undefined, rm: true }));
    expectClean('no-restart-policy', container({ restart: 'no', rm: true }));
  });

  test.each(RUN_TO_COMPLETION)('%s: not flagged', (_name, overrides) => {
    expectClean('no-restart-policy', container({ restart: undefined, ...overrides }));
  });

  test('a lifecycle attribute from a variable is not known to be run-to-completion: flagged', () => {
    expectFlagged('no-restart-policy', (stack) => {
      const mustRun = new TerraformVariable(stack, 'must_run', { type: 'bool', default: false });
      new Container(stack, 'c', hardened({ restart: undefined, mustRun: mustRun.booleanValue }));
    }, /^restart is not set/);
  });
});

describe('no-health-check', () => {
  test('still flags a long-running container without a health check', () => {
    expectFlagged('no-health-check', container({ healthcheck: undefined }), /^no healthcheck block/);
    expectFlagged('no-health-check', container({ healthcheck: { test: ['NONE'] }, mustRun: true, start: true, attach: false }), /^healthcheck\.test is NONE/);
  });

  test.each(RUN_TO_COMPLETION)('%s: not flagged', (_name, overrides) => {
    expectClean('no-health-check', container({ healthcheck: undefined, ...overrides }));
  });

  test('rm = true alone is no reason: an auto-removed service still needs its health check', () => {
    expectFlagged('no-health-check', container({ healthcheck: undefined, rm: true }), /^no healthcheck block/);
  });
});

test('a one-shot job (must_run = false, rm = true, no restart, no health check) raises neither rule in either front end', () => {
  const build = container({ name: 'migrate', restart: undefined, healthcheck: undefined, mustRun: false, rm: true, command: ['/app/migrate', '--up'] });
  const ours = (f: { rule: string }) => f.rule === 'no-restart-policy' || f.rule === 'no-health-check';
  const aspect = viaAspect(build);
  const cli = viaCli(build);
  expect(aspect.review.findings.filter(ours)).toEqual([]);
  expect(aspect.warnings.filter((w) => /\[no-(restart-policy|health-check)\]/.test(w))).toEqual([]);
  expect(cli.findings.filter(ours)).toEqual([]);
});

test('in a plan from `terraform show -json`: the planned must_run / start / attach / rm values count the same', () => {
  const doc = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'review', 'plan', 'plan.json'), 'utf8'));
  const legacy = doc.planned_values.root_module.resources.find((r: { address: string }) => r.address === 'docker_container.legacy');
  const rulesOn = (values: Record<string, unknown>): string[] => {
    Object.assign(legacy.values, { must_run: true, start: true, attach: false, rm: false }, values);
    const run = runCli([writeJson(doc, 'plan.json'), '--format', 'json']);
    return (JSON.parse(run.stdout).stacks[0].findings as { rule: string; resource: string }[])
      .filter((f) => f.resource === 'docker_container.legacy' && (f.rule === 'no-restart-policy' || f.rule === 'no-health-check'))
      .map((f) => f.rule);
  };
  // The plan writes every lifecycle attribute, with its default: the long-running case.
  expect(rulesOn({})).toEqual(['no-restart-policy', 'no-health-check']);
  expect(rulesOn({ rm: true })).toEqual(['no-health-check']);
  expect(rulesOn({ must_run: false })).toEqual([]);
  expect(rulesOn({ start: false })).toEqual([]);
  expect(rulesOn({ attach: true })).toEqual([]);
});
