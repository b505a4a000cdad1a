import * as fs from 'fs';
import * as path from 'path';
import { Construct, IConstruct } from 'constructs';
import { DockerHost } from './docker-host';
import { IContainerImage, ImageBinding } from './container-image';
import { Image } from './_provider';
import type { ImageConfig } from '@cdktf/provider-docker/lib/image';
import { Problems } from './_problems';
import { contextFingerprint } from './_fingerprint';
import { BASE_IMAGE_LABEL, CONTEXT_TRIGGER } from './_labels';
import { builtStageOf } from './review/dockerfile';
import {
  checkBoolean, checkEnvName, checkInstance, checkOptionalString, checkPinnedImageReference, checkProps, checkStringMap, fail, isBuildStageName,
  isUnresolved,
} from './_validate';
import { checkKnownKeys } from './_known-keys';
import { MINIMAL_IMAGE_PROPS_KEYS } from './_props-keys';

// Public names, defined once in `_labels` (the review reads them too).
export { BASE_IMAGE_LABEL, CONTEXT_TRIGGER };

export interface MinimalImageProps {
  /** Folder with the Dockerfile and the files it copies; relative paths resolve against the working directory at synth. */
  readonly context: string;
  /** The image reference to build, pinned, e.g. `team/api:1.4.2`. */
  readonly name: string;
  /** The Dockerfile, relative to `context`. @default 'Dockerfile' */
  readonly dockerfile?: string;
  /** Build arguments (`--build-arg`). @default - none */
  readonly buildArgs?: Record<string, string>;
  /** Stage to build (`--target`). @default - the final stage */
  readonly target?: string;
  /** Platform to build for, e.g. `linux/amd64`. @default - the host's platform */
  readonly platform?: string;
  /** The Docker host that builds and runs it. @default - the stack's default host (`DockerHost.of`) */
  readonly host?: DockerHost;
  /** Keep the image on the host when the stack is destroyed. @default false */
  readonly keepLocally?: boolean;
}

/**
 * An image built from a context folder. The context path is made absolute at synth time
 * (the provider would resolve it against Terraform's working directory), the image is rebuilt
 * when the context's content changes (a fingerprint honouring `.dockerignore`), and the base
 * image of the stage that is built (`target`, else the final one) is recorded so the review can
 * judge its size.
 */
export class MinimalImage extends Construct implements IContainerImage {
  /** The build label that records the Dockerfile's final base image (`BASE_IMAGE_LABEL`), read by the review. */
  public static readonly BASE_IMAGE_LABEL: string = BASE_IMAGE_LABEL;
  /** The trigger key of the built `docker_image` that carries the build context's fingerprint (`CONTEXT_TRIGGER`). */
  public static readonly CONTEXT_TRIGGER: string = CONTEXT_TRIGGER;

  /** The host that builds the image. */
  public readonly host: DockerHost;
  /** The image reference. */
  public readonly imageName: string;
  /** The image id (a reference that carries the dependency). */
  public readonly imageId: string;
  /** The absolute build context. */
  public readonly contextPath: string;
  /** SHA-256 of the build context as Docker sends it. */
  public readonly contextHash: string;
  /** The base image of the stage that is built (`target`, else the final one) as the Dockerfile names it, if it could be read. */
  public readonly baseImage?: string;
  /** The L1 resource. */
  public readonly resource: Image;

