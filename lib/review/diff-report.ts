/**
 * Renders the review of a change (`diff.ts`) as text (terminal), JSON
 * (machines) or Markdown written for a pull request comment: a stable HTML
 * comment marker (so a CI job finds and updates its own comment), a summary
 * line, a table of what got worse, collapsible details with the rest, and the
 * Mermaid topology of the head with the changed services highlighted.
 */
import { failingChanges } from './diff';
import { Change, ChangeEffect, ChangeSeverity, DiffResult, ReviewDiff, StackDiff } from './diff-model';
import { Finding, StackReview } from './model';
import { oneLine, plural, tidier } from './report';
import { mdCell, mdCode, renderMermaid } from './report-markdown';

/** The first line of the Markdown report: a CI job looks for it to update its own comment instead of adding one. */
export const DIFF_MARKER = '<!-- cdktf-docker-production:review-diff -->';

/** At most this many rows per Markdown table (a pull request comment holds 65,536 characters); the JSON has everything. */
export const MARKDOWN_MAX_ROWS = 200;

/** The Mermaid class that marks changed services in the topology of the head. */
export const CHANGED_CLASS = 'changed';

/** What the reports say about the run besides the diff. */
export interface DiffMeta {
  /** The base path as given. */
  readonly base: string;
  /** The head path as given. */
  readonly head: string;
  /** The `--fail-on` threshold. */
  readonly failOn: ChangeSeverity;
}

/** Counts of changes: the worse ones by severity, the better ones, the neutral ones. */
export interface ChangeCounts {
  readonly worse: { error: number; warning: number; info: number };
  better: number;
  neutral: number;
}

export function countChanges(changes: readonly Change[]): ChangeCounts {
  const counts: ChangeCounts = { worse: { error: 0, warning: 0, info: 0 }, better: 0, neutral: 0 };
  for (const c of changes) {
    if (c.effect === ChangeEffect.WORSE) counts.worse[c.severity]++;
    else if (c.effect === ChangeEffect.BETTER) counts.better++;
    else counts.neutral++;
  }
  return counts;
}

function allChanges(diff: ReviewDiff): Change[] {
  return diff.stacks.flatMap((s) => s.changes);
}

function worseTotal(c: ChangeCounts): number {
  return c.worse.error + c.worse.warning + c.worse.info;
}

/** `2 worse (1 error, 1 warning, 0 info), 1 better, 3 other` (parts that are 0 left out), or `no change`. */
export function countsLine(c: ChangeCounts): string {
  const worse = worseTotal(c);
  if (worse + c.better + c.neutral === 0) return 'no change';
  const parts: string[] = [];
  if (worse > 0) parts.push(`${worse} worse (${plural(c.worse.error, 'error')}, ${plural(c.worse.warning, 'warning')}, ${c.worse.info} info)`);
  if (c.better > 0) parts.push(`${c.better} better`);
  if (c.neutral > 0) parts.push(`${c.neutral} other`);
  return parts.join(', ');
}

function label(c: Change): string {
  if (c.effect === ChangeEffect.BETTER) return 'better';
  if (c.effect === ChangeEffect.NEUTRAL) return 'note';
  return c.severity.toUpperCase();
}

/** The verdict: `FAIL: 1 change at or above error got worse`, `PASS: ...`. */
function verdict(diff: ReviewDiff, meta: DiffMeta): { fail: boolean; text: string } {
  const failing = failingChanges(diff, meta.failOn).length;
  const counts = countChanges(allChanges(diff));
  if (failing > 0) return { fail: true, text: `FAIL: ${plural(failing, 'change')} at or above ${meta.failOn} made it less safe (--fail-on ${meta.failOn})` };
  if (worseTotal(counts) + counts.better + counts.neutral === 0) return { fail: false, text: 'PASS: no change' };
  return { fail: false, text: `PASS: nothing got worse at or above ${meta.failOn} (${countsLine(counts)})` };
}

