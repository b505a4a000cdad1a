/**
 * The compose loader: a compose file → the normalised model (`model.ts`).
 *
 * Every key of the compose specification is either mapped, recorded as a note (no counterpart in
 * the plan, nothing lost silently), or refused with the library's ValidationError naming the file,
 * line, column and key path. The mapping table (`SERVICE_KEYS`) says which is which; values the
 * library's constructs would refuse are refused here already, where the place is known.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ipaddr from 'ipaddr.js';
import { parseImageReference, unpinnedBy } from '../_image-reference';
import { IMAGE_REFERENCE_RULE, PINNED_RULE } from '../_validate';
import { DotenvError, parseDotenv } from './dotenv';
import { Lookup } from './interpolate';
import {
  ComposeModel, ComposeNoteModel, HealthcheckModel, ImageKind, ImageModel, NetworkModel, PathOrigin, PortModel, ResourceSetting,
  ServiceModel, ServiceNetworkModel, ServiceProps, SourceRef, VolumeModel,
} from './model';
import { looksSecret } from '../review/secret-names';
import { ComposeSource, PlainMap, sourceError } from './source';
import { parseByteSize, parseDuration, splitShellWords } from './units';

export interface LoadOptions {
  /** Construct path (or command name) that errors start with. */
  readonly where: string;
  /** The compose file as the user named it. */
  readonly file: string;
  /** Folder a relative `file` resolves against. @default process.cwd() */
  readonly cwd?: string;
  readonly projectName?: string;
  readonly profiles?: string[];
  /** Interpolation variables that win over the process environment and the `.env` file. */
  readonly environment?: Record<string, string>;
  /** The process environment. @default process.env */
  readonly processEnvironment?: Record<string, string | undefined>;
  readonly allowUnpinnedImages?: boolean;
  /** Tag of built images whose `image` has none. */
  readonly buildTag?: string;
}

/** The tag given to a built image that compose would tag `latest`. */
export const DEFAULT_BUILD_TAG = 'compose';

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

const TOP_LEVEL_KEYS = ['version', 'name', 'services', 'networks', 'volumes', 'secrets', 'configs', 'include', 'models'];
const PROJECT_NAME = /^[a-z0-9][a-z0-9_-]*$/;
const SERVICE_NAME = /^[a-zA-Z0-9][a-zA-Z0-9._-]*$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const OBJECT_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;
const CAPABILITY = /^[A-Z][A-Z0-9_]*$/;
const MIB = 1024 * 1024;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const isMap = (v: unknown): v is PlainMap => v !== null && typeof v === 'object' && !Array.isArray(v);

/** A variable of a service's environment while it is read; a secret from the environment names its sensitive variable. */
interface EnvEntry {
  readonly value: string;
  readonly ref: SourceRef;
  readonly secretVariable?: string;
}

/** Reads the compose file `options.file` into the model; throws the library's ValidationError for what it refuses. */
export function loadCompose(options: LoadOptions): ComposeModel {
  return new Normaliser(options).model();
}

class Normaliser {
  private readonly s: ComposeSource;
  private readonly file: string;
  private readonly dir: string;
  private readonly lookup: Lookup;
  private readonly projectName: string;
  private readonly notes: ComposeNoteModel[] = [];
  private readonly root: PlainMap;
  private readonly topNetworks: PlainMap;
  private readonly topVolumes: PlainMap;
  private readonly topSecrets: PlainMap;
  private readonly topConfigs: PlainMap;
  private readonly buildTag: string;
  private readonly images = new Map<string, ImageModel>();
  private readonly usedNetworks = new Map<string, string>();
  private readonly anonymousVolumes: VolumeModel[] = [];
  private readonly usedVolumes = new Set<string>();
  private readonly subnets = new Map<string, string | undefined>();
  /** Image references that an enabled service builds (its `build` with `image`), by the building service. */
  private readonly builtBy = new Map<string, string>();
  /** Which services declare a health check (for `service_healthy`), and which disable it. */
  private readonly health = new Map<string, 'check' | 'disabled' | 'none'>();

  constructor(private readonly options: LoadOptions) {
    const cwd = options.cwd ?? process.cwd();
    if (typeof options.file !== 'string' || options.file === '') {
      throw sourceError(options.where, { file: String(options.file), line: 0, col: 0, path: '' }, options.file, 'the path of a compose file');
    }
    this.file = path.resolve(cwd, options.file);
    this.dir = path.dirname(this.file);
    this.buildTag = options.buildTag ?? DEFAULT_BUILD_TAG;
    this.lookup = this.variables();
    this.s = new ComposeSource(options.where, this.file, options.file, this.lookup);
    if (!isMap(this.s.root)) this.s.fail('', this.s.root, 'a compose file: a mapping with `services`');
    this.root = this.s.root;
    for (const key of Object.keys(this.root)) {
      if (key.startsWith('x-')) continue;
      if (!TOP_LEVEL_KEYS.includes(key)) this.s.fail(key, key, `a top-level compose key: one of ${TOP_LEVEL_KEYS.join(', ')}, or x-* for extensions`, true);
    }
    if (this.root.version !== undefined) this.note('version', 'version is obsolete in the compose specification: ignored');
    if (this.root.include !== undefined) this.s.fail('include', this.root.include, 'a single compose file: include is not resolved (merge the included files into this one)', true);
    if (this.root.models !== undefined) this.s.fail('models', this.root.models, 'no top-level models: AI models have no counterpart in the provider', true);
    this.topNetworks = this.optionalMap('networks');
    this.topVolumes = this.optionalMap('volumes');
    this.topSecrets = this.optionalMap('secrets');
    this.topConfigs = this.optionalMap('configs');
    this.projectName = this.resolveProjectName();
  }

  // ----------------------------------------------------------------------------------------------
  // Variables and project

  /** Interpolation variables: `environment` overrides, then the process environment, then `.env` beside the file (compose's precedence). */
  private variables(): Lookup {
    const overrides = this.options.environment ?? {};
    const processEnv = this.options.processEnvironment ?? process.env;
    const first: Lookup = (name) => (Object.prototype.hasOwnProperty.call(overrides, name) ? overrides[name] : processEnv[name]);
    const dotenvFile = path.join(this.dir, '.env');
    const display = path.join(path.dirname(this.options.file), '.env');
    const fromFile = new Map<string, string>();
    if (fs.existsSync(dotenvFile) && fs.statSync(dotenvFile).isFile()) {
      try {
        for (const e of parseDotenv(fs.readFileSync(dotenvFile, 'utf8'), first)) fromFile.set(e.name, e.value);
      } catch (e) {
        if (e instanceof DotenvError) throw sourceError(this.options.where, { file: display, line: e.line, col: e.col, path: '' }, e.message, e.allowed);
        throw e;
      }
    }
    return (name) => first(name) ?? fromFile.get(name);
  }

  private resolveProjectName(): string {
    const given = this.options.projectName ?? this.lookup('COMPOSE_PROJECT_NAME');
    if (given !== undefined && given !== '') {
      if (!PROJECT_NAME.test(given)) {
        throw sourceError(this.options.where, this.s.ref(''), given, 'a compose project name: lower-case letters, digits, _ and -, starting with a letter or digit');
      }
      return given;
    }
    if (this.root.name !== undefined) {
      const name = this.root.name;
      if (typeof name !== 'string' || !PROJECT_NAME.test(name)) {
        this.s.fail('name', name, 'a compose project name: lower-case letters, digits, _ and -, starting with a letter or digit');
      }
      return name;
    }
    // Compose's normalisation of the folder name: lower case, only [a-z0-9_-], starting with a letter or digit.
    const folder = path.basename(this.dir).toLowerCase().replace(/[^a-z0-9_-]/g, '').replace(/^[^a-z0-9]+/, '');
    if (folder === '') {
      throw sourceError(this.options.where, this.s.ref(''), path.basename(this.dir), 'a folder name that makes a compose project name, or a `name:` in the file, or the projectName prop');
    }
    return folder;
  }

  private activeProfiles(): string[] {
    const given = this.options.profiles ?? (this.lookup('COMPOSE_PROFILES') ?? '').split(',').map((p) => p.trim()).filter((p) => p !== '');
    return given;
  }

  // ----------------------------------------------------------------------------------------------
  // The model

  public model(): ComposeModel {
    const services = this.root.services;
    if (!isMap(services) || Object.keys(services).length === 0) {
      this.s.fail('services', services, 'a mapping of at least one service', services === undefined);
    }
    const profiles = this.activeProfiles();
    const all = profiles.includes('*');
    const enabled: string[] = [];
    for (const [name, def] of Object.entries(services)) {
      const p = `services.${name}`;
      if (!SERVICE_NAME.test(name)) this.s.fail(p, name, 'a service name of letters, digits, . _ and -, starting with a letter or digit', true);
      if (!isMap(def)) this.s.fail(p, def, 'a service definition (a mapping)');
      const own = def.profiles === undefined ? [] : this.stringList(`${p}.profiles`, def.profiles, 'a list of profile names');
      if (own.length === 0 || all || own.some((x) => profiles.includes(x))) {
        enabled.push(name);
      } else {
        this.note(p, `service ${name} is in profiles ${own.join(', ')}, none of them active: not declared`);
      }
    }
    if (enabled.length === 0) this.s.fail('services', Object.keys(services), `at least one service enabled by the active profiles (${profiles.join(', ') || 'none'})`);
    const enabledSet = new Set(enabled);

    for (const name of enabled) {
      const def = (services as PlainMap)[name] as PlainMap;
      if (def.build !== undefined && typeof def.image === 'string' && !this.builtBy.has(def.image)) this.builtBy.set(def.image, name);
    }
    // Health checks first: `service_healthy` judges the dependency's.
    for (const name of enabled) this.health.set(name, this.healthState((services as PlainMap)[name] as PlainMap));

    const byName = new Map<string, ServiceModel>();
    for (const name of enabled) byName.set(name, this.service(name, (services as PlainMap)[name] as PlainMap, services as PlainMap, enabledSet));
    const ordered = this.order(enabled, byName);

    const networks = this.networks();
    const volumes = this.volumes();
    // Images in the order of the services that use them, each once.
    const images: ImageModel[] = [];
    const seen = new Set<string>();
    for (const svc of ordered) {
      if (!seen.has(svc.image)) {
        seen.add(svc.image);
        images.push(this.images.get(svc.image) as ImageModel);
      }
    }
    return {
      file: this.file,
      displayFile: this.options.file,
      directory: this.dir,
      projectName: this.projectName,
      networks,
      volumes,
      images,
      services: ordered,
      notes: [...dedupeNotes(this.s.notes), ...this.notes],
    };
  }

