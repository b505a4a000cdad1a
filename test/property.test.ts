/**
 * Property-based tests over the public constructors and entry points: for thousands of generated
 * prop sets (valid values, edge values, junk of the wrong JavaScript type, Terraform tokens) each
 * run either synthesizes valid JSON or throws the library's `ValidationError`, never anything else.
 *
 * Most properties also carry a model of the rules: a case the model calls valid must synthesize,
 * a case it calls invalid must be rejected, and the rejection must name a construct path and prop
 * the model expected. `maybe` marks values the model does not judge (e.g. random strings).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as fc from 'fast-check';
import { TerraformStack, TerraformVariable, Testing } from 'cdktf';
import {
  ContainerImage, DataVolume, DockerHost, EndpointMode, Healthcheck, MinimalImage, OverlayNetwork, PortMapping, Protocol, RegistryCredentials,
  RegistryPush, RestartCondition, RestartPolicy, Secret, ServiceContainer, ServiceMode, ServiceNetwork, ServicePort, SwarmConfig, SwarmSecret,
  SwarmService, UpdateFailureAction, UpdateOrder, ValidationError,
} from '../lib';

const ctx = path.join(__dirname, '..', 'examples', 'reference-app', 'api');
let outdir: string;
let tmpContext: string;
beforeAll(() => {
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'property-out-'));
  // A second build context, with a multi-stage Dockerfile.
  tmpContext = fs.mkdtempSync(path.join(os.tmpdir(), 'property-ctx-'));
  fs.writeFileSync(path.join(tmpContext, 'Dockerfile'), 'ARG BASE=alpine:3.20\nFROM ${BASE} AS build\nRUN true\nFROM busybox:1.36\nCOPY --from=build /etc/os-release /\n');
  fs.writeFileSync(path.join(tmpContext, 'app.txt'), 'hello');
});
afterAll(() => {
  fs.rmSync(outdir, { recursive: true, force: true });
  fs.rmSync(tmpContext, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------
// The harness
// ---------------------------------------------------------------------------------------------

/** One run's stack and the things generated values may refer to (created on first use). */
class Run {
  public readonly stack: TerraformStack;
  private tokens = 0;
  private cache = new Map<string, unknown>();

  constructor() {
    this.stack = new TerraformStack(Testing.app({ outdir }), 's');
  }

  /** A number token: a Terraform variable of this stack. */
  public num(): number {
    return new TerraformVariable(this.stack, `tok${this.tokens++}`, { type: 'number' }).numberValue;
  }

  /** A string token: a Terraform variable of this stack. */
  public str(): string {
    return new TerraformVariable(this.stack, `tok${this.tokens++}`, { type: 'string' }).stringValue;
  }

  public once<T>(key: string, make: () => T): T {
    if (!this.cache.has(key)) this.cache.set(key, make());
    return this.cache.get(key) as T;
  }
}

/** A generated value: how to make it in a run, how to show it, and what the model says of it. */
interface F<T = unknown> {
  readonly make: (run: Run) => T;
  readonly show: string;
  /** Props (relative to the construct, as prefixes) that must be rejected. */
  readonly bad: readonly string[];
  /** Props the model does not judge: a rejection naming them is fine, so is acceptance. */
  readonly maybe: readonly string[];
}

const ok = <T>(value: T): F<T> => ({ make: () => value, show: fc.stringify(value), bad: [], maybe: [] });
const no = (prop: string) => <T>(value: T): F<T> => ({ make: () => value, show: fc.stringify(value), bad: [prop], maybe: [] });
const numToken: F<number> = { make: (r) => r.num(), show: '<number token>', bad: [], maybe: [] };
const strToken: F<string> = { make: (r) => r.str(), show: '<string token>', bad: [], maybe: [] };
const UNDEFINED = ok(undefined);

/** Marks every verdict of `f` as belonging to `prop` (a composite value is judged as one prop). */
function as<T>(prop: string, f: F<T>): F<T> {
  return { ...f, bad: f.bad.length > 0 ? [prop] : [], maybe: f.maybe.length > 0 ? [prop] : [] };
}

/** A list of generated values as one value. */
function list<T>(items: readonly F<T>[]): F<T[]> {
  return {
    make: (r) => items.map((i) => i.make(r)),
    show: `[${items.map((i) => i.show).join(', ')}]`,
    bad: items.flatMap((i) => i.bad),
    maybe: items.flatMap((i) => i.maybe),
  };
}

/** An object of generated values as one value. */
function record(fields: Readonly<Record<string, F>>): F<Record<string, unknown>> {
  const entries = Object.entries(fields);
  return {
    make: (r) => Object.fromEntries(entries.map(([k, f]) => [k, f.make(r)])),
    show: `{ ${entries.filter(([, f]) => f.show !== 'undefined').map(([k, f]) => `${k}: ${f.show}`).join(', ')} }`,
    bad: entries.flatMap(([, f]) => f.bad),
    maybe: entries.flatMap(([, f]) => f.maybe),
  };
}

/** A value made by calling `fn` with generated arguments (a static factory, usually). */
function call<T>(name: string, args: readonly F[], fn: (...a: any[]) => T, verdict: { bad?: string[]; maybe?: string[] } = {}): F<T> {
  return {
    make: (r) => fn(...args.map((a) => a.make(r))),
    show: `${name}(${args.map((a) => a.show).join(', ')})`,
    bad: [...args.flatMap((a) => a.bad), ...(verdict.bad ?? [])],
    maybe: [...args.flatMap((a) => a.maybe), ...(verdict.maybe ?? [])],
  };
}

/** Values of the wrong JavaScript type: everything but the kinds a prop accepts. */
type Kind = 'string' | 'number' | 'boolean' | 'array' | 'object' | 'null';
const JUNK: [Kind | 'other', fc.Arbitrary<unknown>][] = [
  ['string', fc.string({ maxLength: 6 }).map((s) => `j${s}`)],
  ['number', fc.oneof(fc.integer({ min: -5, max: 99999 }), fc.double(), fc.constantFrom(NaN, Infinity, -Infinity, -0))],
  ['boolean', fc.boolean()],
  ['array', fc.constantFrom([], [1], ['x', 2], [null])],
  ['object', fc.constantFrom({}, { a: 1 }, { a: 'x' }, Object.create(null))],
  ['null', fc.constant(null)],
  ['other', fc.constantFrom(Symbol('junk'), () => 'fn', 10n, new Date(0), new Map([['a', 'b']]), /re/)],
];
function junk(...accepted: Kind[]): fc.Arbitrary<unknown> {
  return fc.oneof(...JUNK.filter(([k]) => !accepted.includes(k as Kind)).map(([, a]) => a));
}

/** One generated case: how to build it, and the verdicts as `<construct path> <prop>` prefixes. */
interface Case {
  readonly show: string;
  readonly bad: readonly string[];
  readonly maybe: readonly string[];
  readonly build: (run: Run) => void;
}

function scoped(where: string, f: { bad: readonly string[]; maybe: readonly string[] }): { bad: string[]; maybe: string[] } {
  return { bad: f.bad.map((p) => `${where} ${p}`), maybe: f.maybe.map((p) => `${where} ${p}`) };
}

/** `key` (`<path> <prop>`) is `entry` or lies under it (`entry.x`, `entry[0]`). */
function covers(entry: string, key: string): boolean {
  return key === entry || key.startsWith(`${entry}.`) || key.startsWith(`${entry}[`);
}

interface Tally { runs: number; synthesized: number; rejected: number }
const tallies = new Map<string, Tally>();