/** Plain text: per stack its changes (worse first), each with its why; then the verdict. */
export function renderDiffText(result: DiffResult, meta: DiffMeta): string {
  const { diff } = result;
  const out = [`Review of a change: base ${meta.base}, head ${meta.head}`, ''];
  for (const stack of diff.stacks) {
    const counts = countChanges(stack.changes);
    const status = stack.status === 'added' ? ' (added)' : stack.status === 'removed' ? ' (removed)' : '';
    out.push(`Stack ${stack.name}${status}: ${countsLine(counts)} (${stack.services.base} -> ${stack.services.head} services)`);
    if (stack.changes.length === 0) {
      out.push('');
      continue;
    }
    const width = Math.max(...stack.changes.map((c) => c.category.length));
    const tidy = tidier();
    for (const c of stack.changes) {
      const lead = `  ${label(c).padEnd(8)} ${c.category.padEnd(width)} `;
      out.push(oneLine(`${lead}${c.resource}: ${tidy(c.what)}`));
      let why = `why: ${c.why}`;
      if (c.suppressionReason !== undefined) why += ` (suppressed: ${c.suppressionReason})`;
      out.push(oneLine(`${' '.repeat(lead.length)}${why}`));
    }
    out.push('');
  }
  if (diff.stacks.every((s) => s.changes.length === 0)) out.push('No change: nothing the review judges differs between base and head.', '');
  out.push(`Result: ${verdict(diff, meta).text}`);
  return `${out.join('\n')}\n`;
}

/** The JSON report: the paths, the threshold, the result, the counts and per stack the changes and the findings delta. */
export function renderDiffJson(result: DiffResult, meta: DiffMeta): string {
  const { diff } = result;
  const v = verdict(diff, meta);
  const report = {
    base: meta.base,
    head: meta.head,
    failOn: meta.failOn,
    result: v.fail ? 'fail' : 'pass',
    summary: { ...countChanges(allChanges(diff)), failing: failingChanges(diff, meta.failOn).length },
    stacks: diff.stacks,
  };
  return `${JSON.stringify(report, null, 2)}\n`;
}

function severityCell(c: Change): string {
  const s = c.severity === ChangeSeverity.INFO ? 'info' : `**${c.severity}**`;
  return c.suppressionReason !== undefined ? `${s} (suppressed: ${c.suppressionReason})` : s;
}

function capped<T>(rows: readonly T[], out: string[], row: (item: T) => string): void {
  for (let i = 0; i < rows.length && i < MARKDOWN_MAX_ROWS; i++) out.push(row(rows[i]));
  if (rows.length > MARKDOWN_MAX_ROWS) out.push('', `_… and ${rows.length - MARKDOWN_MAX_ROWS} more; \`--format json\` lists them all._`);
}

/** The head's services that a change is about, by address. */
function changedServices(stack: StackDiff): Set<string> {
  const out = new Set<string>();
  for (const c of stack.changes) out.add(c.resource);
  return out;
}

/**
 * The Mermaid topology of the head (`renderMermaid`) with the changed services in class
 * `changed`. Container and service nodes are the `c<n>` nodes, one per service in the
 * review's order; when the diagram is omitted (too many edges), the note is returned.
 */
