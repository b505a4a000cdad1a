/**
 * The rule pack. Each rule has a stable kebab-case id, a severity, a one-line
 * reason and its source: a takeaway of the "Docker in Production" talk or a
 * recommendation of the CIS Docker Benchmark v1.6.0, section 5 (container
 * runtime) or 4 (images).
 *
 * A rule reads one resource in the shape cdktf synthesizes (snake_case,
 * single nested blocks as objects, list blocks as arrays) and returns one
 * message per violation.
 */
import * as path from 'path';
import { BASE_IMAGE_LABEL, SUPERVISOR_LABEL } from '../_labels';
import { BuiltStage } from './dockerfile';
import { ResourceShape, RuleInfo, Severity } from './model';
import {
  block, blocks, isInterpolated, isLiteral, isObject, isTrue, JsonObject, labelValue, num, str, strings,
} from './values';

/** What rules may ask about the rest of the stack. */
export interface RuleContext {
  /** The resource a `${type.name.attr}` reference points to, in the same stack. */
  resolve(value: unknown): ResourceShape | undefined;
  /** The image a container runs: its display name and the `docker_image` resource when it references one. */
  imageOf(container: ResourceShape): { readonly name?: string; readonly image?: ResourceShape };
  /** The built stage of a `docker_image` with a `build` block, read from its Dockerfile when it is there. */
  builtStage(image: ResourceShape): (BuiltStage & { readonly dockerfile: string }) | undefined;
}

/** A rule: its documented facts plus the resource types it reads and its check. */
export interface RuleDefinition extends RuleInfo {
  /** Resource types it applies to (`provider` = a docker provider configuration). */
  readonly types: readonly string[];
  /** One message per violation; empty when compliant. */
  check(resource: ResourceShape, ctx: RuleContext): string[];
}

const CONTAINER = ['docker_container'];
/** The shared "no violation" result (never mutated): saves an allocation per compliant check. */
const OK: string[] = [];
/** The attributes holding an image reference, per resource type. */
const IMAGE_ATTRIBUTES: Record<string, readonly string[]> = {
  docker_image: ['name'],
  docker_container: ['image'],
  docker_registry_image: ['name'],
  docker_tag: ['source_image', 'target_image'],
};
const DEFAULT_NETWORK_MODES = new Set(['', 'bridge', 'default']);
/** Namespace attributes of docker_container (uts_mode is not in provider 3.6.2; read in case an override sets it). */
const NAMESPACE_MODES: readonly (readonly [string, string])[] = [
  ['network_mode', 'network'], ['pid_mode', 'PID'], ['ipc_mode', 'IPC'], ['userns_mode', 'user'], ['uts_mode', 'UTS'], ['cgroupns_mode', 'cgroup'],
];
const CIS = 'CIS Docker Benchmark v1.6.0';
/** A `user` (container attribute or Dockerfile `USER`) that is root: `root`, `0`, `root:root`, `0:0`... */
const ROOT_USER = /^(root|0)(:(root|0))?$/;

// ---------------------------------------------------------------------------
// helpers

interface ImageRef {
  readonly repository: string;
  readonly tag?: string;
  readonly digest?: string;
}

/** Splits `registry:5000/team/api:1.4@sha256:...` into repository, tag and digest. */
export function parseImageRef(ref: string): ImageRef {
  let rest = ref.trim();
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  const slash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > slash) return { repository: rest.slice(0, colon), tag: rest.slice(colon + 1), digest };
  return { repository: rest, digest };
}

/** Why a literal image reference is not pinned, or undefined when it is (a version tag, a digest or an image ID). */
function unpinned(ref: string): string | undefined {
  if (/^sha256:[0-9a-f]{12,}$/i.test(ref)) return undefined;
  const parsed = parseImageRef(ref);
  if (parsed.digest) return undefined;
  if (parsed.tag === undefined || parsed.tag === '') return 'has no tag (Docker pulls `latest`)';
  if (parsed.tag.toLowerCase() === 'latest') return 'uses the moving `latest` tag';
  return undefined;
}

