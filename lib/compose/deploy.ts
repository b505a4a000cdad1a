/**
 * Limits, deploy and logging: `mem_limit`/`memswap_limit`, `cpus`, `scale`, the `deploy` block
 * (replicas, resources.limits, restart_policy; Swarm-only keys noted) and `logging` (json-file
 * rotation as the library's logMaxSizeMiB/logMaxFiles, other drivers as L1 settings).
 */
import { KeyReader, LoggingBlock, ServiceDraft, propKey } from './draft';
import { MIB, Reader, isMap } from './reader';
import { parseByteSize } from './units';

/**
 * ServiceContainer's log rotation defaults (logMaxSizeMiB, logMaxFiles), needed to write them out
 * next to extra json-file options. The library sets them as literals in ContainerSpec's
 * constructor (`_container-spec.ts`), with no constant to import.
 */
const LOG_DEFAULTS = { maxSizeMiB: 10, maxFiles: 3 };

const RESTART_CONDITIONS: Record<string, string> = { none: 'no', 'on-failure': 'on-failure', any: 'always' };

/** Readers of the keys of this family, by service key. */
export const DEPLOY_KEYS: Record<string, KeyReader> = {
  mem_limit: (d, kp, v) => setMemory(d, kp, v),
  memswap_limit: (d, kp, v) => memswapLimit(d, kp, v),
  cpus: propKey('cpus', cpus),
  deploy: (d, kp, v) => deploy(d, kp, v),
  scale: (d, kp, v) => replicas(d.r, kp, v),
  logging: (d, kp, v) => {
    d.logging = logging(d.r, kp, v);
  },
};

/** A memory limit (`mem_limit` or `deploy.resources.limits.memory`): whole MiB, the same wherever given. */
function setMemory(d: ServiceDraft, at: string, v: unknown): void {
  const bytes = parseByteSize(v);
  if (bytes === undefined) d.r.fail(at, v, 'a memory size such as 512m or 1.5g');
  if (bytes % MIB !== 0 || bytes / MIB < 6) d.r.fail(at, v, "a memory limit of whole MiB, at least 6m (Docker's minimum; the library's memoryMiB)");
  if (d.memory && d.memory.mib !== bytes / MIB) d.r.fail(at, v, `the same limit as ${d.memory.at} (${d.memory.mib}m)`);
  d.memory = { mib: bytes / MIB, at };
}

/** `memswap_limit`: only the memory limit itself (swap off), as the library sets it. */
function memswapLimit(d: ServiceDraft, kp: string, v: unknown): void {
  const { def } = d;
  const bytes = parseByteSize(v);
  const limit = parseByteSize(def.mem_limit ?? (isMap(def.deploy) && isMap(def.deploy.resources) && isMap(def.deploy.resources.limits) ? def.deploy.resources.limits.memory : undefined));
  if (bytes === undefined || limit === undefined || bytes !== limit) {
    d.r.fail(kp, v, 'the memory limit itself (swap off): the library sets memory_swap equal to the memory limit');
  }
}

function cpus(r: Reader, p: string, v: unknown): number {
  const n = typeof v === 'string' && /^\d+(\.\d+)?$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !(n > 0) || n > 1024) r.fail(p, v, 'a number of CPUs greater than 0 and at most 1024, e.g. 0.5');
  return n;
}

function replicas(r: Reader, p: string, v: unknown): void {
  const n = r.integer(p, v, 0, 1_000_000);
  if (n !== 1) {
    r.fail(p, v, '1: ComposeProject declares one container per service on a single engine; several replicas need a Swarm (declare further services for more instances on one engine)');
  }
}

function deploy(d: ServiceDraft, p: string, v: unknown): void {
  const r: Reader = d.r;
  if (!isMap(v)) r.fail(p, v, 'a deploy mapping');
  for (const [k, val] of Object.entries(v)) {
    const kp = `${p}.${k}`;
    if (k === 'replicas') replicas(r, kp, val);
    else if (k === 'mode') {
      if (val !== 'replicated') r.fail(kp, val, 'replicated (ComposeProject declares one container per service on one engine): global and job modes need a Swarm');
    } else if (k === 'resources') deployResources(d, kp, val);
    else if (k === 'restart_policy') restartPolicy(d, kp, val);
    else if (['labels', 'placement', 'update_config', 'rollback_config', 'endpoint_mode'].includes(k)) {
      r.note(kp, `deploy ${k}: applies to a Swarm; no counterpart on a single engine`);
    } else if (!k.startsWith('x-')) {
      r.fail(kp, k, 'a deploy key: replicas, mode, resources, restart_policy, labels, placement, update_config, rollback_config, endpoint_mode', true);
    }
  }
}