export function highlightedTopology(review: StackReview, changed: ReadonlySet<string>): string[] {
  const lines = renderMermaid(review);
  if (lines[0] !== '```mermaid') return lines;
  const ids: string[] = [];
  let k = 0;
  for (const line of lines) {
    const m = /^ {2}(c\d+)\[/.exec(line);
    if (!m) continue;
    const service = review.services[k++];
    if (service && changed.has(service.address)) ids.push(m[1]);
  }
  if (ids.length === 0) return lines;
  const end = lines.lastIndexOf('```');
  return [...lines.slice(0, end), `  classDef ${CHANGED_CLASS} stroke:#d73a49,stroke-width:4px`, `  class ${ids.join(',')} ${CHANGED_CLASS}`, ...lines.slice(end)];
}

/** Markdown for a pull request comment. */
export function renderDiffMarkdown(result: DiffResult, meta: DiffMeta): string {
  const { diff } = result;
  const changes = allChanges(diff);
  const counts = countChanges(changes);
  const v = verdict(diff, meta);
  const out = [DIFF_MARKER, '## Production review of this change', ''];
  const worse = worseTotal(counts);
  const icon = v.fail ? ':x:' : worse > 0 ? ':warning:' : ':white_check_mark:';
  const total = worse + counts.better + counts.neutral;
  if (total === 0) {
    out.push(`${icon} **No change**: nothing the review judges differs between base and head (${plural(diff.stacks.length, 'stack')}).`, '');
    return out.join('\n');
  }
  const stacksChanged = diff.stacks.filter((s) => s.changes.length > 0).length;
  out.push(`${icon} **${worse} worse** (${plural(counts.worse.error, 'error')}, ${plural(counts.worse.warning, 'warning')}, ${counts.worse.info} info), ${counts.better} better, ${counts.neutral} other, in ${plural(stacksChanged, 'stack')}: ${v.fail ? `fails at \`--fail-on ${meta.failOn}\`` : `passes at \`--fail-on ${meta.failOn}\``}.`, '');
  const tidy = tidier();
  changeTables(diff, changes, counts, tidy, out);
  findingsTable(diff, tidy, out);
  topologies(result, out);
  return out.join('\n');
}

/** What got worse (a table), then the other changes (collapsed). */
function changeTables(diff: ReviewDiff, changes: readonly Change[], counts: ChangeCounts, tidy: (message: string) => string, out: string[]): void {
  const stackOf = new Map<Change, string>();
  for (const s of diff.stacks) for (const c of s.changes) stackOf.set(c, s.name);
  const worseChanges = changes.filter((c) => c.effect === ChangeEffect.WORSE);
  if (worseChanges.length > 0) {
    out.push('### What got worse', '', '| Severity | Stack | Category | Resource | What changed | Why it matters |', '| --- | --- | --- | --- | --- | --- |');
    capped(worseChanges, out, (c) => `| ${[severityCell(c), mdCode(stackOf.get(c) ?? ''), c.category, mdCode(c.resource), tidy(c.what), c.why].map(mdCell).join(' | ')} |`);
    out.push('');
  } else {
    out.push(`Nothing got worse.`, '');
  }

  const others = changes.filter((c) => c.effect !== ChangeEffect.WORSE);
  if (others.length > 0) {
    out.push('<details>', `<summary>Other changes (${counts.better} better, ${counts.neutral} other)</summary>`, '');
    out.push('| Effect | Stack | Category | Resource | What changed | Why |', '| --- | --- | --- | --- | --- | --- |');
    capped(others, out, (c) => `| ${[c.effect, mdCode(stackOf.get(c) ?? ''), c.category, mdCode(c.resource), tidy(c.what), c.why].map(mdCell).join(' | ')} |`);
    out.push('', '</details>', '');
  }
}

/** The new and resolved findings of the rule pack (collapsed). */
function findingsTable(diff: ReviewDiff, tidy: (message: string) => string, out: string[]): void {
  const findings: { kind: string; stack: string; f: Finding }[] = [];
  for (const s of diff.stacks) {
    for (const f of s.newFindings) findings.push({ kind: 'new', stack: s.name, f });
    for (const f of s.resolvedFindings) findings.push({ kind: 'resolved', stack: s.name, f });
  }
  if (findings.length === 0) return;
  const added = diff.stacks.reduce((n, s) => n + s.newFindings.length, 0);
  out.push('<details>', `<summary>Findings of the rule pack: ${added} new, ${findings.length - added} resolved</summary>`, '');
  out.push('| | Severity | Stack | Rule | Resource | Message |', '| --- | --- | --- | --- | --- | --- |');
  capped(findings, out, ({ kind, stack, f }) => {
    const severity = f.suppressed ? `suppressed ${f.severity} (${f.suppressionReason ?? ''})` : kind === 'new' ? `**${f.severity}**` : f.severity;
    return `| ${[kind, severity, mdCode(stack), mdCode(f.rule), mdCode(f.resource), tidy(f.message)].map(mdCell).join(' | ')} |`;
  });
  out.push('', '</details>', '');
}

/** The topology of the head of each changed stack with services, the changed ones highlighted. */
function topologies(result: DiffResult, out: string[]): void {
  const reviews = new Map(result.head.map((r) => [r.name, r]));
  for (const s of result.diff.stacks) {
    const review = reviews.get(s.name);
    if (s.changes.length === 0 || !review || review.services.length === 0) continue;
    out.push(`### Topology of the head: stack \`${s.name}\``, '', 'Changed services have a thick red border.', '');
    for (const line of highlightedTopology(review, changedServices(s))) out.push(line);
    out.push('');
  }
}
