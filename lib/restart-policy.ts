/** When Docker restarts a container. */
export enum RestartPolicy {
  /** Never restart (use when something else, such as systemd, supervises the container). */
  NO = 'no',
  /** Restart after a non-zero exit, up to `maxRetryCount` times. */
  ON_FAILURE = 'on-failure',
  /** Always restart, also after `docker stop` when the daemon restarts. */
  ALWAYS = 'always',
  /** Restart unless stopped by an operator; starts again on boot. */
  UNLESS_STOPPED = 'unless-stopped',
}