/** Patterns that must never reach synthesized JSON: leaked tokens, junk stringified. */
const LEAKS: [string, RegExp][] = [
  ['an unresolved token', /\$\{TfToken\[|#\{TfToken/],
  ['a number token as its raw double', /\d\.\d+e[+-]\d{2,3}/],
  ['an undefined value', /"undefined"|=undefined|:undefined|undefined\//],
  ['a stringified object', /\[object /],
  ['NaN', /NaN/],
  ['a symbol', /Symbol\(/],
];

/** Builds and synthesizes one case; throws (failing the property) when the outcome breaks the contract or the model. */
function judge(name: string, c: Case): void {
  const tally = tallies.get(name) ?? { runs: 0, synthesized: 0, rejected: 0 };
  tallies.set(name, tally);
  tally.runs++;
  const run = new Run();
  let json: string | undefined;
  let error: unknown;
  try {
    c.build(run);
    json = Testing.synth(run.stack, true);
  } catch (e) {
    error = e;
  }
  if (error !== undefined) {
    if (!(error instanceof ValidationError)) {
      const e = error as Error;
      Error.prepareStackTrace = formatStack; // V8 formats a stack on first read: make this one readable
      const stack = String(e?.stack ?? '');
      Error.prepareStackTrace = noStack;
      throw new Error(`not a ValidationError: ${e?.constructor?.name}: ${e?.message}\n${stack}`);
    }
    // Every problem the error reports (several at once when one props object had several), each well formed and expected.
    if (error.problems.length > 1 && error.message !== `${error.problems.length} problems in ${error.constructPath}:\n${error.problems.map((p) => `  - ${p.message}`).join('\n')}`) {
      throw new Error(`malformed combined message: ${error.message}`);
    }
    for (const problem of error.problems) {
      const key = `${problem.constructPath} ${problem.prop}`;
      if (!problem.message.startsWith(`${problem.constructPath}: invalid ${problem.prop} `) || !problem.message.endsWith(`: ${problem.allowed}`) || problem.allowed.length < 4) {
        throw new Error(`malformed message: ${problem.message}`);
      }
      if (c.bad.length === 0 && c.maybe.length === 0) throw new Error(`valid input rejected: ${problem.message}`);
      if (![...c.bad, ...c.maybe].some((entry) => covers(entry, key))) {
        throw new Error(`rejected for ${key}, the model expected one of: ${[...c.bad, ...c.maybe].join('; ')}\n${problem.message}`);
      }
    }
    tally.rejected++;
    return;
  }
  if (c.bad.length > 0) throw new Error(`invalid input accepted (${c.bad.join('; ')})`);
  const parsed = JSON.parse(json as string);
  if (typeof parsed !== 'object' || parsed === null) throw new Error('synthesized JSON is not an object');
  for (const [what, pattern] of LEAKS) {
    const m = pattern.exec(json as string);
    if (m) throw new Error(`synthesized JSON holds ${what}: ...${(json as string).slice(Math.max(0, m.index - 80), m.index + 80)}...`);
  }
  tally.synthesized++;
}

/**
 * cdktf captures a complete stack trace for every token it creates (`Lazy`, attribute references);
 * under jest each trace is then source-mapped frame by frame, which costs more than building and
 * synthesizing the stack. The properties suspend that formatting while they run; a failing case's
 * error gets its stack formatted normally (see `judge`).
 */
const formatStack = Error.prepareStackTrace;
const noStack = (): string => '';

/** Shows a case in a counterexample as the calls it makes and the model's verdicts. */
function printable(c: Case): Case {
  return Object.assign(Object.create({
    [fc.toStringMethod]: () => `${c.show}\n  model: ${c.bad.length > 0 ? `invalid (${c.bad.join('; ')})` : c.maybe.length > 0 ? 'unjudged' : 'valid'}`,
  }), c);
}

function runProperty(name: string, arb: fc.Arbitrary<Case>, numRuns: number): void {
  Error.prepareStackTrace = noStack;
  try {
    fc.assert(fc.property(arb.map(printable), (c) => judge(name, c)), { numRuns });
  } finally {
    Error.prepareStackTrace = formatStack;
  }
  const tally = tallies.get(name) as Tally;
  expect(tally.runs).toBe(numRuns);
  // Both outcomes must be common, or the generators have degenerated.
  expect(tally.synthesized).toBeGreaterThan(numRuns * 0.05);
  expect(tally.rejected).toBeGreaterThan(numRuns * 0.05);
}

/** Good values for every field, a few fields replaced by bad ones (so that about a third of the cases are valid). */
function perturbed<T extends F>(goods: Record<string, fc.Arbitrary<T>>, bads: Record<string, fc.Arbitrary<T>>, maxBad = 2): fc.Arbitrary<Record<string, T>> {
  const keys = Object.keys(bads);
  return fc.tuple(fc.record(goods), fc.record(bads), fc.subarray(keys, { maxLength: maxBad })).map(([g, b, chosen]) => {
    const out: Record<string, T> = { ...g };
    for (const k of chosen) out[k] = b[k];
    return out;
  });
}

// ---------------------------------------------------------------------------------------------
// Generators shared by the properties
// ---------------------------------------------------------------------------------------------

/** An integer prop within [min, max] (tokens allowed); `nullIsDefault` when the constructor applies its default with `??`. */
function intProp(prop: string, min: number, max: number, nullIsDefault: boolean): { good: fc.Arbitrary<F>; bad: fc.Arbitrary<F> } {
  return {
    good: fc.oneof(
      fc.constantFrom(UNDEFINED, ok(min), ok(max), numToken, ...(nullIsDefault ? [ok(null)] : [])),
      fc.integer({ min, max }).map(ok),
    ),
    bad: fc.oneof(
      fc.constantFrom(min - 1, max + 1, min + 0.5, NaN, Infinity, -Infinity).map(no(prop)),
      fc.integer({ min: max + 1 }).map(no(prop)),
      fc.integer({ max: min - 1 }).map(no(prop)),
      junk('number', ...(nullIsDefault ? ['null' as const] : [])).map(no(prop)),
    ),
  };
}

function boolProp(prop: string): { good: fc.Arbitrary<F>; bad: fc.Arbitrary<F> } {
  return { good: fc.constantFrom(UNDEFINED, ok(true), ok(false)), bad: junk('boolean').map(no(prop)) };
}

const PINNED_REFS = [
  'redis:7.4-alpine', 'nginx:1.27-alpine', 'busybox:1.36', 'localhost:5000/team/api:1.4.2', 'registry.example.com:443/a/b-c_d.e:v1',
  `busybox@sha256:${'ab'.repeat(32)}`, `ghcr.io/org/app:2.0@sha256:${'0f'.repeat(32)}`, '[::1]:5000/x:1',
];
const BAD_REFS = ['redis', 'redis:latest', '', ' ', 'Redis:7', 'a b:1', 'redis:', ':1', 'redis:-1', 'redis@sha256:xyz', '/redis:1', 'localhost:70000/x:1', `x:${'t'.repeat(129)}`];

/** An image as a container prop: `ContainerImage.fromRegistry` with pinned, unpinned and junk references, or junk. */
const imageGood: fc.Arbitrary<F> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...PINNED_REFS).map((ref) => call('ContainerImage.fromRegistry', [ok(ref)], ContainerImage.fromRegistry)) },
  { weight: 1, arbitrary: fc.stringMatching(/^[a-z0-9]{1,8}(\/[a-z0-9]{1,6})?:[0-9][a-z0-9.]{0,6}$/).map((ref) => call('ContainerImage.fromRegistry', [ok(ref)], ContainerImage.fromRegistry)) },
  { weight: 1, arbitrary: fc.constant(call('ContainerImage.fromRegistry', [strToken], ContainerImage.fromRegistry)) },
  {
    weight: 1,
    arbitrary: fc.record({ keepLocally: fc.constantFrom(undefined, true, false), platform: fc.constantFrom(undefined, 'linux/amd64', 'linux/arm64') })
      .map((o) => call('ContainerImage.fromRegistry', [ok('redis:7.4-alpine'), ok(o)], ContainerImage.fromRegistry)),
  },
);
const imageBad: fc.Arbitrary<F> = fc.oneof(
  fc.constantFrom(...BAD_REFS).map((ref) => call('ContainerImage.fromRegistry', [ok(ref)], ContainerImage.fromRegistry, { bad: ['image'] })),
  junk('string').map((ref) => call('ContainerImage.fromRegistry', [ok(ref)], ContainerImage.fromRegistry, { bad: ['image'] })),
  fc.string({ maxLength: 12 }).map((ref) => call('ContainerImage.fromRegistry', [ok(ref)], ContainerImage.fromRegistry, { maybe: ['image'] })),
  // Options that are not a plain object are refused, and so are unknown keys in one (FromRegistryOptions has keepLocally and platform).
  junk('null').map((o) => call('ContainerImage.fromRegistry', [ok('redis:7.4-alpine'), ok(o)], ContainerImage.fromRegistry,
    o !== null && typeof o === 'object' && !Array.isArray(o) && [Object.prototype, null].includes(Object.getPrototypeOf(o)) && Object.keys(o).length === 0
      ? {} : { bad: ['image'] })),
  fc.record({ keepLocally: junk('boolean') }).map((o) => call('ContainerImage.fromRegistry', [ok('redis:7.4-alpine'), ok(o)], ContainerImage.fromRegistry, { bad: ['image'] })),
  fc.oneof(junk(), fc.constantFrom('redis:7.4-alpine', { bind: () => ({}) })).map(no('image')),
);

const HOST_IPS = ['0.0.0.0', '127.0.0.1', '::', '::1', '10.0.0.5'];
const portNumber = (prop: string): fc.Arbitrary<F> => fc.oneof(
  { weight: 6, arbitrary: fc.oneof(fc.constantFrom(1, 80, 443, 8080, 65535), fc.integer({ min: 1, max: 65535 })).map(ok) },
  { weight: 1, arbitrary: fc.constant(numToken) },
  { weight: 2, arbitrary: fc.constantFrom(0, -1, 65536, 80.5, NaN, Infinity, undefined, null, '80', true).map(no(prop)) },
);

/** One published port, from one of the factories. */
const portSpec = fc.record({
  factory: fc.constantFrom('public', 'local', 'onInterface'),
  ip: fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...HOST_IPS).map(ok) }, { weight: 1, arbitrary: fc.constant(strToken) },
    { weight: 1, arbitrary: fc.constantFrom('localhost', '', '300.1.1.1', 5, null).map(no('ip')) }),
  hostPort: portNumber('hostPort'),
  containerPort: portNumber('containerPort'),
  protocol: fc.oneof({ weight: 6, arbitrary: fc.constantFrom(undefined, Protocol.TCP, Protocol.UDP, Protocol.SCTP).map(ok) },
    { weight: 1, arbitrary: fc.constantFrom('icmp', 'TCP', '', 6).map(no('protocol')) }),
});
type PortSpec = typeof portSpec extends fc.Arbitrary<infer T> ? T : never;

/** Ports as a prop, with the model of host claims: the same port and protocol on one address (or a wildcard) twice is an error. */
function portsField(specs: PortSpec[]): F {
  const claims: { ip: string; key: string }[] = [];
  const containerPorts = new Set<unknown>();
  const items = specs.map((s, i): F => {
    const ipF = s.factory === 'public' ? ok('0.0.0.0') : s.factory === 'local' ? ok('127.0.0.1') : s.ip;
    const args = s.factory === 'onInterface' ? [ipF, s.hostPort, s.containerPort, s.protocol] : [s.hostPort, s.containerPort, s.protocol];
    const fn = s.factory === 'public' ? PortMapping.public : s.factory === 'local' ? PortMapping.local : PortMapping.onInterface;
    const f = call(`PortMapping.${s.factory}`, args, fn);
    let clash = false;
    if (f.bad.length === 0) {
      const literal = (x: F) => x !== numToken && x !== strToken;
      // One binding per container port (whatever the protocol): the provider reads several back in another order.
      const cp = literal(s.containerPort) ? s.containerPort.make(undefined as unknown as Run) : undefined;
      if (cp !== undefined && containerPorts.has(cp)) clash = true;
      const claim = literal(ipF) && literal(s.hostPort) && literal(s.protocol)
        ? { ip: ipF.make(undefined as unknown as Run) as string, key: `${s.hostPort.make(undefined as unknown as Run)}/${s.protocol.make(undefined as unknown as Run) ?? 'tcp'}` }
        : undefined;
      const wildcard = (x: string) => x === '0.0.0.0' || x === '::';
      if (claim && claims.some((c) => c.key === claim.key && (c.ip === claim.ip || wildcard(c.ip) || wildcard(claim.ip)))) clash = true;
      // A refused port publishes nothing: it claims neither its container port nor its host address.
      if (!clash) {
        if (cp !== undefined) containerPorts.add(cp);
        if (claim) claims.push(claim);
      }
    }
    return { ...as(`ports[${i}]`, f), bad: f.bad.length > 0 || clash ? [`ports[${i}]`] : [] };
  });
  return list(items);
}

// ---------------------------------------------------------------------------------------------
// ServiceContainer
// ---------------------------------------------------------------------------------------------

const CONTAINER_PATHS = ['/data', '/var/cache/nginx', '/run', '/tmp', '/srv/x'];
const BAD_CONTAINER_PATHS = ['data', '/a/../b', '', './x', 'C:\\x', 5, null, undefined];
const containerPath = fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...CONTAINER_PATHS).map(ok) }, { weight: 1, arbitrary: fc.constant(strToken) },
  { weight: 1, arbitrary: fc.constantFrom(...BAD_CONTAINER_PATHS).map(no('path')) });

const ENV_NAME = fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,5}$/);
const SAFE_TEXT = fc.stringMatching(/^[a-z0-9 ._:/-]{0,12}$/);

/** A health check from one of the factories, with options. */
const healthOptions = fc.record({
  intervalSeconds: fc.oneof({ weight: 5, arbitrary: intProp('healthcheck', 1, 86400, true).good }, intProp('healthcheck', 1, 86400, true).bad),
  timeoutSeconds: fc.oneof({ weight: 5, arbitrary: intProp('healthcheck', 1, 3600, true).good }, intProp('healthcheck', 1, 3600, true).bad),
  retries: fc.oneof({ weight: 5, arbitrary: intProp('healthcheck', 1, 100, true).good }, intProp('healthcheck', 1, 100, true).bad),
  startPeriodSeconds: fc.oneof({ weight: 5, arbitrary: intProp('healthcheck', 0, 86400, true).good }, intProp('healthcheck', 0, 86400, true).bad),
}).map((o) => as('healthcheck', record(o)));
const healthOptionsOrJunk = fc.oneof({ weight: 4, arbitrary: healthOptions }, { weight: 1, arbitrary: fc.constantFrom(UNDEFINED, ok(null)) },
  { weight: 1, arbitrary: fc.constantFrom('x', 5, [], true).map(no('healthcheck')) });
const healthcheckGood: fc.Arbitrary<F> = fc.oneof(
  fc.tuple(fc.array(SAFE_TEXT.filter((s) => s !== ''), { minLength: 1, maxLength: 3 }), healthOptions)
    .map(([cmd, o]) => call('Healthcheck.command', [ok(cmd), o], Healthcheck.command)),
  fc.tuple(SAFE_TEXT.filter((s) => s !== ''), healthOptions).map(([script, o]) => call('Healthcheck.shell', [ok(script), o], Healthcheck.shell)),
  fc.tuple(fc.integer({ min: 1, max: 65535 }), fc.constantFrom(undefined, '/', '/health', '/a?b=1'), healthOptions)
    .map(([port, p, o]) => call('Healthcheck.http', [ok(port), ok(p), o], Healthcheck.http)),
  fc.constant(call('Healthcheck.http', [numToken, strToken], Healthcheck.http)),
  fc.tuple(fc.oneof(fc.integer({ min: 1, max: 65535 }).map(ok), fc.constant(numToken)), healthOptions).map(([port, o]) => call('Healthcheck.tcp', [port, o], Healthcheck.tcp)),
);
const healthcheckBad: fc.Arbitrary<F> = fc.oneof(
  fc.tuple(fc.constantFrom([], [''], 'redis-cli ping', 5, null, undefined, [1], ['a', 2]), healthOptionsOrJunk)
    .map(([cmd, o]) => call('Healthcheck.command', [ok(cmd), o], Healthcheck.command, { bad: ['healthcheck'] })),
  fc.tuple(fc.constantFrom('', 5, undefined, null, ['x']), healthOptionsOrJunk).map(([script, o]) => call('Healthcheck.shell', [ok(script), o], Healthcheck.shell, { bad: ['healthcheck'] })),
  fc.tuple(fc.constantFrom(0, 65536, 1.5, NaN, undefined, null, '80', Symbol('p')), fc.constantFrom(undefined, '/')).map(([port, p]) => call('Healthcheck.http', [ok(port), ok(p)], Healthcheck.http, { bad: ['healthcheck'] })),
  fc.tuple(fc.constantFrom(80, 8080), fc.constantFrom('health', '/a b', 5, null, Symbol('path'))).map(([port, p]) => call('Healthcheck.http', [ok(port), ok(p)], Healthcheck.http, { bad: ['healthcheck'] })),
  fc.constantFrom(0, undefined, null, 'x', {}).map((port) => call('Healthcheck.tcp', [ok(port)], Healthcheck.tcp, { bad: ['healthcheck'] })),
  fc.tuple(fc.constantFrom(80), healthOptions.filter((o) => o.bad.length > 0)).map(([port, o]) => call('Healthcheck.tcp', [ok(port), o], Healthcheck.tcp)),
  fc.constantFrom({}, 'CMD true', ['CMD', 'true'], null).map(no('healthcheck')),
);

