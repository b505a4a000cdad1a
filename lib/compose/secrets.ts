/**
 * A service's `secrets` and `configs`. One from a file is a read-only bind mount of that file
 * (secrets under /run/secrets); a secret from the environment becomes an environment variable
 * from a sensitive Terraform variable, so its value is never read at synth. What applies only to
 * a Swarm (external, drivers, inline content) is refused.
 */
import * as fs from 'fs';
import { isEnvName } from '../_validate';
import { ServiceDraft } from './draft';
import { PathOrigin } from './model';
import { LoadContext } from './load-context';
import { Reader, isMap } from './reader';
import { PlainMap } from './source';
import { hostPath } from './volumes';

type Kind = 'secrets' | 'configs';

/** What a service's secret or config entry resolves to: a host file, or (secrets) an environment variable. */
interface Resolved {
  readonly source: string;
  readonly target: string;
  readonly hostPath?: string;
  readonly origin?: PathOrigin;
  readonly environment?: string;
}

const DEFINITION_KEYS = ['file', 'environment', 'name', 'external', 'content', 'labels', 'driver', 'driver_opts', 'template_driver'];

/** `secrets`, then `configs`, into the draft's bind mounts and secret environment. */
export function readSecretsAndConfigs(d: ServiceDraft): void {
  const r: Reader = d.r;
  const { p, def } = d;
  if (def.secrets !== undefined) {
    r.list(`${p}.secrets`, def.secrets, 'a list of secret names or { source, target }').forEach((entry, i) => {
      const at = `${p}.secrets[${i}]`;
      const m = resolve(d.ctx, at, entry, 'secrets');
      if (m.environment !== undefined) secretVariable(d, at, m);
      else bindFile(d, at, m);
    });
  }
  if (def.configs !== undefined) {
    r.list(`${p}.configs`, def.configs, 'a list of config names or { source, target }').forEach((entry, i) => {
      const at = `${p}.configs[${i}]`;
      bindFile(d, at, resolve(d.ctx, at, entry, 'configs'));
    });
  }
}

function bindFile(d: ServiceDraft, at: string, m: Resolved): void {
  d.src(`bindMounts[${d.bindMounts.length}]`, at);
  d.bindMounts.push({ hostPath: m.hostPath as string, containerPath: m.target, readOnly: true, origin: m.origin as PathOrigin });
}

function secretVariable(d: ServiceDraft, at: string, m: Resolved): void {
  const name = m.environment as string;
  if (!isEnvName(name) || d.env.has(name) || d.secretEnvironment[name] !== undefined) {
    d.r.fail(at, name, 'a secret whose environment variable name is a valid name not used by another variable of the service');
  }
  d.secretEnvironment[name] = name;
  d.src(`secretEnvironment.${name}`, at);
  d.r.note(at, `secret ${m.source}: compose mounts it as the file ${m.target}; here it is the environment variable ${name} from the sensitive Terraform variable ${name} (TF_VAR_${name} at deploy time), so its value is never read at synth`);
}

/** A service's entry (a name, or `{ source, target, uid, gid, mode }`) with its top-level definition. */
function resolve(ctx: LoadContext, p: string, entry: unknown, kind: Kind): Resolved {
  const r: Reader = ctx.r;
  const one = kind.slice(0, -1);
  let source: string;
  let target: string | undefined;
  if (typeof entry === 'string') {
    source = entry;
  } else if (isMap(entry)) {
    source = r.str(`${p}.source`, entry.source, `the name of a top-level ${one}`);
    if (entry.target !== undefined) target = r.str(`${p}.target`, entry.target, 'a file name or an absolute path');
    for (const k of Object.keys(entry)) {
      if (['uid', 'gid', 'mode'].includes(k)) r.note(`${p}.${k}`, `${k}: no counterpart for a file mounted from the host (it keeps the host file's owner and mode)`);
      else if (!['source', 'target'].includes(k)) r.fail(`${p}.${k}`, k, 'source, target, uid, gid or mode', true);
    }
  } else {
    return r.fail(p, entry, `a ${one} name or { source, target }`);
  }
  const top = kind === 'secrets' ? ctx.topSecrets : ctx.topConfigs;
  if (!(source in top)) r.fail(p, source, `a ${one} declared under the top-level ${kind} (${Object.keys(top).join(', ') || 'none declared'})`);
  const dir = kind === 'secrets' ? '/run/secrets' : '';
  const mountAt = target === undefined ? `${dir}/${source}` : target.startsWith('/') ? target : `${dir}/${target}`;
  return fromDefinition(ctx, p, kind, source, mountAt);
}

/** The top-level definition of `source`: a file (a host path that must exist) or, for a secret, an environment variable. */
function fromDefinition(ctx: LoadContext, p: string, kind: Kind, source: string, mountAt: string): Resolved {
  const r: Reader = ctx.r;
  const tp = `${kind}.${source}`;
  const def = (kind === 'secrets' ? ctx.topSecrets : ctx.topConfigs)[source];
  const one = kind.slice(0, -1);
  const fileOr = kind === 'secrets' ? ' or environment' : '';
  if (!isMap(def)) r.fail(tp, def, `a ${one} definition with file${fileOr}`);
  checkDefinition(ctx, tp, kind, def);
  if (def.name !== undefined) r.note(`${tp}.name`, 'name: no counterpart for a file mounted from the host');
  if (def.file !== undefined) {
    const file = r.str(`${tp}.file`, def.file, 'a file path relative to the compose file');
    const { hostPath: host, origin } = hostPath(ctx, file.startsWith('.') || file.startsWith('/') || file.startsWith('~') ? file : `./${file}`);
    if (!fs.existsSync(host) || !fs.statSync(host).isFile()) {
      r.fail(`${tp}.file`, file, `an existing file (no file ${host}; Docker would mount an empty folder in its place)`);
    }
    return { source, target: r.containerPath(p, mountAt), hostPath: host, origin };
  }
  if (def.environment !== undefined) {
    if (kind === 'configs') r.fail(`${tp}.environment`, def.environment, 'a config from a file: a value from the environment would be written in plain text into the plan');
    const name = r.str(`${tp}.environment`, def.environment, 'an environment variable name');
    return { source, target: mountAt, environment: name };
  }
  return r.fail(tp, def, `a ${one} with file${fileOr}`);
}

/** Refuses definition keys that apply to a Swarm only, or that compose does not know. */
function checkDefinition(ctx: LoadContext, tp: string, kind: Kind, def: PlainMap): void {
  const r: Reader = ctx.r;
  const one = kind.slice(0, -1);
  const fromWhat = kind === 'secrets' ? ' or the environment' : '';
  for (const k of Object.keys(def)) {
    if (!DEFINITION_KEYS.includes(k) && !k.startsWith('x-')) r.fail(`${tp}.${k}`, k, `file${kind === 'secrets' ? ' or environment' : ''}`, true);
  }
  if (def.external === true) r.fail(`${tp}.external`, true, `a ${one} from a file${fromWhat}: external ones live in a Swarm`);
  if (def.content !== undefined) r.fail(`${tp}.content`, '(content)', `a ${one} from a file: inline content would have to be written to the host`, true);
  for (const k of ['driver', 'driver_opts', 'template_driver', 'labels']) {
    if (def[k] !== undefined) r.fail(`${tp}.${k}`, def[k], `a ${one} from a file: ${k} applies to Swarm`, true);
  }
}
