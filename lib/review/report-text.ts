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

function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h) => h.length);
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r];
    for (let i = 0; i < row.length; i++) {
      row[i] = oneLine(row[i]); // a value holding a line break would break the table
      if (row[i].length > widths[i]) widths[i] = row[i].length;
    }
  }
  const line = (cells: string[]): string => {
    let text = '';
    for (let i = 0; i < cells.length - 1; i++) text += cells[i].padEnd(widths[i] + 2);
    return text + cells[cells.length - 1];
  };
  const out = [line(header), line(widths.map((w) => '-'.repeat(w)))];
  for (let r = 0; r < rows.length; r++) out.push(line(rows[r]));
  return out;
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
  for (const stack of report.stacks) {
    out.push(`Stack ${stack.name}: ${summaryLine(stack)}`, '');
    if (stack.services.length > 0) {
      const rows = stack.services.map(serviceRow);
      if (hasSwarmServices(stack)) {
        stack.services.forEach((svc, i) => rows[i].splice(1, 0, replicasOf(svc)));
        for (const line of table([SERVICE_HEADER[0], 'REPLICAS', ...SERVICE_HEADER.slice(1)], rows)) out.push(line);
      } else {
        for (const line of table(SERVICE_HEADER, rows)) out.push(line);
      }
      out.push('');
    }
    if (stack.plan) {
      for (const line of planLines(stack.plan)) out.push(line);
      out.push('');
    }
    if (stack.findings.length === 0) {
      out.push('No findings.', '');
      continue;
    }
    out.push('Findings:');
    const tidy = tidier();
    for (const group of groupFindings(stack.findings)) {
      const first = group[0];
      out.push(`${findingLabel(first)} ${first.rule} (${group.length}): ${first.source}`);
      for (const f of group) {
        let line = `  ${f.resource}: ${tidy(f.message)}`;
        if (f.constructPath) line += ` [${oneLine(f.constructPath)}]`;
        if (f.suppressed) line += ` (suppressed: ${tidy(f.suppressionReason ?? '')})`;
        out.push(line);
      }
    }
    out.push('');
  }
  const totals = report.stacks.map(countFindings).reduce((a, c) => ({ errors: a.errors + c.errors, warnings: a.warnings + c.warnings, suppressed: a.suppressed + c.suppressed }), { errors: 0, warnings: 0, suppressed: 0 });
  out.push(`Result: ${totals.errors > 0 ? 'FAIL' : 'PASS'} (${plural(totals.errors, 'error')}, ${plural(totals.warnings, 'warning')}, ${totals.suppressed} suppressed)`);
  return `${out.join('\n')}\n`;
}
