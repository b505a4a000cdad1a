/**
 * Renders a review as text (terminal), JSON (machines, and the Aspect's
 * `production-review.json`) or Markdown (pull requests, with a Mermaid
 * topology diagram).
 */
import { Finding, PlanActions, PlannedDeletion, PlannedReplacement, PublishedPort, ReviewReport, ServiceSummary, Severity, StackReview } from './model';
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

/** `1 error`, `2 errors`. */
export function plural(n: number, word: string): string {
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
  return `${hostEndpoint(p)}->${p.internal ?? '?'}/${p.protocol}${p.publishMode ? ` (${p.publishMode})` : ''}`;
}

/** A Swarm service's tasks: `3`, `global`; `-` for a container. */
function replicasOf(s: ServiceSummary): string {
  if (s.kind !== 'swarm-service') return '-';
  return s.global ? 'global' : s.replicas === undefined ? '(variable)' : String(s.replicas);
}

/** The stack has Swarm services: the service tables get a replicas column. */
function hasSwarmServices(stack: StackReview): boolean {
  return stack.services.some((s) => s.kind === 'swarm-service');
}

function formatVolume(v: ServiceSummary['volumes'][number]): string {
  return `${v.source ?? v.type}:${v.target}${v.readOnly ? ':ro' : ''}`;
}

/** `network_mode` values that are modes, not the name of a user-defined network. */
const NETWORK_MODES = new Set(['bridge', 'default', 'host', 'none']);

function isModeKeyword(mode: string): boolean {
  return NETWORK_MODES.has(mode) || mode.startsWith('container:');
}

/** The `network_mode` entry of a service beside its `networks_advanced`, unless it names one of those. */
function extraMode(s: ServiceSummary): string | undefined {
  const mode = s.networkMode;
  return mode && !s.networks.includes(mode) ? mode : undefined;
}

/**
 * The networks column: `network_mode` first (a mode in parentheses, `(host)`, `(container:db)`;
 * a user-defined network by its name), then the `networks_advanced`; `(default bridge)` when neither.
 */
function networksOf(s: ServiceSummary): string {
  const mode = extraMode(s);
  if (mode === undefined) return s.networks.length > 0 ? s.networks.join(', ') : '(default bridge)';
  const first = isModeKeyword(mode) ? `(${mode})` : mode;
  return s.networks.length > 0 ? `${first}, ${s.networks.join(', ')}` : first;
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

const LINE_BREAK = /\r\n|\r|\n/g;

/** One line whatever the text holds: a line break reads `\n`, as in JSON. */
export function oneLine(text: string): string {
  return text.includes('\n') || text.includes('\r') ? text.replace(LINE_BREAK, '\\n') : text;
}

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

/** How long a script, command or quoted value in a finding may be in the human formats before it is shortened. */
export const SHOWN_VALUE_MAX = 60;

/** `text` cut to `max` characters, the last one an ellipsis. */
function shorten(text: string, max = SHOWN_VALUE_MAX): string {
  if (text.length <= max) return text;
  let cut = max - 1;
  const last = text.charCodeAt(cut - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut--; // do not split a surrogate pair
  return `${text.slice(0, cut)}…`;
}

/** Where a flat JSON list of strings starting at `start` (`[`) ends (after its `]`), or -1. */
function jsonListEnd(text: string, start: number): number {
  let inString = false;
  for (let i = start + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 93 /* ] */) return i + 1;
    else if (c === 91 /* [ */ || c === 123 /* { */) return -1;
  }
  return -1;
}

/** Where a JSON string starting at `start` (`"`) ends (after its closing quote), or -1 (none on this line). */
function jsonStringEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 92 /* \ */) i++;
    else if (c === 34 /* " */) return i + 1;
    else if (c === 10 || c === 13) return -1;
  }
  return -1;
}

/** Messages that need `tidyMessage`: a line break, or a long code span or quoted string. */
const UNTIDY = new RegExp(`[\\r\\n]|\`[^\`]{${SHOWN_VALUE_MAX + 1}}|"(?:[^"\\\\]|\\\\.){${SHOWN_VALUE_MAX + 1}}`);

/**
 * A finding's message for the text and Markdown reports: on one line (a line break reads `\n`),
 * with each string of a JSON list (a command line) and each code span cut to
 * `SHOWN_VALUE_MAX` characters, and a code span that repeats a string the message already
 * showed (the script of `["/bin/sh","-c","<script>"]`) left out. The JSON report keeps the message whole.
 */
