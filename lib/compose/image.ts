/**
 * A service's image: `image` (pulled: `ContainerImage.fromRegistry` when pinned, a review finding
 * with `allowUnpinnedImages` when not), or `build` (a `MinimalImage`: context, dockerfile, args,
 * target, platform; the tag it gets). Images are shared by id between the services that use them.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseImageReference, unpinnedBy } from '../_image-reference';
import { IMAGE_REFERENCE_RULE, PINNED_RULE, isBuildStageName, isEnvName } from '../_validate';
import { ServiceDraft } from './draft';
import { ImageKind, ImageModel } from './model';
import { Mutable, Reader, expandHome, isMap } from './reader';
import { PlainMap } from './source';

/** Build keys with no counterpart in MinimalImage that change nothing in the result: noted. */
const BUILD_NOTED = ['labels', 'cache_from', 'cache_to', 'no_cache', 'pull', 'tags'];
/** Build keys MinimalImage cannot honour: refused. */
const BUILD_REFUSED = ['secrets', 'ssh', 'additional_contexts', 'network', 'shm_size', 'extra_hosts', 'isolation', 'privileged', 'ulimits', 'entitlements'];

/** The id (in `ComposeModel.images`) of the service's image, declared on the first service that uses it. */
export function readImage(d: ServiceDraft): string {
  const r: Reader = d.r;
  const { p, def } = d;
  const platform = def.platform === undefined ? undefined : r.str(`${p}.platform`, def.platform, 'a platform such as linux/amd64');
  let reference: string | undefined;
  if (def.image !== undefined) {
    reference = r.str(`${p}.image`, def.image, 'an image reference such as redis:7.4-alpine');
    if (!parseImageReference(reference)) r.fail(`${p}.image`, reference, IMAGE_REFERENCE_RULE);
  }
  const id = def.build === undefined ? pulledImage(d, reference, platform) : builtImage(d, reference, platform);
  d.src('image', def.build !== undefined ? `${p}.build` : `${p}.image`);
  return id;
}

function pulledImage(d: ServiceDraft, reference: string | undefined, platform: string | undefined): string {
  const r: Reader = d.r;
  const { p, ctx } = d;
  if (reference === undefined) return r.fail(p, d.name, 'a service with `image` or `build`', true);
  const builder = ctx.builtBy.get(reference);
  if (builder !== undefined) {
    // Compose does not pull an image another service of the project builds: the same MinimalImage.
    r.note(`${p}.image`, `image ${reference} is built by service ${builder}: the same built image, not pulled`);
    return `image-${builder}`;
  }
  const unpinned = unpinnedBy(parseImageReference(reference)!) !== undefined;
  if (unpinned && !ctx.options.allowUnpinnedImages) {
    r.fail(`${p}.image`, reference, `${PINNED_RULE}; or allowUnpinnedImages: true, which accepts it as a review finding`);
  }
  const id = `${unpinned ? 'pull' : 'registry'}:${reference}:${platform ?? ''}`;
  if (!ctx.images.has(id)) {
    ctx.images.set(id, { id, source: r.ref(`${p}.image`), kind: unpinned ? ImageKind.UNPINNED : ImageKind.REGISTRY, reference, platform });
  }
  if (unpinned) r.note(`${p}.image`, `image ${reference} is not pinned (allowUnpinnedImages): the review reports it`);
  return id;
}

function builtImage(d: ServiceDraft, reference: string | undefined, platform: string | undefined): string {
  const r: Reader = d.r;
  const { p, def } = d;
  const bp = `${p}.build`;
  const build: PlainMap = typeof def.build === 'string' ? { context: def.build }
    : isMap(def.build) ? def.build : r.fail(bp, def.build, 'a context path or a mapping with context, dockerfile, args, target');
  const out: Mutable<ImageModel> = { id: `image-${d.name}`, source: r.ref(bp), kind: ImageKind.BUILD, reference: '', platform };
  out.context = buildContext(d, build);
  for (const [k, v] of Object.entries(build)) buildKey(d, out, k, v);
  out.reference = buildReference(d, reference);
  d.ctx.images.set(out.id, out);
  return out.id;
}

/** The key path of build key `k` (`build` itself when written as a string). */
function buildAt(d: ServiceDraft, k: string): string {
  return typeof d.def.build === 'string' ? `${d.p}.build` : `${d.p}.build.${k}`;
}

