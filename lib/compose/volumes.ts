/**
 * Volumes and mounts: the top-level `volumes` (those the enabled services use, as `DataVolume`s),
 * and a service's `volumes` (short `SOURCE:TARGET[:MODE]` and long syntax: named and anonymous
 * volumes, bind mounts, tmpfs) and `tmpfs`. Tmpfs mounts become the library's writable paths,
 * all of one size.
 */
import * as path from 'path';
import { ServiceDraft } from './draft';
import { PathOrigin, VolumeModel } from './model';
import { LoadContext } from './load-context';
import { MIB, Mutable, Reader, expandHome, isMap, splitOnce } from './reader';
import { PlainMap } from './source';
import { parseByteSize } from './units';

/** A mount as written, before its source is resolved. */
interface WrittenMount {
  type: string;
  sourceText?: string;
  target: string;
  readOnly?: boolean;
  size?: number;
}

type Mount =
  | { kind: 'tmpfs'; target: string; size?: number }
  | { kind: 'bind'; hostPath: string; target: string; readOnly?: boolean; origin: PathOrigin }
  | { kind: 'volume'; volume: string; target: string; readOnly?: boolean };

// ------------------------------------------------------------------------------------------------
// Top-level volumes

/** The declared volumes the enabled services use (the others noted), then the services' anonymous ones. */
export function declaredVolumes(ctx: LoadContext): VolumeModel[] {
  const out: VolumeModel[] = [];
  for (const [key, def] of Object.entries(ctx.topVolumes)) {
    const p = `volumes.${key}`;
    if (!ctx.usedVolumes.has(key)) {
      ctx.r.note(p, `volume ${key} is not used by any enabled service: not declared (as compose does)`);
      continue;
    }
    const v: Mutable<VolumeModel> = { key, id: `volume-${key}`, source: ctx.r.ref(p, true), volumeName: `${ctx.projectName}_${key}`, anonymous: false };
    if (def !== null && def !== undefined) {
      if (!isMap(def)) ctx.r.fail(p, def, 'a volume definition (a mapping, or empty)');
      for (const [k, val] of Object.entries(def)) volumeKey(ctx.r, v, `${p}.${k}`, k, val);
    }
    out.push(v);
  }
  return [...out, ...ctx.anonymousVolumes];
}

function volumeKey(r: Reader, v: Mutable<VolumeModel>, kp: string, k: string, val: unknown): void {
  if (k === 'name') v.volumeName = r.objectName(kp, val, 2);
  else if (k === 'driver') v.driver = r.objectName(kp, val, 1);
  else if (k === 'driver_opts') v.driverOptions = r.stringMap(kp, val, 'a mapping of driver options');
  else if (k === 'labels') v.labels = r.labels(kp, val);
  else if (k === 'external') {
    if (val === true) r.fail(kp, val, 'a volume the project declares: an external volume is not managed here (remove external, or declare the volume in another stack)');
    r.bool(kp, val);
  } else if (!k.startsWith('x-')) r.fail(kp, k, 'a volume key: name, driver, driver_opts, labels, external', true);
}

// ------------------------------------------------------------------------------------------------
// A service's volumes and tmpfs

/** `volumes` and `tmpfs` into the draft's volumes, bind mounts, writable paths and tmpfs size. */
export function readMounts(d: ServiceDraft): void {
  const r: Reader = d.r;
  const { p, def } = d;
  const tmpfs = new TmpfsMounts(d);
  if (def.volumes !== undefined) {
    r.list(`${p}.volumes`, def.volumes, 'a list of volumes (short or long syntax)').forEach((v, i) => {
      const at = `${p}.volumes[${i}]`;
      const m = serviceVolume(d, at, v);
      if (m.kind === 'tmpfs') {
        tmpfs.add(at, m.target, m.size);
      } else if (m.kind === 'bind') {
        d.src(`bindMounts[${d.bindMounts.length}]`, at);
        d.bindMounts.push({ hostPath: m.hostPath, containerPath: m.target, readOnly: m.readOnly, origin: m.origin });
      } else {
        d.src(`volumes[${d.volumes.length}]`, at);
        d.volumes.push({ volume: m.volume, containerPath: m.target, readOnly: m.readOnly });
      }
    });
  }
  if (def.tmpfs !== undefined) {
    const list = typeof def.tmpfs === 'string' ? [def.tmpfs] : r.stringList(`${p}.tmpfs`, def.tmpfs, 'a path or a list of paths');
    list.forEach((t, i) => tmpfsEntry(d, tmpfs, typeof def.tmpfs === 'string' ? `${p}.tmpfs` : `${p}.tmpfs[${i}]`, t));
  }
  tmpfs.finish();
}

