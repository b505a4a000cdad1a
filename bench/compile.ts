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
