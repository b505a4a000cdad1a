/**
 * The `convert` code generator: the normalised model (the one `ComposeProject` instantiates) →
 * a TypeScript `main.ts` that declares the same project with the library's constructs directly,
 * plus a `cdktf.json`. The generated calls mirror `instantiate.ts` one for one, so both
 * synthesize the same resources (a test compares them). A compose key with no counterpart
 * becomes a comment where it belongs.
 */
import * as path from 'path';
import { LoadOptions, loadCompose } from './normalise';
import { healthcheckOptions } from './instantiate';
import { ComposeModel, ComposeNoteModel, ImageKind, ImageModel, PathOrigin, PortModel, ServiceModel } from './model';

export interface ConvertOptions extends Omit<LoadOptions, 'where'> {
  /** Folder the generated `main.ts` is written to (paths in it are relative to it). @default - the compose file's folder */
  readonly outDir?: string;
  /** Module the constructs are imported from. @default 'cdktf-docker-production' */
  readonly importFrom?: string;
}

export interface ConvertResult {
  readonly model: ComposeModel;
  readonly mainTs: string;
  readonly cdktfJson: string;
  /** The stack id the program synthesizes (the project name). */
  readonly stackId: string;
}

/** Reads the compose file and writes the program text (nothing is written to disk here). */
export function convertCompose(options: ConvertOptions, where = 'cdktf-docker-convert'): ConvertResult {
  const model = loadCompose({ ...options, where });
  const outDir = path.resolve(options.cwd ?? process.cwd(), options.outDir ?? model.directory);
  return {
    model,
    mainTs: generateMain(model, outDir, options.importFrom ?? 'cdktf-docker-production'),
    cdktfJson: `${JSON.stringify({
      language: 'typescript',
      app: 'npx ts-node main.ts',
      projectId: model.projectName,
      sendCrashReports: 'false',
      terraformProviders: [],
      terraformModules: [],
      context: {},
    }, null, 2)}\n`,
    stackId: model.projectName,
  };
}

const RESERVED = new Set(('break case catch class const continue debugger default delete do else enum export extends false finally for function if import in '
  + 'instanceof new null return super switch this throw true try typeof var void while with yield let static implements interface package private '
  + 'protected public await app host path os stack scope id project').split(' '));

const RESTART_MEMBERS: Record<string, string> = { no: 'NO', 'on-failure': 'ON_FAILURE', always: 'ALWAYS', 'unless-stopped': 'UNLESS_STOPPED' };
const PROTOCOL_MEMBERS: Record<string, string> = { udp: 'UDP', sctp: 'SCTP' };

class Names {
  private readonly used = new Set<string>();
  public take(text: string, suffix = ''): string {
    const words = text.split(/[^A-Za-z0-9]+/).filter((w) => w !== '');
    let base = words.map((w, i) => (i === 0 ? w.charAt(0).toLowerCase() + w.slice(1) : w.charAt(0).toUpperCase() + w.slice(1))).join('') || 'item';
    if (/^[0-9]/.test(base)) base = `_${base}`;
    base += suffix;
    if (RESERVED.has(base)) base = `${base}_`;
    let name = base;
    for (let i = 2; this.used.has(name); i++) name = `${base}${i}`;
    this.used.add(name);
    return name;
  }
}

/**
 * A JavaScript literal of plain data: on one line when it fits in 110 columns after `used`
 * columns of its line, else one entry per line, indented from `indent` (the line's indentation).
 */
