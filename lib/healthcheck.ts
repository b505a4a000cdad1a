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
}

/**
 * How Docker decides a container is healthy. Dependents of a container with a health check
 * start only once it is healthy.
 */
export class Healthcheck {
  /** Runs `command` (exec form, no shell) inside the container; exit 0 = healthy. */
  public static command(command: string[], options: HealthcheckOptions = {}): Healthcheck {
    return new Healthcheck(['CMD', ...command], options, 'command');
  }

  /** Runs `script` with the image's `/bin/sh -c`; exit 0 = healthy. */
  public static shell(script: string, options: HealthcheckOptions = {}): Healthcheck {
    return new Healthcheck(['CMD-SHELL', script], options, 'shell');
  }

  /**
   * An HTTP GET of `http://127.0.0.1:<port><path>` from inside the container with `wget`
   * (present in busybox and alpine images); a 2xx/3xx answer = healthy.
   */
  public static http(port: number, path: string = '/', options: HealthcheckOptions = {}): Healthcheck {
    return new Healthcheck(['CMD', 'wget', '-q', '-O', '/dev/null', `http://127.0.0.1:${port}${path}`], options, 'http', port, path);
  }

  /** A TCP connect to `127.0.0.1:<port>` from inside the container with `nc -z`. */
  public static tcp(port: number, options: HealthcheckOptions = {}): Healthcheck {
    return new Healthcheck(['CMD', 'nc', '-z', '127.0.0.1', String(port)], options, 'tcp', port);
  }

  private constructor(
    /** The check as Docker runs it (`CMD` form). */
    public readonly test: string[],
    /** The timing. */
    public readonly options: HealthcheckOptions,
    /** @internal */
    public readonly _kind: string,
    /** @internal */
    public readonly _port?: number,
    /** @internal */
    public readonly _path?: string,
  ) {}
}
