import { IConstruct } from 'constructs';
import { DockerHost } from '../docker-host';
import { IContainerImage, ImageBinding } from '../container-image';
import { pullImage } from '../_pulled-image';

/**
 * An image pulled by a reference that is not pinned (`nginx`, `redis:latest`): what a compose file
 * says, accepted only with ComposeProject's `allowUnpinnedImages`. It is a plain `docker_image`
 * with the reference as written, so the review reports it (`image-not-pinned`).
 * `ContainerImage.fromRegistry` refuses such references by design; both pull through one declaration.
 */
export class UnpinnedImage implements IContainerImage {
  constructor(public readonly reference: string, private readonly platform?: string) {}

  public bind(scope: IConstruct, host: DockerHost): ImageBinding {
    return pullImage(scope, host, this.reference, this.platform, true);
  }
}
