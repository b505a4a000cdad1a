#!/usr/bin/env node
/**
 * `cdktf-docker-review <path> [--format text|json|markdown] [--suppressions <path>]`
 *
 * Reviews a `cdktf.out` folder, one `cdk.tf.json` or a plan written by
 * `terraform show -json` with the production rule pack.
 * Exit codes: 0 = no unsuppressed error finding, 1 = error findings,
 * 2 = unreadable or unrecognised input or bad usage (one line on stderr).
 *
 * Pure Node: imports neither cdktf nor the provider bindings, so it starts fast.
 */
import { parseArgs } from 'util';
import { blockingFindings, reviewStacks } from './engine';
import { loadStacks } from './load';
import { ReviewReport, StackInput, SuppressionEntry } from './model';
import { renderJson, renderMarkdown, renderText, ReportFormat } from './report';

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

/** Runs the command; returns the exit code. */
export function main(argv: string[], io: CliIo = defaultIo): number {
  try {
    let parsed;
    try {
      parsed = parseArgs({
        args: argv,
        allowPositionals: true,
        strict: true,
        options: {
          format: { type: 'string', short: 'f', default: ReportFormat.TEXT },
          suppressions: { type: 'string' },
          help: { type: 'boolean', short: 'h', default: false },
        },
      });
    } catch (e) {
      throw new UsageError((e as Error).message.split('\n')[0]);
    }
    if (parsed.values.help) {
      io.stdout(USAGE);
      return 0;
    }
    const format = parsed.values.format as string;
    if (!(Object.values(ReportFormat) as string[]).includes(format)) {
      throw new UsageError(`unknown --format "${format}"; use text, json or markdown`);
    }
    if (parsed.positionals.length !== 1) {
      throw new UsageError(parsed.positionals.length === 0 ? 'missing <path> to review' : `expected one <path>, got ${parsed.positionals.length}`);
    }
    let stacks = loadStacks(parsed.positionals[0]);
    if (parsed.values.suppressions) stacks = applySuppressions(stacks, loadStacks(parsed.values.suppressions));

    // Stacks are reviewed together: cross-stack references lead into the other stacks given.
    const report: ReviewReport = { stacks: reviewStacks(stacks) };
    const rendered = format === ReportFormat.JSON ? renderJson(report) : format === ReportFormat.MARKDOWN ? renderMarkdown(report) : renderText(report);
    io.stdout(rendered);
    return report.stacks.some((s) => blockingFindings(s).length > 0) ? 1 : 0;
  } catch (e) {
    io.stderr(`cdktf-docker-review: ${(e as Error)?.message ?? String(e)}${e instanceof UsageError ? ' (see --help)' : ''}\n`);
    return 2;
  }
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
