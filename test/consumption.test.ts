/**
 * The package as an app repo gets it: `npm pack` (the `prepack` script runs the jsii build: `dist/`
 * and the `.jsii` assembly; the runtime dependencies are bundled), a fresh
 * cdktf TypeScript app in a temporary folder installs the tarball and the peers, type-checks and
 * synthesizes a two-stack app written against `cdktf-docker-production` (not the repo sources),
 * and runs the package's review binary on the output.
 *
 * Gated on npm: the test needs the npm registry or npm's cache (`--prefer-offline` takes the
 * packages this repo installed from the cache). When npm cannot resolve the peers, the suite is
 * reported as skipped with the reason. `SKIP_CONSUMPTION_TEST=1` skips it on purpose;
 * `KEEP_CONSUMER_APP=1` keeps the temporary app for inspection.
 */
import { spawnSync, SpawnSyncReturns } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..');
const PKG = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const DEV: Record<string, string> = PKG.devDependencies;
/** The versions the consumer app pins: the repo's own (exact) dev pins of the peers and tools. */
const CONSUMER_DEPS = {
  'cdktf': DEV.cdktf,
  'constructs': DEV.constructs,
  '@cdktf/provider-docker': DEV['@cdktf/provider-docker'],
};
const CONSUMER_DEV_DEPS = { 'typescript': DEV.typescript, '@types/node': DEV['@types/node'] };
const REVIEW_BIN = 'cdktf-docker-review';
const CONVERT_BIN = 'cdktf-docker-convert';
const EXAMPLE_IMPORT = "from '../../lib';";
/** The runtime dependencies, bundled into the tarball (jsii packages carry theirs). */
const BUNDLED: string[] = PKG.bundledDependencies;

/** The bundled packages and what they depend on, as installed in this repo (npm bundles the closure). */
function bundledClosure(names: string[], seen = new Set<string>()): Set<string> {
  for (const name of names) {
    if (seen.has(name)) continue;
    seen.add(name);
    const meta = JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', name, 'package.json'), 'utf8'));
    bundledClosure(Object.keys(meta.dependencies ?? {}), seen);
  }
  return seen;
}

/** The package a `node_modules/...` path of the tarball belongs to (`@scope/name` or `name`). */
function packageOf(file: string): string {
  const parts = file.split('/');
  return parts[1].startsWith('@') ? `${parts[1]}/${parts[2]}` : parts[1];
}

/** npm's own settings pass through; those of an enclosing `npm test` run do not. */
function cleanEnv(): NodeJS.ProcessEnv {
  const keep = /^npm_config_(cache|registry|userconfig|globalconfig|proxy|https_proxy|http_proxy|noproxy|strict_ssl|cafile|ca|prefer_offline|offline)$/i;
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^npm_/i.test(k) && !keep.test(k)) continue;
    env[k] = v;
  }
  return { ...env, CHECKPOINT_DISABLE: '1', DISABLE_VERSION_CHECK: '1', NO_UPDATE_NOTIFIER: '1', npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };
}

function run(command: string, args: string[], cwd: string, timeoutSeconds: number): SpawnSyncReturns<string> {
  return spawnSync(command, args, { cwd, env: cleanEnv(), encoding: 'utf8', timeout: timeoutSeconds * 1000, maxBuffer: 64 * 1024 * 1024 });
}

