/**
 * The props of `ServiceContainer`: the shared container specification (`container-spec-props`)
 * and how Docker runs it on one host (checked by `_container-settings`).
 */
import type { DockerHost } from './docker-host';
import type { ContainerSpecProps, VolumeMount } from './container-spec-props';
import type { PortMapping } from './port-mapping';
import type { RestartPolicy } from './restart-policy';
import type { ServiceContainer } from './service-container';
import type { ServiceNetwork } from './service-network';

/** A host folder or file mounted into a container. */
export interface BindMount {
  /** Absolute path on the Docker host. */
  readonly hostPath: string;
  /** Absolute path inside the container. */
  readonly containerPath: string;
  /** Mount read-only. @default true */
  readonly readOnly?: boolean;
}

/**
 * A `ServiceContainer`: the container specification (image, command, environment, limits,
 * hardening, health check, logs; shared with `SwarmService`) and how Docker runs it on one host.
 */
export interface ServiceContainerProps extends ContainerSpecProps {
  /** The Docker host. @default - the stack's default host (`DockerHost.of`) */
  readonly host?: DockerHost;
  /** Service name: the container's name and its network alias; 2 to 128 characters (Docker refuses one). @default - the construct id */
  readonly serviceName?: string;
  /**
   * User-defined networks to join; the service name is the alias on each. At least one, here or by
   * `connect`. An `OverlayNetwork` only when it is `attachable`.
   * @default - none
   */
  readonly networks?: ServiceNetwork[];
  /** Published ports. @default - none */
  readonly ports?: PortMapping[];
  /** Named volumes. @default - none */
  readonly volumes?: VolumeMount[];
  /** Bind mounts of host paths. @default - none */
  readonly bindMounts?: BindMount[];
  /** Restart policy. @default RestartPolicy.UNLESS_STOPPED */
  readonly restartPolicy?: RestartPolicy;
  /** Restart attempts with `RestartPolicy.ON_FAILURE`. @default - unlimited */
  readonly maxRetryCount?: number;
  /** Forbid privilege escalation through setuid binaries (CIS 5.25). @default true */
  readonly noNewPrivileges?: boolean;
  /**
   * Wait, when creating the container, until its health check passes, so that dependents start
   * on a healthy service (the provider's `wait`; it applies at create time only).
   * @default true when there is a health check
   */
  readonly waitForHealthy?: boolean;
  /** Seconds to wait for healthy. @default 60 */
  readonly waitTimeoutSeconds?: number;
  /** Containers created (and, when they have a health check, healthy) before this one. @default - none */
  readonly dependsOn?: ServiceContainer[];
}
