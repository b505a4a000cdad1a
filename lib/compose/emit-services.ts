/**
 * The generated declaration of each service: a `ServiceContainer` with its props in a fixed
 * order, its network connections, the settings on its L1 container (each with the compose key it
 * comes from) and its notes as comments, as `instantiate.ts` and `ComposeProject` declare it.
 */
import * as path from 'path';
import { healthcheckOptions } from './instantiate';
import { ComposeNoteModel, PortModel, ResourceSetting, ServiceModel, ServiceProps } from './model';
import { I, Program } from './emit-program';
import { comment, key, lit, noteText, str } from './emit-text';

const RESTART_MEMBERS: Record<string, string> = { no: 'NO', 'on-failure': 'ON_FAILURE', always: 'ALWAYS', 'unless-stopped': 'UNLESS_STOPPED' };
const PROTOCOL_MEMBERS: Record<string, string> = { udp: 'UDP', sctp: 'SCTP' };

/** The services in creation order, with the notes of each. */
export function emitServices(prog: Program, notes: Map<string, ComposeNoteModel[]>): void {
  prog.body.push('', `${I}// Services, each after the services it depends on.`);
  prog.uses.add('ServiceContainer');
  for (const s of prog.model.services) emitService(prog, s, notes.get(s.name) ?? []);
}

function emitService(prog: Program, s: ServiceModel, notes: ComposeNoteModel[]): void {
  const { body, model } = prog;
  const v = prog.names.take(s.name);
  prog.svcVars.set(s.name, v);
  body.push('', ...comment(`${s.name} (${path.basename(model.displayFile)}:${s.source.line})`, I));
  body.push(`${I}const ${v} = new ServiceContainer(project, ${str(s.name)}, {`);
  for (const line of serviceProps(prog, s)) body.push(`${I}  ${line}`);
  body.push(`${I}});`);
  for (const n of s.networks) body.push(`${I}${v}.connect(${prog.netVars.get(n.network)}, ${lit(n.aliases)});`);
  for (const r of s.resource) body.push(settingLine(v, r));
  for (const n of notes) body.push(...comment(noteText(n, model.displayFile), I));
}

/** `resource.x = value;`, `resource.putX(value);` or `resource.addOverride(path, value);`, with the compose key as a comment. */
function settingLine(v: string, r: ResourceSetting): string {
  const c = ` // ${r.composeKey}`;
  let start: string;
  if (r.kind === 'set') start = `${I}${v}.resource.${r.name} = `;
  else if (r.kind === 'put') start = `${I}${v}.resource.${r.name}(`;
  else start = `${I}${v}.resource.addOverride(${str(r.name)}, `;
  const close = r.kind === 'set' ? ';' : ');';
  return `${start}${lit(r.value, I.length, start.length + close.length + c.length)}${close}${c}`;
}

/** The lines of a props object: `key: expression,`, only for what is given. */
class PropLines {
  public readonly out: string[] = [];

  constructor(private readonly p: ServiceProps) {}

  public prop(k: string, text: string | undefined): void {
    if (text !== undefined) this.out.push(`${k}: ${text},`);
  }

  /** Props that are plain data, as literals. */
  public data(...keys: (keyof ServiceProps)[]): void {
    for (const k of keys) this.prop(k, this.p[k] === undefined ? undefined : lit(this.p[k], I.length + 2, I.length + 2 + k.length + 3));
  }
}

function serviceProps(prog: Program, s: ServiceModel): string[] {
  const p = s.props;
  const o = new PropLines(p);
  o.prop('image', prog.imageVars.get(s.image));
  o.prop('serviceName', str(p.serviceName));
  o.data('command', 'entrypoint', 'workingDir', 'user', 'environment');
  o.prop('secretEnvironment', secretEnvironment(prog, s));
  o.prop('ports', ports(prog, s));
  o.prop('volumes', volumes(prog, s));
  o.prop('bindMounts', bindMounts(prog, s));
  o.data('writablePaths', 'tmpfsSizeMiB', 'readOnlyRootFilesystem', 'memoryMiB', 'cpus');
  if (p.restartPolicy !== undefined) {
    prog.uses.add('RestartPolicy');
    o.prop('restartPolicy', `RestartPolicy.${RESTART_MEMBERS[p.restartPolicy]}`);
  }
  o.data('maxRetryCount', 'init', 'addCapabilities', 'noNewPrivileges');
  o.prop('healthcheck', healthcheck(prog, s));
  if (s.dependsOn.length > 0) o.prop('dependsOn', `[${s.dependsOn.map((d) => prog.svcVars.get(d)).join(', ')}]`);
  o.data('logMaxSizeMiB', 'logMaxFiles', 'stopTimeoutSeconds', 'labels');
  return o.out;
}

function secretEnvironment(prog: Program, s: ServiceModel): string | undefined {
  if (Object.keys(s.secretEnvironment).length === 0) return undefined;
  prog.uses.add('Secret');
  return `{ ${Object.entries(s.secretEnvironment).map(([k, vname]) => `${key(k)}: Secret.fromVariable(${str(vname)})`).join(', ')} }`;
}

/** A list on one line when short enough, else one entry per line. */
function list(items: string[], width: number): string {
  return items.join(', ').length > width ? `[\n${items.map((x) => `${I}    ${x},`).join('\n')}\n${I}  ]` : `[${items.join(', ')}]`;
}

function ports(prog: Program, s: ServiceModel): string | undefined {
  if (s.ports.length === 0) return undefined;
  prog.uses.add('PortMapping');
  return list(s.ports.map((port) => portExpr(prog, port)), 90);
}

function portExpr(prog: Program, port: PortModel): string {
  const proto = PROTOCOL_MEMBERS[port.protocol];
  if (proto) prog.uses.add('Protocol');
  const tail = proto ? `, Protocol.${proto}` : '';
  if (port.factory === 'public') return `PortMapping.public(${port.hostPort}, ${port.containerPort}${tail})`;
  if (port.factory === 'local') return `PortMapping.local(${port.hostPort}, ${port.containerPort}${tail})`;
  return `PortMapping.onInterface(${str(port.hostIp)}, ${port.hostPort}, ${port.containerPort}${tail})`;
}

const readOnly = (m: { readonly readOnly?: boolean }) => (m.readOnly !== undefined ? `, readOnly: ${m.readOnly}` : '');

function volumes(prog: Program, s: ServiceModel): string | undefined {
  if (s.volumes.length === 0) return undefined;
  return `[${s.volumes.map((m) => `{ volume: ${prog.volVars.get(m.volume)}, containerPath: ${str(m.containerPath)}${readOnly(m)} }`).join(', ')}]`;
}

function bindMounts(prog: Program, s: ServiceModel): string | undefined {
  if (s.bindMounts.length === 0) return undefined;
  return list(s.bindMounts.map((b) => `{ hostPath: ${prog.pathExpr(b.hostPath, b.origin)}, containerPath: ${str(b.containerPath)}${readOnly(b)} }`), 80);
}

function healthcheck(prog: Program, s: ServiceModel): string | undefined {
  const h = s.healthcheck;
  if (!h) return undefined;
  prog.uses.add('Healthcheck');
  const opts = healthcheckOptions(h);
  const call = h.kind === 'shell' ? `Healthcheck.shell(${str(h.script as string)}` : `Healthcheck.command(${lit(h.command, I.length + 2, I.length + 27)}`;
  const lastLine = `${I}  healthcheck: ${call}`.split('\n').pop() as string;
  const o = Object.keys(opts).length > 0 ? `, ${lit(opts, I.length + 2, lastLine.length + 4)}` : '';
  return `${call}${o})`;
}