  /** Services in creation order (each after its dependencies, otherwise file order); a cycle is an error at the edge that closes it. */
  private order(names: string[], byName: Map<string, ServiceModel>): ServiceModel[] {
    const state = new Map<string, 'visiting' | 'done'>();
    const out: ServiceModel[] = [];
    /** The services being visited, outermost first (shared, so a long chain costs linear time). */
    const trail: string[] = [];
    const visit = (name: string) => {
      state.set(name, 'visiting');
      trail.push(name);
      for (const dep of (byName.get(name) as ServiceModel).dependsOn) {
        const s = state.get(dep);
        if (s === 'visiting') {
          const cycle = [...trail.slice(trail.indexOf(dep)), dep];
          this.s.fail(`services.${name}.depends_on`, dep, `a service that does not (directly or transitively) depend on ${name}: dependencies must not form a cycle (${cycle.join(' → ')})`);
        }
        if (s === undefined) visit(dep);
      }
      trail.pop();
      state.set(name, 'done');
      out.push(byName.get(name) as ServiceModel);
    };
    for (const name of names) if (!state.has(name)) visit(name);
    return out;
  }

  // ----------------------------------------------------------------------------------------------
  // Top-level networks and volumes (those the enabled services use)

  private networks(): NetworkModel[] {
    const out: NetworkModel[] = [];
    const keys = [...this.usedNetworks.keys()];
    // The default network first, then the declared ones in file order.
    const declared = Object.keys(this.topNetworks);
    keys.sort((a, b) => (a === 'default' ? -1 : b === 'default' ? 1 : declared.indexOf(a) - declared.indexOf(b)));
    for (const key of keys) out.push(this.network(key));
    for (const key of declared) {
      if (!this.usedNetworks.has(key)) this.note(`networks.${key}`, `network ${key} is not used by any enabled service: not declared (as compose does)`);
    }
    return out;
  }

  private network(key: string): NetworkModel {
    const p = `networks.${key}`;
    const def = this.topNetworks[key];
    const id = this.usedNetworks.get(key) as string;
    const base = { key, id, source: this.s.ref(p, true), networkName: `${this.projectName}_${key}` };
    if (def === undefined || def === null) return base;
    if (!isMap(def)) this.s.fail(p, def, 'a network definition (a mapping, or empty)');
    const out: Mutable<NetworkModel> = { ...base };
    for (const [k, v] of Object.entries(def)) {
      const kp = `${p}.${k}`;
      switch (k) {
        case 'name':
          out.networkName = this.objectName(kp, v, 1);
          break;
        case 'driver':
          if (v !== 'bridge') this.s.fail(kp, v, "bridge: the library's networks are user-defined bridge networks on one engine (overlay, macvlan and others are not declared)");
          break;
        case 'driver_opts':
          out.driverOptions = this.stringMap(kp, v, 'a mapping of driver options');
          break;
        case 'internal':
          out.internal = this.bool(kp, v);
          break;
        case 'attachable':
          out.attachable = this.bool(kp, v);
          break;
        case 'labels':
          out.labels = this.labels(kp, v);
          break;
        case 'ipam':
          Object.assign(out, this.ipam(kp, v));
          break;
        case 'external':
          if (v === true) this.s.fail(kp, v, 'a network the project declares: an external network is not managed here, and the library joins only networks it declares (remove external, or declare the network in another stack)');
          if (v !== false) this.s.fail(kp, v, 'true or false');
          break;
        case 'enable_ipv6':
          if (v === true) this.s.fail(kp, v, 'false: the library declares IPv4 networks');
          this.bool(kp, v);
          break;
        case 'enable_ipv4':
          if (v === false) this.s.fail(kp, v, 'true: the library declares IPv4 networks');
          this.bool(kp, v);
          break;
        default:
          if (!k.startsWith('x-')) this.s.fail(kp, k, 'a network key: name, driver, driver_opts, internal, attachable, labels, ipam, external, enable_ipv6', true);
      }
    }
    return out;
  }

  private ipam(p: string, v: unknown): { subnet?: string; gateway?: string; ipRange?: string } {
    if (!isMap(v)) this.s.fail(p, v, 'an ipam mapping with config');
    const out: { subnet?: string; gateway?: string; ipRange?: string } = {};
    for (const [k, val] of Object.entries(v)) {
      const kp = `${p}.${k}`;
      if (k === 'driver') {
        if (val !== 'default') this.s.fail(kp, val, 'default (the only IPAM driver the library declares)');
      } else if (k === 'config') {
        if (!Array.isArray(val)) this.s.fail(kp, val, 'a list with one subnet configuration');
        if (val.length > 1) this.s.fail(`${kp}[1]`, val[1], 'one IPv4 subnet per network (the library declares one)');
        const c = val[0];
        if (c === undefined) continue;
        if (!isMap(c)) this.s.fail(`${kp}[0]`, c, 'a mapping with subnet, ip_range, gateway');
        for (const [ck, cv] of Object.entries(c)) {
          const ckp = `${kp}[0].${ck}`;
          if (ck === 'subnet') out.subnet = this.str(ckp, cv, 'an IPv4 subnet in CIDR notation, e.g. 10.20.0.0/24');
          else if (ck === 'gateway') out.gateway = this.str(ckp, cv, 'an IPv4 address');
          else if (ck === 'ip_range') out.ipRange = this.str(ckp, cv, 'an IPv4 range in CIDR notation');
          else if (ck === 'aux_addresses') this.s.fail(ckp, cv, 'subnet, ip_range and gateway: auxiliary addresses have no counterpart in the provider release the library targets', true);
          else this.s.fail(ckp, ck, 'subnet, ip_range or gateway', true);
        }
        if (out.subnet !== undefined && !/^\d+\.\d+\.\d+\.\d+\/\d+$/.test(out.subnet)) {
          this.s.fail(`${kp}[0].subnet`, out.subnet, 'an IPv4 subnet in CIDR notation (the library declares IPv4 networks)');
        }
      } else if (k === 'options') {
        this.s.fail(kp, val, 'driver and config: IPAM driver options have no counterpart in the library', true);
      } else {
        this.s.fail(kp, k, 'driver or config', true);
      }
    }
    return out;
  }

  private volumes(): VolumeModel[] {
    const out: VolumeModel[] = [];
    for (const [key, def] of Object.entries(this.topVolumes)) {
      const p = `volumes.${key}`;
      if (!this.usedVolumes.has(key)) {
        this.note(p, `volume ${key} is not used by any enabled service: not declared (as compose does)`);
        continue;
      }
      const v: Mutable<VolumeModel> = { key, id: `volume-${key}`, source: this.s.ref(p, true), volumeName: `${this.projectName}_${key}`, anonymous: false };
      if (def !== null && def !== undefined) {
        if (!isMap(def)) this.s.fail(p, def, 'a volume definition (a mapping, or empty)');
        for (const [k, val] of Object.entries(def)) {
          const kp = `${p}.${k}`;
          if (k === 'name') v.volumeName = this.objectName(kp, val, 2);
          else if (k === 'driver') v.driver = this.objectName(kp, val, 1);
          else if (k === 'driver_opts') v.driverOptions = this.stringMap(kp, val, 'a mapping of driver options');
          else if (k === 'labels') v.labels = this.labels(kp, val);
          else if (k === 'external') {
            if (val === true) this.s.fail(kp, val, 'a volume the project declares: an external volume is not managed here (remove external, or declare the volume in another stack)');
            this.bool(kp, val);
          } else if (!k.startsWith('x-')) this.s.fail(kp, k, 'a volume key: name, driver, driver_opts, labels, external', true);
        }
      }
      out.push(v);
    }
    return [...out, ...this.anonymousVolumes];
  }

  // ----------------------------------------------------------------------------------------------
  // Services

  /** Whether a service declares a health check (read before the services, for `service_healthy`); its syntax is judged with the service. */
  private healthState(def: PlainMap): 'check' | 'disabled' | 'none' {
    const h = def.healthcheck;
    if (!isMap(h)) return 'none';
    if (h.disable === true) return 'disabled';
    if (Array.isArray(h.test) && h.test[0] === 'NONE') return 'disabled';
    return h.test === undefined ? 'none' : 'check';
  }

