/**
 * The review as Markdown, for a pull request: per stack the service table,
 * what the plan does (plans only), the findings, and a Mermaid topology of
 * containers, networks, volumes, bind mounts and published ports.
 */
import { Finding, PlanActions, PlannedDeletion, ReviewReport, ServiceSummary, StackReview } from './model';
import {
  countFindings, extraMode, hasSwarmServices, hostEndpoint, isModeKeyword, planCounts, rank, replacedBecause, replicasOf, serviceRow, summaryLine, tidier,
} from './report';

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
  /** The id of the node `key`, declared (in `lines`) on first use. */
  const node: MermaidNode = (key, prefix, shape, ...label) => {
    let id = ids.get(key);
    if (!id) {
      id = `${prefix}${ids.size}`;
      ids.set(key, id);
      lines.push(`  ${id}${shape(mermaidLabel(...label))}`);
    }
    return id;
  };
  const edges: string[] = [];
  for (const s of stack.services) serviceEdges(s, node, edges);
  lines.push(...edges, '```');
  return lines;
}

type MermaidNode = (key: string, prefix: string, shape: (label: string) => string, ...label: string[]) => string;

/** A container's or service's node and its edges: networks, volumes and bind mounts, published ports. */
function serviceEdges(s: ServiceSummary, node: MermaidNode, edges: string[]): void {
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

/** Errors first, then warnings, then suppressed findings; stable within each group. */
function sortFindings(findings: Finding[]): Finding[] {
  return [...findings].sort((a, b) => rank(a) - rank(b)); // stable
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
    out.push(`## Stack \`${stack.name}\``, '', `${c.errors > 0 ? ':x:' : ':white_check_mark:'} ${summaryLine(stack, c)}`, '');
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
