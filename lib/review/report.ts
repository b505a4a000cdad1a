/**
 * Renders a review as text (terminal), JSON (machines, and the Aspect's
 * `production-review.json`) or Markdown (pull requests, with a Mermaid
 * topology diagram).
 */
import { Finding, PublishedPort, ReviewReport, ServiceSummary, Severity, StackReview } from './model';
import { RULES } from './rules/index';

/** Output formats of the review command. */
export enum ReportFormat {
  TEXT = 'text',
  JSON = 'json',
  MARKDOWN = 'markdown',
}

/** Counts of a stack's findings. */
export function countFindings(review: StackReview): { errors: number; warnings: number; suppressed: number } {
  let errors = 0;
  let warnings = 0;
  let suppressed = 0;
  for (const f of review.findings) {
    if (f.suppressed) suppressed++;
    else if (f.severity === Severity.ERROR) errors++;
    else warnings++;
  }
  return { errors, warnings, suppressed };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function summaryLine(review: StackReview): string {
  const c = countFindings(review);
  return `${plural(review.services.length, 'service')}, ${plural(c.errors, 'error')}, ${plural(c.warnings, 'warning')}, ${c.suppressed} suppressed`;
}

/** The host side of a published port: `0.0.0.0:8080`, `[::1]:53`, `0.0.0.0:(random)`. */
function hostEndpoint(p: PublishedPort): string {
  return `${p.ip.includes(':') ? `[${p.ip}]` : p.ip}:${p.external ?? '(random)'}`;
}

/** `0.0.0.0:8080->80/tcp`, `[::1]:53->53/udp`, `0.0.0.0:(random)->80/tcp`. */
export function formatPort(p: PublishedPort): string {
  return `${hostEndpoint(p)}->${p.internal ?? '?'}/${p.protocol}`;
}

function formatVolume(v: ServiceSummary['volumes'][number]): string {
  return `${v.source ?? v.type}:${v.target}${v.readOnly ? ':ro' : ''}`;
}

function networksOf(s: ServiceSummary): string {
  if (s.networks.length > 0) return s.networks.join(', ');
  return s.networkMode ? `(${s.networkMode})` : '(default bridge)';
}

function serviceRow(s: ServiceSummary): string[] {
  return [
    s.name,
    s.image,
    s.ports.length > 0 ? s.ports.map(formatPort).join(', ') : '-',
    networksOf(s),
    s.volumes.length > 0 ? s.volumes.map(formatVolume).join(', ') : '-',
    s.restart ?? 'no',
    s.memoryMiB !== undefined ? `${s.memoryMiB} MiB` : 'unlimited',
    s.healthcheck ? 'yes' : 'no',
  ];
}

const SERVICE_HEADER = ['SERVICE', 'IMAGE', 'PORTS (host->container)', 'NETWORKS', 'VOLUMES', 'RESTART', 'MEMORY', 'HEALTH'];

function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h) => h.length);
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r];
    for (let i = 0; i < row.length; i++) if (row[i].length > widths[i]) widths[i] = row[i].length;
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
  const groups = new Map<string, Finding[]>();
  for (const f of findings) {
    const key = `${rank(f)}|${f.rule}`;
    const group = groups.get(key);
    if (group) group.push(f);
    else groups.set(key, [f]);
  }
  return [...groups.values()].sort((a, b) => rank(a[0]) - rank(b[0]) || ruleOrder(a[0].rule) - ruleOrder(b[0].rule));
}

const RULE_ORDER = new Map(RULES.map((r, i) => [r.id, i]));

function ruleOrder(id: string): number {
  return RULE_ORDER.get(id) ?? RULES.length;
}

/** Plain text: per stack, a service table and the findings. */
export function renderText(report: ReviewReport): string {
  const out: string[] = [];
  for (const stack of report.stacks) {
    out.push(`Stack ${stack.name}: ${summaryLine(stack)}`, '');
    if (stack.services.length > 0) {
      for (const line of table(SERVICE_HEADER, stack.services.map(serviceRow))) out.push(line);
      out.push('');
    }
    if (stack.findings.length === 0) {
      out.push('No findings.', '');
      continue;
    }
    out.push('Findings:');
    for (const group of groupFindings(stack.findings)) {
      const first = group[0];
      out.push(`${findingLabel(first)} ${first.rule} (${group.length}): ${first.source}`);
      for (const f of group) {
        let line = `  ${f.resource}: ${f.message}`;
        if (f.constructPath) line += ` [${f.constructPath}]`;
        if (f.suppressed) line += ` (suppressed: ${f.suppressionReason})`;
        out.push(line);
      }
    }
    out.push('');
  }
  const totals = report.stacks.map(countFindings).reduce((a, c) => ({ errors: a.errors + c.errors, warnings: a.warnings + c.warnings, suppressed: a.suppressed + c.suppressed }), { errors: 0, warnings: 0, suppressed: 0 });
  out.push(`Result: ${totals.errors > 0 ? 'FAIL' : 'PASS'} (${plural(totals.errors, 'error')}, ${plural(totals.warnings, 'warning')}, ${totals.suppressed} suppressed)`);
  return `${out.join('\n')}\n`;
}

function rank(f: Finding): number {
  return f.suppressed ? 2 : f.severity === Severity.ERROR ? 0 : 1;
}