const CAPS = ['NET_BIND_SERVICE', 'chown', 'CAP_SYS_TIME', 'net_raw'];
const LABEL_KEY = fc.stringMatching(/^[a-z][a-z0-9.-]{0,10}$/);

const memory = intProp('memoryMiB', 6, 1024 * 1024, true);
const ints = {
  tmpfsSizeMiB: intProp('tmpfsSizeMiB', 1, 1024 * 1024, true),
  logMaxSizeMiB: intProp('logMaxSizeMiB', 1, 10240, true),
  logMaxFiles: intProp('logMaxFiles', 1, 100, true),
  stopTimeoutSeconds: intProp('stopTimeoutSeconds', 0, 3600, true),
  waitTimeoutSeconds: intProp('waitTimeoutSeconds', 1, 3600, true),
};
const bools = {
  init: boolProp('init'),
  dropAllCapabilities: boolProp('dropAllCapabilities'),
  noNewPrivileges: boolProp('noNewPrivileges'),
  readOnlyRootFilesystem: boolProp('readOnlyRootFilesystem'),
};

/** A field of the props: a partial props object with verdicts. */
type Field = fc.Arbitrary<F<Record<string, unknown>>>;
const single = (prop: string, arb: fc.Arbitrary<F>): Field => arb.map((f) => record({ [prop]: f }));
const network = (r: Run) => r.once('net', () => new ServiceNetwork(r.stack, 'net'));

/** environment and secretEnvironment together: one name in both is an error. */
function envField(env: Record<string, F> | undefined, secrets: Record<string, F> | undefined): F<Record<string, unknown>> {
  const both = Object.keys(env ?? {}).filter((k) => Object.keys(secrets ?? {}).includes(k));
  const f = record({ environment: env ? as('environment', record(env)) : UNDEFINED, secretEnvironment: secrets ? as('secretEnvironment', record(secrets)) : UNDEFINED });
  return { ...f, bad: [...f.bad, ...(both.length > 0 ? ['secretEnvironment'] : [])] };
}
const envValue = fc.oneof(SAFE_TEXT.map(ok), fc.constantFrom(strToken, numToken));
const secretValue = fc.stringMatching(/^sec_[a-z]{1,5}$/).map((v) => call('Secret.fromVariable', [ok(v)], Secret.fromVariable));
const envGood: Field = fc.tuple(
  fc.option(fc.dictionary(ENV_NAME, envValue, { maxKeys: 4 })),
  fc.option(fc.dictionary(fc.oneof(ENV_NAME, ENV_NAME.map((n) => `S_${n}`)), secretValue, { maxKeys: 2 })),
).map(([env, secrets]) => envField(env ?? undefined, secrets ?? undefined)).filter((f) => f.bad.length === 0);
const envBad: Field = fc.oneof(
  fc.constantFrom('1A', 'A-B', 'A B', '', 'É').map((name) => envField({ OK: ok('x'), [name]: no('x')('v') }, undefined)),
  junk('string', 'null').map((v) => envField({ A: no('x')(v) }, undefined)),
  junk('object').map((v) => record({ environment: no('environment')(v) })),
  fc.constantFrom('1x', '', 'a b').map((v) => envField(undefined, { S: call('Secret.fromVariable', [ok(v)], Secret.fromVariable, { bad: ['x'] }) })),
  junk('string').map((v) => envField(undefined, { S: call('Secret.fromVariable', [ok(v)], Secret.fromVariable, { bad: ['x'] }) })),
  junk().map((v) => envField(undefined, { S: call('Secret.fromTerraformVariable', [ok(v)], Secret.fromTerraformVariable, { bad: ['x'] }) })),
  fc.constantFrom('x', 5, null, {}).map((v) => envField(undefined, { S: no('x')(v) })),
  fc.constant(envField({ DUP: ok('x') }, { DUP: call('Secret.fromVariable', [ok('sec_dup')], Secret.fromVariable) })),
  junk('object').map((v) => record({ secretEnvironment: no('secretEnvironment')(v) })),
);

/** healthcheck and waitForHealthy together: waiting needs a check. */
const healthGood: Field = fc.tuple(fc.option(healthcheckGood, { freq: 3 }), fc.constantFrom(undefined, false, true))
  .map(([check, wait]) => record({ healthcheck: check ?? UNDEFINED, waitForHealthy: wait === true && !check ? no('waitForHealthy')(wait) : ok(wait) }))
  .filter((f) => f.bad.length === 0);
const healthBad: Field = fc.oneof(
  fc.tuple(healthcheckBad, fc.constantFrom(undefined, false)).map(([check, wait]) => record({ healthcheck: check, waitForHealthy: ok(wait) })),
  fc.constant(record({ healthcheck: UNDEFINED, waitForHealthy: no('waitForHealthy')(true) })),
  junk('boolean').map((wait) => record({ healthcheck: UNDEFINED, waitForHealthy: no('waitForHealthy')(wait) })),
);

const restartGood: Field = fc.oneof(
  fc.constantFrom(undefined, null, ...Object.values(RestartPolicy)).map((p) => record({ restartPolicy: ok(p), maxRetryCount: UNDEFINED })),
  fc.oneof(fc.integer({ min: 0, max: 1000 }).map(ok), fc.constant(numToken)).map((n) => record({ restartPolicy: ok(RestartPolicy.ON_FAILURE), maxRetryCount: n })),
  fc.constant(record({ restartPolicy: strToken, maxRetryCount: ok(3) })),
);
const restartBad: Field = fc.oneof(
  fc.constantFrom('sometimes', 'ALWAYS', '', 5).map((p) => record({ restartPolicy: no('restartPolicy')(p), maxRetryCount: UNDEFINED })),
  fc.tuple(fc.constantFrom(undefined, RestartPolicy.ALWAYS, RestartPolicy.NO, RestartPolicy.UNLESS_STOPPED), fc.integer({ min: 0, max: 5 }))
    .map(([p, n]) => record({ restartPolicy: ok(p), maxRetryCount: no('maxRetryCount')(n) })),
  fc.constantFrom(-1, 1001, 1.5, null, '3').map((n) => record({ restartPolicy: ok(RestartPolicy.ON_FAILURE), maxRetryCount: no('maxRetryCount')(n) })),
);

/** A mount list: the model of "each container path once" over /tmp, writable paths (tmpfs), volumes and bind mounts in that order. */
const mountSpec = fc.record({
  writablePaths: fc.option(fc.array(containerPath, { maxLength: 3 }), { freq: 2 }),
  volumes: fc.option(fc.array(fc.tuple(containerPath, fc.oneof({ weight: 4, arbitrary: fc.constantFrom('volume', undefined) }, { weight: 1, arbitrary: fc.constantFrom({}, null, 'data') }),
    fc.constantFrom(undefined, true, false, 'yes')), { maxLength: 2 }), { freq: 2 }),
  bindMounts: fc.option(fc.array(fc.tuple(fc.oneof({ weight: 5, arbitrary: fc.constantFrom('/srv/config', '/etc/app') }, { weight: 1, arbitrary: fc.constantFrom('srv', '', undefined, null, 5) }),
    containerPath, fc.constantFrom(undefined, true, false, 'yes')), { maxLength: 2 }), { freq: 2 }),
});
function mountsField(m: typeof mountSpec extends fc.Arbitrary<infer T> ? T : never): F<Record<string, unknown>> {
  const bad: string[] = [];
  const mounted = new Set(['/tmp']);
  const claim = (prop: string, p: F, tmpfs: boolean): void => {
    if (p.bad.length > 0) bad.push(prop);
    else if (p !== strToken) {
      const value = p.make(undefined as unknown as Run) as string;
      if (mounted.has(value) && !(tmpfs && value === '/tmp')) bad.push(prop);
      mounted.add(value);
    }
  };
  m.writablePaths?.forEach((p, i) => claim(`writablePaths[${i}]`, p, true));
  m.volumes?.forEach(([p, volume, readOnly], i) => {
    if (volume !== 'volume' && volume !== undefined) bad.push(`volumes[${i}]`);
    if (volume === undefined) bad.push(`volumes[${i}]`);
    if (readOnly === 'yes') bad.push(`volumes[${i}]`);
    claim(`volumes[${i}]`, p, false);
  });
  m.bindMounts?.forEach(([hostPath, p, readOnly], i) => {
    if (typeof hostPath !== 'string' || !hostPath.startsWith('/')) bad.push(`bindMounts[${i}]`);
    if (readOnly === 'yes') bad.push(`bindMounts[${i}]`);
    claim(`bindMounts[${i}]`, p, false);
  });
  return {
    make: (r) => ({
      writablePaths: m.writablePaths?.map((p) => p.make(r)),
      volumes: m.volumes?.map(([p, volume, readOnly]) => ({
        volume: volume === 'volume' ? r.once('volume', () => new DataVolume(r.stack, 'data')) : volume, containerPath: p.make(r), readOnly,
      })),
      bindMounts: m.bindMounts?.map(([hostPath, p, readOnly]) => ({ hostPath, containerPath: p.make(r), readOnly })),
    }),
    show: `{ writablePaths: ${m.writablePaths ? list(m.writablePaths).show : 'undefined'}, volumes: ${fc.stringify(m.volumes?.map(([p, v, ro]) => [p.show, v, ro]))}, bindMounts: ${fc.stringify(m.bindMounts?.map(([h, p, ro]) => [h, p.show, ro]))} }`,
    bad,
    maybe: [],
  };
}
const mountsGood: Field = mountSpec.map(mountsField).filter((f) => f.bad.length === 0);
const mountsBad: Field = fc.oneof(
  mountSpec.map(mountsField).filter((f) => f.bad.length > 0),
  fc.tuple(fc.constantFrom('writablePaths', 'volumes', 'bindMounts'), junk('array')).map(([prop, v]) => record({ [prop]: no(prop)(v) })),
  fc.constantFrom([null], [5], ['x']).map((v) => record({ volumes: no('volumes')(v) })),
  fc.constantFrom([null], [5], ['x'], [{ containerPath: '/config' }], [{ hostPath: '/srv' }]).map((v) => record({ bindMounts: no('bindMounts')(v) })),
);