/** One `tmpfs` entry, `PATH[:size=64m,...]`. */
function tmpfsEntry(d: ServiceDraft, tmpfs: TmpfsMounts, at: string, t: string): void {
  const [target, opts] = splitOnce(t, ':');
  let size: number | undefined;
  for (const o of (opts ?? '').split(',').filter((x) => x !== '')) {
    const [ok, ov] = splitOnce(o, '=');
    if (ok === 'size') {
      size = parseByteSize(ov);
      if (size === undefined) d.r.fail(at, t, 'a tmpfs size such as size=64m');
    } else {
      d.r.note(at, `tmpfs option ${o}: no counterpart (the library's tmpfs mounts are rw,nosuid)`);
    }
  }
  tmpfs.add(at, d.r.containerPath(at, target), size);
}

/** The service's tmpfs mounts: writable paths (besides /tmp) and the one size they share. */
class TmpfsMounts {
  private readonly writable: string[] = [];
  private readonly sizes = new Map<number, string>();

  constructor(private readonly d: ServiceDraft) {}

  public add(at: string, target: string, sizeBytes?: number): void {
    if (target === '/tmp') {
      this.d.r.note(at, "/tmp is a tmpfs already (the library's default, noexec)");
    } else {
      this.d.src(`writablePaths[${this.writable.length}]`, at);
      this.writable.push(target);
    }
    if (sizeBytes !== undefined) {
      if (sizeBytes % MIB !== 0 || sizeBytes === 0) this.d.r.fail(at, sizeBytes, 'a tmpfs size of whole MiB (the library sizes every tmpfs in MiB), e.g. 64m');
      this.sizes.set(sizeBytes / MIB, at);
    }
  }

  public finish(): void {
    const { d, writable, sizes } = this;
    if (writable.length > 0) d.props.writablePaths = writable;
    if (sizes.size > 1) {
      const [, second] = [...sizes.values()];
      d.r.fail(second, [...sizes.keys()].map((x) => `${x}m`), 'one tmpfs size per service (the library sizes all of a container\'s tmpfs mounts alike)');
    }
    if (sizes.size === 1) {
      const [[size, at]] = [...sizes.entries()];
      d.props.tmpfsSizeMiB = size;
      d.src('tmpfsSizeMiB', at);
    }
  }
}

function serviceVolume(d: ServiceDraft, p: string, v: unknown): Mount {
  const r: Reader = d.r;
  let w: WrittenMount;
  if (typeof v === 'string') w = shortVolume(r, p, v);
  else if (isMap(v)) w = longVolume(r, p, v);
  else return r.fail(p, v, 'a volume: "SOURCE:TARGET[:ro]" or { type, source, target, read_only }');
  const target = r.containerPath(p, w.target);
  if (w.type === 'tmpfs') {
    if (w.readOnly === true) r.fail(`${p}.read_only`, w.readOnly, 'false: a tmpfs mount is a writable path');
    return { kind: 'tmpfs', target, size: w.size };
  }
  if (w.type === 'bind') {
    if (w.sourceText === undefined || w.sourceText === '') r.fail(p, v, 'a bind mount with a source (host path)');
    const { hostPath: host, origin } = hostPath(d.ctx, w.sourceText);
    if (w.readOnly === undefined) r.note(p, `bind mount ${w.sourceText}: read-only (the library's default for bind mounts); write :rw (or read_only: false) where the service writes there`);
    return { kind: 'bind', hostPath: host, target, readOnly: w.readOnly, origin };
  }
  if (w.type !== 'volume') r.fail(`${p}.type`, w.type, 'volume, bind or tmpfs (npipe, cluster and image mounts have no counterpart in the library)');
  if (w.sourceText === undefined || w.sourceText === '') return anonymousVolume(d, p, target, w.readOnly);
  if (!(w.sourceText in d.ctx.topVolumes)) {
    r.fail(p, w.sourceText, `a volume declared under the top-level volumes (${Object.keys(d.ctx.topVolumes).join(', ') || 'none declared'}), or a host path starting with ., / or ~`);
  }
  d.ctx.usedVolumes.add(w.sourceText);
  return { kind: 'volume', volume: `volume-${w.sourceText}`, target, readOnly: w.readOnly };
}

/** An anonymous volume: declared as a named one, so it is visible and kept across re-creation. */
function anonymousVolume(d: ServiceDraft, p: string, target: string, readOnly: boolean | undefined): Mount {
  const { ctx, name: service } = d;
  const n = ctx.anonymousVolumes.filter((a) => a.key.startsWith(`${service}:`)).length + 1;
  const id = `volume-${service}-anon${n}`;
  const volumeName = `${ctx.projectName}_${service.toLowerCase().replace(/[^a-z0-9_.-]/g, '-')}_anon${n}`;
  ctx.anonymousVolumes.push({ key: `${service}:${target}`, id, source: ctx.r.ref(p), volumeName, anonymous: true });
  ctx.r.note(p, `anonymous volume at ${target}: declared as the named volume ${volumeName} (compose gives it a random name)`);
  return { kind: 'volume', volume: id, target, readOnly };
}

