/**
 * The convert command: the generated main.ts type-checks against the package (its import
 * 'cdktf-docker-production' mapped to lib/index.ts) and synthesizes the same resources as
 * ComposeProject on the same file, compared modulo resource names and cdktf's metadata.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';
import { App, TerraformStack } from 'cdktf';
import { ComposeProject, ComposeProjectProps, DockerHost } from '../lib';
import { convertCompose } from '../lib/compose/convert';
import { main as cli } from '../lib/compose/convert-cli';
import { normalise } from '../bench/equivalence';

const root = path.join(__dirname, '..');
const fixtures = path.join(__dirname, 'fixtures', 'compose');

interface Case {
  readonly name: string;
  readonly props: Partial<ComposeProjectProps>;
}

const cases: Case[] = [
  { name: 'shop', props: { environment: { API_TOKEN: 'never-in-json' } } },
  { name: 'kitchen', props: {} },
  { name: 'Minimal-App', props: { allowUnpinnedImages: true } },
  { name: 'interpolation', props: { environment: { HOST_PORT: '6500' } } },
  { name: 'profiles', props: { profiles: ['*'] } },
  { name: 'e2e', props: {} },
  { name: 'reuse', props: {} },
  { name: 'secret-env', props: { environment: { API_TOKEN: 'process-env-token-51d2' } } },
];

let work: string;
const generated = new Map<string, { file: string; stackId: string; mainTs: string; outDir: string }>();

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'compose-convert-'));
  for (const c of cases) {
    const outDir = path.join(work, c.name);
    const r = convertCompose({ file: path.join(fixtures, c.name, 'compose.yaml'), outDir, ...c.props });
    fs.mkdirSync(outDir, { recursive: true });
    const file = path.join(outDir, 'main.ts');
    fs.writeFileSync(file, r.mainTs);
    generated.set(c.name, { file, stackId: r.stackId, mainTs: r.mainTs, outDir });
  }
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** Runs a generated program in this process (its imports of the package are this checkout's lib/), synthesizing into `outdir`. */
function runGenerated(g: { file: string; mainTs: string }, outdir: string): void {
  const js = ts.transpileModule(g.mainTs, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true } }).outputText;
  const load = (id: string) => (id === 'cdktf-docker-production' ? require('../lib') : require(id));
  const module = { exports: {} };
  const previous = process.env.CDKTF_OUTDIR;
  process.env.CDKTF_OUTDIR = outdir;
  try {
    new Function('require', 'module', 'exports', '__dirname', '__filename', js)(load, module, module.exports, path.dirname(g.file), g.file);
  } finally {
    if (previous === undefined) delete process.env.CDKTF_OUTDIR;
    else process.env.CDKTF_OUTDIR = previous;
  }
}

function synthCompose(c: Case, stackId: string, outdir: string): void {
  const app = new App({ outdir });
  const stack = new TerraformStack(app, stackId);
  new DockerHost(stack, 'host');
  // The id the generated program gives its scope: the project name.
  new ComposeProject(stack, stackId, { file: path.join(fixtures, c.name, 'compose.yaml'), ...c.props });
  app.synth();
}

const read = (outdir: string, stackId: string) => JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', stackId, 'cdk.tf.json'), 'utf8'));

