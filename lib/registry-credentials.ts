import { IConstruct } from 'constructs';
import { DockerProviderRegistryAuth } from './_provider';
import { sensitiveVariable } from './_variables';
import { VARIABLE_NAME_RULE, checkHostPath, fail, isUnresolved, normaliseRegistryAddress, registryHost } from './_validate';

enum CredentialSource {
  VARIABLES = 'variables',
  DOCKER_CONFIG = 'docker-config',
  ANONYMOUS = 'anonymous',
}

/** Username and password references for one stack (Terraform expressions, never values). */
export interface RegistryLogin {
  readonly address: string;
  readonly username: string;
  readonly password: string;
}

/** What credentials of a source read (each source uses its own fields). */
interface CredentialNames {
  readonly usernameVar?: string;
  readonly passwordVar?: string;
  readonly configPath?: string;
}

/**
 * Credentials for a registry, resolved by Terraform at deploy time, never at synth time:
 * the synthesized JSON holds only references to sensitive variables or a config file path.
 */
export class RegistryCredentials {
  /**
   * Username and password from the environment of `cdktf deploy`: the library declares the
   * sensitive Terraform variables `usernameVar` and `passwordVar`, which Terraform reads from
   * `TF_VAR_<usernameVar>` and `TF_VAR_<passwordVar>` at deploy time.
   *
   * @param address registry host and optional port, e.g. `registry.example.com`; `http://localhost:5000`
   *   for a registry that speaks plain HTTP (any other scheme, and a path, are dropped: the provider
   *   speaks HTTPS to every address without `http://`)
   */
  public static fromEnvironment(address: string, usernameVar: string, passwordVar: string): RegistryCredentials {
    return new RegistryCredentials(CredentialSource.VARIABLES, address, { usernameVar, passwordVar });
  }

  /**
   * Username and password from sensitive Terraform variables named after the address:
   * `registry_<address>_username` and `registry_<address>_password` (non-alphanumerics become `_`),
   * e.g. `registry_localhost_5000_password` for `localhost:5000`.
   */
  public static fromVariables(address: string): RegistryCredentials {
    // A non-string address is judged where the credentials are used, so that the error names the construct.
    if (typeof address !== 'string') return new RegistryCredentials(CredentialSource.VARIABLES, address, { usernameVar: 'registry_username', passwordVar: 'registry_password' });
    const base = `registry_${registryHost(address).replace(/[^a-z0-9]+/g, '_')}`;
    return new RegistryCredentials(CredentialSource.VARIABLES, address, { usernameVar: `${base}_username`, passwordVar: `${base}_password` });
  }

  /**
   * The credentials stored for `address` in a Docker client config file (`docker login` writes it)
   * on the machine running Terraform.
   * @param configPath absolute path of the config file, e.g. `/home/deploy/.docker/config.json`
   */
  public static fromDockerConfig(address: string, configPath: string): RegistryCredentials {
    return new RegistryCredentials(CredentialSource.DOCKER_CONFIG, address, { configPath });
  }

  /**
   * A registry that needs no login, such as a local registry on loopback (the provider's
   * `auth_disabled`). The provider pushes only to registries it has an entry for, so a login-free
   * registry still needs one: list it in the `DockerHost`'s `registries`.
   *
   * @param address e.g. `http://localhost:5000` for a plain-HTTP registry, `registry.example.com` for HTTPS
   */
  public static anonymous(address: string): RegistryCredentials {
    return new RegistryCredentials(CredentialSource.ANONYMOUS, address, {});
  }

  private constructor(
    private readonly source: CredentialSource,
    /** The address as given. */
    public readonly rawAddress: string,
    /** What the source reads: the variables' names, or the Docker config file. */
    private readonly from: CredentialNames,
  ) {}

  /** The registry address as the provider expects it: host and port, with `http://` for a plain-HTTP registry. */
  public addressFor(scope: IConstruct, prop: string): string {
    return normaliseRegistryAddress(scope.node.path, `${prop}.address`, this.rawAddress);
  }

  /** Whether the registry needs no login (`RegistryCredentials.anonymous`). */
  public get isAnonymous(): boolean {
    return this.source === CredentialSource.ANONYMOUS;
  }

  /**
   * The registry host (and port) as image references name it, lower-cased, without scheme;
   * undefined for an address that is a token.
   * @internal
   */
  public _registryHost(): string | undefined {
    if (typeof this.rawAddress !== 'string' || isUnresolved(this.rawAddress)) return undefined;
    return registryHost(this.rawAddress.trim());
  }

  /** @internal the provider's `registry_auth` entry for `scope`'s stack */
  public _renderProviderAuth(scope: IConstruct, prop: string): DockerProviderRegistryAuth {
    if (this.source === CredentialSource.ANONYMOUS) {
      return { address: this.addressFor(scope, prop), authDisabled: true };
    }
    if (this.source === CredentialSource.DOCKER_CONFIG) {
      const address = this.addressFor(scope, prop);
      checkHostPath(scope.node.path, `${prop}.configPath`, this.from.configPath, true);
      return { address, configFile: this.from.configPath };
    }
    const { address, username, password } = this._login(scope, prop);
    return { address, username, password };
  }

  /** @internal username and password references for `scope`'s stack */
  public _login(scope: IConstruct, prop: string): RegistryLogin {
    const address = this.addressFor(scope, prop);
    if (this.source !== CredentialSource.VARIABLES) {
      const given = this.source === CredentialSource.ANONYMOUS ? 'anonymous' : 'fromDockerConfig';
      return fail(scope.node.path, prop, `RegistryCredentials.${given}(${this.rawAddress})`,
        `credentials from RegistryCredentials.fromEnvironment or fromVariables here; ${given === 'anonymous' ? 'a login-free registry' : 'a Docker config file'} works only in DockerHost registries`);
    }
    const { usernameVar, passwordVar } = this.from;
    if (typeof usernameVar !== 'string') fail(scope.node.path, `${prop}.usernameVar`, usernameVar, VARIABLE_NAME_RULE);
    if (typeof passwordVar !== 'string') fail(scope.node.path, `${prop}.passwordVar`, passwordVar, VARIABLE_NAME_RULE);
    const user = sensitiveVariable(scope, `${prop}.usernameVar`, usernameVar, `Username for registry ${address}`);
    const pass = sensitiveVariable(scope, `${prop}.passwordVar`, passwordVar, `Password for registry ${address}`);
    return { address, username: user.stringValue, password: pass.stringValue };
  }
}