  private service(name: string, def: PlainMap, all: PlainMap, enabled: Set<string>): ServiceModel {
    const p = `services.${name}`;
    const props: Mutable<ServiceProps> = { serviceName: `${this.projectName}-${name}-1` };
    const propSources: Record<string, SourceRef> = {};
    const resource: ResourceSetting[] = [];
    const ports: PortModel[] = [];
    const volumes: Mutable<ServiceModel>['volumes'] = [];
    const bindMounts: Mutable<ServiceModel>['bindMounts'] = [];
    const secretEnvironment: Record<string, string> = {};
    const dependsOn: string[] = [];
    const src = (prop: string, at: string) => {
      propSources[prop] = this.s.ref(at);
    };
    const set = (kind: ResourceSetting['kind'], resName: string, value: unknown, composeKey: string) => resource.push({ kind, name: resName, value, composeKey });

    for (const key of Object.keys(def)) {
      if (key.startsWith('x-')) continue;
      const entry = SERVICE_KEYS[key];
      if (!entry) this.s.fail(`${p}.${key}`, key, 'a service key of the compose specification (or x-* for an extension)', true);
      if (entry.as === 'refused') this.s.fail(`${p}.${key}`, def[key], `no ${key}: ${entry.why}`, true);
    }

    // Image ------------------------------------------------------------------------------------
    const image = this.image(name, p, def);
    src('image', def.build !== undefined ? `${p}.build` : `${p}.image`);

    // Environment: env_file, then environment over it --------------------------------------------
    const env = new Map<string, EnvEntry>();
    if (def.env_file !== undefined) this.envFiles(`${p}.env_file`, def.env_file, env);
    if (def.environment !== undefined) this.environment(`${p}.environment`, def.environment, env);

    // Volumes and mounts ------------------------------------------------------------------------
    const writable: string[] = [];
    const tmpfsSizes = new Map<number, string>();
    const addTmpfs = (at: string, target: string, sizeBytes?: number) => {
      if (target === '/tmp') {
        this.note(at, "/tmp is a tmpfs already (the library's default, noexec)");
      } else {
        src(`writablePaths[${writable.length}]`, at);
        writable.push(target);
      }
      if (sizeBytes !== undefined) {
        if (sizeBytes % MIB !== 0 || sizeBytes === 0) this.s.fail(at, sizeBytes, 'a tmpfs size of whole MiB (the library sizes every tmpfs in MiB), e.g. 64m');
        tmpfsSizes.set(sizeBytes / MIB, at);
      }
    };
    if (def.volumes !== undefined) {
      this.list(`${p}.volumes`, def.volumes, 'a list of volumes (short or long syntax)').forEach((v, i) => {
        const at = `${p}.volumes[${i}]`;
        const m = this.serviceVolume(name, at, v);
        if (m.kind === 'tmpfs') {
          addTmpfs(at, m.target, m.size);
        } else if (m.kind === 'bind') {
          src(`bindMounts[${bindMounts.length}]`, at);
          bindMounts.push({ hostPath: m.hostPath, containerPath: m.target, readOnly: m.readOnly, origin: m.origin });
        } else {
          src(`volumes[${volumes.length}]`, at);
          volumes.push({ volume: m.volume, containerPath: m.target, readOnly: m.readOnly });
        }
      });
    }
    if (def.tmpfs !== undefined) {
      const list = typeof def.tmpfs === 'string' ? [def.tmpfs] : this.stringList(`${p}.tmpfs`, def.tmpfs, 'a path or a list of paths');
      list.forEach((t, i) => {
        const at = typeof def.tmpfs === 'string' ? `${p}.tmpfs` : `${p}.tmpfs[${i}]`;
        const [target, opts] = splitOnce(t, ':');
        let size: number | undefined;
        for (const o of (opts ?? '').split(',').filter((x) => x !== '')) {
          const [ok, ov] = splitOnce(o, '=');
          if (ok === 'size') {
            size = parseByteSize(ov);
            if (size === undefined) this.s.fail(at, t, 'a tmpfs size such as size=64m');
          } else {
            this.note(at, `tmpfs option ${o}: no counterpart (the library's tmpfs mounts are rw,nosuid)`);
          }
        }
        addTmpfs(at, this.containerPath(at, target), size);
      });
    }
    if (writable.length > 0) props.writablePaths = writable;
    if (tmpfsSizes.size > 1) {
      const [, second] = [...tmpfsSizes.values()];
      this.s.fail(second, [...tmpfsSizes.keys()].map((x) => `${x}m`), 'one tmpfs size per service (the library sizes all of a container\'s tmpfs mounts alike)');
    }
    if (tmpfsSizes.size === 1) {
      const [[size, at]] = [...tmpfsSizes.entries()];
      props.tmpfsSizeMiB = size;
      src('tmpfsSizeMiB', at);
    }

    // Secrets and configs --------------------------------------------------------------------------
    if (def.secrets !== undefined) {
      this.list(`${p}.secrets`, def.secrets, 'a list of secret names or { source, target }').forEach((entry, i) => {
        const at = `${p}.secrets[${i}]`;
        const m = this.secretOrConfig(at, entry, 'secrets');
        if (m.environment !== undefined) {
          if (!ENV_NAME.test(m.environment) || env.has(m.environment) || secretEnvironment[m.environment] !== undefined) {
            this.s.fail(at, m.environment, 'a secret whose environment variable name is a valid name not used by another variable of the service');
          }
          secretEnvironment[m.environment] = m.environment;
          src(`secretEnvironment.${m.environment}`, at);
          this.note(at, `secret ${m.source}: compose mounts it as the file ${m.target}; here it is the environment variable ${m.environment} from the sensitive Terraform variable ${m.environment} (TF_VAR_${m.environment} at deploy time), so its value is never read at synth`);
        } else {
          src(`bindMounts[${bindMounts.length}]`, at);
          bindMounts.push({ hostPath: m.hostPath as string, containerPath: m.target, readOnly: true, origin: m.origin as PathOrigin });
        }
      });
    }
    if (def.configs !== undefined) {
      this.list(`${p}.configs`, def.configs, 'a list of config names or { source, target }').forEach((entry, i) => {
        const at = `${p}.configs[${i}]`;
        const m = this.secretOrConfig(at, entry, 'configs');
        src(`bindMounts[${bindMounts.length}]`, at);
        bindMounts.push({ hostPath: m.hostPath as string, containerPath: m.target, readOnly: true, origin: m.origin as PathOrigin });
      });
    }

    // Ports -------------------------------------------------------------------------------------
    if (def.ports !== undefined) {
      this.list(`${p}.ports`, def.ports, 'a list of ports (short or long syntax)').forEach((entry, i) => {
        for (const port of this.port(`${p}.ports[${i}]`, entry)) {
          src(`ports[${ports.length}]`, `${p}.ports[${i}]`);
          ports.push(port);
        }
      });
    }
    if (def.expose !== undefined) {
      this.list(`${p}.expose`, def.expose, 'a list of ports').forEach((e, i) => {
        const at = `${p}.expose[${i}]`;
        if (typeof e !== 'string' && typeof e !== 'number') this.s.fail(at, e, 'a port (number) or a port/protocol');
        this.note(at, `expose ${e}: no Terraform counterpart; the port stays reachable from the service's networks, it is not published on the host`);
      });
    }

    // Networks ----------------------------------------------------------------------------------
    const networks = this.serviceNetworks(name, p, def);

    // Dependencies --------------------------------------------------------------------------------
    if (def.depends_on !== undefined) {
      const dp = `${p}.depends_on`;
      const add = (dep: string, at: string, condition: string, required: boolean) => {
        if (!(dep in all)) this.s.fail(at, dep, `a service of this file: one of ${Object.keys(all).join(', ')}`);
        if (!enabled.has(dep)) {
          if (!required) {
            this.note(at, `depends on ${dep} (required: false), which no active profile enables: ignored`);
            return;
          }
          this.s.fail(at, dep, `a service enabled by the active profiles (${dep} is in profiles ${this.stringList(`services.${dep}.profiles`, (all[dep] as PlainMap).profiles, '').join(', ')})`);
        }
        if (dep === name) this.s.fail(at, dep, 'another service: a service cannot depend on itself');
        if (condition === 'service_healthy' && this.health.get(dep) !== 'check') {
          this.s.fail(at, dep, `a service with a healthcheck for condition service_healthy (${dep} has ${this.health.get(dep) === 'disabled' ? 'its health check disabled' : 'no healthcheck in this file'}): the library waits on the health check it declares`);
        }
        if (!dependsOn.includes(dep)) dependsOn.push(dep);
      };
      if (Array.isArray(def.depends_on)) {
        def.depends_on.forEach((d, i) => add(this.str(`${dp}[${i}]`, d, 'a service name'), `${dp}[${i}]`, 'service_started', true));
      } else if (isMap(def.depends_on)) {
        for (const [dep, spec] of Object.entries(def.depends_on)) {
          const at = `${dp}.${dep}`;
          let condition = 'service_started';
          let required = true;
          if (spec !== null) {
            if (!isMap(spec)) this.s.fail(at, spec, 'a mapping with condition, restart, required');
            for (const [k, v] of Object.entries(spec)) {
              const kp = `${at}.${k}`;
              if (k === 'condition') {
                condition = this.str(kp, v, 'service_started, service_healthy or service_completed_successfully');
                if (condition === 'service_completed_successfully') {
                  this.s.fail(kp, condition, 'service_started or service_healthy: a one-shot job that must finish before its dependents has no reliable counterpart in the provider (it does not wait for a container to exit successfully); run it outside the stack');
                }
                if (condition !== 'service_started' && condition !== 'service_healthy') this.s.fail(kp, condition, 'service_started or service_healthy');
              } else if (k === 'restart') {
                if (this.bool(kp, v)) this.note(kp, `restart: true (restart ${name} when ${dep} restarts): no counterpart; Terraform orders creation only`);
              } else if (k === 'required') {
                required = this.bool(kp, v);
              } else {
                this.s.fail(kp, k, 'condition, restart or required', true);
              }
            }
          }
          add(dep, at, condition, required);
        }
      } else {
        this.s.fail(dp, def.depends_on, 'a list of service names or a mapping of service name to { condition }');
      }
    }

    // Health check --------------------------------------------------------------------------------
    let healthcheck: HealthcheckModel | undefined;
    if (def.healthcheck !== undefined) {
      const h = this.healthcheck(`${p}.healthcheck`, def.healthcheck);
      if (h === 'disabled') set('put', 'putHealthcheck', { test: ['NONE'] }, 'healthcheck.disable');
      else if (h !== undefined) {
        healthcheck = h;
        src('healthcheck', `${p}.healthcheck`);
      }
    }

    // The rest of the keys --------------------------------------------------------------------------
    let memory: { mib: number; at: string } | undefined;
    const setMemory = (at: string, v: unknown) => {
      const bytes = parseByteSize(v);
      if (bytes === undefined) this.s.fail(at, v, 'a memory size such as 512m or 1.5g');
      if (bytes % MIB !== 0 || bytes / MIB < 6) this.s.fail(at, v, "a memory limit of whole MiB, at least 6m (Docker's minimum; the library's memoryMiB)");
      if (memory && memory.mib !== bytes / MIB) this.s.fail(at, v, `the same limit as ${memory.at} (${memory.mib}m)`);
      memory = { mib: bytes / MIB, at };
    };
    const securityOpts: string[] = [];
    let logging: { driver?: string; options: Record<string, string> } | undefined;
    for (const [key, v] of Object.entries(def)) {
      const kp = `${p}.${key}`;
      switch (key) {
        case 'command':
        case 'entrypoint': {
          props[key as 'command' | 'entrypoint'] = this.command(kp, v);
          src(key, kp);
          break;
        }
        case 'container_name':
          props.serviceName = this.objectName(kp, v, 2);
          src('serviceName', kp);
          break;
        case 'user': {
          const u = this.scalarText(kp, v, 'a user name or UID, optionally with :group or :GID');
          if (!/^[a-zA-Z0-9_][a-zA-Z0-9_.-]*(:[a-zA-Z0-9_][a-zA-Z0-9_.-]*)?$/.test(u)) this.s.fail(kp, v, 'a user name or UID, optionally with :group or :GID');
          props.user = u;
          src('user', kp);
          break;
        }
        case 'working_dir':
          props.workingDir = this.containerPath(kp, v);
          src('workingDir', kp);
          break;
        case 'labels':
          props.labels = this.labels(kp, v);
          for (const l of Object.keys(props.labels)) if (l.startsWith('cdktf-docker-production/')) this.s.fail(`${kp}.${l}`, l, 'a label outside cdktf-docker-production/ (reserved by the library)');
          src('labels', kp);
          break;
        case 'read_only':
          props.readOnlyRootFilesystem = this.bool(kp, v);
          src('readOnlyRootFilesystem', kp);
          break;
        case 'init':
          props.init = this.bool(kp, v);
          src('init', kp);
          break;
        case 'restart': {
          const r = this.str(kp, v, 'no, always, on-failure[:max-retries] or unless-stopped');
          const m = r.match(/^(no|always|unless-stopped|on-failure)(?::(\d+))?$/);
          if (!m || (m[2] !== undefined && m[1] !== 'on-failure')) this.s.fail(kp, v, 'no, always, on-failure[:max-retries] or unless-stopped');
          props.restartPolicy = m[1];
          src('restartPolicy', kp);
          if (m[2] !== undefined) {
            props.maxRetryCount = Number(m[2]);
            src('maxRetryCount', kp);
          }
          break;
        }
        case 'stop_grace_period':
          props.stopTimeoutSeconds = this.wholeSeconds(kp, v, 0, 3600);
          src('stopTimeoutSeconds', kp);
          break;
        case 'cap_add':
          props.addCapabilities = this.stringList(kp, v, 'a list of Linux capability names').map((c, i) => {
            const cap = c.toUpperCase().replace(/^CAP_/, '');
            if (!CAPABILITY.test(cap) || cap === 'ALL') {
              this.s.fail(`${kp}[${i}]`, c, 'a Linux capability name such as NET_BIND_SERVICE (ALL is not allowed: the library drops all capabilities and adds back only named ones)');
            }
            src(`addCapabilities[${i}]`, `${kp}[${i}]`);
            return c;
          });
          break;
        case 'cap_drop': {
          const caps = this.stringList(kp, v, 'a list of Linux capability names');
          if (!caps.some((c) => c.toUpperCase() === 'ALL')) this.note(kp, `cap_drop ${caps.join(', ')}: covered by the library's default, which drops ALL capabilities`);
          break;
        }
        case 'mem_limit':
          setMemory(kp, v);
          break;
        case 'memswap_limit': {
          const bytes = parseByteSize(v);
          const limit = parseByteSize(def.mem_limit ?? (isMap(def.deploy) && isMap(def.deploy.resources) && isMap(def.deploy.resources.limits) ? def.deploy.resources.limits.memory : undefined));
          if (bytes === undefined || limit === undefined || bytes !== limit) {
            this.s.fail(kp, v, 'the memory limit itself (swap off): the library sets memory_swap equal to the memory limit');
          }
          break;
        }
        case 'cpus':
          props.cpus = this.cpus(kp, v);
          src('cpus', kp);
          break;
        case 'deploy':
          this.deploy(kp, v, props, src, setMemory);
          break;
        case 'scale':
          this.replicas(kp, v);
          break;
        case 'logging':
          logging = this.logging(kp, v);
          break;
        case 'security_opt':
          this.stringList(kp, v, 'a list of security options').forEach((o, i) => {
            const m = o.match(/^no-new-privileges(?:[:=](true|false))?$/);
            if (m) {
              props.noNewPrivileges = m[1] !== 'false';
              src('noNewPrivileges', `${kp}[${i}]`);
            } else {
              securityOpts.push(o);
            }
          });
          break;
        case 'platform':
          // Read with the image.
          break;
        // Settings on the L1 container, visible to the review.
        case 'hostname':
        case 'domainname':
          set('set', key, this.str(kp, v, 'a host name'), key);
          break;
        case 'stop_signal':
          set('set', 'stopSignal', this.str(kp, v, 'a signal name such as SIGINT'), key);
          break;
        case 'runtime':
          set('set', 'runtime', this.str(kp, v, 'a runtime name'), key);
          break;
        case 'privileged':
          if (this.bool(kp, v)) set('set', 'privileged', true, key);
          break;
        case 'stdin_open':
          if (this.bool(kp, v)) set('set', 'stdinOpen', true, key);
          break;
        case 'tty':
          if (this.bool(kp, v)) set('set', 'tty', true, key);
          break;
        case 'sysctls':
          set('set', 'sysctls', this.keyValues(kp, v, 'sysctls'), key);
          break;
        case 'storage_opt':
          set('set', 'storageOpts', this.stringMap(kp, v, 'a mapping of storage options'), key);
          break;
        case 'dns':
        case 'dns_search':
          set('set', key === 'dns' ? 'dns' : 'dnsSearch', typeof v === 'string' ? [v] : this.stringList(kp, v, 'an address or a list'), key);
          break;
        case 'dns_opt':
          set('set', 'dnsOpts', this.stringList(kp, v, 'a list of resolver options'), key);
          break;
        case 'group_add':
          set('set', 'groupAdd', this.list(kp, v, 'a list of groups').map((g, i) => this.scalarText(`${kp}[${i}]`, g, 'a group name or GID')), key);
          break;
        case 'cpu_shares':
          set('set', 'cpuShares', this.integer(kp, v, 2, 262144), key);
          break;
        case 'cpuset':
          set('set', 'cpuSet', this.scalarText(kp, v, 'CPUs such as 0-3 or 0,1'), key);
          break;
        case 'shm_size': {
          const bytes = parseByteSize(v);
          if (bytes === undefined || bytes % MIB !== 0 || bytes === 0) this.s.fail(kp, v, "a size of whole MiB, e.g. 64m (the provider's shm_size is in MiB)");
          set('set', 'shmSize', bytes / MIB, key);
          break;
        }
        case 'pid':
        case 'ipc': {
          const mode = this.str(kp, v, key === 'pid' ? 'host' : 'host, private, shareable or none');
          const ok = key === 'pid' ? ['host'] : ['host', 'private', 'shareable', 'none'];
          if (!ok.includes(mode)) this.s.fail(kp, v, `${ok.join(', ')}: sharing another container's namespace (service:x, container:x) has no counterpart in the library`);
          set('set', key === 'pid' ? 'pidMode' : 'ipcMode', mode, key);
          break;
        }
        case 'userns_mode':
          set('set', 'usernsMode', this.str(kp, v, 'host or a user namespace mode'), key);
          break;
        case 'extra_hosts':
          set('put', 'putHost', this.extraHosts(kp, v), key);
          break;
        case 'devices':
          set('put', 'putDevices', this.devices(kp, v), key);
          break;
        case 'ulimits':
          set('put', 'putUlimit', this.ulimits(kp, v), key);
          break;
        case 'annotations':
        case 'attach':
        case 'develop':
        case 'pull_policy':
          this.note(kp, `${key}: no counterpart in the plan (compose tooling only)`);
          break;
        default:
          break;
      }
    }
    if (memory) {
      props.memoryMiB = memory.mib;
      src('memoryMiB', memory.at);
    }
    if (env.size > 0) {
      const plain: Record<string, string> = {};
      for (const [k, e] of [...env.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
        if (secretEnvironment[k] !== undefined) this.s.fail(e.ref.path, k, 'each environment variable once (a secret of the service has this name)');
        if (e.secretVariable !== undefined) {
          secretEnvironment[k] = e.secretVariable;
          propSources[`secretEnvironment.${k}`] = e.ref;
          this.note(e.ref.path, `environment ${k} is a secret from the environment: it comes from the sensitive Terraform variable ${e.secretVariable} (TF_VAR_${e.secretVariable} at deploy time), so its value is never read at synth`);
          continue;
        }
        plain[k] = e.value;
        propSources[`environment.${k}`] = e.ref;
      }
      if (Object.keys(plain).length > 0) props.environment = plain;
    }
    if (logging) {
      if (logging.driver === undefined || logging.driver === 'json-file') {
        const { 'max-size': maxSize, 'max-file': maxFile, ...rest } = logging.options;
        if (maxSize !== undefined) {
          const bytes = parseByteSize(maxSize);
          if (bytes === undefined || bytes % MIB !== 0 || bytes === 0) this.s.fail(`${p}.logging.options.max-size`, maxSize, 'a log file size of whole MiB, e.g. 10m (the library\'s logMaxSizeMiB)');
          props.logMaxSizeMiB = bytes / MIB;
          src('logMaxSizeMiB', `${p}.logging.options.max-size`);
        }
        if (maxFile !== undefined) {
          props.logMaxFiles = this.integer(`${p}.logging.options.max-file`, maxFile, 1, 100);
          src('logMaxFiles', `${p}.logging.options.max-file`);
        }
        if (Object.keys(rest).length > 0) {
          set('set', 'logOpts', {
            'max-size': `${props.logMaxSizeMiB ?? 10}m`, 'max-file': String(props.logMaxFiles ?? 3), ...rest,
          }, 'logging.options');
        }
      } else {
        set('set', 'logDriver', logging.driver, 'logging.driver');
        set('set', 'logOpts', logging.options, 'logging.options');
      }
    }
    if (securityOpts.length > 0) {
      set('set', 'securityOpts', [...((props.noNewPrivileges ?? true) ? ['no-new-privileges:true'] : []), ...securityOpts], 'security_opt');
    }
    networks.forEach((n, i) => {
      if (n.ipv4Address !== undefined) set('override', `networks_advanced.${i}.ipv4_address`, n.ipv4Address, `networks.${n.network.replace(/^network-/, '')}.ipv4_address`);
    });

    return {
      name, source: this.s.ref(p, true), image, props, ports, networks, volumes, bindMounts, secretEnvironment, healthcheck, dependsOn, resource, propSources,
    };
  }

  // ----------------------------------------------------------------------------------------------
  // Images

  private image(name: string, p: string, def: PlainMap): string {
    let platform: string | undefined;
    if (def.platform !== undefined) platform = this.str(`${p}.platform`, def.platform, 'a platform such as linux/amd64');
    let reference: string | undefined;
    if (def.image !== undefined) {
      reference = this.str(`${p}.image`, def.image, 'an image reference such as redis:7.4-alpine');
      if (!parseImageReference(reference)) this.s.fail(`${p}.image`, reference, IMAGE_REFERENCE_RULE);
    }
    if (def.build === undefined) {
      if (reference === undefined) this.s.fail(p, name, 'a service with `image` or `build`', true);
      const builder = this.builtBy.get(reference);
      if (builder !== undefined) {
        // Compose does not pull an image another service of the project builds: the same MinimalImage.
        this.note(`${p}.image`, `image ${reference} is built by service ${builder}: the same built image, not pulled`);
        return `image-${builder}`;
      }
      const parsed = parseImageReference(reference)!;
      const unpinned = unpinnedBy(parsed) !== undefined;
      if (unpinned && !this.options.allowUnpinnedImages) {
        this.s.fail(`${p}.image`, reference, `${PINNED_RULE}; or allowUnpinnedImages: true, which accepts it as a review finding`);
      }
      const id = `${unpinned ? 'pull' : 'registry'}:${reference}:${platform ?? ''}`;
      if (!this.images.has(id)) {
        this.images.set(id, { id, source: this.s.ref(`${p}.image`), kind: unpinned ? ImageKind.UNPINNED : ImageKind.REGISTRY, reference, platform });
      }
      if (unpinned) this.note(`${p}.image`, `image ${reference} is not pinned (allowUnpinnedImages): the review reports it`);
      return id;
    }
    const bp = `${p}.build`;
    const build: PlainMap = typeof def.build === 'string' ? { context: def.build } : isMap(def.build) ? def.build : this.s.fail(bp, def.build, 'a context path or a mapping with context, dockerfile, args, target');
    const at = (k: string) => (typeof def.build === 'string' ? bp : `${bp}.${k}`);
    const out: Mutable<ImageModel> = { id: `image-${name}`, source: this.s.ref(bp), kind: ImageKind.BUILD, reference: '', platform };
    const contextText = build.context === undefined ? '.' : this.str(at('context'), build.context, 'a folder relative to the compose file');
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(contextText) || /^git@/.test(contextText)) {
      this.s.fail(at('context'), contextText, 'a local folder: a remote build context (git or URL) has no fingerprint to rebuild on');
    }
    const context = path.resolve(this.dir, expandHome(contextText));
    if (!fs.existsSync(context) || !fs.statSync(context).isDirectory()) this.s.fail(at('context'), contextText, `an existing folder (resolved to ${context})`);
    out.context = context;
    for (const [k, v] of Object.entries(build)) {
      const kp = `${bp}.${k}`;
      switch (k) {
        case 'context':
          break;
        case 'dockerfile': {
          let file = this.str(kp, v, 'a Dockerfile path relative to the context');
          if (path.isAbsolute(file)) file = path.relative(context, file);
          if (file === '' || file.split(/[\\/]/).includes('..')) this.s.fail(kp, v, 'a Dockerfile inside the build context (the library builds from the context only)');
          if (!fs.existsSync(path.join(context, file))) this.s.fail(kp, v, `a file inside the context (no ${path.join(context, file)})`);
          if (file !== 'Dockerfile') out.dockerfile = file;
          break;
        }
        case 'args': {
          const args = this.buildArgs(kp, v);
          if (Object.keys(args).length > 0) out.buildArgs = args;
          break;
        }
        case 'target':
          out.target = this.str(kp, v, 'a build stage name');
          if (!/^[a-zA-Z][a-zA-Z0-9_.-]*$/.test(out.target)) this.s.fail(kp, v, 'a build stage name from the Dockerfile');
          break;
        case 'platforms': {
          const list = this.stringList(kp, v, 'a list with one platform');
          if (list.length > 1) this.s.fail(`${kp}[1]`, list[1], 'one platform: the engine builds and runs one image');
          if (list.length === 1) {
            if (platform !== undefined && platform !== list[0]) this.s.fail(`${kp}[0]`, list[0], `the service's platform ${platform}`);
            platform = list[0];
          }
          break;
        }
        case 'labels':
        case 'cache_from':
        case 'cache_to':
        case 'no_cache':
        case 'pull':
        case 'tags':
          this.note(kp, `build ${k}: no counterpart in MinimalImage (the build result is the same without it)`);
          break;
        case 'dockerfile_inline':
          this.s.fail(kp, v, 'a Dockerfile in the context: the library fingerprints the context with its Dockerfile', true);
          break;
        case 'secrets':
        case 'ssh':
        case 'additional_contexts':
        case 'network':
        case 'shm_size':
        case 'extra_hosts':
        case 'isolation':
        case 'privileged':
        case 'ulimits':
        case 'entitlements':
          this.s.fail(kp, v, `no build ${k}: MinimalImage builds with context, dockerfile, args, target and platform only`, true);
          break;
        default:
          if (!k.startsWith('x-')) this.s.fail(kp, k, 'a build key of the compose specification', true);
      }
    }
    out.platform = platform;
    // The name the build is tagged with: `image`, else compose's `<project>-<service>`; without a pinned tag, the build tag.
    const base = reference ?? `${this.projectName}-${name.toLowerCase().replace(/[^a-z0-9_.-]/g, '-')}`;
    const parsed = parseImageReference(base);
    if (!parsed) this.s.fail(`${p}.image`, base, IMAGE_REFERENCE_RULE);
    if (unpinnedBy(parsed) === undefined) {
      out.reference = base;
    } else {
      const withoutTag = base.replace(/:[^/:@]*$/, '');
      out.reference = `${withoutTag}:${this.buildTag}`;
      if (reference !== undefined) this.note(`${p}.image`, `the build is tagged ${out.reference}: ${reference} has no version tag (compose would tag it latest)`);
    }
    this.images.set(out.id, out);
    return out.id;
  }