/** A small base: scratch, busybox, alpine, distroless, or any `-slim` / `-alpine` variant. */
export function isSmallBase(ref: string): boolean {
  const { repository, tag } = parseImageRef(ref);
  const repo = repository.toLowerCase();
  const last = repo.slice(repo.lastIndexOf('/') + 1);
  if (['scratch', 'busybox', 'alpine'].includes(last)) return true;
  if (repo.includes('distroless')) return true;
  if (/-(slim|alpine)$/.test(last)) return true;
  if (tag) {
    for (const part of tag.toLowerCase().split('-')) {
      if (part.startsWith('slim') || part.startsWith('alpine')) return true;
    }
  }
  return false;
}

const NO_MOUNTS: { path: string; readOnly: boolean; via: string }[] = [];

/** Host paths a container mounts: `volumes.host_path` and `mounts` of type bind. */
function hostMounts(values: JsonObject): { readonly path: string; readOnly: boolean; via: string }[] {
  if (values.volumes === undefined && values.mounts === undefined) return NO_MOUNTS;
  const result: { path: string; readOnly: boolean; via: string }[] = [];
  for (const v of blocks(values.volumes)) {
    const hostPath = str(v.host_path);
    if (hostPath) result.push({ path: hostPath, readOnly: isTrue(v.read_only), via: 'volumes.host_path' });
  }
  for (const m of blocks(values.mounts)) {
    const source = str(m.source);
    if (str(m.type) === 'bind' && source) result.push({ path: source, readOnly: isTrue(m.read_only), via: 'mounts (bind)' });
  }
  return result;
}

function normalizePath(p: string): string {
  const normalized = path.posix.normalize(p);
  return normalized.length > 1 && normalized.endsWith('/') ? normalized.slice(0, -1) : normalized;
}

const DOCKER_SOCKET_PATHS = new Set(['/var/run/docker.sock', '/run/docker.sock', '/var/run', '/run']);
const SENSITIVE_PATHS = ['/', '/boot', '/dev', '/etc', '/lib', '/lib64', '/proc', '/sys', '/usr', '/bin', '/sbin', '/root', '/var/lib/docker'];

function isDockerSocket(p: string): boolean {
  return DOCKER_SOCKET_PATHS.has(p) || p.endsWith('/docker.sock');
}

const SHELLS = new Set(['sh', 'bash', 'ash', 'dash', 'zsh', 'ksh']);
const SUPERVISORS = new Set(['supervisord', 'systemd', 'sshd', 'cron', 'crond', 'runsvdir', 's6-svscan']);

function basename(token: string): string {
  return token.slice(token.lastIndexOf('/') + 1);
}

/** Removes quoted parts of a shell script so that `&` inside quotes does not count. */
function stripQuoted(script: string): string {
  return script.replace(/'[^']*'|"(?:[^"\\]|\\.)*"/g, ' ');
}

/** Why a command line starts more than one process, or undefined. */
function multiProcess(argv: string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i];
    if (token === '/sbin/init' || token === '/usr/sbin/init' || token === '/lib/systemd/systemd') return `runs an init system (${token})`;
    if (SUPERVISORS.has(basename(token))) return `runs ${basename(token)}`;
    if (SHELLS.has(basename(token)) && argv[i + 1] === '-c' && typeof argv[i + 2] === 'string') {
      const script = argv[i + 2];
      const bare = stripQuoted(script);
      for (const word of bare.split(/[\s;|&()]+/)) {
        if (word === '/sbin/init' || SUPERVISORS.has(basename(word))) return `runs ${basename(word)} from a shell (\`${script}\`)`;
      }
      // A single `&` (not `&&`, `>&`, `&>`, `|&`) sends a process to the background.
      if (/(^|[^&>|<])&(?![&>])/.test(bare)) return `backgrounds a process with \`&\` in \`${script}\``;
    }
  }
  return undefined;
}