describe('convert output', () => {
  test('type-checks against the package (strict, as the project compiles)', () => {
    const config = ts.readConfigFile(path.join(root, 'tsconfig.json'), ts.sys.readFile);
    const options = ts.parseJsonConfigFileContent(config.config, ts.sys, root).options;
    const files = [...generated.values()].map((g) => g.file);
    const program = ts.createProgram(files, {
      ...options,
      noEmit: true,
      baseUrl: root,
      paths: { 'cdktf-docker-production': ['lib/index.ts'], '*': ['node_modules/*', 'node_modules/@types/*'] },
      typeRoots: [path.join(root, 'node_modules', '@types')],
      types: ['node'],
    });
    const problems = ts.getPreEmitDiagnostics(program)
      .filter((d) => d.file === undefined || files.includes(path.resolve(d.file.fileName)))
      .map((d) => `${d.file ? path.relative(work, d.file.fileName) : ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
    expect(problems).toEqual([]);
    // Nothing else in the program failed either (the generated code depends on lib/ compiling).
    expect(ts.getPreEmitDiagnostics(program).filter((d) => d.category === ts.DiagnosticCategory.Error && d.file && files.includes(path.resolve(d.file.fileName)))).toHaveLength(0);
  });

  test.each(cases.map((c) => [c.name, c]))('%s: the generated program synthesizes the same resources as ComposeProject', (name, c) => {
    const g = generated.get(name as string)!;
    const genOut = path.join(g.outDir, 'out-generated');
    const libOut = path.join(g.outDir, 'out-compose');
    runGenerated(g, genOut);
    synthCompose(c as Case, g.stackId, libOut);
    const gen = read(genOut, g.stackId);
    const lib = read(libOut, g.stackId);
    expect(Object.keys(lib.resource.docker_container ?? {}).length).toBeGreaterThan(0);
    expect(normalise(gen)).toEqual(normalise(lib));
    expect(gen.variable ?? {}).toEqual(lib.variable ?? {});
    // With the ComposeProject's id as the generated scope's, the Terraform addresses are the same too:
    // moving from ComposeProject to the generated code replaces nothing.
    const addresses = (doc: any) => Object.entries(doc.resource).flatMap(([type, byId]) => Object.keys(byId as object).map((id) => `${type}.${id}`)).sort();
    expect(addresses(gen)).toEqual(addresses(lib));
  });

  test('readable: library constructs, explicit exposure, the library defaults left out, comments where compose keys had no counterpart', () => {
    const shop = generated.get('shop')!.mainTs;
    expect(shop).toContain("import { Construct } from 'constructs';");
    expect(shop).toContain("const project = new Construct(this, 'shop');");
    expect(shop).toMatch(/from 'cdktf-docker-production';/);
    expect(shop).toContain('ports: [\n        PortMapping.public(8080, 80),\n        PortMapping.local(8443, 443),');
    expect(shop).toContain("const backNetwork = new ServiceNetwork(project, 'network-back', {\n      networkName: 'shop_back',\n      internal: true,");
    expect(shop).toContain("secretEnvironment: { API_TOKEN: Secret.fromVariable('API_TOKEN') },");
    expect(shop).not.toContain('never-in-json');
    expect(shop).toContain("context: path.join(__dirname, ");
    expect(shop).toContain('// compose.yaml:83:14 services.cache.expose[0]: expose 6379: no Terraform counterpart');
    expect(shop).toContain("cache.resource.stopSignal = 'SIGINT'; // stop_signal");
    expect(shop).toContain('dependsOn: [cache],');
    // Library defaults are not repeated: no memoryMiB 512, no init true, no readOnlyRootFilesystem true.
    expect(shop).not.toMatch(/memoryMiB: 512|init: true|readOnlyRootFilesystem: true/);
    const minimal = generated.get('Minimal-App')!.mainTs;
    expect(minimal).toContain("hostPath: path.join(os.homedir(), 'app-data')");
    expect(minimal).toContain('// nginx is not pinned (allowUnpinnedImages): the review reports it.');
  });
});

describe('the convert command', () => {
  const io = () => {
    const out: string[] = [];
    const err: string[] = [];
    return { out, err, io: { stdout: (t: string) => out.push(t), stderr: (t: string) => err.push(t) } };
  };

  test('writes main.ts and cdktf.json beside a copy of a compose file; refuses to overwrite main.ts without --force', () => {
    const dir = fs.mkdtempSync(path.join(work, 'cli-'));
    fs.cpSync(path.join(fixtures, 'e2e'), dir, { recursive: true });
    const first = io();
    expect(cli(['compose.yaml'], first.io, dir)).toBe(0);
    expect(first.out.join('')).toMatch(/wrote .*main\.ts and .*cdktf\.json: stack compose-e2e, 2 services, 2 networks, 1 volumes, 2 images/);
    expect(fs.readFileSync(path.join(dir, 'main.ts'), 'utf8')).toContain("new ComposeE2eStack(app, 'compose-e2e');");
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'cdktf.json'), 'utf8'))).toMatchObject({ language: 'typescript', app: 'npx ts-node main.ts' });
    const again = io();
    expect(cli(['compose.yaml'], again.io, dir)).toBe(2);
    expect(again.err.join('')).toMatch(/main\.ts exists: pass --force to overwrite it/);
    expect(cli(['compose.yaml', '--force'], io().io, dir)).toBe(0);
  });

  test('--stdout prints the program; options reach the loader', () => {
    const r = io();
    expect(cli([path.join(fixtures, 'profiles', 'compose.yaml'), '--stdout', '--profile', 'debug', '--project-name', 'p2'], r.io, work)).toBe(0);
    const text = r.out.join('');
    expect(text).toContain("new ServiceContainer(project, 'debug', {");
    expect(text).not.toContain("'metrics'");
    expect(text).toContain("serviceName: 'p2-app-1'");
  });

  test('a refused file: exit 1 and the library error with file, line and key path; bad usage: exit 2', () => {
    const r = io();
    expect(cli([path.join(fixtures, 'Minimal-App', 'compose.yaml'), '--stdout'], r.io, work)).toBe(1);
    expect(r.err.join('')).toMatch(/^cdktf-docker-convert: cdktf-docker-convert: invalid .*Minimal-App\/compose\.yaml:13:12 services\.proxy\.image "nginx": pinned by a tag/);
    expect(cli([path.join(fixtures, 'Minimal-App', 'compose.yaml'), '--stdout', '--allow-unpinned-images'], io().io, work)).toBe(0);
    const u = io();
    expect(cli([], u.io, work)).toBe(2);
    expect(u.err.join('')).toContain('missing <compose.yaml> (see --help)');
    expect(cli(['a.yaml', '--nope'], io().io, work)).toBe(2);
    const h = io();
    expect(cli(['--help'], h.io, work)).toBe(0);
    expect(h.out.join('')).toContain('Usage: cdktf-docker-convert <compose.yaml>');
  });
});
