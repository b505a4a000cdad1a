import type { HealthcheckTiming } from './_container-spec';
import { checkInteger, checkMap, checkPort, fail, isUnresolved, safeText } from './_validate';
import { checkKnownKeys } from './_known-keys';
import { HEALTHCHECK_OPTIONS_KEYS } from './_props-keys';

/** Which factory made a health check. */
enum CheckKind {
  COMMAND = 'command',
  SHELL = 'shell',
  HTTP = 'http',
  TCP = 'tcp',
}

/** Timing of a health check. */
export interface HealthcheckOptions {
  /** Seconds between checks. @default 10 */
  readonly intervalSeconds?: number;
  /** Seconds before one check counts as failed. @default 5 */
  readonly timeoutSeconds?: number;
  /** Consecutive failures before the container is unhealthy. @default 3 */
  readonly retries?: number;
  /** Seconds after start during which failures do not count. @default 10 */
  readonly startPeriodSeconds?: number;
  /**
   * Seconds between checks during the start period (`start_interval`), so that a healthy-ordered
   * start waits about one short probe instead of a full `intervalSeconds`. Needs an engine from
   * Docker 25 (API 1.44): against an older one (Debian 12's 20.10 speaks 1.41) the provider refuses
   * to create the container ("specify health-check start interval requires API version 1.44"). A
   * `SwarmService` refuses it: docker_service's health check has no `start_interval`.
   * @default - none: the first check runs one `intervalSeconds` after start
   */
  readonly startIntervalSeconds?: number;
}

/**
 * How Docker decides a container is healthy. Dependents of a container with a health check
 * start only once it is healthy.
 */
export class Healthcheck {
  /** Runs `command` (exec form, no shell) inside the container; exit 0 = healthy. */
  public static command(command: string[], options: HealthcheckOptions = {}): Healthcheck {
    // Anything but a list is kept as given, for the container that uses the check to reject with its path.
    return new Healthcheck(Array.isArray(command) ? ['CMD', ...command] : ['CMD'], options, CheckKind.COMMAND, undefined, undefined, command);
  }

  /** Runs `script` with the image's `/bin/sh -c`; exit 0 = healthy. */
  public static shell(script: string, options: HealthcheckOptions = {}): Healthcheck {
    return new Healthcheck(['CMD-SHELL', script], options, CheckKind.SHELL);
  }

  /**
   * An HTTP GET of `http://127.0.0.1:<port><path>` from inside the container with `wget`
   * (present in busybox and alpine images); a 2xx/3xx answer = healthy.
   */
  public static http(port: number, path: string = '/', options: HealthcheckOptions = {}): Healthcheck {
    // Ranges are judged by the container that uses the check (so the error names its path); here only text is made,
    // and safely: a template literal throws a TypeError for a symbol.
    const url = `http://127.0.0.1:${safeText(port)}${safeText(path)}`;
    return new Healthcheck(['CMD', 'wget', '-q', '-O', '/dev/null', url], options, CheckKind.HTTP, port, path);
  }

  /**
   * A TCP connect to `127.0.0.1:<port>` from inside the container with `nc` (busybox and alpine
   * images have it): `nc -w 2 127.0.0.1 <port> -e true` connects and hands the connection to
   * `true`, which closes it at once, so the check also passes on a server that never closes its
   * side. busybox's small `nc` (Debian's busybox-static) has no `-z`; this form needs none.
   */
  public static tcp(port: number, options: HealthcheckOptions = {}): Healthcheck {
    return new Healthcheck(['CMD', 'nc', '-w', '2', '127.0.0.1', safeText(port), '-e', 'true'], options, CheckKind.TCP, port);
  }

  /**
   * Checks this health check for the construct at `where` (whose path the errors name: the
   * factories never throw) and returns its timing with the defaults applied.
   * @internal
   */
  public _resolve(where: string): HealthcheckTiming {
    if (this.kind === CheckKind.HTTP || this.kind === CheckKind.TCP) checkPort(where, 'healthcheck.port', this.port, true);
    if (this.path !== undefined && !isUnresolved(this.path) && (typeof this.path !== 'string' || !this.path.startsWith('/') || /\s/.test(this.path))) {
      fail(where, 'healthcheck.path', this.path, "a URL path starting with '/' without spaces");
    }
    if (this.kind === CheckKind.COMMAND && !Array.isArray(this.command)) {
      fail(where, 'healthcheck.command', this.command, 'a non-empty list of strings (exec form), e.g. ["redis-cli", "ping"]');
    }
    const test = this.test;
    if (!Array.isArray(test) || test.length < 2 || test.slice(1).some((x) => typeof x !== 'string') || test[1] === '') {
      fail(where, 'healthcheck.command', Array.isArray(test) ? test.slice(1) : test, 'a non-empty command');
    }
    const o = this.options ?? {};
    checkMap(where, 'healthcheck.options', o, 'HealthcheckOptions: an object with intervalSeconds, timeoutSeconds, retries, startPeriodSeconds, startIntervalSeconds');
    checkKnownKeys(where, o, HEALTHCHECK_OPTIONS_KEYS, 'healthcheck.options');
    const timing: HealthcheckTiming = {
      test,
      intervalSeconds: o.intervalSeconds ?? 10,
      timeoutSeconds: o.timeoutSeconds ?? 5,
      startPeriodSeconds: o.startPeriodSeconds ?? 10,
      retries: o.retries ?? 3,
      startIntervalSeconds: o.startIntervalSeconds,
    };
    checkInteger(where, 'healthcheck.intervalSeconds', timing.intervalSeconds, 1, 86400, 'whole seconds from 1 to 86400');
    checkInteger(where, 'healthcheck.timeoutSeconds', timing.timeoutSeconds, 1, 3600, 'whole seconds from 1 to 3600');
    checkInteger(where, 'healthcheck.startPeriodSeconds', timing.startPeriodSeconds, 0, 86400, 'whole seconds from 0 to 86400');
    checkInteger(where, 'healthcheck.retries', timing.retries, 1, 100, 'an integer from 1 to 100');
    checkInteger(where, 'healthcheck.startIntervalSeconds', timing.startIntervalSeconds, 1, 86400, 'whole seconds from 1 to 86400');
    return timing;
  }

  private constructor(
    /** The check as Docker runs it (`CMD` form). */
    public readonly test: string[],
    /** The timing. */
    public readonly options: HealthcheckOptions,
    /** Which factory made it: what `_resolve` checks. */
    private readonly kind: CheckKind,
    private readonly port?: number,
    private readonly path?: string,
    /** The command as given to `Healthcheck.command`, for validation. */
    private readonly command?: unknown,
  ) {}
}
