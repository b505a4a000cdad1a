/**
 * What a rule of the pack is (`RuleDefinition`), what it may ask about the
 * rest of the stack (`RuleContext`), and what rule files share: constants
 * (capabilities, root users) and readings of container attributes that
 * several rules and the review of a change make (host mounts, run to
 * completion). A reading that belongs to one rule stays in that rule's file
 * and is exported from there (`HOST_NAMESPACES`, `setsNoNewPrivileges`).
 * The rules themselves are one a file under `rules/`, listed in `rules/index.ts`.
 *
 * A rule reads one resource in the shape cdktf synthesizes (snake_case,
 * single nested blocks as objects, list blocks as arrays) and returns one
 * message per violation.
 */
import * as path from 'path';
import type { BuiltStage } from './dockerfile';
import { ResourceShape, RuleInfo } from './model';
import { blocks, isTrue, JsonObject, str } from './values';

/** What rules may ask about the rest of the stack. */
export interface RuleContext {
  /** The resource a `${type.name.attr}` reference points to, in the same stack. */
  resolve(value: unknown): ResourceShape | undefined;
  /** The image a container runs: its display name and the `docker_image` resource when it references one. */
  imageOf(container: ResourceShape): { readonly name?: string; readonly image?: ResourceShape };
  /** The built stage of a `docker_image` with a `build` block, read from its Dockerfile when it is there. */
  builtStage(image: ResourceShape): (BuiltStage & { readonly dockerfile: string }) | undefined;
  /** The `docker_image` of this stack whose literal `name` is exactly this one (indexed once per stack, on first use). */
  imageNamed(name: string): ResourceShape | undefined;
}

/** A rule: its documented facts plus the resource types it reads and its check. */
export interface RuleDefinition extends RuleInfo {
  /** Resource types it applies to (`provider` = a docker provider configuration). */
  readonly types: readonly string[];
  /** One message per violation; empty when compliant. Pure: reads only the resource and the context. */
  check(resource: ResourceShape, ctx: RuleContext): string[];
}

/** The types of the rules that read containers. */
export const CONTAINER = ['docker_container'];
/**
 * The types of the rules that read containers and the containers of Swarm services' tasks
 * (a `docker_service` reaches them as its task view, `service-task.ts`).
 */
export const CONTAINER_OR_TASK = ['docker_container', 'docker_service'];
/** The types of the rules that read Swarm services only (their own attributes, under `service`). */
export const SERVICE = ['docker_service'];

/** How a message names a container attribute: as it is, or the service's own path when `r` is a task view. */
export function attributeName(r: ResourceShape, name: string): string {
  return r.attributeNames?.[name] ?? name;
}
/** The shared "no violation" result (never mutated): saves an allocation per compliant check. */
export const OK: string[] = [];
/** How sources name the CIS Docker Benchmark. */
export const CIS = 'CIS Docker Benchmark v1.6.0';
/** A `user` (container attribute or Dockerfile `USER`) that is root: `root`, `0`, `root:root`, `0:0`... */
export const ROOT_USER = /^(root|0)(:(root|0))?$/;

/**
 * Capabilities that reach beyond the container (the host kernel, other processes, host files,
 * the host clock, the LSM policy), by name without the `CAP_` prefix, with what each allows.
 * Docker's default set (CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, SETGID, SETUID, SETPCAP,
 * NET_BIND_SERVICE, NET_RAW, SYS_CHROOT, MKNOD, AUDIT_WRITE, SETFCAP) is not in it: adding one of
 * those back after dropping ALL gives nothing Docker does not give by default.
 */
export const DANGEROUS_CAPABILITIES: ReadonlyMap<string, string> = new Map([
  ['ALL', 'every capability, as a privileged container has'],
  ['SYS_ADMIN', 'mount, namespaces, BPF and much more: the capability most breakouts need'],
  ['NET_ADMIN', "reconfigures interfaces, routes and firewall rules (the host's, with the host network)"],
  ['SYS_PTRACE', 'traces and injects code into other processes (the host\'s, with the host PID namespace)'],
  ['SYS_MODULE', 'loads modules into the host kernel'],
  ['DAC_READ_SEARCH', 'open_by_handle_at reads any file of the host filesystem (the "shocker" breakout)'],
  ['SYS_RAWIO', 'raw I/O ports and /dev/mem'],
  ['SYS_BOOT', 'reboots the host'],
  ['SYS_TIME', "sets the host's clock"],
  ['MAC_ADMIN', 'changes the AppArmor/SELinux/Smack policy'],
  ['MAC_OVERRIDE', 'overrides the mandatory access control policy'],
  ['BPF', 'loads BPF programs into the host kernel'],
  ['PERFMON', "kernel performance monitoring: the kernel's memory layout and other processes' activity"],
]);

/** A capability as `DANGEROUS_CAPABILITIES` names it: trimmed, upper case, without `CAP_` (`cap_sys_admin` -> `SYS_ADMIN`). */
export function capabilityName(cap: string): string {
  const upper = cap.trim().toUpperCase();
  return upper.startsWith('CAP_') ? upper.slice(4) : upper;
}

/** A host path mounted into a container, and through which attribute. */
export interface HostMount {
  readonly path: string;
  readOnly: boolean;
  via: string;
}

const NO_MOUNTS: HostMount[] = [];

/** Host paths a container mounts: `volumes.host_path` and `mounts` of type bind. */
export function hostMounts(values: JsonObject): HostMount[] {
  if (values.volumes === undefined && values.mounts === undefined) return NO_MOUNTS;
  const result: HostMount[] = [];
  const volumes = blocks(values.volumes);
  for (let i = 0; i < volumes.length; i++) {
    const v = volumes[i];
    const hostPath = str(v.host_path);
    if (hostPath) result.push({ path: hostPath, readOnly: isTrue(v.read_only), via: 'volumes.host_path' });
  }
  const mounts = blocks(values.mounts);
  for (let i = 0; i < mounts.length; i++) {
    const m = mounts[i];
    const source = str(m.source);
    if (str(m.type) === 'bind' && source) result.push({ path: source, readOnly: isTrue(m.read_only), via: 'mounts (bind)' });
  }
  return result;
}

/** A host path in its POSIX normal form, without a trailing slash. */
export function normalizePath(p: string): string {
  const normalized = path.posix.normalize(p);
  return normalized.length > 1 && normalized.endsWith('/') ? normalized.slice(0, -1) : normalized;
}

const DOCKER_SOCKET_PATHS = new Set(['/var/run/docker.sock', '/run/docker.sock', '/var/run', '/run']);

/** A (normalized) host path that is, or holds, the Docker socket. */
export function isDockerSocket(p: string): boolean {
  return DOCKER_SOCKET_PATHS.has(p) || p.endsWith('/docker.sock');
}

/** `false` or `"false"`: a literal false (a `${...}` reference is not known to be false). */
function isFalse(value: unknown): boolean {
  return value === false || value === 'false';
}

/**
 * Which attribute makes the container run to completion rather than serve (so that the rules
 * for long-running services, restart policy and health check, do not apply): `must_run = false`
 * (Terraform accepts it stopped), `start = false` (only created) or `attach = true` (Terraform
 * waits for it to exit). Undefined for a long-running container.
 */
export function runToCompletionBy(values: JsonObject): string | undefined {
  if (isFalse(values.must_run)) return 'must_run = false';
  if (isFalse(values.start)) return 'start = false';
  if (isTrue(values.attach)) return 'attach = true';
  return undefined;
}
