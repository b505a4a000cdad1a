/**
 * The table of compose service keys: what each becomes (a library prop, a setting on the L1
 * container, a note, or a refusal with its reason), and the check every service's keys pass
 * before any is read. A key missing from the table is not a compose key.
 */
import { Reader } from './reader';
import { PlainMap } from './source';

/**
 * What each service key becomes. `prop`: a library prop; `resource`: a setting on the L1
 * `Container` (`svc.resource`), visible to the review; `note`: no counterpart, recorded;
 * `refused`: a ValidationError, with the reason.
 */
export const SERVICE_KEYS: Record<string, { readonly as: 'prop' | 'resource' | 'note' | 'refused'; readonly why?: string }> = {
  annotations: { as: 'note' },
  attach: { as: 'note' },
  blkio_config: { as: 'refused', why: 'block I/O weights and limits have no counterpart in the provider release the library targets' },
  build: { as: 'prop' },
  cap_add: { as: 'prop' },
  cap_drop: { as: 'prop' },
  cgroup: { as: 'refused', why: 'the cgroup namespace mode is not among the container attributes the library emits' },
  cgroup_parent: { as: 'refused', why: 'a parent cgroup is not among the container attributes the library emits' },
  command: { as: 'prop' },
  configs: { as: 'prop' },
  container_name: { as: 'prop' },
  cpu_count: { as: 'refused', why: 'Windows only; use cpus' },
  cpu_percent: { as: 'refused', why: 'Windows only; use cpus' },
  cpu_period: { as: 'refused', why: 'use cpus (CFS period and quota are not among the attributes the library emits)' },
  cpu_quota: { as: 'refused', why: 'use cpus (CFS period and quota are not among the attributes the library emits)' },
  cpu_rt_period: { as: 'refused', why: 'real-time scheduling has no counterpart in the provider' },
  cpu_rt_runtime: { as: 'refused', why: 'real-time scheduling has no counterpart in the provider' },
  cpu_shares: { as: 'resource' },
  cpus: { as: 'prop' },
  cpuset: { as: 'resource' },
  credential_spec: { as: 'refused', why: 'Windows only' },
  depends_on: { as: 'prop' },
  deploy: { as: 'prop' },
  develop: { as: 'note' },
  device_cgroup_rules: { as: 'refused', why: 'device cgroup rules have no counterpart in the provider' },
  devices: { as: 'resource' },
  dns: { as: 'resource' },
  dns_opt: { as: 'resource' },
  dns_search: { as: 'resource' },
  domainname: { as: 'resource' },
  entrypoint: { as: 'prop' },
  env_file: { as: 'prop' },
  environment: { as: 'prop' },
  expose: { as: 'note' },
  extends: { as: 'refused', why: 'write the extended service out in full (extends is not resolved)' },
  external_links: { as: 'refused', why: 'links are legacy (they work on the default bridge only); containers reach each other by name on user-defined networks' },
  extra_hosts: { as: 'resource' },
  gpus: { as: 'refused', why: 'GPU requests are not among the container attributes the library emits' },
  group_add: { as: 'resource' },
  healthcheck: { as: 'prop' },
  hostname: { as: 'resource' },
  image: { as: 'prop' },
  init: { as: 'prop' },
  ipc: { as: 'resource' },
  isolation: { as: 'refused', why: 'Windows only' },
  label_file: { as: 'refused', why: 'write the labels in `labels`' },
  labels: { as: 'prop' },
  links: { as: 'refused', why: 'links are legacy (they work on the default bridge only); containers reach each other by name on user-defined networks' },
  logging: { as: 'prop' },
  mac_address: { as: 'refused', why: 'a fixed MAC address is not among the container attributes the library emits' },
  mem_limit: { as: 'prop' },
  mem_reservation: { as: 'refused', why: 'a memory reservation has no counterpart in the provider; memoryMiB is a hard limit' },
  mem_swappiness: { as: 'refused', why: 'swap is off (memory_swap equals the memory limit)' },
  memswap_limit: { as: 'prop' },
  models: { as: 'refused', why: 'AI models have no counterpart in the provider' },
  network_mode: {
    as: 'refused',
    why: "containers stay on the project's user-defined networks: the host's network namespace removes isolation (CIS 5.9), sharing another container's (service:x) or the default bridge has no DNS by name, and `none` leaves the container without a network; use networks",
  },
  networks: { as: 'prop' },
  oom_kill_disable: { as: 'refused', why: 'disabling the OOM killer with a memory limit hangs the container instead of restarting it' },
  oom_score_adj: { as: 'refused', why: 'the OOM score is not among the container attributes the library emits' },
  pid: { as: 'resource' },
  pids_limit: { as: 'refused', why: "provider 3.6.2's docker_container has no pids limit" },
  platform: { as: 'prop' },
  ports: { as: 'prop' },
  post_start: { as: 'refused', why: 'lifecycle hooks have no counterpart in the provider' },
  pre_stop: { as: 'refused', why: 'lifecycle hooks have no counterpart in the provider' },
  privileged: { as: 'resource' },
  profiles: { as: 'prop' },
  provider: { as: 'refused', why: 'compose provider services have no counterpart in the provider' },
  pull_policy: { as: 'note' },
  read_only: { as: 'prop' },
  restart: { as: 'prop' },
  runtime: { as: 'resource' },
  scale: { as: 'prop' },
  secrets: { as: 'prop' },
  security_opt: { as: 'prop' },
  shm_size: { as: 'resource' },
  stdin_open: { as: 'resource' },
  stop_grace_period: { as: 'prop' },
  stop_signal: { as: 'resource' },
  storage_opt: { as: 'resource' },
  sysctls: { as: 'resource' },
  tmpfs: { as: 'prop' },
  tty: { as: 'resource' },
  ulimits: { as: 'resource' },
  use_api_socket: { as: 'refused', why: 'the Docker socket gives control of the host (CIS 5.31)' },
  user: { as: 'prop' },
  userns_mode: { as: 'resource' },
  uts: { as: 'refused', why: "sharing the host's UTS namespace removes isolation (CIS 5.20)" },
  volumes: { as: 'prop' },
  volumes_from: { as: 'refused', why: 'mount the named volumes themselves (volumes_from has no counterpart)' },
  working_dir: { as: 'prop' },
};

/** Refuses a key the table refuses or does not know (extensions, `x-*`, pass). */
export function checkServiceKeys(r: Reader, p: string, def: PlainMap): void {
  for (const key of Object.keys(def)) {
    if (key.startsWith('x-')) continue;
    const entry = SERVICE_KEYS[key];
    if (!entry) r.fail(`${p}.${key}`, key, 'a service key of the compose specification (or x-* for an extension)', true);
    if (entry.as === 'refused') r.fail(`${p}.${key}`, def[key], `no ${key}: ${entry.why}`, true);
  }
}
