/** `image-referenced-by-name`: A container runs its `docker_image` by `image_id`, not by the image's name. */
import { remoteReference } from '../cross-stack';
import { RuleId, Severity } from '../model';
import { CONTAINER, OK, RuleDefinition } from '../rule-definition';
import { referencedAddress } from '../values';

/** The output cdktf exports for a `docker_image`'s `name` (`cross-stack-output-docker_image<id>name`). */
const CDKTF_IMAGE_NAME_OUTPUT = /^cross-stack-output-docker_image.+name$/;

/** `docker_image.x` or `module.m.docker_image.x`. */
function isImageAddress(address: string): boolean {
  const at = address.lastIndexOf('docker_image.');
  return at >= 0 && (at === 0 || address[at - 1] === '.') && !address.includes('.', at + 'docker_image.'.length);
}

const FIX = 'the provider reads the container\'s image back as an image ID, so every plan replaces the container; use the image\'s image_id';

export const imageReferencedByName: RuleDefinition = {
  id: RuleId.IMAGE_REFERENCED_BY_NAME,
  severity: Severity.ERROR,
  reason: "A container whose image is a docker_image's name instead of its image_id differs from what the provider reads back (the ID): every plan replaces it.",
  source: 'Talk: package everything into an image (the container runs that exact image)',
  types: CONTAINER,
  check(r, ctx) {
    const ref = r.values.image;
    if (typeof ref !== 'string' || ref === '') return OK;
    if (ref.charCodeAt(0) !== 36 /* $ */) {
      if (ref.includes('${')) return OK;
      const image = ctx.imageNamed(ref);
      return image ? [`image "${ref}" is the name of ${image.address}: ${FIX} (\${${image.address}.image_id})`] : OK;
    }
    if (ref.endsWith('.name}')) {
      const address = referencedAddress(ref);
      if (address !== undefined && isImageAddress(address)) return [`image ${ref} is the name of ${address}: ${FIX} (\${${address}.image_id})`];
      return OK;
    }
    const remote = remoteReference(ref);
    if (remote && CDKTF_IMAGE_NAME_OUTPUT.test(remote.output)) {
      return [`image ${ref} is another stack's docker_image name (output ${remote.output}): ${FIX}, exported from that stack`];
    }
    return OK;
  },
};
