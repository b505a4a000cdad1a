import { Construct, IConstruct } from 'constructs';
import { TerraformStack } from 'cdktf';
import { DockerProvider, DockerProviderConfig } from './_provider';
import { RegistryCredentials } from './registry-credentials';
import type { ServiceContainer } from './service-container';
import type { DockerHostProps } from './docker-host-props';
import { checkHostPropTypes, checkRegistries, checkUrl } from './_host-checks';
import { TERRAFORM_NAME, checkProps, fail, stackOf } from './_validate';
import { checkKnownKeys } from './_known-keys';
import { DOCKER_HOST_PROPS_KEYS } from './_props-keys';
import { getOrCreate } from './_collections';

export * from './docker-host-props';


interface HostRegistry {
  /** Hosts declared in this scope (a stack, or the app for all its stacks). */
  readonly hosts: DockerHost[];
  /** Hosts with a provider in this stack: its own, and those of other stacks used here. */
  readonly served: DockerHost[];
}
const registries = new WeakMap<IConstruct, HostRegistry>();

function registryOf(scope: IConstruct): HostRegistry {
  return getOrCreate(registries, scope, () => ({ hosts: [], served: [] }));
}

/**
 * A Docker daemon that constructs deploy to: owns the `docker` provider configuration
 * (address, TLS or SSH options, registry credentials).
 *
 * Constructs take an optional `host`; without it they use the stack's default host.
 * A construct in another stack of the same app that uses this host gets the same
 * provider configuration in its own stack, without repeating it.
 */
export class DockerHost extends Construct {
  /** The provider release a stack deploys with unless a host says otherwise: the one the bindings were generated for. */
  public static readonly DEFAULT_PROVIDER_VERSION = '3.6.2';

  /**
   * Provider version constraints the library's JSON is verified with: `3.6.2` (the bindings' release)
   * and the 4.6 line (`4.6.0` exactly, or `~> 4.6` for 4.6 and later 4.x releases), which the
   * end-to-end tier deploys. Every construct emits only attributes both lines accept.
   */
  public static readonly PROVIDER_VERSIONS: string[] = ['3.6.2', '4.6.0', '~> 4.6', '~> 4.6.0'];

  /**
   * The host a construct in `scope` deploys to when it names none: the stack's unaliased
   * host, else the app's only host.
   */
  public static of(scope: IConstruct): DockerHost {
    const stack = stackOf(scope);
    const inStack = registryOf(stack).hosts;
    const defaults = inStack.filter((h) => h.alias === undefined);
    if (defaults.length === 1) return defaults[0];
    if (inStack.length === 1) return inStack[0];
    const inApp = registryOf(stack.node.root).hosts;
    if (inStack.length === 0 && inApp.length === 1) return inApp[0];
    const found = inStack.length > 0 ? inStack : inApp;
    return fail(
      scope.node.path,
      'host',
      undefined,
      found.length === 0
        ? "a DockerHost: add `new DockerHost(stack, 'host')` to the stack or pass `host`"
        : `one of the hosts ${found.map((h) => h.node.path).join(', ')}: pass \`host\` explicitly when there are several`,
    );
  }

  /** The daemon address. */
  public readonly url: string;
  /** The provider alias, if any. */
  public readonly alias?: string;
  /** The provider version constraint of this host's stacks. */
  public readonly providerVersion: string;
  /** The provider in this host's own stack. */
  public readonly provider: DockerProvider;
  /** Whether the daemon is a swarm manager (the `swarm` prop). */
  public readonly isSwarmManager: boolean;

  private readonly props: DockerHostProps;
  private readonly providers = new Map<TerraformStack, DockerProvider>();
  private readonly claims = new Map<string, string>();
  private readonly ports = new Map<string, { ip: string; owner: string }[]>();