/** `deploy.resources`: limits (memory, cpus) as the library's; reservations noted. */
function deployResources(d: ServiceDraft, kp: string, val: unknown): void {
  const r: Reader = d.r;
  if (!isMap(val)) r.fail(kp, val, 'a mapping with limits');
  for (const [rk, rv] of Object.entries(val)) {
    const rp = `${kp}.${rk}`;
    if (rk === 'limits') {
      if (!isMap(rv)) r.fail(rp, rv, 'a mapping with memory and cpus');
      for (const [lk, lv] of Object.entries(rv)) deployLimit(d, `${rp}.${lk}`, lk, lv);
    } else if (rk === 'reservations') {
      r.note(rp, 'resource reservations: no counterpart on a single engine (the library sets hard limits)');
    } else {
      r.fail(rp, rk, 'limits or reservations', true);
    }
  }
}

function deployLimit(d: ServiceDraft, lp: string, lk: string, lv: unknown): void {
  const r: Reader = d.r;
  const { props } = d;
  if (lk === 'memory') setMemory(d, lp, lv);
  else if (lk === 'cpus') {
    const n = cpus(r, lp, lv);
    if (props.cpus !== undefined && props.cpus !== n) r.fail(lp, lv, `the same CPU limit as cpus (${props.cpus})`);
    props.cpus = n;
    d.src('cpus', lp);
  } else if (lk === 'pids') r.fail(lp, lv, "memory and cpus: provider 3.6.2's docker_container has no pids limit", true);
  else r.fail(lp, lk, 'memory or cpus', true);
}

/** `deploy.restart_policy`: condition and max_attempts as the library's restart policy; delay and window noted. */
function restartPolicy(d: ServiceDraft, kp: string, val: unknown): void {
  const r: Reader = d.r;
  const { props } = d;
  if (!isMap(val)) r.fail(kp, val, 'a mapping with condition and max_attempts');
  for (const [rk, rv] of Object.entries(val)) {
    const rp = `${kp}.${rk}`;
    if (rk === 'condition') {
      const c = r.str(rp, rv, 'none, on-failure or any');
      if (!RESTART_CONDITIONS[c]) r.fail(rp, rv, 'none, on-failure or any');
      if (props.restartPolicy !== undefined && props.restartPolicy !== RESTART_CONDITIONS[c]) r.fail(rp, rv, `the same policy as restart (${props.restartPolicy})`);
      props.restartPolicy = RESTART_CONDITIONS[c];
      d.src('restartPolicy', rp);
    } else if (rk === 'max_attempts') {
      props.maxRetryCount = r.integer(rp, rv, 0, 1000);
      d.src('maxRetryCount', rp);
    } else if (rk === 'delay' || rk === 'window') {
      r.note(rp, `restart_policy ${rk}: no counterpart on a single engine (Docker restarts with its own back-off)`);
    } else {
      r.fail(rp, rk, 'condition, max_attempts, delay or window', true);
    }
  }
}

function logging(r: Reader, p: string, v: unknown): LoggingBlock {
  if (!isMap(v)) r.fail(p, v, 'a mapping with driver and options');
  let driver: string | undefined;
  let options: Record<string, string> = {};
  for (const [k, val] of Object.entries(v)) {
    if (k === 'driver') driver = r.str(`${p}.driver`, val, 'a log driver such as json-file');
    else if (k === 'options') options = val === null ? {} : r.stringMap(`${p}.options`, val, 'a mapping of log options');
    else r.fail(`${p}.${k}`, k, 'driver or options', true);
  }
  return { driver, options };
}

/** After all keys: the memory limit into props. */
export function finishMemory(d: ServiceDraft): void {
  if (!d.memory) return;
  d.props.memoryMiB = d.memory.mib;
  d.src('memoryMiB', d.memory.at);
}

/** After all keys: json-file rotation into props (other options on the L1 container, with the rotation); another driver on the L1 container. */
export function finishLogging(d: ServiceDraft): void {
  const r: Reader = d.r;
  const { logging: block, props, p } = d;
  if (!block) return;
  if (block.driver !== undefined && block.driver !== 'json-file') {
    d.set('set', 'logDriver', block.driver, 'logging.driver');
    d.set('set', 'logOpts', block.options, 'logging.options');
    return;
  }
  const { 'max-size': maxSize, 'max-file': maxFile, ...rest } = block.options;
  if (maxSize !== undefined) {
    const bytes = parseByteSize(maxSize);
    if (bytes === undefined || bytes % MIB !== 0 || bytes === 0) r.fail(`${p}.logging.options.max-size`, maxSize, 'a log file size of whole MiB, e.g. 10m (the library\'s logMaxSizeMiB)');
    props.logMaxSizeMiB = bytes / MIB;
    d.src('logMaxSizeMiB', `${p}.logging.options.max-size`);
  }
  if (maxFile !== undefined) {
    props.logMaxFiles = r.integer(`${p}.logging.options.max-file`, maxFile, 1, 100);
    d.src('logMaxFiles', `${p}.logging.options.max-file`);
  }
  if (Object.keys(rest).length > 0) {
    d.set('set', 'logOpts', {
      'max-size': `${props.logMaxSizeMiB ?? LOG_DEFAULTS.maxSizeMiB}m`, 'max-file': String(props.logMaxFiles ?? LOG_DEFAULTS.maxFiles), ...rest,
    }, 'logging.options');
  }
}
