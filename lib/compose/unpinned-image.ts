import { IConstruct } from 'constructs';
import { TerraformStack } from 'cdktf';
import { DockerHost } from '../docker-host';
import { IContainerImage, ImageBinding } from '../container-image';
import { Image } from '../_provider';
import { stackOf } from '../_validate';

/** The `image_id` of each unpinned image, by stack and key (one `docker_image` per stack, host and reference). */
const declared = new WeakMap<TerraformStack, Map<string, string>>();

/**
 * An image pulled by a reference that is not pinned (`nginx`, `redis:latest`): what a compose file
 * says, accepted only with ComposeProject's `allowUnpinnedImages`. It is a plain `docker_image`
 * with the reference as written, so the review reports it (`image-not-pinned`).
 * `ContainerImage.fromRegistry` refuses such references by design.
 */
export class UnpinnedImage implements IContainerImage {
  constructor(public readonly reference: string, private readonly platform?: string) {}

  public bind(scope: IConstruct, host: DockerHost): ImageBinding {
    const stack = stackOf(scope);
    let images = declared.get(stack);
    if (!images) {
      images = new Map();
      declared.set(stack, images);
    }
    const key = `${host.node.addr}\0${this.reference}\0${this.platform ?? ''}`;
    let imageId = images.get(key);
    if (imageId === undefined) {
      const base = `image-${host.alias ? `${host.alias}-` : ''}${this.reference.replace(/[^a-zA-Z0-9_-]+/g, '-')}`;
      let id = base;
      for (let i = 2; stack.node.tryFindChild(id); i++) id = `${base}-${i}`;
      imageId = new Image(stack, id, {
        provider: host.providerFor(scope),
        name: this.reference,
        keepLocally: true,
        platform: this.platform,
      }).imageId;
      images.set(key, imageId);
    }
    return { imageId, imageName: this.reference };
  }
}
