import { IConstruct } from 'constructs';
import { Fn, TerraformStack, Token } from 'cdktf';
import { DockerHost } from './docker-host';
import { Image } from './_provider';
import { checkBoolean, checkMap, checkOptionalString, checkPinnedImageReference, fail, isUnresolved, stackOf } from './_validate';

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
 * The binding of each pulled image, by stack and key: its `image_id` reference is read once, when the image
 * is declared: every read of `Image.imageId` makes a new token (with a captured stack trace), which
 * adds up when thousands of containers share an image.
 */
const pulled = new WeakMap<TerraformStack, Map<string, ImageBinding>>();

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
    let image = images.get(key);
    if (image === undefined) {
      const resource = new Image(stack, uniqueId(stack, this.reference, host, images.size), {
        provider: host.providerFor(scope),
        name: this.reference,
        keepLocally: this.options.keepLocally ?? true,
        platform: this.options.platform,
      });
      image = pulledBinding(resource, this.reference);
      images.set(key, image);
    }
    return image;
  }
}

/** One binding per pulled image, shared by every container and service that runs it. */
function pulledBinding(resource: Image, reference: string): ImageBinding {
  const imageId = resource.imageId;
  let swarmImage: string | undefined;
  return {
    imageId,
    imageName: reference,
    // Made on first read only (a service asks, a container does not): each reference is a token.
    get swarmImage(): string {
      swarmImage ??= swarmReference(reference, resource);
      return swarmImage;
    },
  };
}

/**
 * The reference a swarm service runs: by digest. The engine pins a service to a digest itself (a
 * tag comes back from the create as `name:tag@sha256:...`: a change on every plan), and a node
 * without the image pulls exactly that content. A reference with a digest is used as written; for
 * one with a tag only, the provider's `repo_digest` after the pull (`name@sha256:...`), which is
 * empty for an image that came from no registry (an imported one): then the `image_id`, which only
 * nodes that hold the image can run, as the engine does not pull an image by id.
 */
function swarmReference(reference: string, image: Image): string {
  if (!isUnresolved(reference) && /@sha256:[0-9a-f]{64}$/.test(reference)) return reference;
  // coalesce skips an empty string.
  return Token.asString(Fn.coalesce([image.repoDigest, image.imageId]));
}

function uniqueId(stack: TerraformStack, reference: string, host: DockerHost, n: number): string {
  const base = `image-${host.alias ? `${host.alias}-` : ''}${isUnresolved(reference) ? `ref${n}` : reference.replace(/[^a-zA-Z0-9_-]+/g, '-')}`;
  let id = base;
  for (let i = 2; stack.node.tryFindChild(id); i++) id = `${base}-${i}`;
  return id;
}
