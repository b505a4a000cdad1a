/**
 * A regression corpus for the review: small Terraform JSON stacks and
 * `terraform show -json` plans under test/fixtures/review/corpus/, written
 * after the shapes of the kreuzwerker/docker provider's documentation examples
 * (docker_container, docker_image, docker_network, docker_volume,
 * docker_registry_image, docker_tag, docker_plugin, docker_secret,
 * docker_config, docker_service, the provider's ssh and registry settings) and
 * of the cdktf Docker tutorial app (nginx image, container publishing 80 on
 * 8000), each re-expressed with its own names and values.
 *
 * expected.json maps a case name to the sorted findings it must produce, as
 * "<rule-id> <terraform address>" (" (suppressed)" appended for a suppressed
 * finding; a rule reported twice on one resource, for two offending values,
 * is listed twice); a plan case maps to { findings, plan: { counts } }. The
 * check is exact: a new false positive or a lost finding fails.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Finding, ReviewReport } from '../lib/review/model';
import { RULES } from '../lib/review/rules/index';
import { runCli } from './fixtures/review/helpers';

const CORPUS = path.join(__dirname, 'fixtures', 'review', 'corpus');

type Expectation = string[] | { findings: string[]; plan?: { counts: Record<string, number> } };

const EXPECTED = JSON.parse(fs.readFileSync(path.join(CORPUS, 'expected.json'), 'utf8')) as Record<string, Expectation>;
const findingsOf = (e: Expectation): string[] => (Array.isArray(e) ? e : e.findings);

const label = (f: Finding): string => `${f.rule} ${f.resource}${f.suppressed ? ' (suppressed)' : ''}`;

function review(name: string): { code: number; report: ReviewReport } {
  const run = runCli([path.join(CORPUS, `${name}.json`), '--format', 'json']);
  expect(run.stderr).toBe('');
  return { code: run.code, report: JSON.parse(run.stdout) as ReviewReport };
}

describe('the corpus', () => {
  test('every case file has an expectation and every expectation a case file', () => {
    const files = fs.readdirSync(CORPUS).filter((f) => f.endsWith('.json') && f !== 'expected.json').map((f) => f.replace(/\.json$/, ''));
    expect(files.sort()).toEqual(Object.keys(EXPECTED).sort());
    expect(files.length).toBeGreaterThanOrEqual(12);
  });

  test('several cases are fully clean', () => {
    expect(Object.entries(EXPECTED).filter(([, e]) => findingsOf(e).length === 0).length).toBeGreaterThanOrEqual(3);
  });

  test('every rule of the pack is exercised by at least one case', () => {
    const seen = new Set(Object.values(EXPECTED).flatMap((e) => findingsOf(e).map((f) => f.split(' ')[0])));
    expect(RULES.map((r) => r.id).filter((id) => !seen.has(id))).toEqual([]);
  });
});

describe.each(Object.keys(EXPECTED).sort())('case %s', (name) => {
  const expected = EXPECTED[name];

  test('produces exactly the expected findings', () => {
    const { code, report } = review(name);
    const findings = report.stacks.flatMap((s) => s.findings);
    expect(findings.map(label).sort()).toEqual(findingsOf(expected));
    // Exit code 1 exactly when an unsuppressed error is among them.
    expect(code).toBe(findings.some((f) => f.severity === 'error' && !f.suppressed) ? 1 : 0);
  });

  if (!Array.isArray(expected) && expected.plan) {
    const counts = expected.plan.counts;
    test('a plan: the expected counts', () => {
      const { report } = review(name);
      expect(report.stacks.map((s) => s.plan?.counts)).toEqual([counts]);
    });
  }
});