function lit(value: unknown, indent = 0, used = indent): string {
  const flat = literalFlat(value);
  if (used + flat.length <= 110 || typeof value !== 'object' || value === null) return flat;
  const pad = ' '.repeat(indent + 2);
  const end = ' '.repeat(indent);
  if (Array.isArray(value)) return `[\n${value.map((v) => `${pad}${lit(v, indent + 2)},`).join('\n')}\n${end}]`;
  return `{\n${Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${pad}${key(k)}: ${lit(v, indent + 2, indent + 2 + key(k).length + 2)},`).join('\n')}\n${end}}`;
}

function literalFlat(value: unknown): string {
  if (typeof value === 'string') return str(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return `[${value.map(literalFlat).join(', ')}]`;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  return entries.length === 0 ? '{}' : `{ ${entries.map(([k, v]) => `${key(k)}: ${literalFlat(v)}`).join(', ')} }`;
}

function str(s: string): string {
  const escaped = s.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return `'${escaped}'`;
}

function key(k: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(k) ? k : str(k);
}

/** A comment, wrapped at about 110 columns. */
function comment(text: string, indent: string): string[] {
  const words = text.split(/\s+/);
  const lines: string[] = [];
  let line = `${indent}//`;
  for (const w of words) {
    if (line.length + w.length + 1 > 110 && line !== `${indent}//`) {
      lines.push(line);
      line = `${indent}//  `;
    }
    line += ` ${w}`;
  }
  lines.push(line);
  return lines;
}

function noteText(n: ComposeNoteModel, composeFile: string): string {
  const file = n.source.file === composeFile ? path.basename(n.source.file) : n.source.file;
  return `${file}:${n.source.line}:${n.source.col} ${n.source.path}: ${n.message}`;
}

