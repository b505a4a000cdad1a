/** `image-not-pinned`: Image references must be pinned: a version tag (not `latest`), a digest or an image ID. */
import { readImageReference, Unpinned, unpinnedImageReference } from '../../_image-reference';
import { RuleId, Severity } from '../model';
import { OK, RuleDefinition, attributeName } from '../rule-definition';
import { isLiteral } from '../values';

/** The attributes holding an image reference, per resource type. */
const IMAGE_ATTRIBUTES: Record<string, readonly string[]> = {
  docker_image: ['name'],
  docker_container: ['image'],
  // A Swarm service's task image (its task view reads `task_spec.container_spec.image` as `image`).
  docker_service: ['image'],
  docker_registry_image: ['name'],
  docker_tag: ['source_image', 'target_image'],
  // A managed plugin is pulled from a registry like an image, by the same kind of reference.
  docker_plugin: ['name'],
};

const WHY: Record<Unpinned, string> = {
  'no-tag': 'has no tag (Docker pulls `latest`)',
  'latest': 'uses the moving `latest` tag',
};

export const imageNotPinned: RuleDefinition = {
  id: RuleId.IMAGE_NOT_PINNED,
  severity: Severity.ERROR,
  reason: 'An image reference without a version tag or digest (or with `latest`) changes under you: builds and deploys stop being reproducible.',
  source: 'Talk: package everything into an image; registries (push and pull pinned, immutable images)',
  types: ['docker_image', 'docker_container', 'docker_service', 'docker_registry_image', 'docker_tag', 'docker_plugin'],
  check(r) {
    const v = r.values;
    const attrs = IMAGE_ATTRIBUTES[r.type] ?? OK;
    let out: string[] | undefined;
    for (let i = 0; i < attrs.length; i++) {
      const ref = v[attrs[i]];
      if (!isLiteral(ref)) continue; // references are judged where they point
      const why = unpinnedImageReference(ref);
      if (why) (out ??= []).push(`${attributeName(r, attrs[i])} "${ref}" ${WHY[why]}; pin a version tag (e.g. "${readImageReference(ref).name}:1.2.3") or a digest`);
    }
    return out ?? OK;
  },
};