const SECRET_SEGMENTS = new Set([
  'PASSWORD', 'PASSWORDS', 'PASSWD', 'PASS', 'PASSPHRASE', 'SECRET', 'SECRETS', 'TOKEN', 'TOKENS', 'KEY', 'KEYS',
  'APIKEY', 'CREDENTIAL', 'CREDENTIALS', 'CREDS', 'PRIVATE', 'PRIVATEKEY',
]);
/** A last name segment that says the value is not the secret itself but a path, a name or a setting. */
const NOT_SECRET_SUFFIX = new Set(['FILE', 'PATH', 'DIR', 'NAME', 'ID', 'TTL', 'LENGTH', 'SIZE', 'TYPE', 'ALGORITHM', 'ENABLED']);
const NOT_SECRET_VALUE = /^(true|false|yes|no|on|off|0|1)$/i;

/** An environment variable name whose segments say it holds a secret. */
const SECRET_HINT = /PASS|SECRET|TOKEN|KEY|CRED|PRIVATE/;

export function looksSecret(name: string): boolean {
  const upper = name.toUpperCase();
  if (!SECRET_HINT.test(upper)) return false;
  const segments = upper.split(/[^A-Z0-9]+/).filter((s) => s !== '');
  if (segments.length === 0 || NOT_SECRET_SUFFIX.has(segments[segments.length - 1])) return false;
  return segments.some((s) => SECRET_SEGMENTS.has(s));
}

/** The rule for a literal credential: a non-empty string without interpolation. */
function literalCredential(value: unknown): boolean {
  return isLiteral(value);
}

// ---------------------------------------------------------------------------
// the rules