/** The text of `main.ts` for `model`, written to `outDir`. */
export function generateMain(model: ComposeModel, outDir: string, importFrom: string): string {
  const names = new Names();
  const uses = new Set<string>();
  const body: string[] = [];
  const I = '    ';
  const pathExpr = (abs: string, origin?: PathOrigin): string => {
    if (origin?.base === 'home') {
      uses.add('os');
      uses.add('path');
      return origin.relative === '' ? 'os.homedir()' : `path.join(os.homedir(), ${str(origin.relative)})`;
    }
    if (origin?.base === 'absolute') return str(abs);
    const inside = abs === model.directory || abs.startsWith(`${model.directory}${path.sep}`);
    if (!inside) return str(abs);
    uses.add('path');
    const rel = path.relative(outDir, abs);
    return rel === '' ? '__dirname' : `path.join(__dirname, ${str(rel.split(path.sep).join('/'))})`;
  };

  const serviceNotes = new Map<string, ComposeNoteModel[]>();
  const otherNotes: ComposeNoteModel[] = [];
  const serviceNames = new Set(model.services.map((s) => s.name));
  for (const n of model.notes) {
    const m = n.source.path.match(/^services\.([^.[]+)/);
    if (m && serviceNames.has(m[1]) && n.source.file === model.displayFile) {
      serviceNotes.set(m[1], [...(serviceNotes.get(m[1]) ?? []), n]);
    } else {
      otherNotes.push(n);
    }
  }
  const displayName = path.basename(model.displayFile);

  const hostVar = model.images.some((i) => i.kind === ImageKind.UNPINNED) ? 'host' : undefined;
  uses.add('DockerHost');
  body.push(hostVar ? `${I}const host = new DockerHost(this, 'host');` : `${I}new DockerHost(this, 'host');`);
  // The project's constructs live in a scope of their own, as under a ComposeProject of that id: the construct paths,
  // and so the Terraform addresses, are the same (and a service named `backend` does not collide with the stack's backend).
  const scopeId = model.projectName === 'backend' ? 'backend-project' : model.projectName;
  body.push(`${I}const project = new Construct(this, ${str(scopeId)});`);
  if (otherNotes.length > 0) {
    body.push('');
    body.push(`${I}// Recorded from the compose file (no counterpart in the plan):`);
    for (const n of otherNotes) body.push(...comment(noteText(n, model.displayFile), I));
  }

  // Networks --------------------------------------------------------------------------------------
  const netVars = new Map<string, string>();
  if (model.networks.length > 0) body.push('', `${I}// Networks: compose's ${model.networks.some((n) => n.key === 'default') ? 'default network and the ' : ''}networks the services use.`);
  if (model.networks.length > 0) uses.add('ServiceNetwork');
  for (const n of model.networks) {
    const v = names.take(n.key, 'Network');
    netVars.set(n.id, v);
    const props = { networkName: n.networkName, internal: n.internal, subnet: n.subnet, gateway: n.gateway, ipRange: n.ipRange, attachable: n.attachable, labels: n.labels };
    const start = `${I}const ${v} = new ServiceNetwork(project, ${str(n.id)}, `;
    body.push(`${start}${lit(props, I.length, start.length + 2)});`);
    if (n.driverOptions) body.push(`${I}${v}.resource.options = ${lit(n.driverOptions, I.length)}; // driver_opts`);
  }

  // Volumes ---------------------------------------------------------------------------------------
  const volVars = new Map<string, string>();
  if (model.volumes.length > 0) {
    uses.add('DataVolume');
    body.push('', `${I}// Volumes.`);
  }
  for (const vol of model.volumes) {
    const v = names.take(vol.anonymous ? vol.id.replace(/^volume-/, '') : vol.key, 'Volume');
    volVars.set(vol.id, v);
    const props = { volumeName: vol.volumeName, driver: vol.driver, driverOptions: vol.driverOptions, labels: vol.labels };
    if (vol.anonymous) body.push(`${I}// ${vol.key.split(':')[0]}'s anonymous volume at ${vol.key.slice(vol.key.indexOf(':') + 1)}, declared as a named one.`);
    const start = `${I}const ${v} = new DataVolume(project, ${str(vol.id)}, `;
    body.push(`${start}${lit(props, I.length, start.length + 2)});`);
  }

  // Images ----------------------------------------------------------------------------------------
  const imageVars = new Map<string, string>();
  if (model.images.length > 0) body.push('', `${I}// Images.`);
  for (const img of model.images) imageVars.set(img.id, emitImage(img));

  function emitImage(img: ImageModel): string {
    if (img.kind === ImageKind.BUILD) {
      uses.add('MinimalImage');
      const v = names.take(img.id.replace(/^image-/, ''), 'Image');
      const props: Record<string, unknown> = { context: '@@CONTEXT@@', name: img.reference, dockerfile: img.dockerfile, buildArgs: img.buildArgs, target: img.target, platform: img.platform };
      const start = `${I}const ${v} = new MinimalImage(project, ${str(img.id)}, `;
      const context = pathExpr(img.context as string);
      const text = lit(props, I.length, start.length + 2 + context.length - "'@@CONTEXT@@'".length).replace("'@@CONTEXT@@'", () => context);
      body.push(`${start}${text});`);
      return v;
    }
    const repo = img.reference.replace(/[@:].*$/, '').split('/').pop() as string;
    if (img.kind === ImageKind.REGISTRY) {
      uses.add('ContainerImage');
      const v = names.take(repo, 'Image');
      const options = img.platform ? `, ${lit({ platform: img.platform })}` : '';
      body.push(`${I}const ${v} = ContainerImage.fromRegistry(${str(img.reference)}${options});`);
      return v;
    }
    uses.add('Image');
    uses.add('IContainerImage');
    const pulled = names.take(repo, 'Pull');
    const v = names.take(repo, 'Image');
    const id = `image-${img.reference.replace(/[^a-zA-Z0-9_-]+/g, '-')}`;
    body.push(...comment(`${img.reference} is not pinned (allowUnpinnedImages): the review reports it. Pin a version tag or digest and use ContainerImage.fromRegistry.`, I));
    const start = `${I}const ${pulled} = new Image(this, ${str(id)}, `;
    body.push(`${start}${lit({ provider: '@@PROVIDER@@', name: img.reference, keepLocally: true, platform: img.platform }, I.length, start.length + 12).replace("'@@PROVIDER@@'", 'host.providerFor(this)')});`);
    body.push(`${I}const ${v}: IContainerImage = { bind: () => ({ imageId: ${pulled}.imageId, imageName: ${str(img.reference)} }) };`);
    return v;
  }

  // Services --------------------------------------------------------------------------------------
  const svcVars = new Map<string, string>();
  body.push('', `${I}// Services, each after the services it depends on.`);
  uses.add('ServiceContainer');
  for (const s of model.services) {
    const v = names.take(s.name);
    svcVars.set(s.name, v);
    body.push('', ...comment(`${s.name} (${displayName}:${s.source.line})`, I));
    body.push(`${I}const ${v} = new ServiceContainer(project, ${str(s.name)}, {`);
    for (const line of serviceProps(s)) body.push(`${I}  ${line}`);
    body.push(`${I}});`);
    for (const n of s.networks) body.push(`${I}${v}.connect(${netVars.get(n.network)}, ${lit(n.aliases)});`);
    for (const r of s.resource) {
      const c = ` // ${r.composeKey}`;
      let start: string;
      if (r.kind === 'set') start = `${I}${v}.resource.${r.name} = `;
      else if (r.kind === 'put') start = `${I}${v}.resource.${r.name}(`;
      else start = `${I}${v}.resource.addOverride(${str(r.name)}, `;
      const close = r.kind === 'set' ? ';' : ');';
      body.push(`${start}${lit(r.value, I.length, start.length + close.length + c.length)}${close}${c}`);
    }
    for (const n of serviceNotes.get(s.name) ?? []) body.push(...comment(noteText(n, model.displayFile), I));
  }

  function serviceProps(s: ServiceModel): string[] {
    const out: string[] = [];
    const prop = (k: string, text: string | undefined) => {
      if (text !== undefined) out.push(`${k}: ${text},`);
    };
    const p = s.props;
    prop('image', imageVars.get(s.image));
    prop('serviceName', str(p.serviceName));
    const data = (k: keyof typeof p) => prop(k, p[k] === undefined ? undefined : lit(p[k], I.length + 2, I.length + 2 + k.length + 3));
    data('command');
    data('entrypoint');
    data('workingDir');
    data('user');
    data('environment');
    if (Object.keys(s.secretEnvironment).length > 0) {
      uses.add('Secret');
      prop('secretEnvironment', `{ ${Object.entries(s.secretEnvironment).map(([k, vname]) => `${key(k)}: Secret.fromVariable(${str(vname)})`).join(', ')} }`);
    }
    if (s.ports.length > 0) {
      uses.add('PortMapping');
      const ports = s.ports.map(portExpr);
      prop('ports', ports.join(', ').length > 90 ? `[\n${ports.map((x) => `${I}    ${x},`).join('\n')}\n${I}  ]` : `[${ports.join(', ')}]`);
    }
    if (s.volumes.length > 0) {
      prop('volumes', `[${s.volumes.map((m) => `{ volume: ${volVars.get(m.volume)}, containerPath: ${str(m.containerPath)}${m.readOnly !== undefined ? `, readOnly: ${m.readOnly}` : ''} }`).join(', ')}]`);
    }
    if (s.bindMounts.length > 0) {
      const mounts = s.bindMounts.map((b) => `{ hostPath: ${pathExpr(b.hostPath, b.origin)}, containerPath: ${str(b.containerPath)}${b.readOnly !== undefined ? `, readOnly: ${b.readOnly}` : ''} }`);
      prop('bindMounts', mounts.join(', ').length > 80 ? `[\n${mounts.map((m) => `${I}    ${m},`).join('\n')}\n${I}  ]` : `[${mounts.join(', ')}]`);
    }
    data('writablePaths');
    data('tmpfsSizeMiB');
    data('readOnlyRootFilesystem');
    data('memoryMiB');
    data('cpus');
    if (p.restartPolicy !== undefined) {
      uses.add('RestartPolicy');
      prop('restartPolicy', `RestartPolicy.${RESTART_MEMBERS[p.restartPolicy]}`);
    }
    data('maxRetryCount');
    data('init');
    data('addCapabilities');
    data('noNewPrivileges');
    if (s.healthcheck) {
      uses.add('Healthcheck');
      const h = s.healthcheck;
      const opts = healthcheckOptions(h);
      const call = h.kind === 'shell' ? `Healthcheck.shell(${str(h.script as string)}` : `Healthcheck.command(${lit(h.command, I.length + 2, I.length + 27)}`;
      const lastLine = `${I}  healthcheck: ${call}`.split('\n').pop() as string;
      const o = Object.keys(opts).length > 0 ? `, ${lit(opts, I.length + 2, lastLine.length + 4)}` : '';
      prop('healthcheck', `${call}${o})`);
    }
    if (s.dependsOn.length > 0) prop('dependsOn', `[${s.dependsOn.map((d) => svcVars.get(d)).join(', ')}]`);
    data('logMaxSizeMiB');
    data('logMaxFiles');
    data('stopTimeoutSeconds');
    data('labels');
    return out;
  }

  function portExpr(port: PortModel): string {
    const proto = PROTOCOL_MEMBERS[port.protocol];
    if (proto) uses.add('Protocol');
    const tail = proto ? `, Protocol.${proto}` : '';
    if (port.factory === 'public') return `PortMapping.public(${port.hostPort}, ${port.containerPort}${tail})`;
    if (port.factory === 'local') return `PortMapping.local(${port.hostPort}, ${port.containerPort}${tail})`;
    return `PortMapping.onInterface(${str(port.hostIp)}, ${port.hostPort}, ${port.containerPort}${tail})`;
  }

  // Header --------------------------------------------------------------------------------------
  const className = `${model.projectName.split(/[^a-zA-Z0-9]+/).filter((w) => w).map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('') || 'Compose'}Stack`;
  const libNames = ['ContainerImage', 'DataVolume', 'DockerHost', 'Healthcheck', 'IContainerImage', 'MinimalImage', 'PortMapping', 'Protocol', 'RestartPolicy', 'Secret', 'ServiceContainer', 'ServiceNetwork']
    .filter((x) => uses.has(x));
  const secretVars = [...new Set(model.services.flatMap((s) => Object.values(s.secretEnvironment)))];
  const head: string[] = [
    `// Generated by cdktf-docker-convert from ${displayName} (compose project "${model.projectName}").`,
    '// It declares the project with the constructs of cdktf-docker-production directly: edit it freely,',
    "// it no longer reads the compose file. Values were interpolated when it was generated.",
  ];
  if (secretVars.length > 0) head.push(...comment(`Secret values are read by Terraform at deploy time: ${secretVars.map((s) => `TF_VAR_${s}`).join(', ')}.`, ''));
  if (uses.has('os')) head.push("import * as os from 'os';");
  if (uses.has('path')) head.push("import * as path from 'path';");
  head.push("import { Construct } from 'constructs';");
  head.push("import { App, TerraformStack } from 'cdktf';");
  if (uses.has('Image')) head.push("import { Image } from '@cdktf/provider-docker/lib/image';");
  head.push(libNames.join(', ').length > 80
    ? `import {\n${wrapList(libNames, '  ')}\n} from ${str(importFrom)};`
    : `import { ${libNames.join(', ')} } from ${str(importFrom)};`);

  return [
    ...head,
    '',
    `export class ${className} extends TerraformStack {`,
    '  constructor(scope: Construct, id: string) {',
    '    super(scope, id);',
    ...body,
    '  }',
    '}',
    '',
    'const app = new App();',
    `new ${className}(app, ${str(model.projectName)});`,
    'app.synth();',
    '',
  ].join('\n');
}

function wrapList(items: string[], indent: string): string {
  const lines: string[] = [];
  let line = indent;
  for (const item of items) {
    const piece = `${item},`;
    if (line.length + piece.length + 1 > 100 && line.trim() !== '') {
      lines.push(line.trimEnd());
      line = indent;
    }
    line += `${piece} `;
  }
  lines.push(line.trimEnd());
  return lines.join('\n');
}
