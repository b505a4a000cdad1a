import { Construct } from 'constructs';
import { MinimalImage } from './minimal-image';
import { RegistryCredentials, RegistryLogin } from './registry-credentials';
import { Problems } from './_problems';
import { RegistryImage, Tag } from './_provider';
import { IMAGE_TAG, checkBoolean, checkInstance, checkProps, fail, isUnresolved, parseImageReference } from './_validate';
import { checkKnownKeys } from './_known-keys';
import { REGISTRY_PUSH_PROPS_KEYS } from './_props-keys';

export interface RegistryPushProps {
  /** The built image to push. */
  readonly image: MinimalImage;
  /** Repository without tag, e.g. `localhost:5000/team/api` or `registry.example.com/team/api`. */
  readonly repository: string;
  /** Tags to push, e.g. `['1.4.2']`; `latest` is refused, as it is not a pinned version. */
  readonly tags: string[];
  /**
   * Keep the pushed tags in the registry when the stack is destroyed (the provider's own
   * default would delete them).
   * @default true
   */
  readonly keepRemotely?: boolean;
  /**
   * Credentials for the push, as references to sensitive variables (`fromEnvironment` or `fromVariables`).
   * @default - the entry for the repository's registry in the image's `DockerHost` `registries`, which must then exist
   */
  readonly credentials?: RegistryCredentials;
}

/**
 * Tags a built image under a repository and pushes each tag. A rebuilt image (a new image id)
 * is tagged and pushed again; destroying the stack keeps the pushed tags by default.
 */
export class RegistryPush extends Construct {
  /** The pushed references, `<repository>:<tag>`. */
  public readonly references: string[];
  /** One `docker_registry_image` per tag. */
  public readonly pushes: RegistryImage[];

  constructor(scope: Construct, id: string, props: RegistryPushProps) {
    super(scope, id);
    const where = this.node.path;
    checkProps(where, props, true, 'an object with `image`, `repository` and `tags`');
    const problems = new Problems(where);
    problems.check(() => checkKnownKeys(where, props, REGISTRY_PUSH_PROPS_KEYS));
    problems.check(() => {
      if (!(props.image instanceof MinimalImage)) fail(where, 'image', props.image, 'a MinimalImage built by this app');
    });
    const registry = problems.check(() => repositoryRegistry(where, props.repository));
    problems.check(() => checkTags(where, props.tags));
    problems.check(() => checkBoolean(where, 'keepRemotely', props.keepRemotely));
    problems.check(() => checkInstance(where, 'credentials', props.credentials, RegistryCredentials,
      'RegistryCredentials from RegistryCredentials.fromEnvironment or fromVariables'));
    problems.throwIfAny();

    const login = this.login(props, registry);
    const provider = props.image.host.providerFor(this);
    const keepRemotely = props.keepRemotely ?? true;
    // A tag that is a token (known at deploy time only) cannot name a construct: its position does, with a
    // ':' that no literal tag contains.
    const idOf = (tag: string, i: number): string => (isUnresolved(tag) ? `token:${i}` : tag);
    this.references = props.tags.map((tag) => `${props.repository}:${tag}`);
    this.pushes = props.tags.map((tag, i) => {
      const target = this.references[i];
      const tagged = new Tag(this, `tag-${idOf(tag, i)}`, {
        provider,
        sourceImage: props.image.imageId,
        targetImage: target,
        tagTriggers: [props.image.imageId],
      });
      return new RegistryImage(this, `push-${idOf(tag, i)}`, {
        provider,
        name: target,
        keepRemotely,
        triggers: { image_id: props.image.imageId },
        authConfig: login ? { address: login.address, username: login.username, password: login.password } : undefined,
        dependsOn: [tagged],
      });
    });
  }

  /**
   * The login for the push: the props' credentials, which must be for the repository's registry;
   * without them, the host must have an entry for that registry (the provider pushes only to a
   * registry it has credentials for, an entry with auth disabled counts: without one, every push
   * fails at deploy with "no auth config found").
   */
  private login(props: RegistryPushProps, registry: string | undefined): RegistryLogin | undefined {
    const where = this.node.path;
    const login = props.credentials?._login(this, 'credentials');
    const loginHost = props.credentials?._registryHost();
    if (login && registry !== undefined && loginHost !== undefined && loginHost !== registry) {
      fail(where, 'credentials', login.address, `credentials for the repository's registry ${registry}`);
    }
    // An entry whose address is a token may be the one: only known addresses rule a registry out.
    const hostServes = props.image.host.registries.some((r) => {
      const host = r._registryHost();
      return host === undefined || host === registry;
    });
    if (!props.credentials && registry !== undefined && !hostServes) {
      fail(where, 'credentials', undefined,
        `credentials for registry ${registry}, here or in the registries of host ${props.image.host.node.path}: the provider pushes only to a registry it has an entry for ` +
        `(RegistryCredentials.anonymous('http://${registry}') for a plain-HTTP registry without login, fromEnvironment(...) for one with a login)`);
    }
    return login;
  }
}

/** The registry part of a repository, lower-cased; undefined for Docker Hub and for a token. */
function repositoryRegistry(where: string, repository: string): string | undefined {
  if (typeof repository !== 'string' || repository === '') {
    fail(where, 'repository', repository, 'a repository such as "localhost:5000/team/api"');
  }
  if (isUnresolved(repository)) return undefined;
  const parsed = parseImageReference(repository);
  if (!parsed) {
    fail(where, 'repository', repository, "a repository '[registry[:port]/]path' with lower-case path components separated by '/'");
  }
  if (parsed.tag !== undefined || parsed.digest !== undefined) {
    fail(where, 'repository', repository, 'a repository without tag or digest: give the tags in `tags`');
  }
  return parsed.registry?.toLowerCase();
}

/** At least one tag, each a version tag (not `latest`), each once; a token is judged at deploy time. */
function checkTags(where: string, tags: string[]): void {
  if (!Array.isArray(tags) || tags.length === 0) fail(where, 'tags', tags, 'at least one tag, e.g. ["1.4.2"]');
  const seen = new Set<string>();
  tags.forEach((tag, i) => {
    if (!isUnresolved(tag)) {
      if (typeof tag !== 'string' || !IMAGE_TAG.test(tag)) {
        fail(where, `tags[${i}]`, tag, 'a tag of letters, digits, _ . - (not first), at most 128 characters');
      }
      if (tag === 'latest') fail(where, `tags[${i}]`, tag, "a version tag: 'latest' is not pinned and would be overwritten");
    }
    // The same token twice is still the same tag twice.
    if (seen.has(tag)) fail(where, `tags[${i}]`, tag, 'each tag once');
    seen.add(tag);
  });
}
