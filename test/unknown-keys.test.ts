/**
 * Unknown keys in props objects are refused, naming the key and listing the known ones — for
 * every props (and options) interface the library exports, given as plain JavaScript objects. The
 * interfaces and their keys are read from the library's types with the TypeScript compiler, so a
 * new props interface without a case here fails this test.
 */
import * as path from 'path';
import * as ts from 'typescript';
import { TerraformStack, Testing } from 'cdktf';
import {
  ComposeProject, ContainerImage, DataVolume, DockerHost, Healthcheck, MinimalImage, OverlayNetwork, ProductionChecks, RegistryCredentials,
  RegistryPush, Secret, ServiceContainer, ServiceNetwork, SwarmConfig, SwarmSecret, SwarmService, SystemdUnits, ValidationError,
} from '../lib';

const ROOT = path.join(__dirname, '..');
const CONTEXT = path.join(ROOT, 'examples', 'reference-app', 'api');
const COMPOSE = path.join(ROOT, 'test', 'fixtures', 'compose', 'shop', 'compose.yaml');
const redis = () => ContainerImage.fromRegistry('redis:7.4-alpine');

/** Exported interfaces the library returns, never takes: no keys to refuse. */
const OUTPUTS = new Set(['ValidationErrorDetails', 'ImageBinding', 'IContainerImage', 'ComposeNote', 'RegistryLogin']);
/** Bases no construct takes alone: their keys are checked through the interfaces that extend them. */
const BASES: Record<string, string[]> = { ContainerSpecProps: ['ServiceContainerProps', 'SwarmServiceProps'], SwarmObjectProps: ['SwarmSecretProps', 'SwarmConfigProps'] };

/** The exported interfaces of lib/index.ts outside the review (its types describe results), with their property names. */
function exportedInterfaces(): Map<string, string[]> {
  const entry = path.join(ROOT, 'lib', 'index.ts');
  const program = ts.createProgram([entry], { strict: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, noEmit: true });
  const checker = program.getTypeChecker();
  const module = checker.getSymbolAtLocation(program.getSourceFile(entry) as ts.SourceFile) as ts.Symbol;
  const found = new Map<string, string[]>();
  for (const exported of checker.getExportsOfModule(module)) {
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    if (!(symbol.flags & ts.SymbolFlags.Interface)) continue;
    if ((symbol.declarations ?? []).some((d) => d.getSourceFile().fileName.includes(`${path.sep}review${path.sep}`))) continue;
    found.set(exported.name, checker.getPropertiesOfType(checker.getDeclaredTypeOfSymbol(symbol)).map((p) => p.name).sort());
  }
  return found;
}

type Props = Record<string, unknown>;
/** Builds, from a plain object of props, what takes the interface, in a fresh stack; synthesizes where the check runs at bind time. */
type Builder = (props: Props) => void;

function stack(swarm = false): TerraformStack {
  const s = new TerraformStack(Testing.app(), 's');
  new DockerHost(s, 'host', swarm ? { swarm: true } : {});
  return s;
}
function container(s: TerraformStack, extra: Props): ServiceContainer {
  return new ServiceContainer(s, 'svc', { image: redis(), networks: [new ServiceNetwork(s, 'net')], ...extra } as any);
}
function service(s: TerraformStack, extra: Props): SwarmService {
  return new SwarmService(s, 'svc', { image: redis(), networks: [new OverlayNetwork(s, 'mesh')], ...extra } as any);
}

