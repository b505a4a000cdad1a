import { IConstruct } from 'constructs';
import { Fn, TerraformStack, Token } from 'cdktf';
import type { ImageBinding } from './container-image';
import type { DockerHost } from './docker-host';
import { Image } from './_provider';
import { isUnresolved, stackOf } from './_validate';
import { getOrCreate } from './_collections';

/**
 * The binding of each pulled image, by stack and key: its `image_id` reference is read once, when the image
 * is declared: every read of `Image.imageId` makes a new token (with a captured stack trace), which
 * adds up when thousands of containers share an image.
 */
const pulled = new WeakMap<TerraformStack, Map<string, ImageBinding>>();

/**
 * The `docker_image` that pulls `reference` on `host` for `scope`'s stack, declared once per stack,
 * host, reference, platform and keepLocally however many containers and services run it; the
 * caller has judged the reference (`ContainerImage.fromRegistry` pinned, compose's unpinned ones
 * when the project allows them).
 */
export function pullImage(scope: IConstruct, host: DockerHost, reference: string, platform: string | undefined, keepLocally: boolean): ImageBinding {
  const stack = stackOf(scope);
  const images = getOrCreate(pulled, stack, () => new Map<string, ImageBinding>());
  const key = `${host.node.addr}\0${reference}\0${platform ?? ''}\0${keepLocally}`;
  let image = images.get(key);
  if (image === undefined) {
    const resource = new Image(stack, uniqueId(stack, reference, host, images.size), {
      provider: host.providerFor(scope),
      name: reference,
      keepLocally,
      platform,
    });
    image = pulledBinding(resource, reference);
    images.set(key, image);
  }
  return image;
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
