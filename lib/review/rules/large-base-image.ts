/** `large-base-image`: The final stage of a built image should start from a small base. */
import { readImageReference } from '../../_image-reference';
import { BASE_IMAGE_LABEL } from '../../_labels';
import { RuleId, Severity } from '../model';
import { OK, RuleDefinition } from '../rule-definition';
import { block, isLiteral, JsonObject, labelValue } from '../values';

/** A small base: scratch, busybox, alpine, distroless, or any `-slim` / `-alpine` variant. */
export function isSmallBase(ref: string): boolean {
  const { name, tag } = readImageReference(ref);
  const repo = name.toLowerCase();
  const last = repo.slice(repo.lastIndexOf('/') + 1);
  if (['scratch', 'busybox', 'alpine'].includes(last)) return true;
  if (repo.includes('distroless')) return true;
  if (/-(slim|alpine)$/.test(last)) return true;
  if (tag) {
    for (const part of tag.toLowerCase().split('-')) {
      if (part.startsWith('slim') || part.startsWith('alpine')) return true;
    }
  }
  return false;
}

/** The base a `build` block records in its labels (`MinimalImage` writes it), read where the Dockerfile is not there. */
export function labelledBase(build: JsonObject): string | undefined {
  return labelValue(build.label, BASE_IMAGE_LABEL) ?? labelValue(build.labels, BASE_IMAGE_LABEL);
}

export const largeBaseImage: RuleDefinition = {
  id: RuleId.LARGE_BASE_IMAGE,
  severity: Severity.WARNING,
  reason: 'A full distribution base makes images slow to pull and adds attack surface; use scratch, busybox, alpine, distroless or a -slim/-alpine variant.',
  source: 'Talk: keep images small (busybox, alpine, debian-slim)',
  types: ['docker_image'],
  check(r, ctx) {
    const build = block(r.values.build);
    if (!build) return OK;
    const stage = ctx.builtStage(r);
    let base: string | undefined;
    let from: string;
    if (stage) {
      base = stage.base;
      from = `the final stage of ${stage.dockerfile}`;
    } else {
      base = labelledBase(build);
      from = `build label ${BASE_IMAGE_LABEL}`;
    }
    if (!isLiteral(base) || base.includes('$') || isSmallBase(base)) return OK;
    return [`base image "${base}" (${from}) is a large base; build the final stage FROM scratch, busybox, alpine, distroless or a -slim/-alpine variant`];
  },
};