/** The props of a ServiceContainer `s/svc`, with the model's verdicts. */
const containerFields = perturbed({
  image: single('image', imageGood),
  // Undefined or null: the name is the construct id, 'svc'. 'c1': the shortest name Docker takes (two characters).
  serviceName: single('serviceName', fc.oneof(fc.constantFrom(UNDEFINED, ok(null), strToken, ok('c1')), fc.stringMatching(/^svc-[a-z0-9_.-]{1,8}$/).map(ok))),
  memoryMiB: single('memoryMiB', memory.good),
  cpus: single('cpus', fc.oneof(fc.constantFrom(UNDEFINED, ok(1024), numToken), fc.double({ min: 0.01, max: 1024, noNaN: true }).map(ok))),
  restart: restartGood,
  ...Object.fromEntries(Object.entries(ints).map(([k, v]) => [k, single(k, v.good)])),
  ...Object.fromEntries(Object.entries(bools).map(([k, v]) => [k, single(k, v.good)])),
  command: single('command', fc.oneof(fc.constant(UNDEFINED), fc.array(SAFE_TEXT, { minLength: 1, maxLength: 3 }).map(ok))),
  entrypoint: single('entrypoint', fc.oneof(fc.constant(UNDEFINED), fc.array(SAFE_TEXT, { minLength: 1, maxLength: 2 }).map(ok))),
  workingDir: single('workingDir', fc.oneof(fc.constantFrom(UNDEFINED, ok('/'), strToken), fc.constantFrom(...CONTAINER_PATHS).map(ok))),
  user: single('user', fc.oneof(fc.constantFrom(UNDEFINED, ok('1000'), ok('1000:1000'), strToken), fc.stringMatching(/^[a-z_][a-z0-9_]{0,8}(:[a-z0-9_]{1,5})?$/).map(ok))),
  env: envGood,
  labels: single('labels', fc.oneof(fc.constant(UNDEFINED), fc.dictionary(LABEL_KEY, SAFE_TEXT, { maxKeys: 3 }).map(ok))),
  addCapabilities: single('addCapabilities', fc.oneof(fc.constant(UNDEFINED), fc.subarray(CAPS).map(ok), fc.constant(list([strToken])))),
  ports: single('ports', fc.array(portSpec, { maxLength: 3 })
    .map((specs) => specs.map((s, i) => ({ ...s, hostPort: ok(8000 + i), containerPort: ok(80 + i), ip: s.ip.bad.length > 0 ? ok('10.0.0.5') : s.ip, protocol: ok(undefined) })))
    .map(portsField)),
  mounts: mountsGood,
  health: healthGood,
  dependsOn: single('dependsOn', fc.oneof({ weight: 6, arbitrary: fc.constantFrom(UNDEFINED, ok([])) }, {
    weight: 1,
    arbitrary: fc.constant<F>({
      make: (r) => [r.once('dep', () => new ServiceContainer(r.stack, 'dep', { image: ContainerImage.fromRegistry('busybox:1.36'), networks: [network(r)] }))],
      show: '[dep]', bad: [], maybe: [],
    }),
  })),
  networks: single('networks', fc.constant<F>({ make: (r) => [network(r)], show: '[net]', bad: [], maybe: [] })),
  host: single('host', fc.constantFrom<F>(UNDEFINED, { make: (r) => DockerHost.of(r.stack), show: 'host', bad: [], maybe: [] })),
}, {
  image: single('image', imageBad),
  // One character ('x', '0') is refused: Docker wants at least two (docker/cli#1641).
  serviceName: single('serviceName', fc.oneof(fc.constantFrom('', 'x', '0', '-x', 'a b', 'x'.repeat(129), 'é').map(no('serviceName')), junk('string', 'null').map(no('serviceName')))),
  memoryMiB: single('memoryMiB', memory.bad),
  cpus: single('cpus', fc.oneof(fc.constantFrom(0, -0.5, 1024.5, NaN, Infinity, null).map(no('cpus')), junk('number').map(no('cpus')))),
  restart: restartBad,
  ...Object.fromEntries(Object.entries(ints).map(([k, v]) => [k, single(k, v.bad)])),
  ...Object.fromEntries(Object.entries(bools).map(([k, v]) => [k, single(k, v.bad)])),
  command: single('command', fc.oneof(fc.constantFrom([], 'redis-server', [1], [null]).map(no('command')), junk('array').map(no('command')))),
  entrypoint: single('entrypoint', fc.constantFrom([], 'sh', [{}], null).map(no('entrypoint'))),
  workingDir: single('workingDir', fc.constantFrom('app', '/a/../b', '', 5, null, '/x\n').map(no('workingDir'))),
  user: single('user', fc.oneof(fc.constantFrom('a b', ':x', '', 'x:', 'x:y:z').map(no('user')), junk('string').map(no('user')))),
  env: envBad,
  labels: single('labels', fc.oneof(
    junk('object').map(no('labels')),
    fc.constantFrom('', 'cdktf-docker-production/supervisor', 'cdktf-docker-production/supervisor.x').map((k) => no('labels')({ [k]: 'v' })),
    junk('string').map((v) => no('labels')({ a: v })),
  )),
  addCapabilities: single('addCapabilities', fc.oneof(
    fc.constantFrom(['ALL'], ['all'], ['cap_all'], ['NET ADMIN'], [''], [5], [null]).map(no('addCapabilities')), junk('array').map(no('addCapabilities')))),
  ports: single('ports', fc.oneof(
    fc.array(portSpec, { minLength: 1, maxLength: 4 }).map(portsField).filter((f) => f.bad.length > 0),
    fc.constantFrom(null, 5, 'x', {}, [{}], [null], [{ hostPort: 80, containerPort: 80, hostIp: '0.0.0.0', protocol: 'tcp' }]).map(no('ports')),
  )),
  mounts: mountsBad,
  health: healthBad,
  dependsOn: single('dependsOn', fc.constantFrom('x', 5, null, {}, [{}], [null], ['dep']).map(no('dependsOn'))),
  networks: single('networks', fc.oneof(
    fc.constantFrom([], null, 5, 'net', {}, [{}], [null]).map(no('networks')),
    fc.constant<F>({ make: (r) => [network(r), network(r)], show: '[net, net]', bad: ['networks'], maybe: [] }),
  )),
  host: single('host', fc.constantFrom({}, 5, null, 'host').map(no('host'))),
});

const containerCase: fc.Arbitrary<Case> = containerFields.map((fields) => {
  const parts = Object.values(fields);
  return {
    show: `new ServiceContainer(s, 'svc', { ${parts.map((p) => p.show.slice(2, -2)).filter((x) => !/^\w+: undefined$/.test(x)).join(', ')} })`,
    ...scoped('s/svc', { bad: parts.flatMap((p) => p.bad), maybe: parts.flatMap((p) => p.maybe) }),
    build: (r: Run) => {
      new DockerHost(r.stack, 'host');
      const props = Object.assign({}, ...parts.map((p) => p.make(r) as Record<string, unknown>));
      new ServiceContainer(r.stack, 'svc', props);
    },
  };
});

// ---------------------------------------------------------------------------------------------
// SwarmService: the shared container specification's generators, and the swarm's own props
// ---------------------------------------------------------------------------------------------

const mesh = (r: Run) => r.once('mesh', () => new OverlayNetwork(r.stack, 'mesh'));

/** One published port of a service, from either factory. */
const servicePortSpec = fc.record({
  factory: fc.constantFrom('ingress', 'host'),
  published: portNumber('publishedPort'),
  target: portNumber('targetPort'),
  protocol: fc.oneof({ weight: 6, arbitrary: fc.constantFrom(undefined, Protocol.TCP, Protocol.UDP).map(ok) },
    { weight: 1, arbitrary: fc.constantFrom('icmp', 6).map(no('protocol')) }),
});
type ServicePortSpec = typeof servicePortSpec extends fc.Arbitrary<infer T> ? T : never;

/** The endpoint mode and the ports together: no ingress port with dnsrr, a published port and protocol once. */
function endpointField(mode: F, specs: ServicePortSpec[]): F<Record<string, unknown>> {
  const seen: string[] = [];
  const dnsrr = mode.bad.length === 0 && mode.make(undefined as unknown as Run) === EndpointMode.DNSRR;
  const items = specs.map((p, i): F => {
    const f = call(`ServicePort.${p.factory}`, [p.published, p.target, p.protocol], p.factory === 'ingress' ? ServicePort.ingress : ServicePort.host);
    let clash = false;
    const ingressWithDnsrr = dnsrr && p.factory === 'ingress';
    if (f.bad.length === 0 && p.published !== numToken) {
      const key = `${p.published.make(undefined as unknown as Run)}/${p.protocol.make(undefined as unknown as Run) ?? 'tcp'}`;
      clash = seen.includes(key);
      // A refused port publishes nothing.
      if (!clash && !ingressWithDnsrr) seen.push(key);
    }
    return { ...as(`ports[${i}]`, f), bad: f.bad.length > 0 || clash || ingressWithDnsrr ? [`ports[${i}]`] : [] };
  });
  return record({ endpointMode: mode, ports: list(items) });
}
const endpointModeGood = fc.constantFrom(UNDEFINED, ok(EndpointMode.VIP), ok(EndpointMode.DNSRR));
const endpointGood: Field = fc.tuple(endpointModeGood, fc.array(servicePortSpec, { maxLength: 3 }))
  .map(([m, specs]) => endpointField(m, specs.map((p, i) => ({ ...p, published: ok(8000 + i), target: ok(80), protocol: ok(undefined) }))))
  .filter((f) => f.bad.length === 0);
const endpointBad: Field = fc.oneof(
  fc.tuple(fc.oneof(endpointModeGood, fc.constantFrom('roundrobin', 5).map(no('endpointMode'))), fc.array(servicePortSpec, { minLength: 1, maxLength: 3 }))
    .map(([m, specs]) => endpointField(m, specs)).filter((f) => f.bad.length > 0),
  fc.constantFrom(5, 'x', {}, [{}], [null], [{ publishedPort: 80, targetPort: 80, publishMode: 'host' }]).map((v) => record({ ports: no('ports')(v) })),
);

/** mode, replicas and waitForConvergence together: no replicas for a global service, and no waiting for it to converge. */
const modeGood: Field = fc.oneof(
  fc.tuple(fc.constantFrom(UNDEFINED, ok(ServiceMode.REPLICATED)), fc.oneof(fc.constantFrom(UNDEFINED, ok(0), ok(10000), numToken), fc.integer({ min: 0, max: 50 }).map(ok)),
    fc.constantFrom(UNDEFINED, ok(true), ok(false)))
    .map(([mode, replicas, wait]) => record({ mode, replicas, waitForConvergence: wait })),
  fc.constantFrom(UNDEFINED, ok(false)).map((wait) => record({ mode: ok(ServiceMode.GLOBAL), replicas: UNDEFINED, waitForConvergence: wait })),
);
const modeBad: Field = fc.oneof(
  fc.integer({ min: 0, max: 5 }).map((n) => record({ mode: ok(ServiceMode.GLOBAL), replicas: no('replicas')(n) })),
  fc.constant(record({ mode: ok(ServiceMode.GLOBAL), waitForConvergence: no('waitForConvergence')(true) })),
  fc.constantFrom('daemonset', 'GLOBAL', 5).map((m) => record({ mode: no('mode')(m) })),
  fc.oneof(fc.constantFrom(-1, 10001, 1.5, NaN), junk('number', 'null')).map((n) => record({ replicas: no('replicas')(n) })),
  junk('boolean', 'null').map((w) => record({ waitForConvergence: no('waitForConvergence')(w) })),
);

/** updateConfig and rollbackConfig (monitor periods left to the health check, which they must outlast). */
const rolloutGood = (prop: string, actions: UpdateFailureAction[]): fc.Arbitrary<F> => fc.option(fc.record({
  parallelism: fc.constantFrom(undefined, 0, 1, 3),
  delaySeconds: fc.constantFrom(undefined, 0, 30, 3600),
  order: fc.constantFrom(undefined, ...Object.values(UpdateOrder)),
  failureAction: fc.constantFrom(undefined, ...actions),
}), { nil: undefined }).map((v) => as(prop, ok(v)));
const rolloutBad = (prop: string, extra: Record<string, unknown>[]): fc.Arbitrary<F> => fc.oneof(
  fc.constantFrom<Record<string, unknown>>({ parallelism: -1 }, { parallelism: 1.5 }, { delaySeconds: -5 }, { order: 'random' }, { failureAction: 'retry' },
    { monitorSeconds: 0 }, { monitorSeconds: 86401 }, { order: 5 }, ...extra).map(no(prop)),
  junk('object', 'null').map(no(prop)),
);