/** `SOURCE:TARGET[:MODE]`, or a container path alone (an anonymous volume); a source starting with ., / or ~ is a bind mount. */
function shortVolume(r: Reader, p: string, v: string): WrittenMount {
  const parts = v.split(':');
  if (parts.length > 3) r.fail(p, v, 'SOURCE:TARGET[:MODE] or a container path (an anonymous volume)');
  const sourceText = parts.length === 1 ? undefined : parts[0];
  const target = parts.length === 1 ? parts[0] : parts[1];
  let readOnly: boolean | undefined;
  for (const mode of (parts[2] ?? '').split(',').filter((x) => x !== '')) {
    if (mode === 'ro') readOnly = true;
    else if (mode === 'rw') readOnly = false;
    else if (['z', 'Z'].includes(mode)) r.note(p, `volume mode ${mode} (SELinux relabelling): no counterpart in the provider's volume mounts`);
    else if (mode === 'nocopy') r.note(p, 'volume mode nocopy: no counterpart in the provider\'s volume mounts');
    else if (['cached', 'delegated', 'consistent'].includes(mode)) r.note(p, `volume mode ${mode}: macOS only, no effect on a Linux engine`);
    else r.fail(p, v, 'a volume mode of ro, rw, z, Z, nocopy (mount propagation has no counterpart in the library\'s mounts)');
  }
  const type = sourceText === undefined ? 'volume' : /^[./~]/.test(sourceText) ? 'bind' : 'volume';
  return { type, sourceText, target, readOnly };
}

/** `{ type, source, target, read_only, bind, volume, tmpfs, consistency }`. */
function longVolume(r: Reader, p: string, v: PlainMap): WrittenMount {
  const type = r.str(`${p}.type`, v.type, 'volume, bind or tmpfs');
  if (v.target === undefined) r.fail(p, v, 'a long-syntax volume with target');
  const w: WrittenMount = { type, target: r.str(`${p}.target`, v.target, 'an absolute container path') };
  if (v.source !== undefined) w.sourceText = r.str(`${p}.source`, v.source, 'a volume name or host path');
  if (v.read_only !== undefined) w.readOnly = r.bool(`${p}.read_only`, v.read_only);
  for (const [k, val] of Object.entries(v)) {
    const kp = `${p}.${k}`;
    if (['type', 'target', 'source', 'read_only'].includes(k) || k.startsWith('x-')) continue;
    if (k === 'consistency') r.note(kp, 'consistency: macOS only, no effect on a Linux engine');
    else if (k === 'bind' && type === 'bind' && isMap(val)) bindOptions(r, kp, val);
    else if (k === 'volume' && type === 'volume' && isMap(val)) volumeOptions(r, kp, val);
    else if (k === 'tmpfs' && type === 'tmpfs' && isMap(val)) w.size = tmpfsOptions(r, kp, val);
    else r.fail(kp, k, `a key of a ${type} mount`, true);
  }
  return w;
}

function bindOptions(r: Reader, kp: string, val: PlainMap): void {
  for (const [bk, bv] of Object.entries(val)) {
    if (bk === 'create_host_path') r.note(`${kp}.${bk}`, 'create_host_path: Docker creates a missing host folder of a bind mount');
    else if (bk === 'selinux') r.note(`${kp}.${bk}`, 'SELinux relabelling: no counterpart in the provider\'s volume mounts');
    else r.fail(`${kp}.${bk}`, bv, 'create_host_path or selinux: mount propagation has no counterpart in the library\'s mounts', true);
  }
}

function volumeOptions(r: Reader, kp: string, val: PlainMap): void {
  for (const [vk, vv] of Object.entries(val)) {
    if (vk === 'nocopy') r.note(`${kp}.${vk}`, 'nocopy: no counterpart in the provider\'s volume mounts');
    else r.fail(`${kp}.${vk}`, vv, 'nocopy (a volume subpath has no counterpart in the library\'s mounts)', true);
  }
}

/** The long syntax's `tmpfs` options: the size in bytes, when given. */
function tmpfsOptions(r: Reader, kp: string, val: PlainMap): number | undefined {
  let size: number | undefined;
  for (const [tk, tv] of Object.entries(val)) {
    if (tk === 'size') {
      size = parseByteSize(tv);
      if (size === undefined) r.fail(`${kp}.size`, tv, 'a size such as 64m or a number of bytes');
    } else if (tk === 'mode') {
      r.note(`${kp}.mode`, 'tmpfs mode: no counterpart (the library\'s tmpfs mounts are rw,nosuid with the default mode)');
    } else {
      r.fail(`${kp}.${tk}`, tk, 'size or mode', true);
    }
  }
  return size;
}

/** A host path as written (`~/…`, absolute, or relative to the compose file), absolute, with where it came from. */
export function hostPath(ctx: LoadContext, text: string): { hostPath: string; origin: PathOrigin } {
  if (text === '~' || text.startsWith('~/')) return { hostPath: expandHome(text), origin: { base: 'home', relative: text.slice(2) } };
  if (path.isAbsolute(text)) return { hostPath: path.normalize(text), origin: { base: 'absolute', relative: path.normalize(text) } };
  const host = path.resolve(ctx.dir, text);
  return { hostPath: host, origin: { base: 'compose', relative: path.relative(ctx.dir, host) } };
}
