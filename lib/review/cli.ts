#!/usr/bin/env node
/**
 * `cdktf-docker-review <path> [--format text|json|markdown] [--suppressions <path>]`
 * `cdktf-docker-review --base <base> <head> [--format text|json|markdown] [--fail-on error|warning|info]`
 *
 * Reviews a `cdktf.out` folder, one `cdk.tf.json` or a plan written by
 * `terraform show -json` with the production rule pack.
 * Exit codes: 0 = no unsuppressed error finding, 1 = error findings,
 * 2 = unreadable or unrecognised input or bad usage (one line on stderr).
 *
 * With `--base`, reviews a change instead (`diff.ts`): what got less safe from
 * the base to the head. Exit codes: 0 = nothing got worse at or above
 * `--fail-on` (default error), 1 = something did, 2 = as above.
 *
 * Pure Node: imports neither cdktf nor the provider bindings, so it starts fast.
 */
import { parseArgs } from 'util';
import type { ChangeSeverity } from './diff-model';
import type { DiffMeta } from './diff-report';
import { loadStacks } from './load';
import { ReviewReport, StackInput, SuppressionEntry } from './model';
import { renderJson, ReportFormat } from './report';

/** Where the command writes; tests pass collectors. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

const USAGE = `Usage: cdktf-docker-review <cdktf.out | cdk.tf.json | plan.json> [--format text|json|markdown] [--suppressions <cdktf.out | cdk.tf.json>]

Reviews synthesized Docker stacks (or a plan from \`terraform show -json\`) against the production rule pack;
on a plan, also says what it will do (resources created, updated, replaced, deleted; containers taken down).
  --format, -f      text (default), json or markdown (for pull requests, with a Mermaid diagram)
  --suppressions    take suppressions from this synthesized output (plans do not carry cdktf's "//" metadata)
Exit codes: 0 no error findings, 1 error findings, 2 unreadable input or bad usage.

       cdktf-docker-review --base <base> <head> [--format text|json|markdown] [--fail-on error|warning|info]

Reviews a change: what got less safe from <base> to <head> (each a cdktf.out folder, a cdk.tf.json or a plan):
exposure, hardening dropped, supply chain, secrets, suppressions, new and resolved findings, services added and removed.
  --base            the synthesized output (or plan) before the change
  --format, -f      text (default), json or markdown (a pull request comment, with the topology of the head)
  --fail-on         exit 1 when something got worse at or above this severity: error (default), warning or info
Exit codes: 0 nothing got worse at or above --fail-on, 1 something did, 2 unreadable input or bad usage.
`;

const defaultIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

class UsageError extends Error {}

/** Copies suppressions from synthesized stacks onto resources (by Terraform address) that carry none. */
function applySuppressions(stacks: StackInput[], from: StackInput[]): StackInput[] {
  const byAddress = new Map<string, SuppressionEntry[]>();
  for (const s of from) for (const r of s.resources) if (r.suppressions.length > 0) byAddress.set(r.address, r.suppressions);
  return stacks.map((s) => ({
    ...s,
    resources: s.resources.map((r) => {
      const extra = byAddress.get(r.address.replace(/^(module\.[^.]+\.)+/, '')) ?? byAddress.get(r.address);
      return r.suppressions.length === 0 && extra ? { ...r, suppressions: extra } : r;
    }),
  }));
}

/** The command line, parsed; throws `UsageError`. */
function parseCommandLine(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        format: { type: 'string', short: 'f', default: ReportFormat.TEXT },
        suppressions: { type: 'string' },
        base: { type: 'string' },
        'fail-on': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (e) {
    throw new UsageError((e as Error).message.split('\n')[0]);
  }
}

/** Runs the command; returns the exit code. */
export function main(argv: string[], io: CliIo = defaultIo): number {
  try {
    const parsed = parseCommandLine(argv);
    if (parsed.values.help) {
      io.stdout(USAGE);
      return 0;
    }
    const format = parsed.values.format as string;
    if (!(Object.values(ReportFormat) as string[]).includes(format)) {
      throw new UsageError(`unknown --format "${format}"; use text, json or markdown`);
    }
    if (parsed.values.base !== undefined) return reviewChange(parsed.values.base, parsed.positionals, format, parsed.values['fail-on'], parsed.values.suppressions, io);
    if (parsed.values['fail-on'] !== undefined) throw new UsageError('--fail-on needs --base <base>: it judges a change, not one review');
    return review(parsed.positionals, format, parsed.values.suppressions, io);
  } catch (e) {
    io.stderr(`cdktf-docker-review: ${(e as Error)?.message ?? String(e)}${e instanceof UsageError ? ' (see --help)' : ''}\n`);
    return 2;
  }
}