/** Secrets and configs of one secret and one config of the service's host. */
const fileMounts = (key: 'secrets' | 'configs') => {
  const object = (r: Run) => (key === 'secrets'
    ? r.once('secret', () => new SwarmSecret(r.stack, 'token', { value: Secret.fromVariable('sw_token') }))
    : r.once('config', () => new SwarmConfig(r.stack, 'conf', { content: 'greeting=hello' })));
  const field = key === 'secrets' ? 'secret' : 'config';
  const mount = (extra: Record<string, unknown>, bad: boolean): F => ({
    make: (r) => [{ [field]: object(r), ...extra }], show: `[{ ${field}, ${fc.stringify(extra).slice(1, -1)} }]`, bad: bad ? [key] : [], maybe: [],
  });
  const goodTarget = key === 'secrets' ? fc.constantFrom(undefined, 'token.txt', '/etc/app/token') : fc.constantFrom(undefined, '/etc/app/app.conf');
  return {
    good: fc.oneof(fc.constant(UNDEFINED), fc.record({ target: goodTarget, mode: fc.constantFrom(undefined, 0o400, 0o444), uid: fc.constantFrom(undefined, '0', '65534') })
      .map((e) => mount(Object.fromEntries(Object.entries(e).filter(([, v]) => v !== undefined)), false))),
    bad: fc.oneof(
      fc.constantFrom<Record<string, unknown>>({ target: key === 'secrets' ? 'a/b' : 'app.conf' }, { mode: 0o1000 }, { mode: -1 }, { uid: 'root' }, { gid: 5 }, { target: 7 })
        .map((e) => mount(e, true)),
      fc.constantFrom(5, 'x', [null], [{}], [{ [field]: 'token' }]).map(no(key)),
    ),
  };
};
const secretMounts = fileMounts('secrets');
const configMounts = fileMounts('configs');

/** The props of a SwarmService `s/svc` on a swarm manager, with the model's verdicts. */
const serviceFields = perturbed({
  image: single('image', imageGood),
  serviceName: single('serviceName', fc.oneof(fc.constantFrom(UNDEFINED, ok(null), strToken, ok('c1')), fc.stringMatching(/^svc-[a-z0-9]{1,8}$/).map(ok))),
  memoryMiB: single('memoryMiB', memory.good),
  cpus: single('cpus', fc.oneof(fc.constantFrom(UNDEFINED, ok(1024), numToken), fc.double({ min: 0.01, max: 1024, noNaN: true }).map(ok))),
  reservation: fc.tuple(fc.constantFrom(undefined, 6), fc.constantFrom(undefined, 0.01)).map(([m, c]) => record({ memoryReservationMiB: ok(m), cpuReservation: ok(c) })),
  tmpfsSizeMiB: single('tmpfsSizeMiB', ints.tmpfsSizeMiB.good),
  logMaxSizeMiB: single('logMaxSizeMiB', ints.logMaxSizeMiB.good),
  logMaxFiles: single('logMaxFiles', ints.logMaxFiles.good),
  stopTimeoutSeconds: single('stopTimeoutSeconds', ints.stopTimeoutSeconds.good),
  init: single('init', bools.init.good),
  dropAllCapabilities: single('dropAllCapabilities', bools.dropAllCapabilities.good),
  readOnlyRootFilesystem: single('readOnlyRootFilesystem', bools.readOnlyRootFilesystem.good),
  command: single('command', fc.oneof(fc.constant(UNDEFINED), fc.array(SAFE_TEXT, { minLength: 1, maxLength: 3 }).map(ok))),
  entrypoint: single('entrypoint', fc.oneof(fc.constant(UNDEFINED), fc.array(SAFE_TEXT, { minLength: 1, maxLength: 2 }).map(ok))),
  workingDir: single('workingDir', fc.oneof(fc.constantFrom(UNDEFINED, ok('/'), strToken), fc.constantFrom(...CONTAINER_PATHS).map(ok))),
  user: single('user', fc.oneof(fc.constantFrom(UNDEFINED, ok('1000'), ok('1000:1000'), strToken), fc.stringMatching(/^[a-z_][a-z0-9_]{0,8}(:[a-z0-9_]{1,5})?$/).map(ok))),
  env: envGood,
  labels: single('labels', fc.oneof(fc.constant(UNDEFINED), fc.dictionary(LABEL_KEY, SAFE_TEXT, { maxKeys: 3 }).map(ok))),
  addCapabilities: single('addCapabilities', fc.oneof(fc.constant(UNDEFINED), fc.subarray(CAPS).map(ok), fc.constant(list([strToken])))),
  writable: mountSpec.map((m) => mountsField({ ...m, volumes: null, bindMounts: null })).filter((f) => f.bad.length === 0),
  healthcheck: single('healthcheck', fc.option(healthcheckGood, { freq: 3, nil: UNDEFINED }).map((h) => h ?? UNDEFINED)),
  mode: modeGood,
  endpoint: endpointGood,
  secrets: single('secrets', secretMounts.good),
  configs: single('configs', configMounts.good),
  restartPolicy: single('restartPolicy', fc.option(fc.record({
    condition: fc.constantFrom(undefined, ...Object.values(RestartCondition)), delaySeconds: fc.constantFrom(undefined, 0, 5, 86400),
    maxAttempts: fc.constantFrom(undefined, 0, 3), windowSeconds: fc.constantFrom(undefined, 0, 120),
  }), { nil: undefined }).map(ok)),
  updateConfig: single('updateConfig', rolloutGood('updateConfig', Object.values(UpdateFailureAction))),
  rollbackConfig: single('rollbackConfig', rolloutGood('rollbackConfig', [UpdateFailureAction.PAUSE, UpdateFailureAction.CONTINUE])),
  placement: fc.record({
    placementConstraints: fc.constantFrom(UNDEFINED, ok(['node.role==manager']), ok(['node.labels.zone != b', 'node.hostname==a'])),
    placementPreferences: fc.constantFrom(UNDEFINED, ok(['node.labels.zone'])),
    maxReplicasPerNode: fc.constantFrom(UNDEFINED, ok(1), ok(4)),
  }).map((f) => record(f)),
  convergeTimeoutSeconds: single('convergeTimeoutSeconds', fc.constantFrom(UNDEFINED, ok(60), ok(86400))),
  networks: single('networks', fc.constant<F>({ make: (r) => [mesh(r)], show: '[mesh]', bad: [], maybe: [] })),
}, {
  image: single('image', imageBad),
  serviceName: single('serviceName', fc.oneof(fc.constantFrom('', 'x.y', '-x', 'x-', 'a b', 'x'.repeat(64), 'é').map(no('serviceName')), junk('string', 'null').map(no('serviceName')))),
  memoryMiB: single('memoryMiB', memory.bad),
  cpus: single('cpus', fc.oneof(fc.constantFrom(0, -0.5, 1024.5, NaN, Infinity, null).map(no('cpus')), junk('number').map(no('cpus')))),
  reservation: fc.oneof(
    fc.constantFrom(0, 1.5, 2 * 1024 * 1024, '6').map((m) => record({ memoryReservationMiB: no('memoryReservationMiB')(m) })),
    fc.constantFrom(0, -1, 2000, '1').map((c) => record({ cpuReservation: no('cpuReservation')(c) })),
  ),
  tmpfsSizeMiB: single('tmpfsSizeMiB', ints.tmpfsSizeMiB.bad),
  logMaxFiles: single('logMaxFiles', ints.logMaxFiles.bad),
  stopTimeoutSeconds: single('stopTimeoutSeconds', ints.stopTimeoutSeconds.bad),
  init: single('init', bools.init.bad),
  readOnlyRootFilesystem: single('readOnlyRootFilesystem', bools.readOnlyRootFilesystem.bad),
  command: single('command', fc.oneof(fc.constantFrom([], 'redis-server', [1], [null]).map(no('command')), junk('array').map(no('command')))),
  workingDir: single('workingDir', fc.constantFrom('app', '/a/../b', '', 5, null, '/x\n').map(no('workingDir'))),
  user: single('user', fc.oneof(fc.constantFrom('a b', ':x', '', 'x:', 'x:y:z').map(no('user')), junk('string').map(no('user')))),
  env: envBad,
  addCapabilities: single('addCapabilities', fc.constantFrom(['ALL'], ['cap_all'], ['NET ADMIN'], [''], [5], 'CHOWN').map(no('addCapabilities'))),
  writable: fc.oneof(
    mountSpec.map((m) => mountsField({ ...m, volumes: null, bindMounts: null })).filter((f) => f.bad.length > 0),
    junk('array').map((v) => record({ writablePaths: no('writablePaths')(v) })),
  ),
  healthcheck: single('healthcheck', fc.oneof(healthcheckBad,
    fc.constant(call('Healthcheck.tcp', [ok(6379), ok({ startIntervalSeconds: 2 })], Healthcheck.tcp, { bad: ['healthcheck'] })))),
  mode: modeBad,
  endpoint: endpointBad,
  secrets: single('secrets', secretMounts.bad),
  configs: single('configs', configMounts.bad),
  restartPolicy: single('restartPolicy', fc.oneof(
    fc.constantFrom<Record<string, unknown>>({ condition: 'always' }, { delaySeconds: -1 }, { maxAttempts: 1.5 }, { windowSeconds: 'long' }).map(no('restartPolicy')),
    junk('object', 'null').map(no('restartPolicy')),
  )),
  updateConfig: single('updateConfig', rolloutBad('updateConfig', [])),
  rollbackConfig: single('rollbackConfig', rolloutBad('rollbackConfig', [{ failureAction: UpdateFailureAction.ROLLBACK }])),
  placement: fc.oneof(
    fc.constantFrom(['node.role'], ['=='], [5], 'node.role==manager').map((c) => record({ placementConstraints: no('placementConstraints')(c) })),
    fc.constantFrom(['spread=node.labels.zone'], ['a b'], [null]).map((p) => record({ placementPreferences: no('placementPreferences')(p) })),
    fc.constantFrom(0, -1, 1.5, '2').map((n) => record({ maxReplicasPerNode: no('maxReplicasPerNode')(n) })),
  ),
  convergeTimeoutSeconds: single('convergeTimeoutSeconds', fc.constantFrom(0, 86401, 1.5, '60').map(no('convergeTimeoutSeconds'))),
  networks: single('networks', fc.oneof(
    fc.constantFrom([], null, 5, 'mesh', {}, [{}], [null]).map(no('networks')),
    fc.constant<F>({ make: (r) => [mesh(r), mesh(r)], show: '[mesh, mesh]', bad: ['networks'], maybe: [] }),
    fc.constant<F>({ make: (r) => [r.once('bridge', () => new ServiceNetwork(r.stack, 'bridge-net'))], show: '[bridge]', bad: ['networks'], maybe: [] }),
  )),
});

const serviceCase: fc.Arbitrary<Case> = serviceFields.map((fields) => {
  const parts = Object.values(fields);
  return {
    show: `new SwarmService(s, 'svc', { ${parts.map((p) => p.show.slice(2, -2)).filter((x) => !/^\w+: undefined$/.test(x)).join(', ')} })`,
    ...scoped('s/svc', { bad: parts.flatMap((p) => p.bad), maybe: parts.flatMap((p) => p.maybe) }),
    build: (r: Run) => {
      new DockerHost(r.stack, 'host', { swarm: true });
      const props = Object.assign({}, ...parts.map((p) => p.make(r) as Record<string, unknown>));
      new SwarmService(r.stack, 'svc', props);
    },
  };
});

// ---------------------------------------------------------------------------------------------
// ServiceNetwork: several networks on one host (names, subnets, gateways, ranges, overlaps)
// ---------------------------------------------------------------------------------------------

/** An IPv4 address as a 32-bit number. */
function ipNumber(ip: string): number {
  return ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);
}
/** [first, last] address of a canonical CIDR, or undefined when it is not one (host bits set, bad syntax). */
function cidrRange(cidr: unknown): [number, number] | undefined {
  if (typeof cidr !== 'string') return undefined;
  const m = /^(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\/(0|[1-9]\d?)$/.exec(cidr);
  if (!m || m.slice(1, 5).some((o) => Number(o) > 255) || Number(m[5]) > 32) return undefined;
  const start = ipNumber(m.slice(1, 5).join('.'));
  const size = 2 ** (32 - Number(m[5]));
  if (start % size !== 0) return undefined;
  return [start, start + size - 1];
}

const SUBNETS = ['10.0.0.0/8', '10.20.0.0/16', '10.20.1.0/24', '10.20.1.128/25', '172.16.0.0/12', '192.168.1.0/24', '192.168.2.0/24', '0.0.0.0/0', '10.30.0.0/30'];
const BAD_SUBNETS = ['10.20.0.1/24', '10.20.0.0/31', '10.20.0.0/32', '10.20.0.0', '10.20.0.0/33', '300.0.0.0/8', '010.0.0.0/8', 'fd00::/64', '', 'x', 5, null];
/** A canonical CIDR (no host bits), mostly; sometimes with host bits set. */
const cidrArb = fc.tuple(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 8, max: 30 }), fc.boolean().chain((b) => (b ? fc.boolean() : fc.constant(false))).chain((b) => (b ? fc.boolean() : fc.constant(false))))
  .map(([n, bits, keepHostBits]) => {
    const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
    const base = keepHostBits && bits < 30 ? n >>> 0 : (n & mask) >>> 0;
    return `${[24, 16, 8, 0].map((sh) => (base >>> sh) & 255).join('.')}/${bits}`;
  });
