/**
 * The normalised intermediate model of a compose project: plain data, no constructs.
 *
 * One loader (`normalise.ts`) reads a compose file into this model; `ComposeProject` declares
 * the library's constructs from it (`instantiate.ts`) and the `convert` command writes
 * TypeScript that declares the same constructs from it (`convert.ts`). Both read the same
 * model, so they cannot drift apart.
 *
 * Every entity carries the place in the compose file it came from, so that a construct's
 * refusal at instantiation still names the compose file, line, column and key path.
 */

/** A place in a compose (or env) file. */
export interface SourceRef {
  /** The file as the user named it. */
  readonly file: string;
  /** 1-based line. */
  readonly line: number;
  /** 1-based column. */
  readonly col: number;
  /** The key path, e.g. `services.web.ports[1]`. */
  readonly path: string;
}

/** Something in the compose file with no counterpart in the synthesized plan: recorded, never dropped silently. */
export interface ComposeNoteModel {
  readonly source: SourceRef;
  readonly message: string;
}

export interface NetworkModel {
  /** The key under top-level `networks` (`default` for the project's default network). */
  readonly key: string;
  /** Construct id. */
  readonly id: string;
  readonly source: SourceRef;
  readonly networkName: string;
  readonly internal?: boolean;
  readonly subnet?: string;
  readonly gateway?: string;
  readonly ipRange?: string;
  readonly attachable?: boolean;
  readonly labels?: Record<string, string>;
  /** `driver_opts`, set on the L1 network (`resource.options`). */
  readonly driverOptions?: Record<string, string>;
}

export interface VolumeModel {
  /** The key under top-level `volumes`, or `<service>:<container path>` for an anonymous volume. */
  readonly key: string;
  readonly id: string;
  readonly source: SourceRef;
  readonly volumeName: string;
  readonly driver?: string;
  readonly driverOptions?: Record<string, string>;
  readonly labels?: Record<string, string>;
  /** True for a service's anonymous volume, declared as a named one. */
  readonly anonymous: boolean;
}

/** How a service's image is made. */
export enum ImageKind {
  /** `build`: a `MinimalImage`. */
  BUILD = 'build',
  /** `image` pinned: `ContainerImage.fromRegistry`. */
  REGISTRY = 'registry',
  /** `image` not pinned, accepted with `allowUnpinnedImages`: a plain `docker_image` (a review finding). */
  UNPINNED = 'unpinned',
}

export interface ImageModel {
  /** Construct id (build) or a key shared by the services that pull the same reference. */
  readonly id: string;
  readonly source: SourceRef;
  readonly kind: ImageKind;
  /** The reference pulled, or the name the build is tagged with. */
  readonly reference: string;
  readonly platform?: string;
  /** Absolute build context (build only). */
  readonly context?: string;
  /** The Dockerfile relative to the context (build only; the library's default 'Dockerfile' is left out). */
  readonly dockerfile?: string;
  readonly buildArgs?: Record<string, string>;
  readonly target?: string;
}

/** A published port, by `PortMapping` factory. */
export interface PortModel {
  /** `public` (0.0.0.0), `local` (127.0.0.1) or `onInterface` (any other address). */
  readonly factory: 'public' | 'local' | 'onInterface';
  readonly hostIp: string;
  readonly hostPort: number;
  readonly containerPort: number;
  readonly protocol: 'tcp' | 'udp' | 'sctp';
  readonly source: SourceRef;
}

export interface HealthcheckModel {
  /** `command` (exec form, `CMD`) or `shell` (`CMD-SHELL` or a string). */
  readonly kind: 'command' | 'shell';
  readonly command?: string[];
  readonly script?: string;
  readonly intervalSeconds?: number;
  readonly timeoutSeconds?: number;
  readonly retries?: number;
  readonly startPeriodSeconds?: number;
  readonly startIntervalSeconds?: number;
}

/** A setting the constructs have no prop for, made on the service's L1 `Container` (`svc.resource`), so the review sees it. */
export interface ResourceSetting {
  /** `set`: `resource[name] = value`; `put`: `resource[name](value)`; `override`: `resource.addOverride(name, value)`. */
  readonly kind: 'set' | 'put' | 'override';
  /** Property (camelCase), put method, or override path (snake_case, as synthesized). */
  readonly name: string;
  readonly value: unknown;
  /** The compose key it comes from, for the generated comment. */
  readonly composeKey: string;
}

export interface ServiceNetworkModel {
  /** Construct id of the network. */
  readonly network: string;
  /** Extra aliases besides the service name (the library adds the container name itself). */
  readonly aliases: string[];
  readonly ipv4Address?: string;
}

/** ServiceContainer props that are plain data. */
export interface ServiceProps {
  readonly serviceName: string;
  readonly command?: string[];
  readonly entrypoint?: string[];
  readonly workingDir?: string;
  readonly user?: string;
  readonly environment?: Record<string, string>;
  readonly writablePaths?: string[];
  readonly tmpfsSizeMiB?: number;
  readonly readOnlyRootFilesystem?: boolean;
  readonly memoryMiB?: number;
  readonly cpus?: number;
  /** A RestartPolicy value (`no`, `on-failure`, `always`, `unless-stopped`). */
  readonly restartPolicy?: string;
  readonly maxRetryCount?: number;
  readonly init?: boolean;
  readonly addCapabilities?: string[];
  readonly noNewPrivileges?: boolean;
  readonly logMaxSizeMiB?: number;
  readonly logMaxFiles?: number;
  readonly stopTimeoutSeconds?: number;
  readonly labels?: Record<string, string>;
}

export interface ServiceModel {
  /** The compose service name (and construct id). */
  readonly name: string;
  readonly source: SourceRef;
  /** Id of the image in `ComposeModel.images`. */
  readonly image: string;
  readonly props: ServiceProps;
  readonly ports: PortModel[];
  readonly networks: ServiceNetworkModel[];
  /** Named (and anonymous) volume mounts: volume construct id. */
  readonly volumes: { readonly volume: string; readonly containerPath: string; readonly readOnly?: boolean }[];
  /** Bind mounts (absolute host paths), file secrets and configs included. */
  readonly bindMounts: { readonly hostPath: string; readonly containerPath: string; readonly readOnly?: boolean; readonly origin: PathOrigin }[];
  /** Environment variables from sensitive Terraform variables: variable name by environment variable name. */
  readonly secretEnvironment: Record<string, string>;
  readonly healthcheck?: HealthcheckModel;
  /** Services (names) created before this one. */
  readonly dependsOn: string[];
  /** Settings on the L1 container. */
  readonly resource: ResourceSetting[];
  /** Construct props (as ServiceContainer names them) → the compose key path they come from, for error messages. */
  readonly propSources: Record<string, SourceRef>;
}

/** Where a host path came from, so the generated code can write it relative to itself. */
export interface PathOrigin {
  /** `compose`: relative to the compose file's folder; `home`: under `~`; `absolute`: as written. */
  readonly base: 'compose' | 'home' | 'absolute';
  /** The path relative to the base (absolute paths: the path itself). */
  readonly relative: string;
}

export interface ComposeModel {
  /** The compose file, absolute. */
  readonly file: string;
  /** The compose file as the user named it (in messages). */
  readonly displayFile: string;
  /** The folder of the compose file. */
  readonly directory: string;
  readonly projectName: string;
  readonly networks: NetworkModel[];
  readonly volumes: VolumeModel[];
  readonly images: ImageModel[];
  /** Services in creation order: each after the services it depends on. */
  readonly services: ServiceModel[];
  readonly notes: ComposeNoteModel[];
}