  private buildArgs(p: string, v: unknown): Record<string, string> {
    const out: Record<string, string> = {};
    const put = (at: string, k: string, value: string | undefined) => {
      if (!ENV_NAME.test(k)) this.s.fail(at, k, 'a build argument name of letters, digits and _');
      if (value === undefined) {
        const fromEnv = this.lookup(k);
        if (fromEnv === undefined) {
          this.note(at, `build argument ${k} has no value and is not set in the environment: not passed`);
          return;
        }
        value = fromEnv;
      }
      out[k] = value;
    };
    if (Array.isArray(v)) {
      v.forEach((e, i) => {
        const s = this.str(`${p}[${i}]`, e, 'NAME=value or NAME');
        const [k, val] = splitOnce(s, '=');
        put(`${p}[${i}]`, k, val);
      });
    } else if (isMap(v)) {
      for (const [k, val] of Object.entries(v)) put(`${p}.${k}`, k, val === null ? undefined : this.scalarText(`${p}.${k}`, val, 'a string value'));
    } else {
      this.s.fail(p, v, 'a list of NAME=value or a mapping');
    }
    return out;
  }

  // ----------------------------------------------------------------------------------------------
  // Environment

  private envFiles(p: string, v: unknown, env: Map<string, EnvEntry>): void {
    const entries: { at: string; file: string; required: boolean }[] = [];
    if (typeof v === 'string') {
      entries.push({ at: p, file: v, required: true });
    } else {
      this.list(p, v, 'a path or a list of paths').forEach((e, i) => {
        const at = `${p}[${i}]`;
        if (typeof e === 'string') {
          entries.push({ at, file: e, required: true });
        } else if (isMap(e)) {
          let required = true;
          for (const [k, val] of Object.entries(e)) {
            if (k === 'required') required = this.bool(`${at}.required`, val);
            else if (k === 'format') {
              if (val !== 'raw') this.s.fail(`${at}.format`, val, 'raw, or no format');
            } else if (k !== 'path') this.s.fail(`${at}.${k}`, k, 'path, required or format', true);
          }
          entries.push({ at, file: this.str(`${at}.path`, e.path, 'the path of an env file'), required });
        } else {
          this.s.fail(at, e, 'a path or { path, required }');
        }
      });
    }
    for (const e of entries) {
      const file = path.resolve(this.dir, expandHome(e.file));
      const display = path.join(path.dirname(this.options.file), e.file);
      if (!fs.existsSync(file)) {
        if (e.required) this.s.fail(e.at, e.file, `an existing env file (no ${file}), or required: false`);
        this.note(e.at, `env file ${e.file} does not exist (required: false): skipped`);
        continue;
      }
      let parsed;
      try {
        // Literal values: the compose documentation says env_file values are not interpolated.
        parsed = parseDotenv(fs.readFileSync(file, 'utf8'));
      } catch (err) {
        if (err instanceof DotenvError) throw sourceError(this.options.where, { file: display, line: err.line, col: err.col, path: '' }, err.message, err.allowed);
        throw err;
      }
      for (const entry of parsed) {
        const ref: SourceRef = { file: display, line: entry.line, col: entry.col, path: entry.name };
        if (!ENV_NAME.test(entry.name)) {
          throw sourceError(this.options.where, ref, entry.name, 'an environment variable name of letters, digits and underscores, not starting with a digit (the library\'s rule)');
        }
        env.set(entry.name, { value: entry.value, ref });
      }
    }
  }