export const RULES: readonly RuleDefinition[] = [
  {
    id: 'image-not-pinned',
    severity: Severity.ERROR,
    reason: 'An image reference without a version tag or digest (or with `latest`) changes under you: builds and deploys stop being reproducible.',
    source: 'Talk: package everything into an image; registries (push and pull pinned, immutable images)',
    types: ['docker_image', 'docker_container', 'docker_registry_image', 'docker_tag'],
    check(r) {
      const v = r.values;
      const attrs = IMAGE_ATTRIBUTES[r.type] ?? OK;
      let out: string[] | undefined;
      for (let i = 0; i < attrs.length; i++) {
        const ref = v[attrs[i]];
        if (!isLiteral(ref)) continue; // references are judged where they point
        const why = unpinned(ref);
        if (why) (out ??= []).push(`${attrs[i]} "${ref}" ${why}; pin a version tag (e.g. "${parseImageRef(ref).repository}:1.2.3") or a digest`);
      }
      return out ?? OK;
    },
  },
  {
    id: 'large-base-image',
    severity: Severity.WARNING,
    reason: 'A full distribution base makes images slow to pull and adds attack surface; use scratch, busybox, alpine, distroless or a -slim/-alpine variant.',
    source: 'Talk: keep images small (busybox, alpine, debian-slim)',
    types: ['docker_image'],
    check(r, ctx) {
      const build = block(r.values.build);
      if (!build) return OK;
      const stage = ctx.builtStage(r);
      let base: string | undefined;
      let from: string;
      if (stage) {
        base = stage.base;
        from = `the final stage of ${stage.dockerfile}`;
      } else {
        base = labelValue(build.label, BASE_IMAGE_LABEL) ?? labelValue(build.labels, BASE_IMAGE_LABEL);
        from = `build label ${BASE_IMAGE_LABEL}`;
      }
      if (!isLiteral(base) || base.includes('$') || isSmallBase(base)) return OK;
      return [`base image "${base}" (${from}) is a large base; build the final stage FROM scratch, busybox, alpine, distroless or a -slim/-alpine variant`];
    },
  },
  {
    id: 'multiple-processes',
    severity: Severity.WARNING,
    reason: 'A container is one service, not a VM: supervisors, init systems, sshd, cron or backgrounded processes hide failures from the restart policy and health check.',
    source: `Talk: one process per container; ${CIS} 5.6 (sshd)`,
    types: CONTAINER,
    check(r) {
      if (r.values.entrypoint === undefined && r.values.command === undefined) return OK;
      const argv = [...strings(r.values.entrypoint), ...strings(r.values.command)];
      const why = multiProcess(argv);
      return why ? [`command ${JSON.stringify(argv)} ${why}; run one service per container and let Docker supervise it`] : OK;
    },
  },
  {
    id: 'legacy-links',
    severity: Severity.ERROR,
    reason: 'Legacy container links are deprecated, only work on the default bridge and break on restarts; use a user-defined network and DNS names.',
    source: 'Talk: user-defined networks, not links',
    types: CONTAINER,
    check(r) {
      const links = strings(r.values.links);
      return links.length > 0 ? [`links ${JSON.stringify(links)}; connect the containers to a user-defined network (networks_advanced) instead`] : OK;
    },
  },
  {
    id: 'default-bridge-network',
    severity: Severity.WARNING,
    reason: "Docker's default bridge has no DNS between containers and puts every container on one flat network.",
    source: `Talk: user-defined networks; ${CIS} 5.29`,
    types: CONTAINER,
    check(r) {
      const v = r.values;
      const mode = str(v.network_mode);
      if (blocks(v.networks_advanced).length > 0) return OK;
      if (mode !== undefined && !DEFAULT_NETWORK_MODES.has(mode)) return OK;
      return [`no user-defined network (network_mode ${mode ? `"${mode}"` : 'unset'}, no networks_advanced): the container sits on the default bridge; attach it to a user-defined network`];
    },
  },
  {
    id: 'host-namespace',
    severity: Severity.ERROR,
    reason: "Sharing a host namespace (network, PID, IPC, user, cgroup) removes the container's isolation from the host.",
    source: `Talk: containers' processes are visible on the host; ${CIS} 5.9, 5.15, 5.16, 5.20, 5.30`,
    types: CONTAINER,
    check(r) {
      const v = r.values;
      let out: string[] | undefined;
      for (let i = 0; i < NAMESPACE_MODES.length; i++) {
        const [attr, what] = NAMESPACE_MODES[i];
        if (str(v[attr])?.toLowerCase() === 'host') (out ??= []).push(`${attr} = "host" shares the host's ${what} namespace`);
      }
      return out ?? OK;
    },
  },
  {
    id: 'privileged-container',
    severity: Severity.ERROR,
    reason: 'A privileged container has every capability and all host devices: root in it is root on the host.',
    source: `${CIS} 5.4`,
    types: CONTAINER,
    check(r) {
      return isTrue(r.values.privileged) ? ['privileged = true; add only the capabilities the service needs (capabilities.add) instead'] : OK;
    },
  },
  {
    id: 'docker-socket-mounted',
    severity: Severity.ERROR,
    reason: 'Whoever reaches the Docker socket controls the daemon and therefore the host.',
    source: `${CIS} 5.31`,
    types: CONTAINER,
    check(r) {
      const mounts = hostMounts(r.values);
      if (mounts.length === 0) return OK;
      return mounts
        .filter((m) => isDockerSocket(normalizePath(m.path)))
        .map((m) => `${m.via} mounts "${m.path}"${m.path.endsWith('docker.sock') ? '' : ' (holds the Docker socket)'} into the container`);
    },
  },
  {
    id: 'sensitive-host-path',
    severity: Severity.ERROR,
    reason: 'Mounting host system directories (/, /etc, /proc, /sys, /boot, /dev, /usr, /var/lib/docker...) lets the container read or change the host.',
    source: `${CIS} 5.5`,
    types: CONTAINER,
    check(r) {
      let out: string[] | undefined;
      for (const m of hostMounts(r.values)) {
        const p = normalizePath(m.path);
        if (isDockerSocket(p)) continue; // docker-socket-mounted
        const exact = SENSITIVE_PATHS.includes(p);
        const under = SENSITIVE_PATHS.some((s) => s !== '/' && p.startsWith(`${s}/`));
        if (exact) (out ??= []).push(`${m.via} mounts the host's "${p}"${m.readOnly ? ' (read-only)' : ''}`);
        else if (under && !m.readOnly) (out ??= []).push(`${m.via} mounts "${p}" from a host system directory read-write; mount it read-only or use a volume`);
      }
      return out ?? OK;
    },
  },
  {
    id: 'capabilities-not-dropped',
    severity: Severity.WARNING,
    reason: "Docker's default capability set is broader than a service needs; drop ALL and add back only what is required.",
    source: `${CIS} 5.3`,
    types: CONTAINER,
    check(r) {
      const drop = strings(block(r.values.capabilities)?.drop);
      return drop.some((c) => c.toUpperCase() === 'ALL') ? OK : ['capabilities.drop does not contain "ALL"; drop all capabilities and add back only the ones the service needs'];
    },
  },
  {
    id: 'no-new-privileges-missing',
    severity: Severity.WARNING,
    reason: 'Without no-new-privileges a process can gain privileges through setuid/setgid binaries.',
    source: `${CIS} 5.25`,
    types: CONTAINER,
    check(r) {
      const ok = strings(r.values.security_opts).some((o) => /^no-new-privileges(?:[:=]true)?$/i.test(o.trim()));
      return ok ? OK : ['security_opts lacks "no-new-privileges:true"'];
    },
  },
  {
    id: 'writable-root-filesystem',
    severity: Severity.WARNING,
    reason: 'A writable root filesystem lets an attacker persist changes to the image; make it read-only and mount tmpfs or volumes where writes are needed.',
    source: `${CIS} 5.12`,
    types: CONTAINER,
    check(r) {
      return isTrue(r.values.read_only) ? OK : ['read_only is not true; mount the root filesystem read-only and give writable paths a tmpfs or a volume'];
    },
  },
  {
    id: 'no-memory-limit',
    severity: Severity.WARNING,
    reason: 'Without a memory limit one container can exhaust the host and get its neighbours killed.',
    source: `${CIS} 5.10`,
    types: CONTAINER,
    check(r) {
      const memory = num(r.values.memory);
      if (memory !== undefined && memory > 0) return OK;
      if (isInterpolated(r.values.memory)) return OK;
      return [`memory is ${memory === 0 ? '0' : 'not set'}; set a limit in MiB`];
    },
  },
  {
    id: 'no-restart-policy',
    severity: Severity.WARNING,
    reason: 'A service must keep running and start on boot; without a restart policy a crash or reboot leaves it down.',
    source: 'Talk: service manager duties (keep running, start on boot)',
    types: CONTAINER,
    check(r) {
      const restart = str(r.values.restart);
      if (restart !== undefined && restart !== '' && restart !== 'no') return OK;
      if (labelValue(r.values.labels, SUPERVISOR_LABEL) === 'systemd') return OK;
      return [`restart is ${restart ? `"${restart}"` : 'not set'}; use "unless-stopped" (or label ${SUPERVISOR_LABEL}=systemd when a systemd unit supervises the container)`];
    },
  },
  {
    id: 'no-health-check',
    severity: Severity.WARNING,
    reason: 'Without a health check Docker and Terraform cannot tell a hung service from a healthy one, and dependents cannot wait for it.',
    source: `Talk: service manager duties (ordered start); ${CIS} 5.26`,
    types: CONTAINER,
    check(r, ctx) {
      const hc = block(r.values.healthcheck);
      const test = strings(hc?.test);
      if (hc && !(test.length > 0 && test[0].toUpperCase() === 'NONE')) return OK;
      const image = ctx.imageOf(r).image;
      const stage = image ? ctx.builtStage(image) : undefined;
      const note = stage?.healthcheck ? ' (the image declares a HEALTHCHECK, but the container does not: Terraform cannot wait on it and the plan does not show it)' : '';
      return [`${hc ? 'healthcheck.test is NONE' : 'no healthcheck block'}${note}; declare the health check on the container`];
    },
  },
  {
    id: 'no-log-rotation',
    severity: Severity.WARNING,
    reason: 'json-file logs grow without bound unless max-size and max-file are set: the disk fills and the host goes down.',
    source: 'Talk: service manager duties (a service manager also keeps the logs in check)',
    types: CONTAINER,
    check(r) {
      const driver = str(r.values.log_driver);
      const opts = isObject(r.values.log_opts) ? r.values.log_opts : {};
      if (driver === undefined || driver === '') {
        return ['log_driver is not set (the daemon default is json-file without rotation); set log_driver "json-file" with log_opts max-size and max-file'];
      }
      if (driver !== 'json-file' && driver !== 'local') return OK;
      const noSize = opts['max-size'] === undefined || opts['max-size'] === '';
      const noFiles = opts['max-file'] === undefined || opts['max-file'] === '';
      if (!noSize && !noFiles) return OK;
      return [`log_driver "${driver}" without log_opts ${noSize && noFiles ? 'max-size and max-file' : noSize ? 'max-size' : 'max-file'}; set both`];
    },
  },
  {
    id: 'port-published-on-all-interfaces',
    severity: Severity.WARNING,
    reason: 'A port published without a host interface listens on every address of the host, public ones included.',
    source: `${CIS} 5.13`,
    types: CONTAINER,
    check(r) {
      let out: string[] | undefined;
      for (const p of blocks(r.values.ports)) {
        const ip = str(p.ip);
        if (ip !== undefined && ip !== '' && ip !== '0.0.0.0' && ip !== '::' && ip !== '[::]') continue;
        const external = num(p.external);
        (out ??= []).push(`port ${external ?? '(random)'} -> ${num(p.internal) ?? '?'}/${str(p.protocol) ?? 'tcp'} is published on all interfaces (ip ${ip ? `"${ip}"` : 'unset'}); bind it to 127.0.0.1 or a specific interface unless it is meant to be public`);
      }
      return out ?? OK;
    },
  },
  {
    id: 'literal-secret-env',
    severity: Severity.ERROR,
    reason: 'A secret written as a literal environment value sits in the code, the plan, the state and `docker inspect`; pass it from a sensitive variable.',
    source: 'Talk: service manager duties (environment variables)',
    types: CONTAINER,
    check(r) {
      let out: string[] | undefined;
      for (const entry of strings(r.values.env)) {
        const eq = entry.indexOf('=');
        if (eq <= 0) continue;
        const name = entry.slice(0, eq);
        const value = entry.slice(eq + 1);
        if (!isLiteral(value) || !looksSecret(name) || NOT_SECRET_VALUE.test(value)) continue;
        (out ??= []).push(`env ${name} has a literal value; take it from a sensitive Terraform variable (a \${var.x} reference)`);
      }
      return out ?? OK;
    },
  },
  {
    id: 'literal-registry-credential',
    severity: Severity.ERROR,
    reason: 'Registry passwords, tokens and TLS keys written as literals sit in the code, the plan and the state; pass them from sensitive variables.',
    source: 'Talk: registries (push and pull with credentials kept out of the code)',
    types: ['provider', 'docker_registry_image', 'docker_image'],
    check(r) {
      const out: string[] = [];
      const v = r.values;
      if (r.type === 'provider') {
        blocks(v.registry_auth).forEach((auth, i) => {
          const registry = isLiteral(auth.address) ? ` (registry ${auth.address})` : '';
          if (literalCredential(auth.password)) out.push(`registry_auth[${i}].password${registry} is a literal`);
          if (isLiteral(auth.config_file_content) && /"(auth|password|identitytoken)"/i.test(auth.config_file_content)) {
            out.push(`registry_auth[${i}].config_file_content${registry} is a literal holding credentials`);
          }
        });
        if (literalCredential(v.key_material)) out.push('key_material (the TLS private key for the Docker host) is a literal');
        if (literalCredential(v.password)) out.push('password is a literal');
      } else if (r.type === 'docker_registry_image') {
        if (literalCredential(block(v.auth_config)?.password)) out.push('auth_config.password is a literal');
      } else {
        blocks(block(v.build)?.auth_config).forEach((auth, i) => {
          for (const attr of ['password', 'auth', 'identity_token', 'registry_token']) {
            if (literalCredential(auth[attr])) out.push(`build.auth_config[${i}].${attr} is a literal`);
          }
        });
      }
      return out.map((m) => `${m}; use a sensitive variable reference (\${var.x})`);
    },
  },
  {
    id: 'push-deletes-remote-tag',
    severity: Severity.WARNING,
    reason: 'docker_registry_image deletes the pushed tag from the registry on destroy unless keep_remotely is true; running services then cannot pull it.',
    source: 'Talk: registries (push and pull)',
    types: ['docker_registry_image'],
    check(r) {
      return isTrue(r.values.keep_remotely) ? OK : ['keep_remotely is not true: destroying or replacing this resource deletes the tag from the registry'];
    },
  },
  {
    id: 'user-not-set',
    severity: Severity.WARNING,
    reason: 'A container without a user runs as the image default, often root; without user namespace remapping that is UID 0 on the host kernel.',
    source: `Talk: containers' processes are visible on the host; ${CIS} 4.1`,
    types: CONTAINER,
    check(r, ctx) {
      const user = str(r.values.user);
      if (isInterpolated(user)) return OK;
      if (user !== undefined && user !== '') {
        return ROOT_USER.test(user) ? [`user is "${user}"; run as a non-root user`] : OK;
      }
      const image = ctx.imageOf(r).image;
      const stage = image ? ctx.builtStage(image) : undefined;
      if (stage?.user !== undefined) {
        return ROOT_USER.test(stage.user) ? [`user is not set and ${stage.dockerfile} ends with USER ${stage.user}; run as a non-root user`] : OK;
      }
      return ['user is not set and the image\'s user is not known to be non-root; set `user` or a non-root USER in the Dockerfile'];
    },
  },
];

