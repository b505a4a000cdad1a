/**
 * The supply chain in the review of a change (`diff.ts`): which image a
 * container or Swarm service runs (from a digest or a pinned tag to a floating
 * reference, and back), and the base a built `docker_image` starts from (to a
 * larger one, by `large-base-image`'s measure).
 */
import { readImageReference, unpinnedBy } from '../_image-reference';
import { readableRemoteReference } from './cross-stack';
import { ChangeCategory, ChangeEffect, ChangeSeverity, ChangeSink, Emit, ServiceContext, ServiceSide } from './diff-model';
import { DockerfileCache, readBuiltStage } from './dockerfile';
import { ResourceShape, RuleId } from './model';
import { isSmallBase, labelledBase } from './rules/large-base-image';
import { block, isLiteral, referencedAddress } from './values';

type Pin = 'digest' | 'tag' | 'floating';

function pinOf(ref: string): Pin {
  const parts = readImageReference(ref);
  if (parts.digest) return 'digest';
  return unpinnedBy(parts, true) ? 'floating' : 'tag';
}

/** The image reference a container runs, when the review can read it: a literal, or the literal name of the stack's docker_image it references. */
function imageRef(side: ServiceSide, resources: ReadonlyMap<string, ResourceShape>): string | undefined {
  const v = side.values.image;
  if (isLiteral(v)) return v;
  if (typeof v !== 'string') return undefined;
  const address = referencedAddress(v);
  const local = address === undefined ? undefined : resources.get(address);
  if (local) return local.type === 'docker_image' && isLiteral(local.values.name) ? local.values.name : undefined;
  const shown = side.summary.image;
  // Another stack's image that the review followed shows with its name; an unresolved one does not.
  if (shown === '(unknown)' || shown === v || shown.includes('${') || shown === readableRemoteReference(v)) return undefined;
  return shown;
}

/** The image a container or service runs, base against head: how it is pinned. */
export function compareImages(base: ServiceSide, head: ServiceSide, ctx: ServiceContext, change: Emit): void {
  // The same reference to the same image: nothing to compare (the summary resolves the reference).
  if (base.values.image === head.values.image && base.summary.image === head.summary.image) return;
  const b = imageRef(base, ctx.base.resources);
  const h = imageRef(head, ctx.head.resources);
  const S = ChangeCategory.SUPPLY_CHAIN;
  if (b === undefined || h === undefined) {
    if (base.summary.image !== head.summary.image) change(S, ChangeSeverity.INFO, ChangeEffect.NEUTRAL, `image ${base.summary.image} -> ${head.summary.image}`, 'a different image runs');
    return;
  }
  if (b === h) return;
  const before = pinOf(b);
  const after = pinOf(h);
  if (after === 'floating' && before !== 'floating') {
    change(S, ChangeSeverity.ERROR, ChangeEffect.WORSE, `image "${b}" -> "${h}": from a ${before === 'digest' ? 'digest' : 'pinned tag'} to a floating reference`, 'what runs changes with every pull: deploys are no longer reproducible and whatever is pushed to the tag runs unreviewed', RuleId.IMAGE_NOT_PINNED);
  } else if (before === 'digest' && after === 'tag') {
    change(S, ChangeSeverity.WARNING, ChangeEffect.WORSE, `image "${b}" -> "${h}": from a digest to a tag`, 'a tag can be moved to another image; the digest named exactly one');
  } else if (before === 'floating' && after !== 'floating') {
    change(S, ChangeSeverity.INFO, ChangeEffect.BETTER, `image "${b}" -> "${h}": now pinned`, 'deploys are reproducible');
  } else {
    change(S, ChangeSeverity.INFO, ChangeEffect.NEUTRAL, `image "${b}" -> "${h}"`, 'a different image runs');
  }
}

/** The base of a built docker_image: the built stage of its Dockerfile, else the recorded base label (as `large-base-image` reads it). */
function baseImageOf(image: ResourceShape, baseDir: string | undefined, cache: DockerfileCache): string | undefined {
  const build = block(image.values.build);
  if (!build) return undefined;
  const stage = readBuiltStage(image, baseDir, cache);
  return stage ? stage.base : labelledBase(build);
}

/** A built image whose base changed: to a larger one (small by `large-base-image`'s measure to large), or otherwise. */
export function compareBuiltImages(base: ResourceShape, baseDir: string | undefined, head: ResourceShape, headDir: string | undefined, cache: DockerfileCache, emit: ChangeSink): void {
  if (!block(head.values.build) || !block(base.values.build)) return;
  const before = baseImageOf(base, baseDir, cache);
  const after = baseImageOf(head, headDir, cache);
  if (!isLiteral(before) || !isLiteral(after) || before.includes('$') || after.includes('$') || before === after) return;
  const larger = isSmallBase(before) && !isSmallBase(after);
  emit({
    category: ChangeCategory.SUPPLY_CHAIN,
    severity: larger ? ChangeSeverity.WARNING : ChangeSeverity.INFO,
    effect: larger ? ChangeEffect.WORSE : ChangeEffect.NEUTRAL,
    resource: head.address,
    baseResource: base.address !== head.address ? base.address : undefined,
    what: `base image of ${isLiteral(head.values.name) ? head.values.name : head.address}: "${before}" -> "${after}"${larger ? ' (a full distribution)' : ''}`,
    why: larger ? 'slower pulls, and more packages to patch and to exploit' : 'the built image starts from another base',
    rule: larger ? RuleId.LARGE_BASE_IMAGE : undefined,
    constructPath: head.constructPath,
  });
}
