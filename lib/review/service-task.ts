/**
 * A Swarm service (`docker_service`) as the review reads it: the container its
 * tasks run, in the attribute vocabulary of `docker_container`, so that every
 * container rule that also applies to tasks reads a service the way it reads a
 * container. Each mapped attribute carries the service's own attribute path
 * (`attributeName`), which the rules use in their messages.
 *
 * The task spec's nested blocks are read in both shapes (an object as cdktf
 * synthesizes it, a one-element list as `terraform show -json` writes it).
 * What the service cannot express (privileged mode, devices, host namespaces
 * other than the `host` network, no-new-privileges in provider 3.6.2) has no
 * counterpart here, so those rules do not read services.
 */
import { ResourceShape } from './model';
import { block, blocks, isObject, isTrue, JsonObject, num, str } from './values';
import { getOrCreate } from '../_collections';

const TASK = 'task_spec';
const SPEC = `${TASK}.container_spec`;

/** Where each container attribute of the task view lives in a `docker_service`. */
const SERVICE_ATTRIBUTES: Readonly<Record<string, string>> = {
  image: `${SPEC}.image`,
  user: `${SPEC}.user`,
  read_only: `${SPEC}.read_only`,
  'capabilities.add': `${SPEC}.cap_add`,
  'capabilities.drop': `${SPEC}.cap_drop`,
  memory: `${TASK}.resources.limits.memory_bytes`,
  healthcheck: `${SPEC}.healthcheck`,
  'healthcheck.test': `${SPEC}.healthcheck.test`,
  log_driver: `${TASK}.log_driver.name`,
  log_opts: `${TASK}.log_driver.options`,
  env: `${SPEC}.env`,
  sysctls: `${SPEC}.sysctl`,
  'mounts (bind)': `${SPEC}.mounts (bind)`,
  command: `${SPEC}.command and args`,
  restart: `${TASK}.restart_policy.condition`,
  ports: 'endpoint_spec.ports',
  networks_advanced: `${TASK}.networks_advanced`,
};

/** Swarm's restart conditions as the container rules read restart policies (Swarm's default is `any`). */
const RESTART: Readonly<Record<string, string>> = { none: 'no', 'on-failure': 'on-failure', any: 'always' };

const MEBIBYTE = 1024 * 1024;

/**
 * `${coalesce(docker_image.x.repo_digest, docker_image.x.image_id)}` (how the library runs a pulled
 * image on a swarm: by digest, by id when it came from no registry) as the image it names,
 * `${docker_image.x.image_id}`, so that rules and the summary read that image.
 */
const DIGEST_OR_ID = /^\$\{coalesce\((docker_image\.[A-Za-z0-9_-]+)\.repo_digest, *\1\.image_id\)\}$/;

function taskImage(image: unknown): unknown {
  if (typeof image !== 'string' || !image.startsWith('${coalesce(')) return image;
  const m = DIGEST_OR_ID.exec(image);
  return m ? `\${${m[1]}.image_id}` : image;
}

/** The values of a `docker_service`'s task container in `docker_container` terms. */
function taskValues(service: JsonObject): JsonObject {
  const task = block(service.task_spec) ?? {};
  const spec = block(task.container_spec) ?? {};
  const values: JsonObject = { name: service.name, image: taskImage(spec.image), user: spec.user, read_only: spec.read_only };
  if (spec.cap_add !== undefined || spec.cap_drop !== undefined) values.capabilities = { add: spec.cap_add, drop: spec.cap_drop };
  const limits = block(block(task.resources)?.limits);
  const bytes = limits?.memory_bytes;
  const n = num(bytes);
  values.memory = n !== undefined ? n / MEBIBYTE : bytes;
  values.healthcheck = spec.healthcheck;
  const log = block(task.log_driver);
  if (log) {
    values.log_driver = log.name;
    values.log_opts = log.options;
  }
  // env is a map in a service: as a container's list of NAME=value.
  if (isObject(spec.env)) values.env = Object.keys(spec.env).map((k) => `${k}=${(spec.env as JsonObject)[k]}`);
  else values.env = spec.env;
  values.sysctls = spec.sysctl;
  values.mounts = spec.mounts;
  // In a service, `command` replaces the image's ENTRYPOINT and `args` its CMD.
  values.entrypoint = spec.command;
  values.command = spec.args;
  const condition = str(block(task.restart_policy)?.condition);
  values.restart = condition === undefined ? RESTART.any : RESTART[condition] ?? condition;
  values.ports = blocks(block(service.endpoint_spec)?.ports).map((p) => ({
    internal: p.target_port, external: p.published_port, protocol: p.protocol, publish_mode: str(p.publish_mode) ?? 'ingress',
  }));
  // Provider 3.6.2 names a network in `name` (which takes an id too); the 4.6 line in `id`.
  values.networks_advanced = blocks(task.networks_advanced).map((n) => (n.name === undefined && n.id !== undefined ? { ...n, name: n.id } : n));
  values.labels = spec.labels;
  values.depends_on = service.depends_on;
  return values;
}

/** Views made, by resource: the rules, the summary and the diff of one review share each. */
const VIEWS = new WeakMap<ResourceShape, ResourceShape>();

/** The task view of a `docker_service` resource (made once per resource): same address, name, construct path and suppressions. */
export function serviceTaskView(service: ResourceShape): ResourceShape {
  return getOrCreate(VIEWS, service, () => taskView(service));
}

function taskView(service: ResourceShape): ResourceShape {
  return {
    address: service.address,
    type: service.type,
    name: service.name,
    values: taskValues(service.values),
    constructPath: service.constructPath,
    suppressions: service.suppressions,
    attributeNames: SERVICE_ATTRIBUTES,
    service: service.values,
  };
}

/** How many tasks a service runs: `global` (one per node), or the replica count (Swarm's default is 1). */
export function serviceReplicas(service: JsonObject): { readonly global: boolean; readonly replicas?: number } {
  const mode = block(service.mode);
  if (mode && isTrue(mode.global)) return { global: true };
  const replicated = block(mode?.replicated);
  const replicas = replicated?.replicas;
  if (replicas === undefined) return { global: false, replicas: 1 };
  return { global: false, replicas: num(replicas) };
}