export function tidyMessage(message: string): string {
  if (!UNTIDY.test(message)) return message;
  const shown = new Set<string>();
  let out = '';
  let i = 0;
  while (i < message.length) {
    const ch = message[i];
    if (ch === '[' && message[i + 1] === '"') {
      const end = jsonListEnd(message, i);
      let items: unknown;
      try {
        items = end > 0 ? JSON.parse(message.slice(i, end)) : undefined;
      } catch {
        items = undefined;
      }
      if (Array.isArray(items) && items.every((item) => typeof item === 'string')) {
        for (const item of items as string[]) shown.add(item);
        out += JSON.stringify((items as string[]).map((item) => shorten(item)));
        i = end;
        continue;
      }
    } else if (ch === '`') {
      const end = message.indexOf('`', i + 1);
      if (end > 0) {
        const content = message.slice(i + 1, end);
        if (shown.has(content) && (content.length > 16 || /\s/.test(content))) {
          // Said already: drop it with its lead-in (" in `...`", " (`...`)").
          if (out.endsWith(' in ')) {
            out = out.slice(0, -4);
            i = end + 1;
          } else if (out.endsWith(' (') && message[end + 1] === ')') {
            out = out.slice(0, -2);
            i = end + 2;
          } else {
            out += '`…`';
            i = end + 1;
          }
          continue;
        }
        out += `\`${shorten(oneLine(content))}\``;
        i = end + 1;
        continue;
      }
    } else if (ch === '"') {
      const close = jsonStringEnd(message, i);
      if (close > 0) {
        let value: unknown = undefined;
        if (close - i > SHOWN_VALUE_MAX + 2) {
          try {
            value = JSON.parse(message.slice(i, close));
          } catch {
            value = undefined;
          }
        }
        // A quoted value is copied as a whole (shortened when long): what it holds is no code span or list.
        out += typeof value === 'string' ? JSON.stringify(shorten(value)) : message.slice(i, close);
        i = close;
        continue;
      }
    }
    out += ch === '\n' ? '\\n' : ch === '\r' ? '' : ch;
    i++;
  }
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
    let ranks = byRule.get(f.rule);
    if (!ranks) {
      ranks = [];
      byRule.set(f.rule, ranks);
    }
    const r = rank(f);
    const group = ranks[r];
    if (group) group.push(f);
    else groups.push((ranks[r] = [f]));
  }
  return groups.sort((a, b) => rank(a[0]) - rank(b[0]) || ruleOrder(a[0].rule) - ruleOrder(b[0].rule));
}

/** `tidyMessage` once per distinct message: large stacks repeat a few messages thousands of times. */
export function tidier(): (message: string) => string {
  const seen = new Map<string, string>();
  return (message) => {
    let tidy = seen.get(message);
    if (tidy === undefined) {
      tidy = tidyMessage(message);
      seen.set(message, tidy);
    }
    return tidy;
  };
}

const RULE_ORDER = new Map(RULES.map((r, i) => [r.id, i]));

function ruleOrder(id: string): number {
  return RULE_ORDER.get(id) ?? RULES.length;
}

/** `1 to create, 0 to update in place, 1 to replace, 1 to delete`, or `no changes`. */
export function planCounts(plan: PlanActions): string {
  const c = plan.counts;
  if (c.create + c.update + c.replace + c.delete === 0) return 'no changes';
  return `${c.create} to create, ${c.update} to update in place, ${c.replace} to replace, ${c.delete} to delete`;
}

/** Why a resource is replaced: the forcing attributes, else Terraform's reason. */
function replacedBecause(r: PlannedReplacement): string | undefined {
  if (r.forcedBy.length > 0) return r.forcedBy.join(', ');
  if (r.reason === 'tainted') return 'tainted';
  if (r.reason === 'requested') return '-replace requested';
  if (r.reason === 'triggered') return 'replace_triggered_by';
  return undefined;
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

/** A table cell: pipes and backslashes escaped, `<` too (a value must not open HTML in a PR comment), on one line. */
export function mdCell(text: string): string {
  return /[\\|\n\r<]/.test(text) ? text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/\r?\n|\r/g, ' ') : text;
}