  constructor(scope: Construct, id: string, props: DockerHostProps = {}) {
    super(scope, id);
    const where = this.node.path;
    checkProps(where, props, false, 'an object of DockerHostProps (all optional)');
    checkKnownKeys(where, props, DOCKER_HOST_PROPS_KEYS);
    this.url = props.url ?? 'unix:///var/run/docker.sock';
    this.alias = props.alias;
    checkUrl(where, this.url, props);
    // Terraform writes the alias into references (`docker.<alias>`): a Terraform name, never a token.
    if (props.alias !== undefined && (typeof props.alias !== 'string' || !TERRAFORM_NAME.test(props.alias) || props.alias.length > 128)) {
      fail(where, 'alias', props.alias, 'a provider alias: letters, digits, _ and -, starting with a letter or _, at most 128 characters');
    }
    checkHostPropTypes(where, props, DockerHost.PROVIDER_VERSIONS);
    this.isSwarmManager = props.swarm ?? false;
    this.providerVersion = props.providerVersion ?? DockerHost.DEFAULT_PROVIDER_VERSION;
    if (!DockerHost.PROVIDER_VERSIONS.includes(this.providerVersion)) {
      fail(where, 'providerVersion', this.providerVersion,
        `a provider version constraint the library is verified with: one of ${DockerHost.PROVIDER_VERSIONS.map((v) => `"${v}"`).join(', ')}`);
    }
    checkRegistries(this, props.registries ?? []);

    const stack = stackOf(this);
    const local = registryOf(stack);
    const clash = local.served.find((h) => h.alias === props.alias);
    if (clash) {
      fail(where, 'alias', props.alias, local.hosts.includes(clash)
        ? `an alias no other DockerHost of this stack uses (${clash.node.path} already has it)`
        : `an alias no other DockerHost with a provider in this stack uses (${clash.node.path}, of another stack, already has it here)`);
    }

    this.props = props;
    pinProviderVersion(stack, this, this, 'providerVersion');
    this.provider = new DockerProvider(this, 'Resource', this.renderConfig(this));
    this.providers.set(stack, this.provider);
    local.hosts.push(this);
    local.served.push(this);
    registryOf(stack.node.root).hosts.push(this);
  }

  /**
   * The provider for resources of `scope`'s stack: this host's own provider in its stack,
   * a provider with the same configuration in any other stack of the app.
   */
  public providerFor(scope: IConstruct): DockerProvider {
    const stack = stackOf(scope);
    const existing = this.providers.get(stack);
    if (existing) return existing;
    if (stack.node.root !== this.node.root) {
      fail(scope.node.path, 'host', this.node.path, 'a DockerHost of the same app');
    }
    const local = registryOf(stack);
    const clash = local.served.find((h) => h.alias === this.alias);
    if (clash) {
      fail(scope.node.path, 'host', this.node.path,
        `a host whose provider alias is free in stack ${stack.node.path}: ${clash.node.path} already uses ${this.alias === undefined ? 'the default provider' : `alias "${this.alias}"`}; give one of them an alias`);
    }
    pinProviderVersion(stack, this, scope, 'host');
    // Hosts of different stacks often share an id ('host'): fall back to one that names the host's stack.
    let id = `${this.node.id}-provider`;
    if (stack.node.tryFindChild(id)) id = `${stackOf(this).node.id}-${this.node.id}-provider`;
    const provider = new DockerProvider(stack, id, this.renderConfig(stack));
    this.providers.set(stack, provider);
    local.served.push(this);
    return provider;
  }

  /**
   * The service containers deployed to this host, in creation order.
   * @deprecated use `ServiceContainer.allOn(host)`: a host keeps no list of what runs on it (this walks the construct tree).
   */
  public get containers(): ServiceContainer[] {
    // Loaded when called: service-container.ts imports this module.
    return (require('./service-container') as typeof import('./service-container')).ServiceContainer.allOn(this);
  }

  /**
   * Refuses a Swarm construct (`scope`) on a host that is not a swarm manager.
   * @internal
   */
  public _requireSwarm(scope: IConstruct, what: string): void {
    if (!this.isSwarmManager) {
      fail(scope.node.path, 'host', this.node.path,
        `a DockerHost with \`swarm: true\` (a swarm manager): ${what} exists only in a swarm, and the engine refuses it on a host that is not a manager`);
    }
  }

