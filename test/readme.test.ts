import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';

/**
 * The README's complete examples (the code blocks that create an `App`) are type-checked against
 * the library and run, so the README cannot drift from the public API.
 */
const root = path.join(__dirname, '..');
const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
const programs = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]).filter((code) => code.includes('new App()'));
const workDir = path.join(__dirname, '.readme');

function prepare(code: string, index: number): { file: string; outdir: string } {
  fs.mkdirSync(workDir, { recursive: true });
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-'));
  const file = path.join(workDir, `example-${index}.ts`);
  fs.writeFileSync(file, code
    .replace(/from 'cdktf-docker-production'/g, `from ${JSON.stringify(path.join(root, 'lib'))}`)
    .replace(/path\.join\(__dirname, 'api'\)/g, JSON.stringify(path.join(root, 'examples', 'reference-app', 'api')))
    .replace('new App()', `new App({ outdir: ${JSON.stringify(outdir)} })`));
  return { file, outdir };
}

describe('README examples', () => {
  test('there are complete examples to check', () => {
    expect(programs.length).toBeGreaterThanOrEqual(2);
  });

  test.each(programs.map((code, i) => [i, code]))('example %i type-checks and synthesizes', (index, code) => {
    const { file, outdir } = prepare(code as string, index as number);
    const config = ts.readConfigFile(path.join(root, 'tsconfig.json'), ts.sys.readFile);
    const options = ts.parseJsonConfigFileContent(config.config, ts.sys, root).options;
    const program = ts.createProgram([file], { ...options, noEmit: true, noUnusedLocals: false });
    const problems = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(problems).toEqual([]);

    execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', file], {
      cwd: root, env: { ...process.env, CHECKPOINT_DISABLE: '1' }, stdio: 'pipe',
    });
    const stacks = fs.readdirSync(path.join(outdir, 'stacks'));
    expect(stacks.length).toBeGreaterThan(0);
    for (const stack of stacks) {
      const json = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8'));
      expect(json.provider.docker.length).toBeGreaterThan(0);
    }
  });
});