  private environment(p: string, v: unknown, env: Map<string, EnvEntry>): void {
    const put = (at: string, k: string, value: string | undefined) => {
      if (!ENV_NAME.test(k)) {
        this.s.fail(at, k, "an environment variable name of letters, digits and underscores, not starting with a digit (the library's rule; Docker would take others)", true);
      }
      let secretVariable: string | undefined;
      if (value === undefined) {
        const fromEnv = this.lookup(k);
        if (fromEnv === undefined) {
          this.note(at, `environment ${k} has no value and is not set in the environment: not passed (as compose does)`);
          env.delete(k);
          return;
        }
        value = fromEnv;
        if (looksSecret(k)) secretVariable = k;
      } else {
        // A secret that comes from the environment or .env stays out of the synthesized JSON: it becomes a
        // sensitive Terraform variable, read at deploy time. One written in the compose file stays as it is
        // (the review reports it: literal-secret-env).
        const sub = this.s.substitution(at);
        if (sub && (looksSecret(k) || sub.variables.some(looksSecret))) {
          if (sub.alone === undefined) {
            this.s.fail(at, `${k}=(interpolated from ${sub.variables.join(', ')})`,
              'a secret from the environment as the whole value (`${VAR}`): it then comes from a sensitive Terraform variable at deploy time; inside a larger value it would be written into the plan and state in plain text');
          }
          secretVariable = sub.alone;
        }
      }
      env.set(k, { value, ref: this.s.ref(at), secretVariable });
    };
    if (Array.isArray(v)) {
      v.forEach((e, i) => {
        const s = this.str(`${p}[${i}]`, e, 'NAME=value or NAME');
        const [k, val] = splitOnce(s, '=');
        put(`${p}[${i}]`, k, val);
      });
    } else if (isMap(v)) {
      for (const [k, val] of Object.entries(v)) put(`${p}.${k}`, k, val === null ? undefined : this.scalarText(`${p}.${k}`, val, 'a string, number or boolean value'));
    } else {
      this.s.fail(p, v, 'a list of NAME=value or a mapping of names to values');
    }
  }

  // ----------------------------------------------------------------------------------------------
  // Ports

  private port(p: string, v: unknown): PortModel[] {
    let hostIp: string | undefined;
    let host: string | undefined;
    let container: string;
    let protocol = 'tcp';
    if (typeof v === 'number') {
      container = String(v);
    } else if (typeof v === 'string') {
      let text = v.trim();
      const slash = text.lastIndexOf('/');
      if (slash >= 0) {
        protocol = text.slice(slash + 1);
        text = text.slice(0, slash);
      }
      if (text.startsWith('[')) {
        const close = text.indexOf(']');
        if (close < 0 || text[close + 1] !== ':') this.s.fail(p, v, 'a port such as [::1]:8080:80');
        hostIp = text.slice(1, close);
        text = text.slice(close + 2);
        const parts = text.split(':');
        if (parts.length !== 2) this.s.fail(p, v, '[HOST_IP]:HOST_PORT:CONTAINER_PORT');
        [host, container] = parts;
      } else {
        const parts = text.split(':');
        if (parts.length === 1) [container] = parts;
        else if (parts.length === 2) [host, container] = parts;
        else if (parts.length === 3) [hostIp, host, container] = parts;
        else this.s.fail(p, v, '[HOST_IP:]HOST_PORT:CONTAINER_PORT[/PROTOCOL] (an IPv6 host address in brackets)');
      }
    } else if (isMap(v)) {
      for (const k of Object.keys(v)) {
        if (!['target', 'published', 'host_ip', 'protocol', 'mode', 'name', 'app_protocol'].includes(k) && !k.startsWith('x-')) {
          this.s.fail(`${p}.${k}`, k, 'target, published, host_ip, protocol, mode, name or app_protocol', true);
        }
      }
      if (v.target === undefined) this.s.fail(p, v, 'a long-syntax port with target (the container port)');
      container = this.scalarText(`${p}.target`, v.target, 'a container port');
      if (v.published !== undefined) host = this.scalarText(`${p}.published`, v.published, 'a host port or range');
      if (v.host_ip !== undefined) hostIp = this.str(`${p}.host_ip`, v.host_ip, 'an IPv4 or IPv6 address of the host');
      if (v.protocol !== undefined) protocol = this.str(`${p}.protocol`, v.protocol, 'tcp, udp or sctp');
      if (v.mode !== undefined && v.mode !== 'host' && v.mode !== 'ingress') this.s.fail(`${p}.mode`, v.mode, 'host or ingress (the same on one engine)');
      for (const k of ['name', 'app_protocol']) if (v[k] !== undefined) this.note(`${p}.${k}`, `port ${k} ${String(v[k])}: no counterpart in the plan`);
    } else {
      return this.s.fail(p, v, 'a port: "HOST:CONTAINER", "IP:HOST:CONTAINER[/udp]" or { target, published, host_ip, protocol }');
    }
    protocol = protocol.toLowerCase();
    if (!['tcp', 'udp', 'sctp'].includes(protocol)) this.s.fail(p, v, 'a protocol of tcp, udp or sctp');
    if (host === undefined || host === '') {
      this.s.fail(p, v, 'a host port, e.g. "8080:80": without one Docker picks a random host port, and the library publishes each port on a declared one');
    }
    if (hostIp !== undefined && (hostIp === '' || !ipaddr.isValid(hostIp))) this.s.fail(p, v, 'a host address that is an IPv4 or IPv6 address, e.g. 127.0.0.1');
    const hosts = this.portRange(p, v, host);
    const containers = this.portRange(p, v, container);
    if (hosts.length !== containers.length) {
      this.s.fail(p, v, 'host and container port ranges of the same length (a host range for one container port lets Docker pick: not declared)');
    }
    const ip = hostIp ?? '0.0.0.0';
    const factory = ip === '0.0.0.0' ? 'public' : ip === '127.0.0.1' ? 'local' : 'onInterface';
    return hosts.map((h, i) => ({ factory, hostIp: ip, hostPort: h, containerPort: containers[i], protocol: protocol as PortModel['protocol'], source: this.s.ref(p) }));
  }