const ipArb = fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }))
  .map((o) => o.join('.'));
const addressText = (n: number) => [24, 16, 8, 0].map((sh) => (n >>> sh) & 255).join('.');

const networkSpec = fc.record({
  networkName: fc.oneof({ weight: 8, arbitrary: fc.constant(undefined) }, { weight: 3, arbitrary: fc.constantFrom('front', 'back', 'n0', 'shared') },
    { weight: 1, arbitrary: fc.constantFrom('bridge', 'host', 'none', '-x', 'a b', '', 5, null) }, { weight: 1, arbitrary: fc.constant('<token>') }),
  subnet: fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 3, arbitrary: fc.constantFrom(...SUBNETS) }, { weight: 4, arbitrary: cidrArb },
    { weight: 1, arbitrary: fc.constantFrom(...BAD_SUBNETS) }, { weight: 1, arbitrary: fc.constant('<token>') }),
  // '<inside>': the subnet's first host address; '<half>': the subnet's lower half.
  gateway: fc.oneof({ weight: 6, arbitrary: fc.constant(undefined) }, { weight: 4, arbitrary: fc.constant('<inside>') }, { weight: 1, arbitrary: ipArb },
    { weight: 1, arbitrary: fc.constantFrom('10.20.1', '1.2.3.4.5', 'gw', '', 5, {}) }, { weight: 1, arbitrary: fc.constant('<token>') }),
  ipRange: fc.oneof({ weight: 8, arbitrary: fc.constant(undefined) }, { weight: 3, arbitrary: fc.constant('<half>') }, { weight: 1, arbitrary: cidrArb },
    { weight: 1, arbitrary: fc.constantFrom('10.20.1.5/26', 'x', 7) }),
  internal: fc.oneof({ weight: 10, arbitrary: fc.constantFrom(undefined, true, false) }, { weight: 1, arbitrary: junk('boolean') }),
  attachable: fc.oneof({ weight: 10, arbitrary: fc.constantFrom(undefined, true, false) }, { weight: 1, arbitrary: junk('boolean') }),
  labels: fc.oneof({ weight: 10, arbitrary: fc.constantFrom(undefined, {}, { team: 'platform' }) }, { weight: 1, arbitrary: fc.oneof(junk('object'), fc.constant({ a: 1 }), fc.constant({ '': 'x' })) }),
  // Without a subnet, a gateway or range is an error: keep most of those cases valid.
  keepAddressing: fc.nat({ max: 7 }).map((n) => n === 0),
}).map(({ keepAddressing, ...spec }) => {
  if (spec.subnet === undefined && !keepAddressing) return { ...spec, gateway: undefined, ipRange: undefined };
  // Resolve the placeholders against the subnet (only meaningful with a canonical literal subnet).
  const range = cidrRange(spec.subnet);
  const gateway = spec.gateway === '<inside>' ? (range ? addressText(range[0] + 1) : '10.20.1.1') : spec.gateway;
  const bits = typeof spec.subnet === 'string' ? Number(spec.subnet.split('/')[1]) : NaN;
  const ipRange = spec.ipRange === '<half>' ? (range && bits < 30 ? `${addressText(range[0])}/${bits + 1}` : '10.20.1.0/26') : spec.ipRange;
  return { ...spec, gateway, ipRange };
});
type NetworkSpec = typeof networkSpec extends fc.Arbitrary<infer T> ? T : never;

/** The model of ServiceNetwork's rules over the networks of one host, in order: the props of the first rejected one, or none. */
function networkVerdicts(specs: NetworkSpec[]): { bad: string[]; maybe: string[] } {
  const names = new Set<string>();
  const ranges: [number, number][] = [];
  for (const [i, s] of specs.entries()) {
    const where = `s/n${i}`;
    const isBool = (v: unknown) => v === undefined || typeof v === 'boolean';
    const isLabels = (v: unknown) => v === undefined || (typeof v === 'object' && v !== null && !Array.isArray(v)
      && [Object.prototype, null].includes(Object.getPrototypeOf(v)) && Object.entries(v).every(([k, x]) => k !== '' && typeof x === 'string'));
    const problems: string[] = [];
    if (!isBool(s.internal)) problems.push('internal');
    if (!isBool(s.attachable)) problems.push('attachable');
    if (!isLabels(s.labels)) problems.push('labels');
    const name = s.networkName ?? (s.networkName === null ? `n${i}` : `n${i}`);
    if (s.networkName !== '<token>') {
      if (typeof name !== 'string' || !/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(name) || ['bridge', 'host', 'none', 'default'].includes(name) || names.has(name)) problems.push('networkName');
      else names.add(name);
    }
    if (s.subnet === undefined) {
      if (s.gateway !== undefined) problems.push('gateway');
      else if (s.ipRange !== undefined) problems.push('ipRange');
    } else if (s.subnet !== '<token>') {
      const range = cidrRange(s.subnet);
      if (!range || range[1] - range[0] < 3) problems.push('subnet');
      else {
        if (s.gateway !== undefined && s.gateway !== '<token>') {
          const ok4 = typeof s.gateway === 'string' && /^(0|[1-9]\d{0,2})(\.(0|[1-9]\d{0,2})){3}$/.test(s.gateway) && s.gateway.split('.').every((o) => Number(o) <= 255);
          if (!ok4 || ipNumber(s.gateway as string) < range[0] || ipNumber(s.gateway as string) > range[1]) problems.push('gateway');
        }
        if (s.ipRange !== undefined) {
          const inner = cidrRange(s.ipRange);
          if (!inner || inner[0] < range[0] || inner[1] > range[1]) problems.push('ipRange');
        }
        if (ranges.some(([a, b]) => a <= range[1] && range[0] <= b)) problems.push('subnet');
        ranges.push(range);
      }
    }
    // The first network the model rejects ends the run: any of its problems may be the one named.
    if (problems.length > 0) return { bad: problems.map((p) => `${where} ${p}`), maybe: [] };
  }
  return { bad: [], maybe: [] };
}

const networkCase: fc.Arbitrary<Case> = fc.array(networkSpec, { minLength: 1, maxLength: 3 }).map((specs) => ({
  show: specs.map((s, i) => `new ServiceNetwork(s, 'n${i}', ${fc.stringify(s)})`).join('; '),
  ...networkVerdicts(specs),
  build: (r: Run) => {
    new DockerHost(r.stack, 'host');
    specs.forEach((s, i) => {
      const tok = (v: unknown) => (v === '<token>' ? r.str() : v);
      new ServiceNetwork(r.stack, `n${i}`, {
        ...s, networkName: tok(s.networkName), subnet: tok(s.subnet), gateway: tok(s.gateway),
      } as any);
    });
  },
}));

/**
 * The same networks on a swarm manager, each a bridge ServiceNetwork or an OverlayNetwork (encrypted
 * or not): the subnet, gateway, range, name and overlap rules are the same code, so the same model.
 */
const mixedNetworkCase: fc.Arbitrary<Case> = fc.array(fc.tuple(networkSpec, fc.constantFrom(undefined, 'overlay', 'encrypted')), { minLength: 1, maxLength: 3 })
  .map((nets) => ({
    show: nets.map(([s, kind], i) => `new ${kind ? 'OverlayNetwork' : 'ServiceNetwork'}(s, 'n${i}', ${fc.stringify({ ...s, encrypted: kind === 'encrypted' || undefined })})`).join('; '),
    ...networkVerdicts(nets.map(([s]) => s)),
    build: (r: Run) => {
      new DockerHost(r.stack, 'host', { swarm: true });
      nets.forEach(([s, kind], i) => {
        const tok = (v: unknown) => (v === '<token>' ? r.str() : v);
        const props = { ...s, networkName: tok(s.networkName), subnet: tok(s.subnet), gateway: tok(s.gateway) } as any;
        if (kind) new OverlayNetwork(r.stack, `n${i}`, { ...props, encrypted: kind === 'encrypted' });
        else new ServiceNetwork(r.stack, `n${i}`, props);
      });
    },
  }));

// ---------------------------------------------------------------------------------------------
// DockerHost with registry credentials, and DataVolume
// ---------------------------------------------------------------------------------------------

const credentialSpec = fc.record({
  factory: fc.constantFrom('fromEnvironment', 'fromVariables', 'fromDockerConfig'),
  address: fc.oneof({ weight: 12, arbitrary: fc.constantFrom('localhost:5000', 'registry.example.com', 'https://registry.example.com/v2/', 'REGISTRY.example.com:443') },
    { weight: 1, arbitrary: fc.constantFrom('local host', 'localhost:70000', 'localhost:0', '', 5, null) }),
  first: fc.oneof({ weight: 12, arbitrary: fc.constantFrom('REG_USER', '/root/.docker/config.json') }, { weight: 1, arbitrary: fc.constantFrom('1user', 'h0', '', undefined, 5, 'relative/config.json') }),
  second: fc.oneof({ weight: 12, arbitrary: fc.constant('REG_PASSWORD') }, { weight: 1, arbitrary: fc.constantFrom('a b', undefined, 7) }),
});
type CredentialSpec = typeof credentialSpec extends fc.Arbitrary<infer T> ? T : never;

function credentialBad(c: CredentialSpec): boolean {
  if (typeof c.address !== 'string' || !['localhost:5000', 'registry.example.com', 'https://registry.example.com/v2/', 'REGISTRY.example.com:443'].includes(c.address)) return true;
  if (c.factory === 'fromVariables') return false;
  if (c.factory === 'fromDockerConfig') return c.first !== '/root/.docker/config.json';
  // A variable name that is the id of another construct at the top of the stack ('h0') is refused.
  const name = (v: unknown) => typeof v === 'string' && /^[A-Za-z_][A-Za-z0-9_-]*$/.test(v) && !/^h\d$/.test(v);
  return !name(c.first) || !name(c.second);
}

/** The registry host an address names, as the provider keys it. */
function registryHostOf(address: string): string {
  return address.replace(/^https?:\/\//, '').replace(/\/.*$/, '').toLowerCase();
}

const URLS_GOOD = ['unix:///var/run/docker.sock', 'unix:///run/user/1000/docker.sock', 'tcp://10.0.0.5:2376', 'tcp://docker.example.com:2376', 'ssh://deploy@10.0.0.5', 'ssh://deploy@host.example.com:2222'];
const URLS_BAD = ['http://10.0.0.5:2375', 'https://docker', 'ftp://x', 'unix://relative', 'tcp://', 'ssh://', 'docker.sock', '/var/run/docker.sock', '', 5, null, {}];

const hostSpec = fc.record({
  url: fc.oneof({ weight: 10, arbitrary: fc.constantFrom(undefined, ...URLS_GOOD) }, { weight: 1, arbitrary: fc.constantFrom(...URLS_BAD) }, { weight: 1, arbitrary: fc.constant('<token>') },
    { weight: 1, arbitrary: fc.webUrl() }),
  alias: fc.oneof({ weight: 8, arbitrary: fc.constant('<unique>') }, { weight: 2, arbitrary: fc.constantFrom(undefined, 'remote') }, { weight: 1, arbitrary: fc.constantFrom('-x', 'a b', '', 5) }),
  tls: fc.oneof({ weight: 8, arbitrary: fc.constant(undefined) }, { weight: 2, arbitrary: fc.constantFrom({ certPath: '/certs' }, { caMaterial: 'CA', certMaterial: 'CERT', keyMaterial: '<token>' }) },
    { weight: 1, arbitrary: fc.constantFrom('x', 5, null, [], { keyMaterial: 5 }, { certPath: {} }) }),
  sshOptions: fc.oneof({ weight: 8, arbitrary: fc.constant(undefined) }, { weight: 2, arbitrary: fc.constantFrom(['-o', 'StrictHostKeyChecking=yes'], []) },
    { weight: 1, arbitrary: fc.constantFrom('-v', 5, [1], null) }),
  registries: fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 6, arbitrary: fc.array(credentialSpec, { maxLength: 3 }) },
    { weight: 1, arbitrary: fc.constantFrom('x', 5, null, [{}], [null]) }),
});
type HostSpec = typeof hostSpec extends fc.Arbitrary<infer T> ? T : never;