/** Errors first, then warnings, then suppressed findings; stable within each group. */
function sortFindings(findings: Finding[]): Finding[] {
  return [...findings].sort((a, b) => rank(a) - rank(b)); // stable
}

/** The JSON report: `{"stacks":[{"name","services":[...],"findings":[...]}]}`. */
export function renderJson(report: ReviewReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

function mdCell(text: string): string {
  return /[\\|\n]/.test(text) ? text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ') : text;
}

function mdCode(text: string): string {
  return text === '-' ? '-' : `\`${text.replace(/`/g, "'")}\``;
}

/** A quoted Mermaid label; each line escaped, lines joined with <br/>. */
function mermaidLabel(...lines: string[]): string {
  const escape = (text: string) => (/["<>]/.test(text) ? text.replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;') : text);
  return `"${lines.map(escape).join('<br/>')}"`;
}

/** Mermaid's default `maxEdges`: larger diagrams do not render (GitHub uses the default). */
export const MERMAID_MAX_EDGES = 500;

function edgeCount(stack: StackReview): number {
  let edges = 0;
  for (const s of stack.services) edges += Math.max(s.networks.length, 1) + s.volumes.length + s.ports.length;
  return edges;
}

/**
 * A Mermaid `graph` of containers, networks, volumes, bind mounts and published
 * ports (`host:port -> container`); a note instead when it would exceed what
 * Mermaid renders.
 */
export function renderMermaid(stack: StackReview): string[] {
  const edgeTotal = edgeCount(stack);
  if (edgeTotal > MERMAID_MAX_EDGES) {
    return [`_Topology diagram omitted: ${edgeTotal} edges exceed the ${MERMAID_MAX_EDGES} that Mermaid renders; see the service table._`];
  }
  const lines = ['```mermaid', 'graph LR'];
  const ids = new Map<string, string>();
  const node = (key: string, prefix: string, shape: (label: string) => string, ...label: string[]): string => {
    let id = ids.get(key);
    if (!id) {
      id = `${prefix}${ids.size}`;
      ids.set(key, id);
      lines.push(`  ${id}${shape(mermaidLabel(...label))}`);
    }
    return id;
  };
  const edges: string[] = [];
  for (const s of stack.services) {
    const c = node(`c:${s.address}`, 'c', (l) => `[${l}]`, s.name, s.image);
    for (const n of s.networks) edges.push(`  ${c} --- ${node(`n:${n}`, 'n', (l) => `{{${l}}}`, `network ${n}`)}`);
    if (s.networks.length === 0) {
      const mode = s.networkMode && s.networkMode !== 'default' ? s.networkMode : 'bridge';
      edges.push(`  ${c} --- ${node(`n:mode:${mode}`, 'n', (l) => `{{${l}}}`, mode === 'bridge' ? 'default bridge' : `network_mode ${mode}`)}`);
    }
    for (const v of s.volumes) {
      const id = v.type === 'bind'
        ? node(`h:${v.source}`, 'h', (l) => `[/${l}/]`, `host ${v.source}`)
        : node(`v:${v.source}`, 'v', (l) => `[(${l})]`, `volume ${v.source ?? v.type}`);
      edges.push(`  ${id} -.->|${mermaidLabel(`${v.target}${v.readOnly ? ' (ro)' : ''}`)}| ${c}`);
    }
    for (const p of s.ports) {
      const host = hostEndpoint(p);
      const id = node(`p:${host}/${p.protocol}:${s.address}`, 'p', (l) => `([${l}])`, `${host}/${p.protocol}`);
      edges.push(`  ${id} -->|${mermaidLabel(`${p.internal ?? '?'}/${p.protocol}`)}| ${c}`);
    }
  }
  lines.push(...edges, '```');
  return lines;
}

/** Markdown for a pull request: per stack, the service table, the findings and the topology. */
export function renderMarkdown(report: ReviewReport): string {
  const out: string[] = ['# Production review', ''];
  for (const stack of report.stacks) {
    const c = countFindings(stack);
    out.push(`## Stack \`${stack.name}\``, '', `${c.errors > 0 ? ':x:' : ':white_check_mark:'} ${summaryLine(stack)}`, '');
    if (stack.services.length > 0) {
      out.push('| Service | Image | Ports (host->container) | Networks | Volumes | Restart | Memory | Health check |');
      out.push('| --- | --- | --- | --- | --- | --- | --- | --- |');
      for (const s of stack.services) {
        const row = serviceRow(s);
        out.push(`| ${[mdCode(row[0]), mdCode(row[1]), mdCode(row[2]), row[3], mdCode(row[4]), row[5], row[6], row[7]].map(mdCell).join(' | ')} |`);
      }
      out.push('');
    }
    out.push('### Findings', '');
    if (stack.findings.length === 0) {
      out.push('No findings.', '');
    } else {
      out.push('| Severity | Rule | Resource | Message | Source |', '| --- | --- | --- | --- | --- |');
      for (const f of sortFindings(stack.findings)) {
        const severity = f.suppressed ? `suppressed ${f.severity} (${f.suppressionReason})` : `**${f.severity}**`;
        out.push(`| ${[severity, mdCode(f.rule), mdCode(f.resource), f.message, f.source].map(mdCell).join(' | ')} |`);
      }
      out.push('');
    }
    if (stack.services.length > 0) {
      out.push('### Topology', '');
      for (const line of renderMermaid(stack)) out.push(line);
      out.push('');
    }
  }
  return out.join('\n');
}