  constructor(scope: Construct, id: string, props: MinimalImageProps) {
    super(scope, id);
    const where = this.node.path;
    checkProps(where, props, true, 'an object with at least `context` and `name`');
    const problems = new Problems(where);
    problems.check(() => checkKnownKeys(where, props, MINIMAL_IMAGE_PROPS_KEYS));
    problems.check(() => checkInstance(where, 'host', props.host, DockerHost, 'a DockerHost'));
    problems.check(() => {
      if (typeof props.name !== 'string' || props.name === '') fail(where, 'name', props.name, 'a pinned image reference such as "team/api:1.4.2"');
      checkPinnedImageReference(where, 'name', props.name);
    });
    const files = problems.check(() => buildFiles(where, props));
    problems.check(() => checkBuildOptions(where, props));
    problems.throwIfAny();

    this.host = props.host ?? DockerHost.of(this);
    const { contextPath, dockerfile, dockerfilePath } = files as BuildFiles;
    this.contextPath = contextPath;
    try {
      this.contextHash = contextFingerprint(contextPath, dockerfile);
      // The base of the stage that is built (the target's), read as the review reads it; unknown for a token target.
      this.baseImage = props.target !== undefined && isUnresolved(props.target)
        ? undefined
        : builtStageOf(fs.readFileSync(dockerfilePath, 'utf8'), props.buildArgs, props.target)?.base;
    } catch (e) {
      // An unreadable file or folder in the context: name it rather than leak the fs error.
      fail(where, 'context', props.context, `a build context whose files can be read (${e instanceof Error ? e.message : String(e)})`);
    }
    this.imageName = props.name;
    this.resource = new Image(this, 'Resource', this.render(props, dockerfile));
    this.imageId = this.resource.imageId;
  }

  private render(props: MinimalImageProps, dockerfile: string): ImageConfig {
    return {
      provider: this.host.providerFor(this),
      name: props.name,
      keepLocally: props.keepLocally ?? false,
      platform: props.platform,
      triggers: { [CONTEXT_TRIGGER]: this.contextHash },
      buildAttribute: {
        context: this.contextPath,
        dockerfile,
        buildArgs: props.buildArgs,
        target: props.target,
        platform: props.platform,
        label: this.baseImage ? { [BASE_IMAGE_LABEL]: this.baseImage } : undefined,
      },
    };
  }

  public bind(scope: IConstruct, host: DockerHost, prop: string): ImageBinding {
    if (host !== this.host) {
      fail(scope.node.path, prop, this.node.path, `an image built on the container's host ${host.node.path} (this one builds on ${this.host.node.path})`);
    }
    return { imageId: this.imageId, imageName: this.imageName };
  }
}

/** The build context folder and the Dockerfile inside it, checked to exist. */
interface BuildFiles {
  readonly contextPath: string;
  readonly dockerfile: string;
  readonly dockerfilePath: string;
}

function buildFiles(where: string, props: MinimalImageProps): BuildFiles {
  if (typeof props.context !== 'string' || props.context === '') fail(where, 'context', props.context, 'a folder holding the Dockerfile');
  const contextPath = path.resolve(props.context);
  const dockerfile = props.dockerfile ?? 'Dockerfile';
  if (typeof dockerfile !== 'string' || dockerfile === '' || path.isAbsolute(dockerfile) || dockerfile.split(/[\\/]/).includes('..')) {
    fail(where, 'dockerfile', dockerfile, 'a path relative to the context, inside it');
  }
  if (!fs.existsSync(contextPath) || !fs.statSync(contextPath).isDirectory()) {
    fail(where, 'context', props.context, `an existing folder (resolved to ${contextPath})`);
  }
  const dockerfilePath = path.join(contextPath, dockerfile);
  if (!fs.existsSync(dockerfilePath)) {
    fail(where, 'dockerfile', dockerfile, `a file inside the context (no ${dockerfilePath})`);
  }
  if (!fs.statSync(dockerfilePath).isFile()) {
    fail(where, 'dockerfile', dockerfile, `a file inside the context (${dockerfilePath} is not a file)`);
  }
  return { contextPath, dockerfile, dockerfilePath };
}

/** Build arguments, platform, keepLocally and target. */
function checkBuildOptions(where: string, props: MinimalImageProps): void {
  checkStringMap(where, 'buildArgs', props.buildArgs, 'build arguments');
  for (const name of Object.keys(props.buildArgs ?? {})) checkEnvName(where, `buildArgs.${name}`, name);
  checkOptionalString(where, 'platform', props.platform, 'a platform such as "linux/amd64"');
  checkBoolean(where, 'keepLocally', props.keepLocally);
  if (props.target !== undefined && !isUnresolved(props.target) && !isBuildStageName(props.target)) {
    fail(where, 'target', props.target, 'a build stage name from the Dockerfile');
  }
}
