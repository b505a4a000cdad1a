/**
 * The props `ServiceContainer` and `SwarmService` share: what runs in a container, however it is
 * run (checked and given its defaults by `_container-spec`, rendered by `_container-render`).
 */
import type { IContainerImage } from './container-image';
import type { DataVolume } from './data-volume';
import type { Healthcheck } from './healthcheck';
import type { Secret } from './secret';

/**
 * What runs in a container, however it is run: the props `ServiceContainerProps` and
 * `SwarmServiceProps` share, with the same defaults. Where a `SwarmService` cannot express a
 * default (provider 3.6.2's `docker_service` has no field for it), the prop's doc says so.
 */
export interface ContainerSpecProps {
  /**
   * The image: `ContainerImage.fromRegistry(...)` or a `MinimalImage`. Bound by its `image_id`,
   * never its name (a name makes the provider replace the container, or update the service, on every plan).
   */
  readonly image: IContainerImage;
  /** Command (exec form): the image's CMD replaced. @default - the image's CMD */
  readonly command?: string[];
  /** Entrypoint (exec form). @default - the image's ENTRYPOINT */
  readonly entrypoint?: string[];
  /** Working directory. @default - the image's WORKDIR */
  readonly workingDir?: string;
  /**
   * User (name or UID[:GID]) the process runs as.
   * @default - the image's USER; not forced, as a forced UID breaks images that expect their own (the review warns about root)
   */
  readonly user?: string;
  /** Plain environment variables (visible in plan and state). @default - none */
  readonly environment?: Record<string, string>;
  /**
   * Secret environment variables from sensitive Terraform variables (never in the synthesized JSON;
   * a swarm service's environment is readable with `docker service inspect`: prefer a `SwarmSecret` file there).
   * @default - none
   */
  readonly secretEnvironment?: Record<string, Secret>;
  /** Paths that stay writable on a read-only root, as tmpfs mounts (`/tmp` always is). @default - only /tmp */
  readonly writablePaths?: string[];
  /** Size of each tmpfs mount in MiB. @default 64 */
  readonly tmpfsSizeMiB?: number;
  /** Mount the root filesystem read-only (CIS 5.12). @default true */
  readonly readOnlyRootFilesystem?: boolean;
  /**
   * Memory limit in MiB (CIS 5.10); Docker's minimum is 6. A container's swap is off (`memory_swap`
   * equals the limit); a swarm service cannot set swap (docker_service has no such field).
   * @default 512
   */
  readonly memoryMiB?: number;
  /** CPU limit in CPUs, e.g. 0.5. @default - no limit */
  readonly cpus?: number;
  /**
   * Run an init process that forwards signals and reaps zombies. A swarm service gets it with the
   * 4.6 provider line only (provider 3.6.2's docker_service has no `init`).
   * @default true
   */
  readonly init?: boolean;
  /** Drop all Linux capabilities (CIS 5.3). @default true */
  readonly dropAllCapabilities?: boolean;
  /** Capabilities to add back, e.g. `['NET_BIND_SERVICE']`. @default - none */
  readonly addCapabilities?: string[];
  /**
   * Health check (a swarm service takes no `startIntervalSeconds`: docker_service has no such field).
   * @default - none (the image's own HEALTHCHECK, if any)
   */
  readonly healthcheck?: Healthcheck;
  /** Size of a log file before rotation, in MiB. @default 10 */
  readonly logMaxSizeMiB?: number;
  /** Log files kept. @default 3 */
  readonly logMaxFiles?: number;
  /** Seconds between SIGTERM and SIGKILL on stop. @default 10 */
  readonly stopTimeoutSeconds?: number;
  /** Labels of the container (of a swarm service: of its tasks' containers and of the service). @default - none */
  readonly labels?: Record<string, string>;
}

/** A named volume mounted into a container. */
export interface VolumeMount {
  /** The volume. */
  readonly volume: DataVolume;
  /** Absolute path inside the container. */
  readonly containerPath: string;
  /** Mount read-only. @default false */
  readonly readOnly?: boolean;
}