  private portRange(p: string, v: unknown, text: string): number[] {
    const m = text.match(/^(\d+)(?:-(\d+))?$/);
    const ok = (n: number) => Number.isInteger(n) && n >= 1 && n <= 65535;
    if (!m || !ok(Number(m[1])) || (m[2] !== undefined && (!ok(Number(m[2])) || Number(m[2]) < Number(m[1])))) {
      this.s.fail(p, v, 'ports from 1 to 65535 (a range as 8000-8005)');
    }
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    if (to - from > 1000) this.s.fail(p, v, 'a port range of at most 1000 ports');
    return Array.from({ length: to - from + 1 }, (_, i) => from + i);
  }

  // ----------------------------------------------------------------------------------------------
  // Volumes of a service

  private serviceVolume(service: string, p: string, v: unknown):
    | { kind: 'tmpfs'; target: string; size?: number }
    | { kind: 'bind'; hostPath: string; target: string; readOnly?: boolean; origin: PathOrigin }
    | { kind: 'volume'; volume: string; target: string; readOnly?: boolean } {
    let type: string;
    let sourceText: string | undefined;
    let target: string;
    let readOnly: boolean | undefined;
    let size: number | undefined;
    if (typeof v === 'string') {
      const parts = v.split(':');
      if (parts.length > 3) this.s.fail(p, v, 'SOURCE:TARGET[:MODE] or a container path (an anonymous volume)');
      if (parts.length === 1) {
        target = parts[0];
      } else {
        [sourceText, target] = parts;
      }
      for (const mode of (parts[2] ?? '').split(',').filter((x) => x !== '')) {
        if (mode === 'ro') readOnly = true;
        else if (mode === 'rw') readOnly = false;
        else if (['z', 'Z'].includes(mode)) this.note(p, `volume mode ${mode} (SELinux relabelling): no counterpart in the provider's volume mounts`);
        else if (mode === 'nocopy') this.note(p, 'volume mode nocopy: no counterpart in the provider\'s volume mounts');
        else if (['cached', 'delegated', 'consistent'].includes(mode)) this.note(p, `volume mode ${mode}: macOS only, no effect on a Linux engine`);
        else this.s.fail(p, v, 'a volume mode of ro, rw, z, Z, nocopy (mount propagation has no counterpart in the library\'s mounts)');
      }
      type = sourceText === undefined ? 'volume' : /^[./~]/.test(sourceText) ? 'bind' : 'volume';
    } else if (isMap(v)) {
      type = this.str(`${p}.type`, v.type, 'volume, bind or tmpfs');
      if (v.target === undefined) this.s.fail(p, v, 'a long-syntax volume with target');
      target = this.str(`${p}.target`, v.target, 'an absolute container path');
      if (v.source !== undefined) sourceText = this.str(`${p}.source`, v.source, 'a volume name or host path');
      if (v.read_only !== undefined) readOnly = this.bool(`${p}.read_only`, v.read_only);
      for (const [k, val] of Object.entries(v)) {
        const kp = `${p}.${k}`;
        if (['type', 'target', 'source', 'read_only'].includes(k) || k.startsWith('x-')) continue;
        if (k === 'consistency') this.note(kp, 'consistency: macOS only, no effect on a Linux engine');
        else if (k === 'bind' && type === 'bind' && isMap(val)) {
          for (const [bk, bv] of Object.entries(val)) {
            if (bk === 'create_host_path') this.note(`${kp}.${bk}`, 'create_host_path: Docker creates a missing host folder of a bind mount');
            else if (bk === 'selinux') this.note(`${kp}.${bk}`, 'SELinux relabelling: no counterpart in the provider\'s volume mounts');
            else this.s.fail(`${kp}.${bk}`, bv, 'create_host_path or selinux: mount propagation has no counterpart in the library\'s mounts', true);
          }
        } else if (k === 'volume' && type === 'volume' && isMap(val)) {
          for (const [vk, vv] of Object.entries(val)) {
            if (vk === 'nocopy') this.note(`${kp}.${vk}`, 'nocopy: no counterpart in the provider\'s volume mounts');
            else this.s.fail(`${kp}.${vk}`, vv, 'nocopy (a volume subpath has no counterpart in the library\'s mounts)', true);
          }
        } else if (k === 'tmpfs' && type === 'tmpfs' && isMap(val)) {
          for (const [tk, tv] of Object.entries(val)) {
            if (tk === 'size') {
              size = parseByteSize(tv);
              if (size === undefined) this.s.fail(`${kp}.size`, tv, 'a size such as 64m or a number of bytes');
            } else if (tk === 'mode') {
              this.note(`${kp}.mode`, 'tmpfs mode: no counterpart (the library\'s tmpfs mounts are rw,nosuid with the default mode)');
            } else {
              this.s.fail(`${kp}.${tk}`, tk, 'size or mode', true);
            }
          }
        } else {
          this.s.fail(kp, k, `a key of a ${type} mount`, true);
        }
      }
    } else {
      return this.s.fail(p, v, 'a volume: "SOURCE:TARGET[:ro]" or { type, source, target, read_only }');
    }
    target = this.containerPath(p, target);
    if (type === 'tmpfs') {
      if (readOnly === true) this.s.fail(`${p}.read_only`, readOnly, 'false: a tmpfs mount is a writable path');
      return { kind: 'tmpfs', target, size };
    }
    if (type === 'bind') {
      if (sourceText === undefined || sourceText === '') this.s.fail(p, v, 'a bind mount with a source (host path)');
      const { hostPath, origin } = this.hostPath(sourceText);
      if (readOnly === undefined) this.note(p, `bind mount ${sourceText}: read-only (the library's default for bind mounts); write :rw (or read_only: false) where the service writes there`);
      return { kind: 'bind', hostPath, target, readOnly, origin };
    }
    if (type !== 'volume') this.s.fail(`${p}.type`, type, 'volume, bind or tmpfs (npipe, cluster and image mounts have no counterpart in the library)');
    if (sourceText === undefined || sourceText === '') {
      // An anonymous volume: declared as a named one, so it is visible and kept across re-creation.
      const n = this.anonymousVolumes.filter((a) => a.key.startsWith(`${service}:`)).length + 1;
      const id = `volume-${service}-anon${n}`;
      const volumeName = `${this.projectName}_${service.toLowerCase().replace(/[^a-z0-9_.-]/g, '-')}_anon${n}`;
      this.anonymousVolumes.push({ key: `${service}:${target}`, id, source: this.s.ref(p), volumeName, anonymous: true });
      this.note(p, `anonymous volume at ${target}: declared as the named volume ${volumeName} (compose gives it a random name)`);
      return { kind: 'volume', volume: id, target, readOnly };
    }
    if (!(sourceText in this.topVolumes)) {
      this.s.fail(p, sourceText, `a volume declared under the top-level volumes (${Object.keys(this.topVolumes).join(', ') || 'none declared'}), or a host path starting with ., / or ~`);
    }
    this.usedVolumes.add(sourceText);
    return { kind: 'volume', volume: `volume-${sourceText}`, target, readOnly };
  }

  private hostPath(text: string): { hostPath: string; origin: PathOrigin } {
    if (text === '~' || text.startsWith('~/')) {
      const relative = text.slice(2);
      return { hostPath: path.join(os.homedir(), relative), origin: { base: 'home', relative } };
    }
    if (path.isAbsolute(text)) return { hostPath: path.normalize(text), origin: { base: 'absolute', relative: path.normalize(text) } };
    const hostPath = path.resolve(this.dir, text);
    return { hostPath, origin: { base: 'compose', relative: path.relative(this.dir, hostPath) } };
  }

  private secretOrConfig(p: string, entry: unknown, kind: 'secrets' | 'configs'):
    { source: string; target: string; hostPath?: string; origin?: PathOrigin; environment?: string } {
    let source: string;
    let target: string | undefined;
    if (typeof entry === 'string') {
      source = entry;
    } else if (isMap(entry)) {
      source = this.str(`${p}.source`, entry.source, `the name of a top-level ${kind.slice(0, -1)}`);
      if (entry.target !== undefined) target = this.str(`${p}.target`, entry.target, 'a file name or an absolute path');
      for (const k of Object.keys(entry)) {
        if (['uid', 'gid', 'mode'].includes(k)) this.note(`${p}.${k}`, `${k}: no counterpart for a file mounted from the host (it keeps the host file's owner and mode)`);
        else if (!['source', 'target'].includes(k)) this.s.fail(`${p}.${k}`, k, 'source, target, uid, gid or mode', true);
      }
    } else {
      return this.s.fail(p, entry, `a ${kind.slice(0, -1)} name or { source, target }`);
    }
    const top = kind === 'secrets' ? this.topSecrets : this.topConfigs;
    if (!(source in top)) this.s.fail(p, source, `a ${kind.slice(0, -1)} declared under the top-level ${kind} (${Object.keys(top).join(', ') || 'none declared'})`);
    const tp = `${kind}.${source}`;
    const def = top[source];
    if (!isMap(def)) this.s.fail(tp, def, `a ${kind.slice(0, -1)} definition with file${kind === 'secrets' ? ' or environment' : ''}`);
    const dir = kind === 'secrets' ? '/run/secrets' : '';
    const mountAt = target === undefined ? `${dir}/${source}` : target.startsWith('/') ? target : `${dir}/${target}`;
    for (const k of Object.keys(def)) {
      if (!['file', 'environment', 'name', 'external', 'content', 'labels', 'driver', 'driver_opts', 'template_driver'].includes(k) && !k.startsWith('x-')) {
        this.s.fail(`${tp}.${k}`, k, `file${kind === 'secrets' ? ' or environment' : ''}`, true);
      }
    }
    if (def.external === true) this.s.fail(`${tp}.external`, true, `a ${kind.slice(0, -1)} from a file${kind === 'secrets' ? ' or the environment' : ''}: external ones live in a Swarm`);
    if (def.content !== undefined) this.s.fail(`${tp}.content`, '(content)', `a ${kind.slice(0, -1)} from a file: inline content would have to be written to the host`, true);
    for (const k of ['driver', 'driver_opts', 'template_driver', 'labels']) {
      if (def[k] !== undefined) this.s.fail(`${tp}.${k}`, def[k], `a ${kind.slice(0, -1)} from a file: ${k} applies to Swarm`, true);
    }
    if (def.name !== undefined) this.note(`${tp}.name`, 'name: no counterpart for a file mounted from the host');
    if (def.file !== undefined) {
      const file = this.str(`${tp}.file`, def.file, 'a file path relative to the compose file');
      const { hostPath, origin } = this.hostPath(file.startsWith('.') || file.startsWith('/') || file.startsWith('~') ? file : `./${file}`);
      if (!fs.existsSync(hostPath) || !fs.statSync(hostPath).isFile()) {
        this.s.fail(`${tp}.file`, file, `an existing file (no file ${hostPath}; Docker would mount an empty folder in its place)`);
      }
      return { source, target: this.containerPath(p, mountAt), hostPath, origin };
    }
    if (def.environment !== undefined) {
      if (kind === 'configs') this.s.fail(`${tp}.environment`, def.environment, 'a config from a file: a value from the environment would be written in plain text into the plan');
      const name = this.str(`${tp}.environment`, def.environment, 'an environment variable name');
      return { source, target: mountAt, environment: name };
    }
    return this.s.fail(tp, def, `a ${kind.slice(0, -1)} with file${kind === 'secrets' ? ' or environment' : ''}`);
  }