/** `<path>`: the review of one synthesis (or plan); returns the exit code. */
function review(positionals: string[], format: string, suppressions: string | undefined, io: CliIo): number {
  if (positionals.length !== 1) {
    throw new UsageError(positionals.length === 0 ? 'missing <path> to review' : `expected one <path>, got ${positionals.length}`);
  }
  let stacks = loadStacks(positionals[0]);
  if (suppressions) stacks = applySuppressions(stacks, loadStacks(suppressions));
  // The rule pack loads once the input is read: input that cannot be read fails before it loads,
  // and a large file is parsed while the heap is small (on the 5,000-service bench this spares
  // the process its one full garbage collection: 0.95 x the time, paired over 100 runs).
  const { blockingFindings, reviewStacks } = require('./engine') as typeof import('./engine');

  // Stacks are reviewed together: cross-stack references lead into the other stacks given.
  const report: ReviewReport = { stacks: reviewStacks(stacks) };
  io.stdout(render(report, format));
  return report.stacks.some((s) => blockingFindings(s).length > 0) ? 1 : 0;
}

/** The report in `format`; each human format's renderer is loaded when it is asked for. */
function render(report: ReviewReport, format: string): string {
  if (format === ReportFormat.JSON) return renderJson(report);
  if (format === ReportFormat.MARKDOWN) return (require('./report-markdown') as typeof import('./report-markdown')).renderMarkdown(report);
  return (require('./report-text') as typeof import('./report-text')).renderText(report);
}

/** `--fail-on` values: the `ChangeSeverity` values (the diff's modules load only with `--base`). */
const SEVERITIES: readonly string[] = ['error', 'warning', 'info'] satisfies `${ChangeSeverity}`[];

/** `--base <base> <head>`: the review of a change; returns the exit code. */
function reviewChange(base: string, positionals: string[], format: string, failOnOption: string | undefined, suppressions: string | undefined, io: CliIo): number {
  const failOn = failOnOption ?? 'error';
  if (!SEVERITIES.includes(failOn)) throw new UsageError(`unknown --fail-on "${failOn}"; use error, warning or info`);
  if (suppressions !== undefined) throw new UsageError('--suppressions does not go with --base; compare synthesized outputs, which carry their suppressions');
  if (positionals.length !== 1) {
    throw new UsageError(positionals.length === 0 ? 'missing <head> to compare with --base' : `expected one <head> besides --base, got ${positionals.length}`);
  }
  // Loaded here, not at the top: a snapshot review (most runs, and large ones) does not pay for them.
  // As for one review, both sides are read before the diff and the rule pack load.
  const { loadSide } = require('./diff-load') as typeof import('./diff-load');
  const baseSide = loadSide(base);
  const headSide = loadSide(positionals[0]);
  const { diffStacks, failingChanges } = require('./diff') as typeof import('./diff');
  const { renderDiffJson, renderDiffMarkdown, renderDiffText } = require('./diff-report') as typeof import('./diff-report');
  const result = diffStacks(baseSide.stacks, headSide.stacks, { sensitive: (stack, variable) => baseSide.sensitive(stack, variable) });
  const meta: DiffMeta = { base, head: positionals[0], failOn: failOn as ChangeSeverity };
  const rendered = format === ReportFormat.JSON ? renderDiffJson(result, meta) : format === ReportFormat.MARKDOWN ? renderDiffMarkdown(result, meta) : renderDiffText(result, meta);
  io.stdout(rendered);
  return failingChanges(result.diff, meta.failOn).length > 0 ? 1 : 0;
}

/**
 * A reader that stops early (`cdktf-docker-review out | head`) closes the pipe: the review is
 * done, so the command ends with its exit code instead of an unhandled EPIPE and a stack trace.
 */
function quietOnClosedPipe(): void {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    process.exit();
  });
}

if (require.main === module) {
  quietOnClosedPipe();
  process.exitCode = main(process.argv.slice(2));
}
