import * as path from 'path';
import { Construct } from 'constructs';
import { Annotations } from 'cdktf';
import { DataVolume } from './data-volume';
import { DockerHost } from './docker-host';
import { ServiceContainer } from './service-container';
import { ServiceNetwork } from './service-network';
import { IMAGE_TAG, checkBoolean, checkInstance, checkMap, checkOptionalString, checkProps, checkStringArray, fail } from './_validate';
import type * as Normalise from './compose/normalise';
import type * as LoadContext from './compose/load-context';
import type * as Instantiate from './compose/instantiate';
import type { ComposeModel } from './compose/model';
import { checkKnownKeys } from './_known-keys';
import { COMPOSE_PROJECT_PROPS_KEYS } from './_props-keys';

export interface ComposeProjectProps {
  /** The compose file, e.g. `compose.yaml`; a relative path resolves against the working directory at synth. */
  readonly file: string;
  /**
   * The compose project name: the prefix of container, network and volume names
   * (`<project>-<service>-1`, `<project>_<network>`, `<project>_<volume>`).
   * @default - `COMPOSE_PROJECT_NAME` from the environment or `.env`, else the file's `name:`, else the compose file's folder name (normalised as compose does)
   */
  readonly projectName?: string;
  /**
   * Profiles to activate: services with `profiles` are declared only when one of theirs is active (`*` activates all).
   * @default - `COMPOSE_PROFILES` from the environment or `.env`, else none (only services without profiles)
   */
  readonly profiles?: string[];
  /**
   * Variables for interpolation (`${VAR}`); they win over the process environment, which wins over
   * the `.env` file beside the compose file (compose's precedence).
   * @default - none: the process environment and `.env` only
   */
  readonly environment?: Record<string, string>;
  /** The Docker host. @default - the stack's default host (`DockerHost.of`) */
  readonly host?: DockerHost;
  /**
   * Accept images without a version tag or digest (`nginx`, `redis:latest`); they are declared as
   * written and the review reports them (`image-not-pinned`).
   * @default false - an unpinned image is an error naming the file, line and service
   */
  readonly allowUnpinnedImages?: boolean;
  /**
   * Tag of a built image whose `image` gives no version tag (compose would tag it `latest`), e.g. `shop-api:compose`.
   * @default 'compose'
   */
  readonly buildTag?: string;
}

/** Something in the compose file with no counterpart in the plan, recorded (and shown as a synth info annotation). */
export interface ComposeNote {
  /** The file as named (the compose file, or an env file). */
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** The key path, e.g. `services.db.expose[0]`. */
  readonly keyPath: string;
  readonly message: string;
}

/**
 * A compose file declared with the library's constructs: one `ServiceNetwork` per network the
 * services use (the project's default network `<project>_default` included), a `DataVolume` per
 * named (and anonymous) volume, a `MinimalImage` per `build`, `ContainerImage.fromRegistry` per
 * `image`, and a `ServiceContainer` per service with the library's hardened defaults; what the
 * compose file says explicitly (`read_only: false`, `cap_add`, …) wins and stays visible to the
 * review. Keys the library cannot honour are refused with a ValidationError naming the file,
 * line, column and key path; keys with no counterpart in the plan are recorded in `notes`.
 *
 * The file is read at synth (construction) time; interpolation follows compose (`${VAR}`,
 * `${VAR:-default}`, `${VAR:?message}`, `$$`, …).
 */
export class ComposeProject extends Construct {
  /** The project name. */
  public readonly projectName: string;
  /** The compose file, absolute. */
  public readonly file: string;
  /** The host the project's constructs deploy to. */
  public readonly host: DockerHost;

  private readonly noteList: ComposeNote[];
  private readonly serviceMap: Map<string, ServiceContainer>;
  private readonly networkMap: Map<string, ServiceNetwork>;
  private readonly volumeMap: Map<string, DataVolume>;

  constructor(scope: Construct, id: string, props: ComposeProjectProps) {
    super(scope, id);
    const model = load(this, props);
    const declaration = new (compose().instantiate.Declaration)(this, model, props.host);
    // The containers are created here, near the top of this constructor, not in a helper: cdktf captures a full
    // stack trace for each token a container makes, and every frame in between costs (see compose/instantiate.ts).
    for (const s of model.services) {
      try {
        const container = new ServiceContainer(this, s.name, declaration.serviceProps(s));
        for (const n of s.networks) container.connect(declaration.network(n.network), n.aliases);
        declaration.finishService(s, container);
      } catch (e) {
        throw declaration.relocated(e, s);
      }
    }
    this.host = props.host ?? DockerHost.of(this);
    this.file = model.file;
    this.projectName = model.projectName;
    this.noteList = model.notes.map((n) => ({ file: n.source.file, line: n.source.line, column: n.source.col, keyPath: n.source.path, message: n.message }));
    for (const n of this.noteList) Annotations.of(this).addInfo(`${n.file}:${n.line}:${n.column} ${n.keyPath}: ${n.message}`);
    this.serviceMap = declaration.declared.services;
    this.networkMap = declaration.declared.networks;
    this.volumeMap = declaration.declared.volumes;
  }

