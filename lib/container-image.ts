import { IConstruct } from 'constructs';
import { TerraformStack } from 'cdktf';
import { DockerHost } from './docker-host';
import { Image } from './_provider';
import { checkBoolean, checkMap, checkOptionalString, checkPinnedImageReference, fail, isUnresolved, stackOf } from './_validate';

/** What a container needs of its image. */
export interface ImageBinding {
  /** The image id (`docker_image.<x>.image_id`): containers bind to it, never to the name. */
  readonly imageId: string;
  /** The image reference, for display and review. */
  readonly imageName: string;
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
 * The `image_id` reference of each pulled image, by stack and key. It is read once, when the image
 * is declared: every read of `Image.imageId` makes a new token (with a captured stack trace), which
 * adds up when thousands of containers share an image.
 */
const pulled = new WeakMap<TerraformStack, Map<string, string>>();

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
    checkBoolean(scope.node.path, `${prop}.options.keepLocally`, this.options.keepLocally);
    checkOptionalString(scope.node.path, `${prop}.options.platform`, this.options.platform, 'a platform such as "linux/amd64"');
    const stack = stackOf(scope);
    let images = pulled.get(stack);
    if (!images) {
      images = new Map();
      pulled.set(stack, images);
    }
    const key = `${host.node.addr}\0${this.reference}\0${this.options.platform ?? ''}\0${this.options.keepLocally ?? true}`;
    let imageId = images.get(key);
    if (imageId === undefined) {
      imageId = new Image(stack, uniqueId(stack, this.reference, host, images.size), {
        provider: host.providerFor(scope),
        name: this.reference,
        keepLocally: this.options.keepLocally ?? true,
        platform: this.options.platform,
      }).imageId;
      images.set(key, imageId);
    }
    return { imageId, imageName: this.reference };
  }
}

function uniqueId(stack: TerraformStack, reference: string, host: DockerHost, n: number): string {
  const base = `image-${host.alias ? `${host.alias}-` : ''}${isUnresolved(reference) ? `ref${n}` : reference.replace(/[^a-zA-Z0-9_-]+/g, '-')}`;
  let id = base;
  for (let i = 2; stack.node.tryFindChild(id); i++) id = `${base}-${i}`;
  return id;
}