  // ----------------------------------------------------------------------------------------------
  // Networks of a service

  private serviceNetworks(name: string, p: string, def: PlainMap): ServiceNetworkModel[] {
    const np = `${p}.networks`;
    const out: ServiceNetworkModel[] = [];
    const use = (key: string, at: string): string => {
      if (key !== 'default' && !(key in this.topNetworks)) {
        this.s.fail(at, key, `a network declared under the top-level networks (${Object.keys(this.topNetworks).join(', ') || 'none declared'}), or default`);
      }
      if (!this.usedNetworks.has(key)) this.usedNetworks.set(key, `network-${key}`);
      return this.usedNetworks.get(key) as string;
    };
    if (def.networks === undefined || def.networks === null) {
      out.push({ network: use('default', p), aliases: [name] });
      return out;
    }
    if (Array.isArray(def.networks)) {
      def.networks.forEach((n, i) => {
        const key = this.str(`${np}[${i}]`, n, 'a network name');
        if (out.some((o) => o.network === `network-${key}`)) this.s.fail(`${np}[${i}]`, key, 'each network once');
        out.push({ network: use(key, `${np}[${i}]`), aliases: [name] });
      });
    } else if (isMap(def.networks)) {
      for (const [key, spec] of Object.entries(def.networks)) {
        const at = `${np}.${key}`;
        const aliases = [name];
        let ipv4Address: string | undefined;
        if (spec !== null) {
          if (!isMap(spec)) this.s.fail(at, spec, 'a mapping with aliases, ipv4_address');
          for (const [k, v] of Object.entries(spec)) {
            const kp = `${at}.${k}`;
            if (k === 'aliases') {
              this.stringList(kp, v, 'a list of aliases').forEach((a, i) => {
                if (!OBJECT_NAME.test(a) || a.length > 128) this.s.fail(`${kp}[${i}]`, a, 'an alias that is a Docker object name: letters, digits, and _ . - (not first)');
                if (!aliases.includes(a)) aliases.push(a);
              });
            } else if (k === 'ipv4_address') {
              ipv4Address = this.ipv4InNetwork(kp, v, key);
            } else if (k === 'priority' || k === 'gw_priority') {
              this.note(kp, `${k}: no counterpart in the plan (the provider connects networks in the order given)`);
            } else if (['ipv6_address', 'link_local_ips', 'mac_address', 'driver_opts', 'interface_name'].includes(k)) {
              this.s.fail(kp, v, `aliases and ipv4_address: ${k} has no counterpart in the library's network connections`, true);
            } else {
              this.s.fail(kp, k, 'aliases, ipv4_address or priority', true);
            }
          }
        }
        out.push({ network: use(key, at), aliases, ipv4Address });
      }
    } else {
      this.s.fail(np, def.networks, 'a list of network names or a mapping of network name to { aliases, ipv4_address }');
    }
    if (out.length === 0) this.s.fail(np, def.networks, 'at least one network: containers never sit on Docker\'s default bridge');
    return out;
  }

  private ipv4InNetwork(p: string, v: unknown, key: string): string {
    const ip = this.str(p, v, 'an IPv4 address');
    if (!ipaddr.IPv4.isValidFourPartDecimal(ip)) this.s.fail(p, v, 'an IPv4 address such as 10.20.0.10');
    let subnet = this.subnets.get(key);
    if (!this.subnets.has(key)) {
      const def = this.topNetworks[key];
      const config = isMap(def) && isMap(def.ipam) && Array.isArray(def.ipam.config) ? def.ipam.config[0] : undefined;
      subnet = isMap(config) && typeof config.subnet === 'string' ? config.subnet : undefined;
      this.subnets.set(key, subnet);
    }
    if (subnet === undefined) this.s.fail(p, ip, `an address on a network with a subnet: give networks.${key}.ipam.config a subnet (Docker assigns static addresses only from a declared subnet)`);
    try {
      if (!ipaddr.IPv4.parse(ip).match(ipaddr.IPv4.parseCIDR(subnet))) this.s.fail(p, ip, `an address inside the subnet ${subnet} of network ${key}`);
    } catch (e) {
      if (e instanceof Error && e.name === 'ValidationError') throw e;
      this.s.fail(p, ip, `an address inside the subnet ${subnet} of network ${key}`);
    }
    return ip;
  }

  // ----------------------------------------------------------------------------------------------
  // Health check, deploy, logging and other blocks

  private healthcheck(p: string, v: unknown): HealthcheckModel | 'disabled' | undefined {
    if (!isMap(v)) this.s.fail(p, v, 'a mapping with test, interval, timeout, retries, start_period');
    const out: Mutable<HealthcheckModel> = { kind: 'command' };
    let disabled = false;
    let hasTest = false;
    for (const [k, val] of Object.entries(v)) {
      const kp = `${p}.${k}`;
      switch (k) {
        case 'test':
          hasTest = true;
          if (typeof val === 'string') {
            if (val.trim() === '') this.s.fail(kp, val, 'a non-empty command');
            out.kind = 'shell';
            out.script = val;
          } else if (Array.isArray(val)) {
            const list = this.stringList(kp, val, 'a list of strings: ["CMD", ...], ["CMD-SHELL", "script"] or ["NONE"]');
            if (list[0] === 'NONE') {
              disabled = true;
            } else if (list[0] === 'CMD') {
              if (list.length < 2 || list[1] === '') this.s.fail(kp, val, 'a command after CMD');
              out.kind = 'command';
              out.command = list.slice(1);
            } else if (list[0] === 'CMD-SHELL') {
              if (list.length !== 2 || list[1].trim() === '') this.s.fail(kp, val, 'CMD-SHELL and one script, e.g. ["CMD-SHELL", "curl -f http://localhost/ || exit 1"]');
              out.kind = 'shell';
              out.script = list[1];
            } else {
              this.s.fail(`${kp}[0]`, list[0], 'CMD, CMD-SHELL or NONE');
            }
          } else {
            this.s.fail(kp, val, 'a command string or a list ["CMD", ...] / ["CMD-SHELL", "script"]');
          }
          break;
        case 'interval':
          out.intervalSeconds = this.wholeSeconds(kp, val, 1, 86400);
          break;
        case 'timeout':
          out.timeoutSeconds = this.wholeSeconds(kp, val, 1, 3600);
          break;
        case 'start_period':
          out.startPeriodSeconds = this.wholeSeconds(kp, val, 0, 86400);
          break;
        case 'start_interval':
          out.startIntervalSeconds = this.wholeSeconds(kp, val, 1, 86400);
          break;
        case 'retries':
          out.retries = this.integer(kp, val, 1, 100);
          break;
        case 'disable':
          if (this.bool(kp, val)) disabled = true;
          break;
        default:
          if (!k.startsWith('x-')) this.s.fail(kp, k, 'test, interval, timeout, retries, start_period, start_interval or disable', true);
      }
    }
    if (disabled) return 'disabled';
    if (!hasTest) {
      this.note(p, 'healthcheck without test: the image\'s own HEALTHCHECK applies; its timing has no counterpart without a test');
      return undefined;
    }
    return out;
  }

  private deploy(p: string, v: unknown, props: Mutable<ServiceProps>, src: (prop: string, at: string) => void, setMemory: (at: string, v: unknown) => void): void {
    if (!isMap(v)) this.s.fail(p, v, 'a deploy mapping');
    for (const [k, val] of Object.entries(v)) {
      const kp = `${p}.${k}`;
      switch (k) {
        case 'replicas':
          this.replicas(kp, val);
          break;
        case 'mode':
          if (val !== 'replicated') this.s.fail(kp, val, 'replicated (ComposeProject declares one container per service on one engine): global and job modes need a Swarm');
          break;
        case 'resources':
          if (!isMap(val)) this.s.fail(kp, val, 'a mapping with limits');
          for (const [rk, rv] of Object.entries(val)) {
            const rp = `${kp}.${rk}`;
            if (rk === 'limits') {
              if (!isMap(rv)) this.s.fail(rp, rv, 'a mapping with memory and cpus');
              for (const [lk, lv] of Object.entries(rv)) {
                const lp = `${rp}.${lk}`;
                if (lk === 'memory') setMemory(lp, lv);
                else if (lk === 'cpus') {
                  const cpus = this.cpus(lp, lv);
                  if (props.cpus !== undefined && props.cpus !== cpus) this.s.fail(lp, lv, `the same CPU limit as cpus (${props.cpus})`);
                  props.cpus = cpus;
                  src('cpus', lp);
                } else if (lk === 'pids') this.s.fail(lp, lv, "memory and cpus: provider 3.6.2's docker_container has no pids limit", true);
                else this.s.fail(lp, lk, 'memory or cpus', true);
              }
            } else if (rk === 'reservations') {
              this.note(rp, 'resource reservations: no counterpart on a single engine (the library sets hard limits)');
            } else {
              this.s.fail(rp, rk, 'limits or reservations', true);
            }
          }
          break;
        case 'restart_policy':
          if (!isMap(val)) this.s.fail(kp, val, 'a mapping with condition and max_attempts');
          for (const [rk, rv] of Object.entries(val)) {
            const rp = `${kp}.${rk}`;
            if (rk === 'condition') {
              const map: Record<string, string> = { none: 'no', 'on-failure': 'on-failure', any: 'always' };
              const c = this.str(rp, rv, 'none, on-failure or any');
              if (!map[c]) this.s.fail(rp, rv, 'none, on-failure or any');
              if (props.restartPolicy !== undefined && props.restartPolicy !== map[c]) this.s.fail(rp, rv, `the same policy as restart (${props.restartPolicy})`);
              props.restartPolicy = map[c];
              src('restartPolicy', rp);
            } else if (rk === 'max_attempts') {
              props.maxRetryCount = this.integer(rp, rv, 0, 1000);
              src('maxRetryCount', rp);
            } else if (rk === 'delay' || rk === 'window') {
              this.note(rp, `restart_policy ${rk}: no counterpart on a single engine (Docker restarts with its own back-off)`);
            } else {
              this.s.fail(rp, rk, 'condition, max_attempts, delay or window', true);
            }
          }
          break;
        case 'labels':
        case 'placement':
        case 'update_config':
        case 'rollback_config':
        case 'endpoint_mode':
          this.note(kp, `deploy ${k}: applies to a Swarm; no counterpart on a single engine`);
          break;
        default:
          if (!k.startsWith('x-')) this.s.fail(kp, k, 'a deploy key: replicas, mode, resources, restart_policy, labels, placement, update_config, rollback_config, endpoint_mode', true);
      }
    }
  }

