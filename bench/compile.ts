/**
 * Transpiles lib/ and bench/ to JavaScript under bench/.out/build-<pid> (gitignored; one
 * folder per run, so that concurrent runs do not overwrite each other's build), with the
 * project's compiler options, so that every measured process runs plain compiled JS: the
 * library side and the raw side load the same way and neither pays for TypeScript.
 *
 * Transpile-only (no type check): `npm run build` / `tsc --noEmit` do the checking; this
 * keeps the benchmark runnable while lib/ is being edited.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';

export const ROOT = path.resolve(__dirname, '..');
export const OUT = path.join(ROOT, 'bench', '.out');

function tsFiles(dir: string): string[] {
  const files: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== '.out' && entry.name !== 'node_modules') files.push(...tsFiles(full));
    } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') && !entry.name.endsWith('.test.ts')) {
      files.push(full);
    }
  }
  return files;
}

/** Writes `<build>/{lib,bench}/**.js` (default bench/.out/build-<pid>); returns the build folder. */
export function compile(build: string = path.join(OUT, `build-${process.pid}`)): string {
  const configFile = path.join(ROOT, 'tsconfig.json');
  const read = ts.readConfigFile(configFile, (f) => ts.sys.readFile(f));
  if (read.error) throw new Error(ts.flattenDiagnosticMessageText(read.error.messageText, '\n'));
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, ROOT);
  const options: ts.CompilerOptions = {
    ...parsed.options,
    sourceMap: false,
    inlineSourceMap: false,
    inlineSources: false,
    declaration: false,
    isolatedModules: true,
  };
  fs.rmSync(build, { recursive: true, force: true });
  for (const file of [...tsFiles(path.join(ROOT, 'lib')), ...tsFiles(path.join(ROOT, 'bench'))]) {
    const out = ts.transpileModule(fs.readFileSync(file, 'utf8'), { compilerOptions: options, fileName: file, reportDiagnostics: true });
    const errors = (out.diagnostics ?? []).filter((d) => d.category === ts.DiagnosticCategory.Error);
    if (errors.length > 0) {
      throw new Error(`${path.relative(ROOT, file)}: ${errors.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')).join('; ')}`);
    }
    const target = path.join(build, path.relative(ROOT, file)).replace(/\.ts$/, '.js');
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, out.outputText);
  }
  return build;
}

/** The median: the middle value, or the mean of the middle two for an even count. */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** `machine: <CPU>, <n> CPUs, Node <version>, load average <1 5 15 min>`, the first line of every benchmark's report. */
export function machineLine(): string {
  return `machine: ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.availableParallelism?.() ?? os.cpus().length} CPUs, Node ${process.version}, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`;
}

/**
 * A benchmark's compiled build (`compile`) and a temporary folder `<tmpdir>/<prefix>…`, both removed
 * when the process exits, also on failure; with `keep` both stay and `say` tells where.
 */
export function benchWorkspace(prefix: string, keep: boolean, say: (text: string) => void): { build: string; tmp: string } {
  const build = compile();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  process.on('exit', () => {
    if (keep) {
      say(`kept: ${build} and ${tmp}`);
      return;
    }
    fs.rmSync(build, { recursive: true, force: true });
    fs.rmSync(tmp, { recursive: true, force: true });
  });
  return { build, tmp };
}
