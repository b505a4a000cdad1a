/**
 * What the review's reports share: the output formats, the JSON report, and
 * the pieces the human formats (text, `report-text.ts`; Markdown,
 * `report-markdown.ts`; the review of a change, `diff-report.ts`) build on:
 * counts, the service table's cells, the plan's counts, and a finding's
 * message on one line with long values shortened (`tidyMessage`).
 */
import { Finding, PlanActions, PlannedReplacement, PublishedPort, ReviewReport, ServiceSummary, Severity, StackReview } from './model';
import { clip } from '../_text';

/** Output formats of the review command. */
export enum ReportFormat {
  TEXT = 'text',
  JSON = 'json',
  MARKDOWN = 'markdown',
}

/** How many findings of each kind a stack has. */
export interface FindingCounts {
  readonly errors: number;
  readonly warnings: number;
  readonly suppressed: number;
}

/** Counts of a stack's findings. */
export function countFindings(review: StackReview): FindingCounts {
  let errors = 0;
  let warnings = 0;
  let suppressed = 0;
  const findings = review.findings;
  for (let i = 0; i < findings.length; i++) {
    const f = findings[i];
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

/** `3 services, 1 error, 2 warnings, 0 suppressed`; `counts` when the caller has them already. */
export function summaryLine(review: StackReview, counts?: FindingCounts): string {
  const c = counts ?? countFindings(review);
  return `${plural(review.services.length, 'service')}, ${plural(c.errors, 'error')}, ${plural(c.warnings, 'warning')}, ${c.suppressed} suppressed`;
}

/** The host side of a published port: `0.0.0.0:8080`, `[::1]:53`, `0.0.0.0:(random)`. */
export function hostEndpoint(p: PublishedPort): string {
  return `${p.ip.includes(':') ? `[${p.ip}]` : p.ip}:${p.external ?? '(random)'}`;
}

/** `0.0.0.0:8080->80/tcp`, `[::1]:53->53/udp`, `0.0.0.0:(random)->80/tcp`. */
export function formatPort(p: PublishedPort): string {
  return `${hostEndpoint(p)}->${p.internal ?? '?'}/${p.protocol}${p.publishMode ? ` (${p.publishMode})` : ''}`;
}

/** A Swarm service's tasks: `3`, `global`; `-` for a container. */
export function replicasOf(s: ServiceSummary): string {
  if (s.kind !== 'swarm-service') return '-';
  return s.global ? 'global' : s.replicas === undefined ? '(variable)' : String(s.replicas);
}

/** The stack has Swarm services: the service tables get a replicas column. */
export function hasSwarmServices(stack: StackReview): boolean {
  return stack.services.some((s) => s.kind === 'swarm-service');
}

function formatVolume(v: ServiceSummary['volumes'][number]): string {
  return `${v.source ?? v.type}:${v.target}${v.readOnly ? ':ro' : ''}`;
}

/** `network_mode` values that are modes, not the name of a user-defined network. */
const NETWORK_MODES = new Set(['bridge', 'default', 'host', 'none']);

export function isModeKeyword(mode: string): boolean {
  return NETWORK_MODES.has(mode) || mode.startsWith('container:');
}

/** The `network_mode` entry of a service beside its `networks_advanced`, unless it names one of those. */
export function extraMode(s: ServiceSummary): string | undefined {
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

export function serviceRow(s: ServiceSummary): string[] {
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

export function rank(f: Finding): number {
  return f.suppressed ? 2 : f.severity === Severity.ERROR ? 0 : 1;
}

/** `1 to create, 0 to update in place, 1 to replace, 1 to delete`, or `no changes`. */
export function planCounts(plan: PlanActions): string {
  const c = plan.counts;
  if (c.create + c.update + c.replace + c.delete === 0) return 'no changes';
  return `${c.create} to create, ${c.update} to update in place, ${c.replace} to replace, ${c.delete} to delete`;
}

/** Why a resource is replaced: the forcing attributes, else Terraform's reason. */
export function replacedBecause(r: PlannedReplacement): string | undefined {
  if (r.forcedBy.length > 0) return r.forcedBy.join(', ');
  if (r.reason === 'tainted') return 'tainted';
  if (r.reason === 'requested') return '-replace requested';
  if (r.reason === 'triggered') return 'replace_triggered_by';
  return undefined;
}

/** The JSON report: `{"stacks":[{"name","services":[...],"findings":[...]}]}`. */
export function renderJson(report: ReviewReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

// ---------------------------------------------------------------------------
// a finding's message in the human formats

const LINE_BREAK = /\r\n|\r|\n/g;

/** One line whatever the text holds: a line break reads `\n`, as in JSON. */
export function oneLine(text: string): string {
  return text.includes('\n') || text.includes('\r') ? text.replace(LINE_BREAK, '\\n') : text;
}

/** How long a script, command or quoted value in a finding may be in the human formats before it is shortened. */
export const SHOWN_VALUE_MAX = 60;

/** `text` cut to `max` characters, the last one an ellipsis. */
function shorten(text: string, max = SHOWN_VALUE_MAX): string {
  return clip(text, max, '…');
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
  const t: Tidying = { out: '', shown: new Set() };
  let i = 0;
  while (i < message.length) {
    const ch = message[i];
    const next = ch === '[' && message[i + 1] === '"' ? tidyList(message, i, t) : ch === '`' ? tidyCodeSpan(message, i, t) : ch === '"' ? tidyQuoted(message, i, t) : -1;
    if (next >= 0) {
      i = next;
      continue;
    }
    t.out += ch === '\n' ? '\\n' : ch === '\r' ? '' : ch;
    i++;
  }
  return t.out;
}

/** What `tidyMessage` wrote so far, and the strings of the command lines it showed. */
interface Tidying {
  out: string;
  readonly shown: Set<string>;
}

/** A JSON list of strings at `i` (a command line): each string shortened and remembered. Where it ends, or -1 when it is none. */
function tidyList(message: string, i: number, t: Tidying): number {
  const end = jsonListEnd(message, i);
  let items: unknown;
  try {
    items = end > 0 ? JSON.parse(message.slice(i, end)) : undefined;
  } catch {
    items = undefined;
  }
  if (!Array.isArray(items) || !items.every((item) => typeof item === 'string')) return -1;
  for (const item of items as string[]) t.shown.add(item);
  t.out += JSON.stringify((items as string[]).map((item) => shorten(item)));
  return end;
}

/** A code span at `i`: shortened, or left out when it repeats a string shown already. Where it ends, or -1 when it is not closed. */
function tidyCodeSpan(message: string, i: number, t: Tidying): number {
  const end = message.indexOf('`', i + 1);
  if (end < 0) return -1;
  const content = message.slice(i + 1, end);
  if (t.shown.has(content) && (content.length > 16 || /\s/.test(content))) {
    // Said already: drop it with its lead-in (" in `...`", " (`...`)").
    if (t.out.endsWith(' in ')) {
      t.out = t.out.slice(0, -4);
      return end + 1;
    }
    if (t.out.endsWith(' (') && message[end + 1] === ')') {
      t.out = t.out.slice(0, -2);
      return end + 2;
    }
    t.out += '`…`';
    return end + 1;
  }
  t.out += `\`${shorten(oneLine(content))}\``;
  return end + 1;
}

/** A quoted value at `i`, copied as a whole (shortened when long): what it holds is no code span or list. Where it ends, or -1 when not on this line. */
function tidyQuoted(message: string, i: number, t: Tidying): number {
  const close = jsonStringEnd(message, i);
  if (close < 0) return -1;
  let value: unknown = undefined;
  if (close - i > SHOWN_VALUE_MAX + 2) {
    try {
      value = JSON.parse(message.slice(i, close));
    } catch {
      value = undefined;
    }
  }
  t.out += typeof value === 'string' ? JSON.stringify(shorten(value)) : message.slice(i, close);
  return close;
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
