import * as path from 'path';
import { Construct } from 'constructs';
import { TerraformOutput, TerraformStack } from 'cdktf';
import {
  ContainerImage, DataVolume, DockerHost, Healthcheck, IContainerImage, MinimalImage, PortMapping, ProductionChecks,
  RegistryCredentials, RegistryPush, ServiceContainer, ServiceNetwork,
} from '../../lib';

/** What a variant of the reference app may change. */
export interface ReferenceAppProps {
  /**
   * Registry the api image is pushed to; `http://` marks a plain-HTTP registry such as a local one.
   * @default process.env.REGISTRY_ADDRESS ?? 'http://localhost:5000'
   */
  readonly registry?: string;
  /** The kreuzwerker/docker provider release to deploy with (`DockerHost` `providerVersion`). @default DockerHost.DEFAULT_PROVIDER_VERSION */
  readonly providerVersion?: string;
  /** Base image of the api build (its Dockerfile's BASE_IMAGE argument). @default - the Dockerfile's own default */
  readonly apiBaseImage?: string;
  /** Build context of the api. @default - examples/reference-app/api */
  readonly apiContext?: string;
  /** Image of the cache service. @default ContainerImage.fromRegistry('redis:7.4-alpine') */
  readonly cacheImage?: IContainerImage;
  /** Command of the cache service. @default - the image's */
  readonly cacheCommand?: string[];
  /** Health check of the cache service. @default Healthcheck.command(['redis-cli', 'ping']) */
  readonly cacheHealthcheck?: Healthcheck;
  /** Image of the web service. @default ContainerImage.fromRegistry('nginx:1.27-alpine') */
  readonly webImage?: IContainerImage;
  /** Command of the web service. @default - the image's */
  readonly webCommand?: string[];
  /** Health check of the web service. @default Healthcheck.http(80, '/') */
  readonly webHealthcheck?: Healthcheck;
  /** Published host port of the web service. @default 8080 */
  readonly webHostPort?: number;
  /** Port the web service listens on inside its container. @default 80 */
  readonly webContainerPort?: number;
}

/**
 * The talk's three-tier app: `web` (published) → `api` (built from a small Dockerfile) →
 * `cache` (with a data volume), on a public `front` and an internal `back` network,
 * started in order once each dependency is healthy.
 */
export class ReferenceApp extends TerraformStack {
  public readonly web: ServiceContainer;
  public readonly api: ServiceContainer;
  public readonly cache: ServiceContainer;
  public readonly apiImage: MinimalImage;
  public readonly push: RegistryPush;

  constructor(scope: Construct, id: string, props: ReferenceAppProps = {}) {
    super(scope, id);
    const registry = props.registry ?? process.env.REGISTRY_ADDRESS ?? 'http://localhost:5000';
    // Image references name the registry without a scheme.
    const registryHost = registry.replace(/^https?:\/\//, '').replace(/\/+$/, '');

    new DockerHost(this, 'host', {
      registries: [RegistryCredentials.fromEnvironment(registry, 'REGISTRY_USER', 'REGISTRY_PASSWORD')],
      providerVersion: props.providerVersion,
    });
    const front = new ServiceNetwork(this, 'front');
    const back = new ServiceNetwork(this, 'back', { internal: true, subnet: '10.20.0.0/24' });
    const data = new DataVolume(this, 'cache-data');

    this.apiImage = new MinimalImage(this, 'api-image', {
      context: props.apiContext ?? path.join(__dirname, 'api'),
      name: 'team/api:1.4.2',
      buildArgs: props.apiBaseImage ? { BASE_IMAGE: props.apiBaseImage } : undefined,
    });
    this.push = new RegistryPush(this, 'api-push', {
      image: this.apiImage,
      repository: `${registryHost}/team/api`,
      tags: ['1.4.2'],
    });

    this.cache = new ServiceContainer(this, 'cache', {
      image: props.cacheImage ?? ContainerImage.fromRegistry('redis:7.4-alpine'),
      command: props.cacheCommand,
      user: props.cacheImage ? undefined : 'redis',
      networks: [back],
      volumes: [{ volume: data, containerPath: '/data' }],
      memoryMiB: 256,
      healthcheck: props.cacheHealthcheck ?? Healthcheck.command(['redis-cli', 'ping']),
    });
    this.api = new ServiceContainer(this, 'api', {
      image: this.apiImage,
      networks: [front, back],
      environment: { CACHE_HOST: 'cache', CACHE_PORT: '6379' },
      healthcheck: Healthcheck.http(8080, '/health'),
      dependsOn: [this.cache],
    });
    this.web = new ServiceContainer(this, 'web', {
      image: props.webImage ?? ContainerImage.fromRegistry('nginx:1.27-alpine'),
      command: props.webCommand,
      networks: [front],
      ports: [PortMapping.public(props.webHostPort ?? 8080, props.webContainerPort ?? 80)],
      // nginx's master process runs as root, chowns its cache and switches to the nginx user.
      addCapabilities: props.webImage ? undefined : ['CHOWN', 'SETUID', 'SETGID'],
      writablePaths: ['/var/cache/nginx', '/var/run'],
      healthcheck: props.webHealthcheck ?? Healthcheck.http(80, '/'),
      dependsOn: [this.api],
    });

    // Reasoned exceptions, visible in review reports.
    ProductionChecks.suppress(this.web, 'port-published-on-all-interfaces', 'web is the public entry point of the app; api and cache publish nothing');
    if (!props.webImage) {
      ProductionChecks.suppress(this.web, 'user-not-set', "nginx's master process starts as root to switch to the nginx user; only CHOWN, SETUID and SETGID are kept");
    }

    new TerraformOutput(this, 'web_url', { value: `http://localhost:${props.webHostPort ?? 8080}/` });
    new TerraformOutput(this, 'api_image', { value: this.push.references.join(', ') });
  }
}
