/**
 * The benchmark stack, described once as plain data so that the library build and the raw
 * provider build declare the same services. Deterministic for a given N.
 */

/** Images the services pull: a handful of distinct pinned references. */
export const IMAGE_REFS = ['redis:7.4-alpine', 'nginx:1.27-alpine', 'postgres:16.4-alpine', 'busybox:1.36', 'alpine:3.20'];

/** The one network every service joins. */
export const NETWORK_NAME = 'front';

/** The stack's id (and folder under `stacks/` in the synthesized output). */
export const STACK_ID = 'bench';

export interface ServiceSpec {
  /** Construct id and service (container) name. */
  readonly name: string;
  /** Index into IMAGE_REFS. */
  readonly image: number;
  /** Plain environment variables. */
  readonly environment: Record<string, string>;
  /** A port published on loopback: distinct host port per service. */
  readonly port?: { readonly hostPort: number; readonly containerPort: number };
  /** An HTTP health check on this port. */
  readonly healthPort?: number;
  /** Extra writable (tmpfs) paths. */
  readonly writablePaths?: string[];
  /** Memory limit in MiB, when not the default. */
  readonly memoryMiB?: number;
  /** Indexes of the services this one starts after. */
  readonly dependsOn: number[];
}

/**
 * Service i: every third publishes a port on 127.0.0.1, every fourth has a health check
 * (and the healthy ones form a chain: each waits on the previous healthy one), the others
 * wait on the healthy service of their group of four; every seventh has an extra writable
 * path, every fifth a smaller memory limit.
 */
export function serviceSpec(i: number): ServiceSpec {
  const healthy = i % 4 === 0;
  const dependsOn = healthy ? (i >= 4 ? [i - 4] : []) : [i - (i % 4)];
  return {
    name: `svc-${i}`,
    image: i % IMAGE_REFS.length,
    environment: {
      SERVICE_INDEX: String(i),
      LOG_LEVEL: i % 2 === 0 ? 'info' : 'warn',
      UPSTREAM: `svc-${i - (i % 4)}`,
    },
    port: i % 3 === 0 ? { hostPort: 20000 + i, containerPort: 8080 } : undefined,
    healthPort: healthy ? 8080 : undefined,
    writablePaths: i % 7 === 0 ? ['/var/cache/app'] : undefined,
    memoryMiB: i % 5 === 0 ? 256 : undefined,
    dependsOn,
  };
}