/** Where each interface's keys are checked: the construct path and the prop prefix its errors name. */
const CASES: Record<string, { where: string; prefix?: string; build: Builder }> = {
  DockerHostProps: { where: 's/edge', build: (p) => new DockerHost(new TerraformStack(Testing.app(), 's'), 'edge', p as any) },
  DockerHostTls: {
    where: 's/edge', prefix: 'tls',
    build: (p) => new DockerHost(new TerraformStack(Testing.app(), 's'), 'edge', { url: 'tcp://edge.example.com:2376', tls: p as any }),
  },
  ServiceNetworkProps: { where: 's/net', build: (p) => new ServiceNetwork(stack(), 'net', p as any) },
  OverlayNetworkProps: { where: 's/mesh', build: (p) => new OverlayNetwork(stack(true), 'mesh', p as any) },
  DataVolumeProps: { where: 's/data', build: (p) => new DataVolume(stack(), 'data', p as any) },
  FromRegistryOptions: {
    where: 's/svc', prefix: 'image.options',
    build: (p) => container(stack(), { image: ContainerImage.fromRegistry('redis:7.4-alpine', p as any) }),
  },
  MinimalImageProps: { where: 's/api', build: (p) => new MinimalImage(stack(), 'api', { context: CONTEXT, name: 'team/api:1.0.0', ...p } as any) },
  HealthcheckOptions: { where: 's/svc', prefix: 'healthcheck.options', build: (p) => container(stack(), { healthcheck: Healthcheck.tcp(6379, p as any) }) },
  VolumeMount: {
    where: 's/svc', prefix: 'volumes[0]',
    build: (p) => {
      const s = stack();
      container(s, { volumes: [{ volume: new DataVolume(s, 'data'), containerPath: '/data', ...p }] });
    },
  },
  BindMount: { where: 's/svc', prefix: 'bindMounts[0]', build: (p) => container(stack(), { bindMounts: [{ hostPath: '/srv/app', containerPath: '/srv', ...p }] }) },
  ServiceContainerProps: { where: 's/svc', build: (p) => container(stack(), p) },
  SwarmServiceProps: { where: 's/svc', build: (p) => service(stack(true), p) },
  ServiceRestartPolicy: { where: 's/svc', prefix: 'restartPolicy', build: (p) => service(stack(true), { restartPolicy: p }) },
  ServiceUpdateConfig: { where: 's/svc', prefix: 'updateConfig', build: (p) => service(stack(true), { updateConfig: p }) },
  SwarmSecretMount: {
    where: 's/svc', prefix: 'secrets[0]',
    build: (p) => {
      const s = stack(true);
      service(s, { secrets: [{ secret: new SwarmSecret(s, 'pw', { value: Secret.fromVariable('db_password') }), ...p }] });
    },
  },
  SwarmConfigMount: {
    where: 's/svc', prefix: 'configs[0]',
    build: (p) => {
      const s = stack(true);
      service(s, { configs: [{ config: new SwarmConfig(s, 'conf', { content: 'x' }), ...p }] });
    },
  },
  SwarmSecretProps: { where: 's/pw', build: (p) => new SwarmSecret(stack(true), 'pw', { value: Secret.fromVariable('db_password'), ...p } as any) },
  SwarmConfigProps: { where: 's/conf', build: (p) => new SwarmConfig(stack(true), 'conf', { content: 'x', ...p } as any) },
  RegistryPushProps: {
    where: 's/push',
    build: (p) => {
      const s = new TerraformStack(Testing.app(), 's');
      new DockerHost(s, 'host', { registries: [RegistryCredentials.anonymous('http://localhost:5000')] });
      const image = new MinimalImage(s, 'api', { context: CONTEXT, name: 'team/api:1.0.0' });
      new RegistryPush(s, 'push', { image, repository: 'localhost:5000/team/api', tags: ['1.0.0'], ...p } as any);
    },
  },
  SystemdUnitsProps: { where: 's/units', build: (p) => new SystemdUnits(stack(), 'units', p as any) },
  ComposeProjectProps: {
    where: 's/shop',
    build: (p) => new ComposeProject(stack(), 'shop', { file: COMPOSE, allowUnpinnedImages: true, ...p } as any),
  },
  ProductionChecksProps: { where: 'ProductionChecks', build: (p) => new ProductionChecks(p as any) },
};

function caught(fn: () => void): ValidationError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ValidationError) return e;
    throw new Error(`expected a ValidationError, got ${String(e)}`);
  }
  throw new Error('expected a ValidationError, nothing was thrown');
}

const interfaces = exportedInterfaces();

test('every exported props interface has a case here (or is an output)', () => {
  const inputs = [...interfaces.keys()].filter((name) => !OUTPUTS.has(name) && !(name in BASES)).sort();
  expect(inputs).toEqual(Object.keys(CASES).sort());
  // A base's keys are all keys of each interface that extends it, which its case checks.
  for (const [base, extending] of Object.entries(BASES)) {
    for (const name of extending) expect(interfaces.get(name)).toEqual(expect.arrayContaining(interfaces.get(base) as string[]));
  }
});

describe.each(Object.entries(CASES))('%s', (name, c) => {
  test('a valid object is accepted (the case builds)', () => {
    expect(() => c.build({})).not.toThrow();
  });

  test('an unknown key is refused, naming the key and listing every known key', () => {
    const known = interfaces.get(name) as string[];
    const error = caught(() => c.build({ hostt: 'ssh://deploy@edge.example.com' }));
    const prop = c.prefix === undefined ? 'hostt' : `${c.prefix}.hostt`;
    expect([error.constructPath, error.prop]).toEqual([c.where, prop]);
    expect(error.allowed).toBe(`a key of ${name} (unknown keys are refused, not ignored): one of ${known.join(', ')}`);
    expect(error.message).toBe(`${c.where}: invalid ${prop} "ssh://deploy@edge.example.com": ${error.allowed}`);
  });

  test('an unknown key whose value is undefined sets nothing and passes', () => {
    expect(() => c.build({ hostt: undefined })).not.toThrow();
  });
});

test('the deploy to the wrong machine: DockerHost { host } instead of { url } is refused', () => {
  const s = new TerraformStack(Testing.app(), 's');
  const error = caught(() => new DockerHost(s, 'edge', { host: 'ssh://deploy@edge' } as any));
  expect(error.message).toContain('s/edge: invalid host "ssh://deploy@edge": a key of DockerHostProps');
  expect(error.allowed).toContain('one of alias, providerVersion, registries, sshOptions, swarm, tls, url');
});
