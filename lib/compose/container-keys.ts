/**
 * The service keys that are ServiceContainer props of their own: command and entrypoint,
 * container_name, user, working_dir, labels, read_only, init, restart, stop_grace_period,
 * cap_add/cap_drop and security_opt (no-new-privileges); and the compose-tooling keys noted.
 * User and capability names follow the library's rules (`_validate`, `_container-spec`).
 */
import { CAPABILITY } from '../_container-spec';
import { isUserSpec } from '../_validate';
import { KeyReader, ServiceDraft, propKey } from './draft';
import { Reader } from './reader';
import { splitShellWords } from './units';

const USER_RULE = 'a user name or UID, optionally with :group or :GID';

/** Readers of the keys of this family, by service key. */
export const CONTAINER_KEYS: Record<string, KeyReader> = {
  command: propKey('command', command),
  entrypoint: propKey('entrypoint', command),
  container_name: propKey('serviceName', (r, kp, v) => r.objectName(kp, v, 2)),
  user: propKey('user', user),
  working_dir: propKey('workingDir', (r, kp, v) => r.containerPath(kp, v)),
  labels: (d, kp, v) => labels(d, kp, v),
  read_only: propKey('readOnlyRootFilesystem', (r, kp, v) => r.bool(kp, v)),
  init: propKey('init', (r, kp, v) => r.bool(kp, v)),
  restart: (d, kp, v) => restart(d, kp, v),
  stop_grace_period: propKey('stopTimeoutSeconds', (r, kp, v) => r.wholeSeconds(kp, v, 0, 3600)),
  cap_add: (d, kp, v) => capAdd(d, kp, v),
  cap_drop: (d, kp, v) => {
    const caps = d.r.stringList(kp, v, 'a list of Linux capability names');
    if (!caps.some((c) => c.toUpperCase() === 'ALL')) d.r.note(kp, `cap_drop ${caps.join(', ')}: covered by the library's default, which drops ALL capabilities`);
  },
  security_opt: (d, kp, v) => securityOpt(d, kp, v),
  annotations: toolingOnly,
  attach: toolingOnly,
  develop: toolingOnly,
  pull_policy: toolingOnly,
};

function toolingOnly(d: ServiceDraft, kp: string, _v: unknown, key: string): void {
  d.r.note(kp, `${key}: no counterpart in the plan (compose tooling only)`);
}

/** A user name or UID, optionally with a group (the library's rule, `_validate.isUserSpec`); a number written without quotes is taken as text. */
function user(r: Reader, kp: string, v: unknown): string {
  const u = r.scalarText(kp, v, USER_RULE);
  if (!isUserSpec(u)) r.fail(kp, v, USER_RULE);
  return u;
}

/** A command string split with shell-word rules, or the exec form as a list; never empty. */
function command(r: Reader, p: string, v: unknown): string[] {
  if (typeof v === 'string') {
    const words = splitShellWords(v);
    if (words === undefined) r.fail(p, v, 'a command whose quotes are closed (split with shell-word rules)');
    if (words.length === 0) r.fail(p, v, "a non-empty command (resetting the image's command has no counterpart in the library)");
    return words;
  }
  const list = r.stringList(p, v, 'a command string or a list of strings (exec form)');
  if (list.length === 0) r.fail(p, v, "a non-empty command (resetting the image's command has no counterpart in the library)");
  return list;
}

function labels(d: ServiceDraft, kp: string, v: unknown): void {
  const given = d.r.labels(kp, v);
  d.props.labels = given;
  for (const l of Object.keys(given)) if (l.startsWith('cdktf-docker-production/')) d.r.fail(`${kp}.${l}`, l, 'a label outside cdktf-docker-production/ (reserved by the library)');
  d.src('labels', kp);
}

/** `no`, `always`, `unless-stopped`, `on-failure[:max-retries]`. */
function restart(d: ServiceDraft, kp: string, v: unknown): void {
  const text = d.r.str(kp, v, 'no, always, on-failure[:max-retries] or unless-stopped');
  const m = text.match(/^(no|always|unless-stopped|on-failure)(?::(\d+))?$/);
  if (!m || (m[2] !== undefined && m[1] !== 'on-failure')) d.r.fail(kp, v, 'no, always, on-failure[:max-retries] or unless-stopped');
  d.props.restartPolicy = m[1];
  d.src('restartPolicy', kp);
  if (m[2] !== undefined) {
    d.props.maxRetryCount = Number(m[2]);
    d.src('maxRetryCount', kp);
  }
}

/** Capabilities added back (the library drops ALL); names as written, `CAP_` prefix and case as the engine takes them. */
function capAdd(d: ServiceDraft, kp: string, v: unknown): void {
  d.props.addCapabilities = d.r.stringList(kp, v, 'a list of Linux capability names').map((c, i) => {
    const cap = c.toUpperCase().replace(/^CAP_/, '');
    if (!CAPABILITY.test(cap) || cap === 'ALL') {
      d.r.fail(`${kp}[${i}]`, c, 'a Linux capability name such as NET_BIND_SERVICE (ALL is not allowed: the library drops all capabilities and adds back only named ones)');
    }
    d.src(`addCapabilities[${i}]`, `${kp}[${i}]`);
    return c;
  });
}

/** `no-new-privileges[:true|false]` as the library's prop; other options kept for the L1 container. */
function securityOpt(d: ServiceDraft, kp: string, v: unknown): void {
  d.r.stringList(kp, v, 'a list of security options').forEach((o, i) => {
    const m = o.match(/^no-new-privileges(?:[:=](true|false))?$/);
    if (m) {
      d.props.noNewPrivileges = m[1] !== 'false';
      d.src('noNewPrivileges', `${kp}[${i}]`);
    } else {
      d.securityOpts.push(o);
    }
  });
}

/** After all keys: other security options on the L1 container, with no-new-privileges unless it was turned off. */
export function finishSecurityOpts(d: ServiceDraft): void {
  if (d.securityOpts.length === 0) return;
  d.set('set', 'securityOpts', [...((d.props.noNewPrivileges ?? true) ? ['no-new-privileges:true'] : []), ...d.securityOpts], 'security_opt');
}