function must(command: string, args: string[], cwd: string, timeoutSeconds: number): string {
  const started = Date.now();
  const r = run(command, args, cwd, timeoutSeconds);
  if (r.status !== 0) {
    throw new Error(`\`${command} ${args.join(' ')}\` in ${cwd} failed (status ${r.status}, signal ${r.signal}, ${r.error ?? 'no spawn error'}):\n${r.stdout}\n${r.stderr}`);
  }
  timings.push(`${[command, ...args.slice(0, 2)].map((a) => path.basename(a)).join(' ')}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return r.stdout;
}
const timings: string[] = [];

/** The JSON array `npm pack --json` prints, after whatever a lifecycle script printed before it. */
function packJson(stdout: string): any[] {
  // npm prints the array pretty-printed: a line holding only `[` (the build's log lines may start with `[` too).
  const start = /^\[\s*$/m.test(stdout.split('\n')[0]) ? 0 : stdout.search(/\n\[\s*\n/) + 1;
  if (start < 0 || stdout[start] !== '[') throw new Error(`no JSON in npm pack output:\n${stdout}`);
  return JSON.parse(stdout.slice(start));
}

/** Whether npm can resolve the peers (from its cache or the registry); the reason when not. */
function npmGate(): string | undefined {
  if (process.env.SKIP_CONSUMPTION_TEST === '1') return 'SKIP_CONSUMPTION_TEST=1';
  const r = run('npm', ['view', `cdktf@${DEV.cdktf}`, 'version', '--prefer-offline'], os.tmpdir(), 60);
  if (r.error) return `npm cannot run: ${r.error.message}`;
  if (r.status !== 0 || r.stdout.trim() !== DEV.cdktf) {
    return `npm cannot resolve cdktf@${DEV.cdktf} from its cache or the registry: ${(r.stderr || r.stdout).trim().split('\n').pop()}`;
  }
  return undefined;
}

const skipReason = npmGate();
const suite = skipReason === undefined ? describe : describe.skip;
if (skipReason !== undefined) console.warn(`test/consumption.test.ts skipped: ${skipReason}`);
const title = `consumption of the packed package${skipReason === undefined ? '' : ` (skipped: ${skipReason})`}`;

/**
 * Runs `fn` while holding a lock on this checkout's dist/: the build empties and refills it, so two
 * runs of this test at once (several people running `npm test` in one checkout) would pack each
 * other's half-built output.
 */
function withPackLock(fn: () => void): void {
  const lock = path.join(os.tmpdir(), `cdktf-docker-production-pack-${crypto.createHash('sha256').update(ROOT).digest('hex').slice(0, 12)}.lock`);
  const deadline = Date.now() + 240_000;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const since = fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now();
      if (Date.now() - since > 600_000) fs.rmSync(lock, { recursive: true, force: true }); // left by a killed run
      else if (Date.now() > deadline) throw new Error(`another run has held ${lock} for over 4 minutes`);
      else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
    }
  }
  try {
    fn();
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

/** Every library source file (not declarations, not tests) as the paths it compiles to, without extension. */
function librarySources(dir = path.join(ROOT, 'lib'), rel = ''): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) return librarySources(path.join(dir, e.name), r);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') && !/\.test\.ts$/.test(e.name) ? [r.replace(/\.ts$/, '')] : [];
  });
}

suite(title, () => {
  let tmp: string;
  let appDir: string;
  let packed: any;
  let outdir: string;
  let modules: string[];
  let dryRun: any;
  let tarball: string[];

  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cdktf-docker-consumer-'));
    appDir = path.join(tmp, 'app');
    withPackLock(() => {
      // The library's modules when it is packed (others may add modules while the test runs).
      modules = librarySources();
      // `npm pack` runs `prepack`, which builds dist/ from lib/; the dry run lists what it would pack.
      packed = packJson(must('npm', ['pack', '--json', '--pack-destination', tmp], ROOT, 120))[0];
      dryRun = packJson(must('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], ROOT, 60))[0];
    });
    tarball = must('tar', ['-tzf', path.join(tmp, packed.filename)], tmp, 30).split('\n').filter((l) => l !== '')
      .map((l) => l.replace(/^package\//, '')).sort();

    fs.mkdirSync(appDir);
    const stacks = fs.readFileSync(path.join(ROOT, 'examples', 'multi-stack', 'stacks.ts'), 'utf8');
    expect(stacks.split(EXAMPLE_IMPORT)).toHaveLength(2);
    fs.writeFileSync(path.join(appDir, 'stacks.ts'), stacks.replace(EXAMPLE_IMPORT, "from 'cdktf-docker-production';"));
    fs.cpSync(path.join(ROOT, 'examples', 'reference-app', 'api'), path.join(appDir, 'api'), { recursive: true });
    fs.writeFileSync(path.join(appDir, 'package.json'), JSON.stringify({
      name: 'consumer-app',
      version: '0.0.0',
      private: true,
      dependencies: { 'cdktf-docker-production': `file:../${packed.filename}`, ...CONSUMER_DEPS },
      devDependencies: CONSUMER_DEV_DEPS,
    }, null, 2));
    // The tsconfig of `cdktf init --template=typescript`, with the library's declarations checked too.
    fs.writeFileSync(path.join(appDir, 'tsconfig.json'), JSON.stringify({
      compilerOptions: {
        alwaysStrict: true, declaration: true, experimentalDecorators: true, inlineSourceMap: true, inlineSources: true,
        lib: ['es2018'], module: 'CommonJS', noEmitOnError: true, noFallthroughCasesInSwitch: true, noImplicitAny: true,
        noImplicitReturns: true, noImplicitThis: true, noUnusedLocals: true, noUnusedParameters: true, resolveJsonModule: true,
        strict: true, strictNullChecks: true, strictPropertyInitialization: true, stripInternal: true, target: 'ES2018',
        skipLibCheck: false, types: ['node'],
      },
      include: ['**/*.ts'],
      exclude: ['node_modules', 'cdktf.out'],
    }, null, 2));
    fs.writeFileSync(path.join(appDir, 'cdktf.json'), JSON.stringify({
      language: 'typescript', app: 'npx tsc && node main.js', projectId: 'consumer-app', sendCrashReports: 'false',
      terraformProviders: [], terraformModules: [], context: {},
    }, null, 2));
    fs.writeFileSync(path.join(appDir, 'main.ts'), `import * as path from 'path';
import { App } from 'cdktf';
import { DockerHost, ServiceContainer, ServiceNetwork } from 'cdktf-docker-production';
import { addMultiStack } from './stacks';

const app = new App();
const { platform, apps } = addMultiStack(app, { apiContext: path.join(__dirname, 'api') });
// The apps stack declares no host: it deploys to the platform's.
const host: DockerHost = DockerHost.of(apps);
const services: ServiceContainer[] = host.containers;
const networks: ServiceNetwork[] = apps.web.networks;
if (host !== platform.host || services.length !== 3 || networks[0] !== platform.front) {
  throw new Error('the apps stack does not use the platform host and networks');
}
app.synth();
`);

    must('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], appDir, 180);
    // Type-check (the library's declarations included) and compile, then synthesize as `cdktf synth` would.
    must(process.execPath, [path.join(appDir, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.'], appDir, 120);
    must(process.execPath, ['main.js'], appDir, 60);
    outdir = path.join(appDir, 'cdktf.out');
  }, 300_000);

  afterAll(() => {
    console.log(`consumption test timings:\n  ${timings.join('\n  ')}${process.env.KEEP_CONSUMER_APP === '1' ? `\nconsumer app kept in ${appDir}` : ''}`);
    if (tmp && process.env.KEEP_CONSUMER_APP !== '1') fs.rmSync(tmp, { recursive: true, force: true });
  });

  test('the tarball holds the compiled library, its declarations, the jsii assembly, the bundled dependencies, README, licence and package.json only', () => {
    const files: string[] = dryRun.files.map((f: any) => f.path).sort();
    expect(files).toEqual(packed.files.map((f: any) => f.path).sort());
    expect(files).toEqual(tarball);

    // The bundled runtime dependencies (and only them and what they depend on), each with its package.json.
    const bundled = files.filter((f) => f.startsWith('node_modules/'));
    const closure = bundledClosure(BUNDLED);
    expect([...new Set(bundled.map(packageOf))].filter((p) => !closure.has(p))).toEqual([]);
    for (const dep of BUNDLED) expect(bundled).toContain(`node_modules/${dep}/package.json`);
    expect(packed.bundled.slice().sort()).toEqual(expect.arrayContaining(BUNDLED.slice().sort()));

    const own = files.filter((f) => !f.startsWith('node_modules/'));
    const allowed = /^(package\.json|README\.md|LICENSE|\.jsii|dist\/.+(?<!\.test)\.(js|d\.ts))$/;
    expect(own.filter((f) => !allowed.test(f))).toEqual([]);
    expect(own.filter((f) => /(^|\/)(test|tests|examples|e2e|bench|node_modules|cdktf\.out|lang)\//.test(f))).toEqual([]);
    // Not the other languages' packages (npm run package writes them under dist/<language>).
    expect(own.filter((f) => /^dist\/(js|python|java|go|dotnet)\//.test(f))).toEqual([]);
    const required = ['package.json', 'LICENSE', 'README.md', '.jsii', 'dist/index.js', 'dist/index.d.ts', 'dist/review/cli.js'];
    expect(files).toEqual(expect.arrayContaining(required));
    // Every library module, with its declarations; nothing that is not one.
    const expected = modules.flatMap((m) => [`dist/${m}.js`, `dist/${m}.d.ts`]).sort();
    expect(own.filter((f) => f.startsWith('dist/')).sort()).toEqual(expected);
    expect(fs.readFileSync(path.join(ROOT, 'LICENSE'), 'utf8')).toContain('Apache License');
  });

  test('the installed package.json points at the compiled files and takes cdktf, constructs and the provider as peers', () => {
    const installed = path.join(appDir, 'node_modules', 'cdktf-docker-production');
    const meta = JSON.parse(fs.readFileSync(path.join(installed, 'package.json'), 'utf8'));
    expect(meta.main).toBe('dist/index.js');
    expect(meta.types).toBe('dist/index.d.ts');
    expect(meta.bin).toEqual({ [REVIEW_BIN]: 'dist/review/cli.js', [CONVERT_BIN]: 'dist/compose/convert-cli.js' });
    expect(Object.keys(meta.peerDependencies).sort()).toEqual(['@cdktf/provider-docker', 'cdktf', 'constructs']);
    expect(Object.keys(meta.dependencies).sort()).toEqual(['@balena/dockerignore', 'dockerfile-ast', 'ipaddr.js', 'yaml']);
    // Bundled: installed from the tarball, inside the package, at the versions the repo pins.
    expect((meta.bundledDependencies ?? meta.bundleDependencies).slice().sort()).toEqual(Object.keys(meta.dependencies).sort());
    for (const [dep, version] of Object.entries<string>(meta.dependencies)) {
      const own = JSON.parse(fs.readFileSync(path.join(installed, 'node_modules', dep, 'package.json'), 'utf8'));
      expect(`${dep}@${own.version}`).toBe(`${dep}@${version}`);
    }
    expect(fs.existsSync(path.join(installed, meta.main))).toBe(true);
    expect(fs.existsSync(path.join(installed, meta.types))).toBe(true);
    // One copy of cdktf and constructs: the app's (two would break token resolution and construct checks).
    for (const peer of ['cdktf', 'constructs', '@cdktf/provider-docker']) {
      expect(fs.existsSync(path.join(installed, 'node_modules', peer))).toBe(false);
    }
  });

  test('the installed declarations leave out the @internal members (the build strips them after jsii)', () => {
    const dist = path.join(appDir, 'node_modules', 'cdktf-docker-production', 'dist');
    const declarations = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true })
      .flatMap((e) => (e.isDirectory() ? declarations(path.join(dir, e.name)) : e.name.endsWith('.d.ts') ? [path.join(dir, e.name)] : []));
    const files = declarations(dist);
    expect(files.length).toBeGreaterThan(40);
    expect(files.filter((f) => fs.readFileSync(f, 'utf8').includes('@internal')).map((f) => path.relative(dist, f))).toEqual([]);
    // Members the library itself uses across files are still in the JavaScript.
    expect(fs.readFileSync(path.join(dist, 'docker-host.d.ts'), 'utf8')).not.toContain('_claim(');
    expect(fs.readFileSync(path.join(dist, 'docker-host.js'), 'utf8')).toContain('_claim(');
  });

  test('the jsii assembly describes the package: its constructs, no ValidationError (TypeScript only), Errors for other languages', () => {
    const installed = path.join(appDir, 'node_modules', 'cdktf-docker-production');
    const assembly = JSON.parse(fs.readFileSync(path.join(installed, '.jsii'), 'utf8'));
    expect(assembly.schema).toBe('jsii/0.10.0');
    expect([assembly.name, assembly.version]).toEqual([PKG.name, PKG.version]);
    expect(Object.keys(assembly.targets).sort()).toEqual(['go', 'java', 'js', 'python']);
    expect(assembly.targets.python.module).toBe('cdktf_docker_production');
    const types = Object.keys(assembly.types);
    for (const t of ['ServiceContainer', 'ServiceNetwork', 'DockerHost', 'ProductionChecks', 'Errors', 'ValidationErrorDetails']) {
      expect(types).toContain(`${PKG.name}.${t}`);
    }
    expect(types).not.toContain(`${PKG.name}.ValidationError`);
    const statics = (fqn: string) => (assembly.types[fqn].properties ?? []).filter((p: any) => p.static).map((p: any) => p.name).sort();
    expect(statics(`${PKG.name}.ProductionChecks`)).toEqual(expect.arrayContaining(['METADATA_KEY', 'REVIEW_FILE']));
    expect(statics(`${PKG.name}.MinimalImage`)).toEqual(expect.arrayContaining(['BASE_IMAGE_LABEL', 'CONTEXT_TRIGGER']));
    expect(statics(`${PKG.name}.ServiceContainer`)).toEqual(expect.arrayContaining(['SUPERVISOR_LABEL']));
  });

  test('the two-stack app synthesizes: apps-stack containers attach to networks declared in the platform stack', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8'));
    expect(manifest.stacks.apps.dependencies).toEqual(['platform']);
    const read = (name: string) => JSON.parse(fs.readFileSync(path.join(outdir, manifest.stacks[name].synthesizedStackPath), 'utf8'));
    const platform = read('platform');
    const apps = read('apps');

    expect(apps.resource.docker_network).toBeUndefined();
    expect(apps.provider.docker).toEqual(platform.provider.docker);
    const networkKeys = new Map(Object.entries<any>(platform.resource.docker_network).map(([key, n]) => [`\${docker_network.${key}.name}`, n.name]));
    const containers = Object.values<any>(apps.resource.docker_container);
    expect(containers.map((c) => c.name).sort()).toEqual(['api', 'cache', 'web']);
    const attached: Record<string, string[]> = {};
    for (const c of containers) {
      attached[c.name] = c.networks_advanced.map((n: any) => {
        const m = /^\$\{data\.terraform_remote_state\.([^.]+)\.outputs\.([^}]+)\}$/.exec(n.name);
        expect(m).not.toBeNull();
        const [, remote, output] = m as RegExpExecArray;
        expect(apps.data.terraform_remote_state[remote]).toMatchObject({ backend: 'local' });
        const exported = platform.output[output]?.value;
        expect(networkKeys.has(exported)).toBe(true);
        return networkKeys.get(exported);
      });
    }
    expect(attached).toEqual({ api: ['front', 'back'], cache: ['back'], web: ['front'] });
  });

  test(`the package's review binary (${REVIEW_BIN}) finds no error in the output (exit 0)`, () => {
    expect(fs.existsSync(path.join(appDir, 'node_modules', '.bin', REVIEW_BIN))).toBe(true);
    const r = run('npx', ['--no', REVIEW_BIN, outdir], appDir, 60);
    if (r.status !== 0) throw new Error(`${REVIEW_BIN} exited ${r.status} (${r.error ?? r.signal ?? ''}):\n${r.stdout}\n${r.stderr}`);
    expect(r.stdout).toMatch(/apps/);
    expect(r.stdout).toMatch(/platform/);
  });

  test(`the package's convert binary (${CONVERT_BIN}) turns a compose file into code that imports the package`, () => {
    expect(fs.existsSync(path.join(appDir, 'node_modules', '.bin', CONVERT_BIN))).toBe(true);
    const compose = path.join(ROOT, 'test', 'fixtures', 'compose', 'shop', 'compose.yaml');
    const r = run('npx', ['--no', CONVERT_BIN, compose, '--stdout'], appDir, 60);
    if (r.status !== 0) throw new Error(`${CONVERT_BIN} exited ${r.status} (${r.error ?? r.signal ?? ''}):\n${r.stdout}\n${r.stderr}`);
    expect(r.stdout).toMatch(/from 'cdktf-docker-production'/);
    expect(r.stdout).toMatch(/new ServiceContainer\(/);
  });
});