  private replicas(p: string, v: unknown): void {
    const n = this.integer(p, v, 0, 1_000_000);
    if (n !== 1) {
      this.s.fail(p, v, '1: ComposeProject declares one container per service on a single engine; several replicas need a Swarm (declare further services for more instances on one engine)');
    }
  }

  private logging(p: string, v: unknown): { driver?: string; options: Record<string, string> } {
    if (!isMap(v)) this.s.fail(p, v, 'a mapping with driver and options');
    let driver: string | undefined;
    let options: Record<string, string> = {};
    for (const [k, val] of Object.entries(v)) {
      if (k === 'driver') driver = this.str(`${p}.driver`, val, 'a log driver such as json-file');
      else if (k === 'options') options = val === null ? {} : this.stringMap(`${p}.options`, val, 'a mapping of log options');
      else this.s.fail(`${p}.${k}`, k, 'driver or options', true);
    }
    return { driver, options };
  }

  private extraHosts(p: string, v: unknown): { host: string; ip: string }[] {
    const out: { host: string; ip: string }[] = [];
    const put = (at: string, host: string, ip: string) => {
      if (!ipaddr.isValid(ip.replace(/^\[|\]$/g, '')) && ip !== 'host-gateway') this.s.fail(at, `${host}:${ip}`, 'host:IP with an IP address (or host-gateway)');
      out.push({ host, ip: ip.replace(/^\[|\]$/g, '') });
    };
    if (Array.isArray(v)) {
      v.forEach((e, i) => {
        const s = this.str(`${p}[${i}]`, e, 'host:IP or host=IP');
        const sep = s.includes('=') ? s.indexOf('=') : s.indexOf(':');
        if (sep <= 0) this.s.fail(`${p}[${i}]`, s, 'host:IP or host=IP');
        put(`${p}[${i}]`, s.slice(0, sep), s.slice(sep + 1));
      });
    } else if (isMap(v)) {
      for (const [host, ip] of Object.entries(v)) {
        for (const one of Array.isArray(ip) ? ip : [ip]) put(`${p}.${host}`, host, this.str(`${p}.${host}`, one, 'an IP address'));
      }
    } else {
      this.s.fail(p, v, 'a list of host:IP or a mapping of host to IP');
    }
    return out;
  }

  private devices(p: string, v: unknown): { hostPath: string; containerPath?: string; permissions?: string }[] {
    return this.list(p, v, 'a list of devices').map((e, i) => {
      const at = `${p}[${i}]`;
      if (typeof e === 'string') {
        const [hostPath, containerPath, permissions] = e.split(':');
        if (!hostPath.startsWith('/')) this.s.fail(at, e, 'HOST_PATH[:CONTAINER_PATH[:PERMISSIONS]] with absolute paths (CDI device names have no counterpart)');
        return { hostPath, containerPath: containerPath ?? hostPath, permissions };
      }
      if (isMap(e)) {
        const hostPath = this.str(`${at}.source`, e.source, 'a host device path');
        const containerPath = e.target === undefined ? hostPath : this.str(`${at}.target`, e.target, 'a container device path');
        const permissions = e.permissions === undefined ? undefined : this.str(`${at}.permissions`, e.permissions, 'rwm permissions');
        return { hostPath, containerPath, permissions };
      }
      return this.s.fail(at, e, 'a device HOST:CONTAINER[:rwm] or { source, target, permissions }');
    });
  }

  private ulimits(p: string, v: unknown): { name: string; soft: number; hard: number }[] {
    if (!isMap(v)) this.s.fail(p, v, 'a mapping of limit names to a number or { soft, hard }');
    return Object.entries(v).map(([name, val]) => {
      const at = `${p}.${name}`;
      if (typeof val === 'number') {
        const n = this.integer(at, val, -1, Number.MAX_SAFE_INTEGER);
        return { name, soft: n, hard: n };
      }
      if (!isMap(val)) this.s.fail(at, val, 'a number or { soft, hard }');
      return { name, soft: this.integer(`${at}.soft`, val.soft, -1, Number.MAX_SAFE_INTEGER), hard: this.integer(`${at}.hard`, val.hard, -1, Number.MAX_SAFE_INTEGER) };
    });
  }

  private command(p: string, v: unknown): string[] {
    if (typeof v === 'string') {
      const words = splitShellWords(v);
      if (words === undefined) this.s.fail(p, v, 'a command whose quotes are closed (split with shell-word rules)');
      if (words.length === 0) this.s.fail(p, v, "a non-empty command (resetting the image's command has no counterpart in the library)");
      return words;
    }
    const list = this.stringList(p, v, 'a command string or a list of strings (exec form)');
    if (list.length === 0) this.s.fail(p, v, "a non-empty command (resetting the image's command has no counterpart in the library)");
    return list;
  }

  // ----------------------------------------------------------------------------------------------
  // Typed readers

  private optionalMap(key: string): PlainMap {
    const v = this.root[key];
    if (v === undefined || v === null) return Object.create(null) as PlainMap;
    if (!isMap(v)) this.s.fail(key, v, `a mapping of ${key}`);
    return v;
  }

  private note(p: string, message: string): void {
    this.notes.push({ source: this.s.ref(p), message });
  }

  private str(p: string, v: unknown, allowed: string): string {
    if (typeof v !== 'string') this.s.fail(p, v, allowed);
    return v;
  }

  /** A string, or a number or boolean written without quotes (as compose takes them). */
  private scalarText(p: string, v: unknown, allowed: string): string {
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    return this.s.fail(p, v, allowed);
  }

  private bool(p: string, v: unknown): boolean {
    if (typeof v !== 'boolean') this.s.fail(p, v, 'true or false');
    return v;
  }

  private integer(p: string, v: unknown, min: number, max: number): number {
    const n = typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : v;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) this.s.fail(p, v, `an integer from ${min} to ${max}`);
    return n;
  }

  private cpus(p: string, v: unknown): number {
    const n = typeof v === 'string' && /^\d+(\.\d+)?$/.test(v) ? Number(v) : v;
    if (typeof n !== 'number' || !(n > 0) || n > 1024) this.s.fail(p, v, 'a number of CPUs greater than 0 and at most 1024, e.g. 0.5');
    return n;
  }

  private wholeSeconds(p: string, v: unknown, min: number, max: number): number {
    const seconds = typeof v === 'string' ? parseDuration(v) : undefined;
    if (seconds === undefined) this.s.fail(p, v, 'a duration such as 10s or 1m30s');
    if (!Number.isInteger(seconds) || seconds < min || seconds > max) {
      this.s.fail(p, v, `whole seconds from ${min} to ${max} (the library's durations are whole seconds)`);
    }
    return seconds;
  }

  private list(p: string, v: unknown, allowed: string): unknown[] {
    if (!Array.isArray(v)) this.s.fail(p, v, allowed);
    return v;
  }

  private stringList(p: string, v: unknown, allowed: string): string[] {
    return this.list(p, v, allowed).map((x, i) => this.str(`${p}[${i}]`, x, allowed));
  }

  private stringMap(p: string, v: unknown, allowed: string): Record<string, string> {
    if (!isMap(v)) this.s.fail(p, v, allowed);
    const out: Record<string, string> = {};
    for (const [k, val] of Object.entries(v)) out[k] = this.scalarText(`${p}.${k}`, val, 'a string value');
    return out;
  }

  /** `KEY=VALUE` list or mapping (labels, sysctls). */
  private keyValues(p: string, v: unknown, what: string): Record<string, string> {
    if (Array.isArray(v)) {
      const out: Record<string, string> = {};
      v.forEach((e, i) => {
        const s = this.str(`${p}[${i}]`, e, `${what} as KEY=VALUE`);
        const [k, val] = splitOnce(s, '=');
        if (k === '') this.s.fail(`${p}[${i}]`, s, `${what} as KEY=VALUE with a non-empty key`);
        out[k] = val ?? '';
      });
      return out;
    }
    if (isMap(v)) {
      const out: Record<string, string> = {};
      for (const [k, val] of Object.entries(v)) out[k] = val === null ? '' : this.scalarText(`${p}.${k}`, val, 'a string value');
      return out;
    }
    return this.s.fail(p, v, `${what}: a list of KEY=VALUE or a mapping`);
  }

  private labels(p: string, v: unknown): Record<string, string> {
    return this.keyValues(p, v, 'labels');
  }

  private objectName(p: string, v: unknown, minLength: number): string {
    const s = this.str(p, v, 'a Docker object name');
    if (!OBJECT_NAME.test(s) || s.length < minLength || s.length > 128) {
      this.s.fail(p, v, `a Docker object name: letters, digits, and _ . - (not first), from ${minLength} to 128 characters`);
    }
    return s;
  }

  private containerPath(p: string, v: unknown): string {
    const s = this.str(p, v, 'an absolute container path');
    if (!s.startsWith('/') || s.split('/').includes('..') || /[\0\n\r]/.test(s)) this.s.fail(p, v, "an absolute container path starting with '/' without '..' segments");
    // Docker treats /a/ and /a alike; the library compares paths as written.
    return s.length > 1 ? s.replace(/\/+$/, '') : s;
  }
}

function splitOnce(text: string, sep: string): [string, string | undefined] {
  const i = text.indexOf(sep);
  return i < 0 ? [text, undefined] : [text.slice(0, i), text.slice(i + 1)];
}

function expandHome(p: string): string {
  return p === '~' || p.startsWith('~/') ? path.join(os.homedir(), p.slice(2)) : p;
}

function dedupeNotes(notes: ComposeNoteModel[]): ComposeNoteModel[] {
  const seen = new Set<string>();
  return notes.filter((n) => {
    const key = `${n.source.path}\0${n.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
