/**
 * The props of `SystemdUnits`, their defaults and their checks; what every unit of one
 * `SystemdUnits` shares (`UnitSettings`).
 */
import type { DockerHost } from './docker-host';
import type { ServiceContainer } from './service-container';
import type { UnitSettings } from './_systemd-unit-file';
import { checkInteger, fail, isUnresolved } from './_validate';

/** When systemd restarts a container's unit (the unit's `Restart=`). */
export enum SystemdRestart {
  /**
   * Whatever the exit: the equivalent of Docker's `unless-stopped` (`systemctl stop` is the
   * operator's stop). Also re-attaches the unit after a deploy replaced the container.
   */
  ALWAYS = 'always',
  /** After a non-zero exit code (143, a stop by SIGTERM, counts as success), a signal, a timeout or a watchdog. */
  ON_FAILURE = 'on-failure',
  /** After a signal, a timeout or a watchdog, but not after an exit code. */
  ON_ABNORMAL = 'on-abnormal',
}

export interface SystemdUnitsProps {
  /** The Docker host whose containers the units run; the units are installed on that machine. @default - the stack's default host (`DockerHost.of`) */
  readonly host?: DockerHost;
  /**
   * The containers that get a unit; each one's dependencies are added to the list, as a unit
   * requires the units of its dependencies.
   * @default - every ServiceContainer of `host` in this stack, also the ones added after this construct
   */
  readonly containers?: ServiceContainer[];
  /** Prefix of each unit's name: the unit of container `api` is `<unitPrefix>api.service`. Not empty, so a unit never shadows a distribution's own (`redis.service`). @default 'docker-' */
  readonly unitPrefix?: string;
  /** The unit of the Docker daemon, which every container unit requires and starts after. @default 'docker.service' */
  readonly dockerUnit?: string;
  /** Absolute path of the Docker CLI on the Docker host. @default '/usr/bin/docker' (Debian's and Ubuntu's docker.io, Docker's own packages) */
  readonly dockerPath?: string;
  /** When systemd restarts a container. @default SystemdRestart.ALWAYS */
  readonly restart?: SystemdRestart;
  /** Seconds systemd waits before a restart (`RestartSec=`). @default 5 */
  readonly restartDelaySeconds?: number;
  /**
   * Count a container with a health check as started only once it is healthy (or after
   * `waitTimeoutSeconds`), so that the units ordered after it start on a healthy dependency.
   * @default true
   */
  readonly waitForHealthy?: boolean;
  /** Seconds a unit waits for its container to become healthy before its dependents start anyway. @default 60 */
  readonly waitTimeoutSeconds?: number;
  /** The target that starts the units at boot (`[Install] WantedBy=`). @default 'multi-user.target' */
  readonly wantedBy?: string;
}

const UNIT_NAME_PART = /^[A-Za-z0-9:_.-]+$/;
const UNIT_NAME = /^[A-Za-z0-9:_.@-]+\.(service|socket|target)$/;
const TARGET_NAME = /^[A-Za-z0-9:_.@-]+\.target$/;
const EXECUTABLE = /^\/[A-Za-z0-9._+/-]+$/;
const DEFAULT_SOCKETS = ['unix:///var/run/docker.sock', 'unix:///run/docker.sock'];

/** The unit name prefix, validated. */
export function unitPrefixOf(where: string, prefix: string | undefined): string {
  const value = prefix ?? 'docker-';
  if (typeof value !== 'string' || !UNIT_NAME_PART.test(value) || value.length > 64) {
    fail(where, 'unitPrefix', value, "a non-empty unit name prefix of letters, digits and : _ . - (at most 64 characters), e.g. 'docker-'");
  }
  return value;
}

/** The props every unit shares, with their defaults, validated. */
export function unitSettings(where: string, host: DockerHost, props: SystemdUnitsProps, supervisor: string): UnitSettings {
  const dockerUnit = props.dockerUnit ?? 'docker.service';
  if (typeof dockerUnit !== 'string' || !UNIT_NAME.test(dockerUnit)) {
    fail(where, 'dockerUnit', dockerUnit, "a systemd unit name ending in .service, .socket or .target, e.g. 'docker.service'");
  }
  const dockerPath = props.dockerPath ?? '/usr/bin/docker';
  if (typeof dockerPath !== 'string' || !EXECUTABLE.test(dockerPath) || dockerPath.split('/').includes('..')) {
    fail(where, 'dockerPath', dockerPath, "an absolute path of the Docker CLI without spaces or '..', e.g. '/usr/bin/docker'");
  }
  const restart = props.restart ?? SystemdRestart.ALWAYS;
  if (!Object.values(SystemdRestart).includes(restart)) fail(where, 'restart', restart, `one of ${Object.values(SystemdRestart).join(', ')}`);
  const restartDelaySeconds = props.restartDelaySeconds ?? 5;
  checkLiteralInteger(where, 'restartDelaySeconds', restartDelaySeconds, 0, 3600);
  const waitForHealthy = props.waitForHealthy ?? true;
  if (typeof waitForHealthy !== 'boolean') fail(where, 'waitForHealthy', waitForHealthy, 'true or false');
  const waitTimeoutSeconds = props.waitTimeoutSeconds ?? 60;
  checkLiteralInteger(where, 'waitTimeoutSeconds', waitTimeoutSeconds, 1, 3600);
  const wantedBy = props.wantedBy ?? 'multi-user.target';
  if (typeof wantedBy !== 'string' || !TARGET_NAME.test(wantedBy)) fail(where, 'wantedBy', wantedBy, "a systemd target name, e.g. 'multi-user.target'");
  const url = host.url;
  const dockerHost = isLocal(url) && !DEFAULT_SOCKETS.includes(url) ? url : undefined;
  return {
    where, dockerUnit, dockerPath, dockerHost, restart, restartDelaySeconds, waitForHealthy, waitTimeoutSeconds, wantedBy, supervisor,
  };
}

/** An integer within [min, max] that is known at synth (it is written into a file). */
function checkLiteralInteger(where: string, prop: string, value: number, min: number, max: number): void {
  if (isUnresolved(value)) fail(where, prop, value, `a literal integer from ${min} to ${max}: it is written into unit files at synth`);
  checkInteger(where, prop, value, min, max);
}

/** True for a Docker host on this machine's socket. */
export function isLocal(url: string): boolean {
  return !isUnresolved(url) && url.startsWith('unix://');
}
