/**
 * The review as plain text, for a terminal: per stack a summary line, the
 * service table, what the plan does (plans only) and the findings grouped by
 * rule (errors first); then the result.
 */
import { Finding, PlanActions, PlannedDeletion, ReviewReport } from './model';
import { RULES } from './rules/index';
import {
  countFindings, hasSwarmServices, oneLine, planCounts, plural, rank, replacedBecause, replicasOf, serviceRow, summaryLine, tidier,
} from './report';
import { getOrCreate } from '../_collections';

const SERVICE_HEADER = ['SERVICE', 'IMAGE', 'PORTS (host->container)', 'NETWORKS', 'VOLUMES', 'RESTART', 'MEMORY', 'HEALTH'];

/** Writes the table's lines to `out`: the header, a rule, then the rows (columns padded with spaces). */
function table(header: string[], rows: string[][], out: string[]): void {
  const widths = header.map((h) => h.length);
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r];
    for (let i = 0; i < row.length; i++) {
      row[i] = oneLine(row[i]); // a value holding a line break would break the table
      if (row[i].length > widths[i]) widths[i] = row[i].length;
    }
  }
  // Each line is one join of its cells and shared runs of spaces: a padded copy of every cell
  // was the largest allocation of a large stack's report.
  const parts: string[] = new Array<string>(header.length * 2 - 1);
  const line = (cells: string[]): string => {
    for (let i = 0; i < cells.length - 1; i++) {
      parts[2 * i] = cells[i];
      parts[2 * i + 1] = spaces(widths[i] + 2 - cells[i].length);
    }
    parts[parts.length - 1] = cells[cells.length - 1];
    return parts.join('');
  };
  out.push(line(header), line(widths.map((w) => '-'.repeat(w))));
  for (let r = 0; r < rows.length; r++) out.push(line(rows[r]));
}

const SPACE_RUNS: string[] = [];

/** `n` spaces, one string per length. */
function spaces(n: number): string {
  let run = SPACE_RUNS[n];
  if (run === undefined) run = SPACE_RUNS[n] = ' '.repeat(n);
  return run;
}

function findingLabel(f: Finding): string {
  return f.suppressed ? `SUPPRESSED ${f.severity}` : f.severity.toUpperCase();
}

/** Findings grouped by rule: errors first, then warnings, then suppressed findings; linear. */
function groupFindings(findings: Finding[]): Finding[][] {
  // Per rule, its groups by rank (error, warning, suppressed).
  const byRule = new Map<string, Finding[][]>();
  const groups: Finding[][] = [];
  for (let i = 0; i < findings.length; i++) {
    const f = findings[i];
    const ranks = getOrCreate(byRule, f.rule, (): Finding[][] => []);
    const r = rank(f);
    const group = ranks[r];
    if (group) group.push(f);
    else groups.push((ranks[r] = [f]));
  }
  return groups.sort((a, b) => rank(a[0]) - rank(b[0]) || ruleOrder(a[0].rule) - ruleOrder(b[0].rule));
}

const RULE_ORDER = new Map(RULES.map((r, i) => [r.id, i]));

function ruleOrder(id: string): number {
  return RULE_ORDER.get(id) ?? RULES.length;
}

/** `docker_container.api (container api, downtime)`, `docker_volume.data (deposed object 1a2b)`. */
function changedResource(r: PlannedDeletion, downtime: boolean): string {
  const notes: string[] = [];
  if (r.container !== undefined) notes.push(`container ${r.container}${downtime ? ', downtime' : ''}`);
  if (r.deposed !== undefined) notes.push(`deposed object ${r.deposed}`);
  return notes.length > 0 ? `${r.address} (${notes.join('; ')})` : r.address;
}

/** The text report's plan block: the counts, then each replacement (with what forces it) and each deletion. */
function planLines(plan: PlanActions): string[] {
  const out = [`Plan: ${planCounts(plan)}`];
  for (const r of plan.replaced) {
    const because = replacedBecause(r);
    out.push(oneLine(`  replace ${changedResource(r, true)}${because ? `, forced by ${because}` : ''}`));
  }
  for (const d of plan.deleted) out.push(oneLine(`  delete ${changedResource(d, false)}`));
  return out;
}

/** Plain text: per stack, a service table, what the plan does (plans only) and the findings. */
export function renderText(report: ReviewReport): string {
  const out: string[] = [];
  const counts = report.stacks.map(countFindings);
  report.stacks.forEach((stack, s) => {
    out.push(`Stack ${stack.name}: ${summaryLine(stack, counts[s])}`, '');
    if (stack.services.length > 0) {
      const rows = stack.services.map(serviceRow);
      if (hasSwarmServices(stack)) {
        stack.services.forEach((svc, i) => rows[i].splice(1, 0, replicasOf(svc)));
        table([SERVICE_HEADER[0], 'REPLICAS', ...SERVICE_HEADER.slice(1)], rows, out);
      } else {
        table(SERVICE_HEADER, rows, out);
      }
      out.push('');
    }
    if (stack.plan) {
      for (const line of planLines(stack.plan)) out.push(line);
      out.push('');
    }
    if (stack.findings.length === 0) {
      out.push('No findings.', '');
      return;
    }
    out.push('Findings:');
    const tidy = tidier();
    for (const group of groupFindings(stack.findings)) {
      const first = group[0];
      out.push(`${findingLabel(first)} ${first.rule} (${group.length}): ${first.source}`);
      for (let i = 0; i < group.length; i++) {
        const f = group[i];
        let line = `  ${f.resource}: ${tidy(f.message)}`;
        if (f.constructPath) line += ` [${oneLine(f.constructPath)}]`;
        if (f.suppressed) line += ` (suppressed: ${tidy(f.suppressionReason ?? '')})`;
        out.push(line);
      }
    }
    out.push('');
  });
  const totals = counts.reduce((a, c) => ({ errors: a.errors + c.errors, warnings: a.warnings + c.warnings, suppressed: a.suppressed + c.suppressed }), { errors: 0, warnings: 0, suppressed: 0 });
  out.push(`Result: ${totals.errors > 0 ? 'FAIL' : 'PASS'} (${plural(totals.errors, 'error')}, ${plural(totals.warnings, 'warning')}, ${totals.suppressed} suppressed)`);
  out.push(''); // the closing line break, without a copy of the whole report
  return out.join('\n');
}
