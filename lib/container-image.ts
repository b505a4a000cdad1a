import { IConstruct } from 'constructs';
import { DockerHost } from './docker-host';
import { pullImage } from './_pulled-image';
import { checkBoolean, checkMap, checkOptionalString, checkPinnedImageReference, fail, isUnresolved } from './_validate';
import { checkKnownKeys } from './_known-keys';
import { FROM_REGISTRY_OPTIONS_KEYS } from './_props-keys';

/** What a container needs of its image. */
export interface ImageBinding {
  /** The image id (`docker_image.<x>.image_id`): containers bind to it, never to the name. */
  readonly imageId: string;
  /** The image reference, for display and review. */
  readonly imageName: string;
  /**
   * What a swarm service's tasks run, on any node: a reference pinned by content that every node
   * can pull. A pulled image gives its digest (the reference itself when it names one, else the
   * `repo_digest` the provider reads after the pull, else — an image with no registry digest —
   * its `image_id`). A built image has none: a service then runs the `imageId`, which only the
   * node that built it holds.
   * @default - the imageId
   */
  readonly swarmImage?: string;
}

/** An image a `ServiceContainer` can run: a pulled one (`ContainerImage.fromRegistry`) or a built `MinimalImage`. */
export interface IContainerImage {
  /**
   * Makes the image available on `host` for `scope` and returns what the container binds to.
   * @param prop the prop of `scope` that named the image, for error messages
   */
  bind(scope: IConstruct, host: DockerHost, prop: string): ImageBinding;
}

export interface FromRegistryOptions {
  /**
   * Keep the pulled image on the host when the stack is destroyed (other containers may use it).
   * @default true
   */
  readonly keepLocally?: boolean;
  /** Platform to pull, e.g. `linux/amd64`. @default - the host's platform */
  readonly platform?: string;
}

/**
 * An image pulled from a registry by a pinned reference (a tag other than `latest`, or a digest).
 * One `docker_image` is declared per stack, host and reference, however many containers use it.
 */
export class ContainerImage implements IContainerImage {
  /**
   * @param reference a pinned reference, e.g. `redis:7.4-alpine` or `nginx@sha256:...`
   */
  public static fromRegistry(reference: string, options: FromRegistryOptions = {}): ContainerImage {
    return new ContainerImage(reference, options);
  }

  private constructor(
    /** The reference as given. */
    public readonly reference: string,
    private readonly options: FromRegistryOptions,
  ) {}

  public bind(scope: IConstruct, host: DockerHost, prop: string): ImageBinding {
    if (typeof this.reference !== 'string' || (!isUnresolved(this.reference) && this.reference.trim() === '')) {
      fail(scope.node.path, prop, this.reference, 'a pinned image reference such as "redis:7.4-alpine"');
    }
    checkPinnedImageReference(scope.node.path, prop, this.reference);
    checkMap(scope.node.path, `${prop}.options`, this.options, 'FromRegistryOptions: an object with keepLocally and platform, both optional');
    checkKnownKeys(scope.node.path, this.options, FROM_REGISTRY_OPTIONS_KEYS, `${prop}.options`);
    checkBoolean(scope.node.path, `${prop}.options.keepLocally`, this.options.keepLocally);
    checkOptionalString(scope.node.path, `${prop}.options.platform`, this.options.platform, 'a platform such as "linux/amd64"');
    return pullImage(scope, host, this.reference, this.options.platform, this.options.keepLocally ?? true);
  }
}