function hostVerdicts(specs: HostSpec[]): { bad: string[]; maybe: string[] } {
  const aliases = new Set<unknown>();
  for (const [i, h] of specs.entries()) {
    const problems: string[] = [];
    const url = h.url ?? 'unix:///var/run/docker.sock';
    // fc.webUrl() gives http(s) addresses: refused like the listed bad ones.
    const scheme = url === '<token>' ? '<token>' : typeof url === 'string' && URLS_GOOD.includes(url) ? url.split(':')[0] : undefined;
    if (scheme === undefined) problems.push('url');
    else if (scheme !== '<token>') {
      if (h.tls !== undefined && h.tls !== null && scheme !== 'tcp') problems.push('tls');
      if (h.sshOptions !== undefined && h.sshOptions !== null && scheme !== 'ssh') problems.push('sshOptions');
    }
    if (h.tls !== undefined && (typeof h.tls !== 'object' || h.tls === null || Array.isArray(h.tls) || Object.values(h.tls).some((v) => typeof v !== 'string'))) problems.push('tls');
    if (h.sshOptions !== undefined && (!Array.isArray(h.sshOptions) || h.sshOptions.some((o) => typeof o !== 'string'))) problems.push('sshOptions');
    const alias = h.alias === '<unique>' ? `a${i}` : h.alias;
    if (alias !== undefined && (typeof alias !== 'string' || !/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(alias))) problems.push('alias');
    else if (aliases.has(alias)) problems.push('alias');
    aliases.add(alias);
    if (h.registries !== undefined && (!Array.isArray(h.registries) || h.registries.some((r) => typeof r !== 'object' || r === null || !('factory' in r) || credentialBad(r as CredentialSpec)))) {
      problems.push('registries');
    } else if (Array.isArray(h.registries)) {
      // One entry per registry host: the provider keys its credentials by host.
      const hosts = h.registries.map((r) => registryHostOf((r as CredentialSpec).address as string));
      if (new Set(hosts).size !== hosts.length) problems.push('registries');
    }
    if (problems.length > 0) return { bad: problems.map((p) => `s/h${i} ${p}`), maybe: [] };
  }
  return { bad: [], maybe: [] };
}

const hostCase: fc.Arbitrary<Case> = fc.array(hostSpec, { minLength: 1, maxLength: 3 }).map((specs) => ({
  show: specs.map((h, i) => `new DockerHost(s, 'h${i}', ${fc.stringify(h)})`).join('; '),
  ...hostVerdicts(specs),
  build: (r: Run) => {
    specs.forEach((h, i) => {
      const tok = (v: unknown) => (v === '<token>' ? r.str() : v);
      const tls = h.tls && typeof h.tls === 'object' && !Array.isArray(h.tls) ? Object.fromEntries(Object.entries(h.tls).map(([k, v]) => [k, tok(v)])) : h.tls;
      const registries = Array.isArray(h.registries)
        ? h.registries.map((c) => (c && typeof c === 'object' && 'factory' in c
          ? (c.factory === 'fromEnvironment' ? RegistryCredentials.fromEnvironment(c.address as any, c.first as any, c.second as any)
            : c.factory === 'fromVariables' ? RegistryCredentials.fromVariables(c.address as any)
              : RegistryCredentials.fromDockerConfig(c.address as any, c.first as any))
          : c))
        : h.registries;
      new DockerHost(r.stack, `h${i}`, { ...h, url: tok(h.url), alias: h.alias === '<unique>' ? `a${i}` : h.alias, tls, registries } as any);
    });
  },
}));

const volumeSpec = fc.record({
  volumeName: fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 2, arbitrary: fc.constantFrom('data', 'v0', 'cache_data', 'a.b-c', 'db') },
    { weight: 1, arbitrary: fc.constantFrom('-x', 'a b', '', 'x', '0', 'x'.repeat(129), 5, {}) }, { weight: 1, arbitrary: fc.constant('<token>') }),
  driver: fc.oneof({ weight: 5, arbitrary: fc.constantFrom(undefined, 'local', 'rexray') }, { weight: 1, arbitrary: fc.constantFrom('my driver', '', 5) }),
  driverOptions: fc.oneof({ weight: 5, arbitrary: fc.constantFrom(undefined, {}, { type: 'tmpfs', device: 'tmpfs' }) }, { weight: 1, arbitrary: fc.oneof(junk('object'), fc.constant({ o: 1 })) }),
  labels: fc.oneof({ weight: 5, arbitrary: fc.constantFrom(undefined, { backup: 'daily' }) }, { weight: 1, arbitrary: fc.oneof(junk('object'), fc.constant({ a: null })) }),
});
type VolumeSpec = typeof volumeSpec extends fc.Arbitrary<infer T> ? T : never;

function volumeVerdicts(specs: VolumeSpec[]): { bad: string[]; maybe: string[] } {
  const names = new Set<string>();
  const objectName = (v: unknown) => typeof v === 'string' && /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(v) && v.length <= 128;
  // Volume names need two characters at least (Docker's [a-zA-Z0-9][a-zA-Z0-9_.-]+); drivers may have one.
  const volumeName = (v: unknown) => objectName(v) && (v as string).length >= 2;
  const stringMap = (v: unknown) => v === undefined || (typeof v === 'object' && v !== null && !Array.isArray(v)
    && [Object.prototype, null].includes(Object.getPrototypeOf(v)) && Object.entries(v).every(([k, x]) => k !== '' && typeof x === 'string'));
  for (const [i, v] of specs.entries()) {
    const problems: string[] = [];
    if (!stringMap(v.driverOptions)) problems.push('driverOptions');
    if (!stringMap(v.labels)) problems.push('labels');
    if (v.volumeName !== '<token>') {
      const name = v.volumeName ?? `v${i}`;
      if (!volumeName(name) || names.has(name as string)) problems.push('volumeName');
      names.add(name as string);
    }
    if (v.driver !== undefined && !objectName(v.driver)) problems.push('driver');
    if (problems.length > 0) return { bad: problems.map((p) => `s/v${i} ${p}`), maybe: [] };
  }
  return { bad: [], maybe: [] };
}

const volumeCase: fc.Arbitrary<Case> = fc.array(volumeSpec, { minLength: 1, maxLength: 3 }).map((specs) => ({
  show: specs.map((v, i) => `new DataVolume(s, 'v${i}', ${fc.stringify(v)})`).join('; '),
  ...volumeVerdicts(specs),
  build: (r: Run) => {
    new DockerHost(r.stack, 'host');
    specs.forEach((v, i) => new DataVolume(r.stack, `v${i}`, { ...v, volumeName: v.volumeName === '<token>' ? r.str() : v.volumeName } as any));
  },
}));

// ---------------------------------------------------------------------------------------------
// MinimalImage and RegistryPush
// ---------------------------------------------------------------------------------------------

const imageSpec = fc.record({
  context: fc.oneof({ weight: 6, arbitrary: fc.constantFrom('<ctx>', '<tmp>') }, { weight: 1, arbitrary: fc.constantFrom('/nonexistent/ctx', '<ctx>/Dockerfile', '', 5, null, undefined) }),
  name: fc.oneof({ weight: 5, arbitrary: fc.constantFrom('team/api:1.4.2', 'localhost:5000/team/api:2', `api@sha256:${'c'.repeat(64)}`, '<token>') },
    { weight: 1, arbitrary: fc.constantFrom('team/api', 'team/api:latest', 'team/Api:1', '', 5, undefined) }),
  dockerfile: fc.oneof({ weight: 6, arbitrary: fc.constantFrom(undefined, 'Dockerfile') }, { weight: 1, arbitrary: fc.constantFrom('www', '../Dockerfile', '/etc/passwd', '', 'Missing', 5, null) }),
  buildArgs: fc.oneof({ weight: 5, arbitrary: fc.constantFrom(undefined, {}, { BASE_IMAGE: 'alpine:3.20' }, { BASE: 'debian:12-slim' }) }, { weight: 1, arbitrary: fc.constantFrom({ '1X': 'y' }, { A: 1 }, 'x', null, []) }),
  target: fc.oneof({ weight: 5, arbitrary: fc.constantFrom(undefined, 'build') }, { weight: 1, arbitrary: fc.constantFrom('-x', '', 5) }),
  platform: fc.oneof({ weight: 5, arbitrary: fc.constantFrom(undefined, 'linux/amd64') }, { weight: 1, arbitrary: fc.constantFrom(5, {}) }),
  keepLocally: fc.oneof({ weight: 5, arbitrary: fc.constantFrom(undefined, true, false) }, { weight: 1, arbitrary: junk('boolean') }),
});
type ImageSpec = typeof imageSpec extends fc.Arbitrary<infer T> ? T : never;

const pushSpec = fc.option(fc.record({
  repository: fc.oneof({ weight: 5, arbitrary: fc.constantFrom('localhost:5000/team/api', 'registry.example.com/a/b', '<token>') },
    { weight: 1, arbitrary: fc.constantFrom('team/Api', 'localhost:5000/team/api:1', '', 5, undefined) }),
  tags: fc.oneof({ weight: 5, arbitrary: fc.constantFrom(['1.4.2'], ['1', '1.4', '1.4.2'], ['<token>', '2'], ['<token>']) },
    { weight: 1, arbitrary: fc.constantFrom([], ['latest'], ['-x'], ['1', '1'], [5], 'x', undefined) }),
  keepRemotely: fc.oneof({ weight: 5, arbitrary: fc.constantFrom(undefined, true, false) }, { weight: 1, arbitrary: junk('boolean') }),
  credentials: fc.oneof({ weight: 5, arbitrary: fc.constantFrom(undefined, 'env', 'vars') }, { weight: 1, arbitrary: fc.constantFrom('config', {}, 'x') }),
}), { freq: 2 });
type PushSpec = typeof pushSpec extends fc.Arbitrary<infer T> ? T : never;

function imageVerdicts(img: ImageSpec, push: PushSpec): { bad: string[]; maybe: string[] } {
  const problems: string[] = [];
  const goodArgs = (v: unknown) => v === undefined || (typeof v === 'object' && v !== null && !Array.isArray(v) && Object.entries(v).every(([k, x]) => /^[A-Za-z_]\w*$/.test(k) && typeof x === 'string'));
  if (!['<ctx>', '<tmp>'].includes(img.context as string)) problems.push('context');
  if (!['team/api:1.4.2', 'localhost:5000/team/api:2', `api@sha256:${'c'.repeat(64)}`, '<token>'].includes(img.name as string)) problems.push('name');
  if (img.dockerfile !== undefined && img.dockerfile !== null && img.dockerfile !== 'Dockerfile') problems.push('dockerfile'); // null: the default, by ??
  if (!goodArgs(img.buildArgs)) problems.push('buildArgs');
  if (img.target !== undefined && img.target !== 'build') problems.push('target');
  if (img.platform !== undefined && typeof img.platform !== 'string') problems.push('platform');
  if (img.keepLocally !== undefined && typeof img.keepLocally !== 'boolean') problems.push('keepLocally');
  if (problems.length > 0) return { bad: problems.map((p) => `s/img ${p}`), maybe: [] };
  if (!push) return { bad: [], maybe: [] };
  const pushProblems: string[] = [];
  if (!['localhost:5000/team/api', 'registry.example.com/a/b', '<token>'].includes(push.repository as string)) pushProblems.push('repository');
  const tags = push.tags;
  if (!Array.isArray(tags) || tags.length === 0) pushProblems.push('tags');
  else if (tags.some((t) => !['1.4.2', '1', '1.4', '2', '<token>'].includes(t as string)) || new Set<unknown>(tags).size !== tags.length) pushProblems.push('tags');
  if (push.keepRemotely !== undefined && typeof push.keepRemotely !== 'boolean') pushProblems.push('keepRemotely');
  if (push.credentials !== undefined && !['env', 'vars'].includes(push.credentials as string)) pushProblems.push('credentials');
  // Credentials (for localhost:5000) must be the repository's registry's.
  else if (push.credentials !== undefined && push.repository === 'registry.example.com/a/b') pushProblems.push('credentials');
  // Without credentials, the host must have an entry for the registry (it has one for localhost:5000).
  else if (push.credentials === undefined && push.repository === 'registry.example.com/a/b') pushProblems.push('credentials');
  return { bad: pushProblems.map((p) => `s/push ${p}`), maybe: [] };
}