/** The id of the meta finding for suppressions that name an unknown rule or give no real reason. */
export const INVALID_SUPPRESSION = 'invalid-suppression';

/** The meta rule reported for invalid suppressions found in JSON (never suppressible). */
export const INVALID_SUPPRESSION_RULE: RuleInfo = {
  id: INVALID_SUPPRESSION,
  severity: Severity.WARNING,
  reason: 'A suppression in the JSON names an unknown rule or gives no real reason; it is ignored.',
  source: 'cdktf-docker-production review',
};

const RULES_BY_ID = new Map<string, RuleDefinition>(RULES.map((r) => [r.id, r]));

/** The rule with this id, or undefined. */
export function findRule(id: string): RuleDefinition | undefined {
  return RULES_BY_ID.get(id);
}

const TRIVIAL_WORDS = new Set([
  'todo', 'tbd', 'fixme', 'xxx', 'n/a', 'na', 'none', 'ok', 'okay', 'fine', 'ignore', 'ignored', 'skip', 'wip', 'temp',
  'temporary', 'later', 'test', 'testing', 'because', 'whatever', 'yes', 'no', 'nothing', 'reason', 'suppress', 'suppressed',
]);

/** The minimum number of non-space characters of a suppression reason. */
export const MIN_REASON_CHARS = 10;

/** Why a suppression is not acceptable, or undefined when it is. */
export function suppressionProblem(ruleId: unknown, reason: unknown): { readonly prop: 'ruleId' | 'reason'; readonly allowed: string } | undefined {
  if (typeof ruleId !== 'string' || !RULES_BY_ID.has(ruleId)) {
    return { prop: 'ruleId', allowed: `one of the rule ids: ${RULES.map((r) => r.id).join(', ')}` };
  }
  const allowed = `a reason of at least ${MIN_REASON_CHARS} non-space characters that says why the exception is acceptable (not "todo", "n/a", "ok"...)`;
  if (typeof reason !== 'string') return { prop: 'reason', allowed };
  const text = reason.trim();
  if (text.replace(/\s+/g, '').length < MIN_REASON_CHARS) return { prop: 'reason', allowed };
  const words = text.toLowerCase().split(/[\s,.;:!?()\-]+/).filter((w) => w !== '');
  if (words.length === 0 || words.every((w) => TRIVIAL_WORDS.has(w)) || /^(todo|tbd|fixme|xxx)\b/.test(words[0])) {
    return { prop: 'reason', allowed };
  }
  return undefined;
}