  /** The container of compose service `name`, e.g. to add ports, environment or suppressions. */
  public service(name: string): ServiceContainer {
    return this.pick('service', name, this.serviceMap);
  }

  /** The network of compose key `name` (`default` for the project's default network). */
  public network(name: string): ServiceNetwork {
    return this.pick('network', name, this.networkMap);
  }

  /** The named volume of compose key `name`. */
  public volume(name: string): DataVolume {
    return this.pick('volume', name, this.volumeMap);
  }

  /** Names of the declared services, in creation order. */
  public get serviceNames(): string[] {
    return [...this.serviceMap.keys()];
  }

  /** Compose keys of the declared networks. */
  public get networkNames(): string[] {
    return [...this.networkMap.keys()];
  }

  /** Compose keys of the declared named volumes. */
  public get volumeNames(): string[] {
    return [...this.volumeMap.keys()];
  }

  /** What the compose file says that has no counterpart in the plan (also synth info annotations). */
  public get notes(): ComposeNote[] {
    return [...this.noteList];
  }

  private pick<T>(what: string, name: string, map: Map<string, T>): T {
    const found = typeof name === 'string' ? map.get(name) : undefined;
    if (found === undefined) {
      fail(this.node.path, what, name, `a ${what} of ${path.basename(this.file)}: ${map.size > 0 ? `one of ${[...map.keys()].join(', ')}` : `the project declares no ${what}`}`);
    }
    return found;
  }
}

/** Checks the props and reads the compose file into the model. */
function load(project: ComposeProject, props: ComposeProjectProps): ComposeModel {
  const { PROJECT_NAME, PROJECT_NAME_RULE, DEFAULT_BUILD_TAG } = compose().context;
  const where = project.node.path;
  checkProps(where, props, true, 'an object with at least `file`');
  checkKnownKeys(where, props, COMPOSE_PROJECT_PROPS_KEYS);
  if (typeof props.file !== 'string' || props.file === '') fail(where, 'file', props.file, 'the path of a compose file, e.g. "compose.yaml"');
  checkOptionalString(where, 'projectName', props.projectName, 'a compose project name');
  if (props.projectName !== undefined && !PROJECT_NAME.test(props.projectName)) fail(where, 'projectName', props.projectName, PROJECT_NAME_RULE);
  checkStringArray(where, 'profiles', props.profiles, 'a list of profile names');
  checkMap(where, 'environment', props.environment, 'an object of variable names to string values');
  for (const [k, v] of Object.entries(props.environment ?? {})) {
    if (typeof v !== 'string') fail(where, `environment.${k}`, v, 'a string value');
  }
  checkInstance(where, 'host', props.host, DockerHost, 'a DockerHost');
  checkBoolean(where, 'allowUnpinnedImages', props.allowUnpinnedImages);
  const buildTag = props.buildTag ?? DEFAULT_BUILD_TAG;
  if (typeof buildTag !== 'string' || !IMAGE_TAG.test(buildTag) || buildTag === 'latest') {
    fail(where, 'buildTag', buildTag, "an image tag other than 'latest'");
  }
  // Resolved before the file is read, so that a stack without a host fails first with the library's message.
  if (!props.host) DockerHost.of(project);
  return compose().normalise.loadCompose({
    where,
    file: props.file,
    projectName: props.projectName,
    profiles: props.profiles,
    environment: props.environment,
    allowUnpinnedImages: props.allowUnpinnedImages,
    buildTag,
  });
}

/** The compose import's modules, loaded on the first ComposeProject: loading the library does not pay for them. */
let modules: { normalise: typeof Normalise; context: typeof LoadContext; instantiate: typeof Instantiate } | undefined;
function compose(): NonNullable<typeof modules> {
  modules ??= {
    normalise: require('./compose/normalise') as typeof Normalise,
    context: require('./compose/load-context') as typeof LoadContext,
    instantiate: require('./compose/instantiate') as typeof Instantiate,
  };
  return modules;
}