const imageCase: fc.Arbitrary<Case> = fc.tuple(imageSpec, pushSpec).map(([img, push]) => ({
  show: `new MinimalImage(s, 'img', ${fc.stringify(img)})${push ? `; new RegistryPush(s, 'push', ${fc.stringify(push)})` : ''}`,
  ...imageVerdicts(img, push),
  build: (r: Run) => {
    new DockerHost(r.stack, 'host', { registries: [RegistryCredentials.anonymous('http://localhost:5000')] });
    const context = typeof img.context === 'string' ? img.context.replace('<ctx>', ctx).replace('<tmp>', tmpContext) : img.context;
    const image = new MinimalImage(r.stack, 'img', { ...img, context, name: img.name === '<token>' ? r.str() : img.name } as any);
    if (!push) return;
    const tok = (v: unknown) => (v === '<token>' ? r.str() : v);
    const credentials = push.credentials === 'env' ? RegistryCredentials.fromEnvironment('localhost:5000', 'PUSH_USER', 'PUSH_PASSWORD')
      : push.credentials === 'vars' ? RegistryCredentials.fromVariables('localhost:5000')
        : push.credentials === 'config' ? RegistryCredentials.fromDockerConfig('localhost:5000', '/root/.docker/config.json') : push.credentials;
    new RegistryPush(r.stack, 'push', {
      ...push, image, repository: tok(push.repository), tags: Array.isArray(push.tags) ? push.tags.map(tok) : push.tags, credentials,
    } as any);
  },
}));

// ---------------------------------------------------------------------------------------------
// Static factories with anything, and methods called after construction with anything
// ---------------------------------------------------------------------------------------------

const anything = fc.oneof(
  { weight: 3, arbitrary: fc.anything({ maxDepth: 2, withNullPrototype: true, withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, withSparseArray: true, withBoxedValues: true }) },
  { weight: 1, arbitrary: fc.constantFrom(Symbol('x'), () => 80, NaN, -0, Infinity, '') },
);

/** Arguments each factory takes when used well; a generated call mixes them with anything. */
const FACTORY_ARGS: Record<string, unknown[]> = {
  'PortMapping.public': [8080, 80, Protocol.TCP],
  'PortMapping.local': [5432, 5432, Protocol.UDP],
  'PortMapping.onInterface': ['10.0.0.5', 9000, 9000, Protocol.SCTP],
  'Healthcheck.command': [['redis-cli', 'ping'], { retries: 5 }],
  'Healthcheck.shell': ['pg_isready', { intervalSeconds: 30 }],
  'Healthcheck.http': [8080, '/health', { timeoutSeconds: 2 }],
  'Healthcheck.tcp': [6379, { startPeriodSeconds: 0 }],
  'ContainerImage.fromRegistry': ['redis:7.4-alpine', { keepLocally: false }],
  'Secret.fromVariable': ['db_password'],
  'Secret.fromTerraformVariable': ['<variable>'],
  'RegistryCredentials.fromEnvironment': ['localhost:5000', 'REG_USER', 'REG_PASSWORD'],
  'RegistryCredentials.fromVariables': ['registry.example.com'],
  'RegistryCredentials.fromDockerConfig': ['localhost:5000', '/root/.docker/config.json'],
};

/** Each static factory, called with good arguments, anything, or fewer: it returns (never throws); the container or host using the result judges it. */
const factoryCase: fc.Arbitrary<Case> = fc.constantFrom(...Object.keys(FACTORY_ARGS)).chain((factory) => fc.tuple(
  fc.constant(factory),
  fc.tuple(...FACTORY_ARGS[factory].map((good) => fc.oneof({ weight: 3, arbitrary: fc.constant(good) }, { weight: 1, arbitrary: anything }))),
  fc.nat({ max: FACTORY_ARGS[factory].length }),
)).map(([factory, allArgs, count]) => {
  const args = allArgs.slice(0, Math.max(count, allArgs.length - 1));
  return {
    show: `${factory}(${args.map((a) => fc.stringify(a)).join(', ')})`,
    bad: [],
    maybe: ['s/svc', 's/host'].flatMap((w) => ['image', 'ports', 'healthcheck', 'secretEnvironment', 'registries', 'waitForHealthy'].map((p) => `${w} ${p}`)),
    build: (r: Run) => {
      const [owner, name] = factory.split('.');
      const cls: any = { PortMapping, Healthcheck, ContainerImage, Secret, RegistryCredentials }[owner];
      const materialised = args.map((a) => (a === '<variable>' ? new TerraformVariable(r.stack, 'db_password', { type: 'string', sensitive: true }) : a));
      let made: unknown;
      try {
        made = cls[name](...materialised);
      } catch (e) {
        throw new Error(`${factory} threw ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}`);
      }
      const props: Record<string, unknown> = { image: ContainerImage.fromRegistry('redis:7.4-alpine') };
      if (owner === 'PortMapping') props.ports = [made];
      if (owner === 'Healthcheck') props.healthcheck = made;
      if (owner === 'ContainerImage') props.image = made;
      if (owner === 'Secret') props.secretEnvironment = { S: made };
      const host = new DockerHost(r.stack, 'host', owner === 'RegistryCredentials' ? { registries: [made as RegistryCredentials] } : {});
      new ServiceContainer(r.stack, 'svc', { ...props, host, networks: [new ServiceNetwork(r.stack, 'net')] } as any);
    },
  };
});

/** addPort, addEnvironment, addSecretEnvironment, connect and addDependency after construction, with good and junk arguments. */
const operation = fc.oneof(
  fc.tuple(fc.constant('addPort'), fc.oneof({ weight: 3, arbitrary: portSpec.map((s) => portsField([s])) }, { weight: 1, arbitrary: anything.map(ok) })),
  fc.tuple(fc.constant('addEnvironment'), fc.tuple(fc.oneof({ weight: 3, arbitrary: ENV_NAME }, { weight: 1, arbitrary: anything }),
    fc.oneof({ weight: 3, arbitrary: SAFE_TEXT }, { weight: 1, arbitrary: anything })).map(ok)),
  fc.tuple(fc.constant('addSecretEnvironment'), fc.tuple(fc.oneof({ weight: 3, arbitrary: ENV_NAME.map((n) => `S_${n}`) }, { weight: 1, arbitrary: anything }),
    fc.oneof({ weight: 3, arbitrary: fc.constant('secret') }, { weight: 1, arbitrary: anything })).map(ok)),
  fc.tuple(fc.constant('connect'), fc.tuple(fc.constantFrom('net2', 'net2', 'net', 'far', 'junk'),
    fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 2, arbitrary: fc.array(LABEL_KEY, { maxLength: 2 }) }, { weight: 1, arbitrary: anything })).map(ok)),
  fc.tuple(fc.constant('addDependency'), fc.constantFrom('a', 'a', 'b', 'self', 'far', 'junk').map(ok)),
);
const operationsCase: fc.Arbitrary<Case> = fc.array(operation, { minLength: 1, maxLength: 4 }).map((ops) => ({
  show: ops.map(([op, f]) => `${op}(${f.show})`).join('; '),
  bad: [],
  maybe: ['s/svc-c', 's/svc-a', 's/svc-b'].flatMap((w) => ['ports', 'environment', 'secretEnvironment', 'networks', 'dependsOn'].map((p) => `${w} ${p}`)),
  build: (r: Run) => {
    // s/svc-c on net, after s/svc-a; s/svc-b (created on first use) after s/svc-c, so that c -> b is a cycle.
    const host = new DockerHost(r.stack, 'host');
    const image = ContainerImage.fromRegistry('redis:7.4-alpine');
    const net = new ServiceNetwork(r.stack, 'net');
    const far = () => r.once('far', () => new DockerHost(r.stack, 'far', { url: 'ssh://deploy@10.0.0.5', alias: 'far' }));
    const farNet = () => r.once('farnet', () => new ServiceNetwork(r.stack, 'farnet', { host: far() }));
    const a = new ServiceContainer(r.stack, 'svc-a', { image, host, networks: [net] });
    const c = new ServiceContainer(r.stack, 'svc-c', { image, host, networks: [net], dependsOn: [a] });
    const networks: Record<string, () => unknown> = {
      net: () => net, net2: () => r.once('net2', () => new ServiceNetwork(r.stack, 'net2')), far: farNet, junk: () => ({ node: { path: 'x' } }),
    };
    const others: Record<string, () => unknown> = {
      a: () => a,
      b: () => r.once('b', () => new ServiceContainer(r.stack, 'svc-b', { image, host, networks: [net], dependsOn: [c] })),
      self: () => c,
      far: () => r.once('x', () => new ServiceContainer(r.stack, 'svc-x', { image, host: far(), networks: [farNet()] })),
      junk: () => ({ node: { path: 'x' } }),
    };
    for (const [op, f] of ops) {
      const arg = f.make(r) as any;
      if (op === 'addPort') c.addPort(Array.isArray(arg) ? arg[0] : arg);
      if (op === 'addEnvironment') c.addEnvironment(arg[0], arg[1]);
      if (op === 'addSecretEnvironment') c.addSecretEnvironment(arg[0], arg[1] === 'secret' ? Secret.fromVariable('sec_op') : arg[1]);
      if (op === 'connect') c.connect(networks[arg[0]]() as ServiceNetwork, arg[1]);
      if (op === 'addDependency') c.addDependency(others[arg]() as ServiceContainer);
    }
  },
}));

// ---------------------------------------------------------------------------------------------
// The properties
// ---------------------------------------------------------------------------------------------

const RUNS = {
  container: 1500,
  network: 1500,
  host: 2500,
  volume: 2000,
  image: 700,
  factories: 1500,
  operations: 800,
  service: 1200,
  mixedNetwork: 600,
};

describe('every run synthesizes valid JSON or throws a ValidationError, as the model of the rules says', () => {
  test(`ServiceContainer (${RUNS.container} prop sets)`, () => runProperty('container', containerCase, RUNS.container));
  test(`SwarmService on a swarm manager (${RUNS.service} prop sets)`, () => runProperty('service', serviceCase, RUNS.service));
  test(`ServiceNetwork, 1-3 per host (${RUNS.network} sets)`, () => runProperty('network', networkCase, RUNS.network));
  test(`ServiceNetwork and OverlayNetwork, 1-3 per swarm manager (${RUNS.mixedNetwork} sets)`, () => runProperty('mixedNetwork', mixedNetworkCase, RUNS.mixedNetwork));
  test(`DockerHost with RegistryCredentials, 1-3 per stack (${RUNS.host} sets)`, () => runProperty('host', hostCase, RUNS.host));
  test(`DataVolume, 1-3 per host (${RUNS.volume} sets)`, () => runProperty('volume', volumeCase, RUNS.volume));
  test(`MinimalImage and RegistryPush (${RUNS.image} sets)`, () => runProperty('image', imageCase, RUNS.image));
  test(`static factories with anything, used by a container (${RUNS.factories} calls)`, () => runProperty('factories', factoryCase, RUNS.factories));
  test(`addPort, addEnvironment, addSecretEnvironment, connect, addDependency with anything (${RUNS.operations} sequences)`,
    () => runProperty('operations', operationsCase, RUNS.operations));
  test('at least 10,000 generated cases in total', () => {
    expect(Object.values(RUNS).reduce((n, runs) => n + runs, 0)).toBeGreaterThanOrEqual(10000);
  });
});