/** A code span (`-` stays as it is). */
export function mdCode(text: string): string {
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
  for (const s of stack.services) edges += Math.max(s.networks.length + (extraMode(s) !== undefined ? 1 : 0), 1) + s.volumes.length + s.ports.length;
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
    // A Swarm service is a subroutine-shaped node that says how many tasks it runs.
    const c = s.kind === 'swarm-service'
      ? node(`c:${s.address}`, 'c', (l) => `[[${l}]]`, s.name, s.image, s.global ? 'global service' : `service, ${replicasOf(s)} replicas`)
      : node(`c:${s.address}`, 'c', (l) => `[${l}]`, s.name, s.image);
    const extra = extraMode(s);
    if (extra !== undefined && !isModeKeyword(extra)) {
      // network_mode naming a user-defined network: the same node as that network in networks_advanced.
      edges.push(`  ${c} --- ${node(`n:${extra}`, 'n', (l) => `{{${l}}}`, `network ${extra}`)}`);
    } else if (extra !== undefined || s.networks.length === 0) {
      const mode = extra && extra !== 'default' ? extra : 'bridge';
      edges.push(`  ${c} --- ${node(`n:mode:${mode}`, 'n', (l) => `{{${l}}}`, mode === 'bridge' ? 'default bridge' : `network_mode ${mode}`)}`);
    }
    for (const n of s.networks) edges.push(`  ${c} --- ${node(`n:${n}`, 'n', (l) => `{{${l}}}`, `network ${n}`)}`);
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

/** The Markdown report's plan section: the counts, and a table of the replacements and deletions. */
function planMarkdown(plan: PlanActions): string[] {
  const out = ['### Plan', '', `${plan.replaced.some((r) => r.container !== undefined) || plan.deleted.some((d) => d.container !== undefined) ? ':warning: ' : ''}${planCounts(plan)}`, ''];
  if (plan.replaced.length + plan.deleted.length === 0) return out.slice(0, -1);
  out.push('| Action | Resource | Container | Forced by |', '| --- | --- | --- | --- |');
  const row = (action: string, r: PlannedDeletion, because: string | undefined) => {
    const container = r.container === undefined ? '-' : mdCode(r.container);
    const resource = `${mdCode(r.address)}${r.deposed !== undefined ? ` (deposed object ${mdCode(r.deposed)})` : ''}`;
    out.push(`| ${[action, resource, container, because ?? '-'].map(mdCell).join(' | ')} |`);
  };
  for (const r of plan.replaced) {
    const because = r.forcedBy.length > 0 ? r.forcedBy.map(mdCode).join(', ') : replacedBecause(r);
    row(r.container !== undefined ? '**replace** (downtime)' : 'replace', r, because);
  }
  for (const d of plan.deleted) row(d.container !== undefined ? '**delete**' : 'delete', d, undefined);
  return out;
}

/** Markdown for a pull request: per stack, the service table, what the plan does (plans only), the findings and the topology. */
export function renderMarkdown(report: ReviewReport): string {
  const out: string[] = ['# Production review', ''];
  for (const stack of report.stacks) {
    const c = countFindings(stack);
    out.push(`## Stack \`${stack.name}\``, '', `${c.errors > 0 ? ':x:' : ':white_check_mark:'} ${summaryLine(stack)}`, '');
    if (stack.services.length > 0) {
      const swarm = hasSwarmServices(stack);
      out.push(`| Service |${swarm ? ' Replicas |' : ''} Image | Ports (host->container) | Networks | Volumes | Restart | Memory | Health check |`);
      out.push(`| --- |${swarm ? ' --- |' : ''} --- | --- | --- | --- | --- | --- | --- |`);
      for (const s of stack.services) {
        const row = serviceRow(s);
        const cells = [mdCode(row[0]), mdCode(row[1]), mdCode(row[2]), row[3], mdCode(row[4]), row[5], row[6], row[7]];
        if (swarm) cells.splice(1, 0, replicasOf(s));
        out.push(`| ${cells.map(mdCell).join(' | ')} |`);
      }
      out.push('');
    }
    if (stack.plan) {
      for (const line of planMarkdown(stack.plan)) out.push(line);
      out.push('');
    }
    out.push('### Findings', '');
    if (stack.findings.length === 0) {
      out.push('No findings.', '');
    } else {
      out.push('| Severity | Rule | Resource | Message | Source |', '| --- | --- | --- | --- | --- |');
      const tidy = tidier();
      for (const f of sortFindings(stack.findings)) {
        const severity = f.suppressed ? `suppressed ${f.severity} (${tidy(f.suppressionReason ?? '')})` : `**${f.severity}**`;
        out.push(`| ${[severity, mdCode(f.rule), mdCode(f.resource), tidy(f.message), f.source].map(mdCell).join(' | ')} |`);
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