  /**
   * The major release of the provider this host's stacks deploy with (3 or 4): the attributes a
   * docker_service takes differ between the two lines.
   * @internal
   */
  public get _providerMajor(): number {
    return Number(/\d+/.exec(this.providerVersion)?.[0]);
  }

  /** Registry credentials of this host. */
  public get registries(): RegistryCredentials[] {
    return [...(this.props.registries ?? [])];
  }

  /** The provider configuration, with credential references local to `scope`'s stack. */
  private renderConfig(scope: IConstruct): DockerProviderConfig {
    const tls = this.props.tls ?? {};
    const auths = (this.props.registries ?? []).map((r, i) => r._renderProviderAuth(scope, `registries[${i}]`));
    return {
      host: this.url,
      alias: this.alias,
      caMaterial: tls.caMaterial,
      certMaterial: tls.certMaterial,
      keyMaterial: tls.keyMaterial,
      certPath: tls.certPath,
      sshOpts: this.props.sshOptions,
      registryAuth: auths.length > 0 ? auths : undefined,
    };
  }

  /**
   * Records that `owner` uses `key` (a container, network or volume name, or a published
   * host port) on this host; a second claim of the same key is an error naming both.
   * @internal
   */
  public _claim(key: string, what: string, owner: IConstruct, prop: string, value: unknown): void {
    const previous = this.claims.get(key);
    if (previous !== undefined && previous !== owner.node.path) {
      fail(owner.node.path, prop, value, `${what} not used by another construct on host ${this.node.path} (${previous} already uses it)`);
    }
    this.claims.set(key, owner.node.path);
  }

  /**
   * Records a published port; the same port and protocol on the same address, or on an
   * address and all interfaces, is an error naming both owners.
   * @internal
   */
  public _claimPort(hostIp: string, hostPort: number, protocol: string, owner: IConstruct, prop: string): void {
    const key = `${hostPort}/${protocol}`;
    let bound = this.ports.get(key);
    if (!bound) {
      bound = [];
      this.ports.set(key, bound);
    }
    const wildcard = (ip: string) => ip === '0.0.0.0' || ip === '::';
    const clash = bound.find((b) => b.ip === hostIp || wildcard(b.ip) || wildcard(hostIp));
    if (clash) {
      fail(owner.node.path, prop, `${hostIp}:${hostPort}/${protocol}`,
        `a host port and protocol not already published on host ${this.node.path} (${clash.owner} publishes ${clash.ip}:${hostPort}/${protocol})`);
    }
    bound.push({ ip: hostIp, owner: owner.node.path });
  }
}

/** The provider version each stack is pinned to, and the host that pinned it. */
const pinnedVersions = new WeakMap<TerraformStack, DockerHost>();

/**
 * Writes `host`'s provider version into `stack`'s `required_providers`; a stack whose providers
 * come from hosts with different versions is an error naming both (one stack runs one provider release).
 */
function pinProviderVersion(stack: TerraformStack, host: DockerHost, scope: IConstruct, prop: string): void {
  const first = pinnedVersions.get(stack);
  if (first && first.providerVersion !== host.providerVersion) {
    fail(scope.node.path, prop, prop === 'host' ? host.node.path : host.providerVersion,
      `${prop === 'host' ? `a host whose provider version (it has "${host.providerVersion}") is that of` : 'the provider version of'} the other hosts of stack ${stack.node.path} ` +
      `("${first.providerVersion}", from ${first.node.path}): one stack deploys with one provider release`);
  }
  if (!first) {
    pinnedVersions.set(stack, host);
    if (host.providerVersion !== DockerHost.DEFAULT_PROVIDER_VERSION) {
      stack.addOverride('terraform.required_providers.docker.version', host.providerVersion);
    }
  }
}