/** The absolute build context: an existing local folder. */
function buildContext(d: ServiceDraft, build: PlainMap): string {
  const at = buildAt(d, 'context');
  const contextText = build.context === undefined ? '.' : d.r.str(at, build.context, 'a folder relative to the compose file');
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(contextText) || /^git@/.test(contextText)) {
    d.r.fail(at, contextText, 'a local folder: a remote build context (git or URL) has no fingerprint to rebuild on');
  }
  const context = path.resolve(d.ctx.dir, expandHome(contextText));
  if (!fs.existsSync(context) || !fs.statSync(context).isDirectory()) d.r.fail(at, contextText, `an existing folder (resolved to ${context})`);
  return context;
}

function buildKey(d: ServiceDraft, out: Mutable<ImageModel>, k: string, v: unknown): void {
  const r: Reader = d.r;
  const kp = `${d.p}.build.${k}`;
  if (k === 'context') return;
  if (k === 'dockerfile') {
    const file = dockerfile(d, out.context as string, kp, v);
    if (file !== 'Dockerfile') out.dockerfile = file;
  } else if (k === 'args') {
    const args = buildArgs(d, kp, v);
    if (Object.keys(args).length > 0) out.buildArgs = args;
  } else if (k === 'target') {
    out.target = r.str(kp, v, 'a build stage name');
    if (!isBuildStageName(out.target)) r.fail(kp, v, 'a build stage name from the Dockerfile');
  } else if (k === 'platforms') {
    const list = r.stringList(kp, v, 'a list with one platform');
    if (list.length > 1) r.fail(`${kp}[1]`, list[1], 'one platform: the engine builds and runs one image');
    if (list.length === 1) {
      if (out.platform !== undefined && out.platform !== list[0]) r.fail(`${kp}[0]`, list[0], `the service's platform ${out.platform}`);
      out.platform = list[0];
    }
  } else if (BUILD_NOTED.includes(k)) {
    r.note(kp, `build ${k}: no counterpart in MinimalImage (the build result is the same without it)`);
  } else if (k === 'dockerfile_inline') {
    r.fail(kp, v, 'a Dockerfile in the context: the library fingerprints the context with its Dockerfile', true);
  } else if (BUILD_REFUSED.includes(k)) {
    r.fail(kp, v, `no build ${k}: MinimalImage builds with context, dockerfile, args, target and platform only`, true);
  } else if (!k.startsWith('x-')) {
    r.fail(kp, k, 'a build key of the compose specification', true);
  }
}

/** The Dockerfile relative to the context; it must exist inside it. */
function dockerfile(d: ServiceDraft, context: string, kp: string, v: unknown): string {
  let file = d.r.str(kp, v, 'a Dockerfile path relative to the context');
  if (path.isAbsolute(file)) file = path.relative(context, file);
  if (file === '' || file.split(/[\\/]/).includes('..')) d.r.fail(kp, v, 'a Dockerfile inside the build context (the library builds from the context only)');
  if (!fs.existsSync(path.join(context, file))) d.r.fail(kp, v, `a file inside the context (no ${path.join(context, file)})`);
  return file;
}

/** Build arguments; one without a value takes the environment's, or is left out (noted). */
function buildArgs(d: ServiceDraft, p: string, v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  const texts = { entry: 'NAME=value or NAME', value: 'a string value', whole: 'a list of NAME=value or a mapping' };
  d.r.eachNameValue(p, v, texts, (at, k, value) => {
    if (!isEnvName(k)) d.r.fail(at, k, 'a build argument name of letters, digits and _');
    const given = value ?? d.ctx.lookup(k);
    if (given === undefined) {
      d.r.note(at, `build argument ${k} has no value and is not set in the environment: not passed`);
      return;
    }
    out[k] = given;
  });
  return out;
}

/** The name the build is tagged with: `image`, else compose's `<project>-<service>`; without a pinned tag, the build tag. */
function buildReference(d: ServiceDraft, reference: string | undefined): string {
  const r: Reader = d.r;
  const { p, ctx } = d;
  const base = reference ?? `${ctx.projectName}-${d.name.toLowerCase().replace(/[^a-z0-9_.-]/g, '-')}`;
  const parsed = parseImageReference(base);
  if (!parsed) r.fail(`${p}.image`, base, IMAGE_REFERENCE_RULE);
  if (unpinnedBy(parsed) === undefined) return base;
  const tagged = `${base.replace(/:[^/:@]*$/, '')}:${ctx.buildTag}`;
  if (reference !== undefined) r.note(`${p}.image`, `the build is tagged ${tagged}: ${reference} has no version tag (compose would tag it latest)`);
  return tagged;
}
