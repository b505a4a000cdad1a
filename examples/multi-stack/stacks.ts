import { Construct } from 'constructs';
import { App, TerraformOutput, TerraformStack } from 'cdktf';
import {
  ContainerImage, DataVolume, DockerHost, Healthcheck, MinimalImage, PortMapping, RegistryCredentials,
  ServiceContainer, ServiceNetwork,
} from '../../lib';

export interface PlatformStackProps {
  /** Build context of the api image (a folder with its Dockerfile). */
  readonly apiContext: string;
  /** Address of the Docker daemon. @default 'unix:///var/run/docker.sock' */
  readonly url?: string;
  /** Registry the host pulls private images from. @default 'localhost:5000' */
  readonly registry?: string;
}

/**
 * What the platform team owns and changes rarely: the Docker host, the networks, the data
 * volume and the api image. It declares no container.
 */
export class PlatformStack extends TerraformStack {
  public readonly host: DockerHost;
  public readonly front: ServiceNetwork;
  public readonly back: ServiceNetwork;
  public readonly cacheData: DataVolume;
  public readonly apiImage: MinimalImage;

  constructor(scope: Construct, id: string, props: PlatformStackProps) {
    super(scope, id);
    this.host = new DockerHost(this, 'host', {
      url: props.url,
      registries: [RegistryCredentials.fromEnvironment(props.registry ?? 'localhost:5000', 'REGISTRY_USER', 'REGISTRY_PASSWORD')],
    });
    this.front = new ServiceNetwork(this, 'front');
    this.back = new ServiceNetwork(this, 'back', { internal: true, subnet: '10.20.0.0/24' });
    this.cacheData = new DataVolume(this, 'cache-data');
    this.apiImage = new MinimalImage(this, 'api-image', { context: props.apiContext, name: 'team/api:1.4.2' });
  }
}

export interface AppsStackProps {
  /** The stack whose networks, volume and image the services use. */
  readonly platform: PlatformStack;
  /** Published host port of the web service. @default 8080 */
  readonly webHostPort?: number;
}

/**
 * What the app team deploys often: the three services. It declares no DockerHost: its
 * constructs fall back to the app's only host (the platform's), and the stack gets a
 * provider with that host's configuration. References to the platform's networks, volume
 * and image become outputs of the platform stack read through `terraform_remote_state`.
 */
export class AppsStack extends TerraformStack {
  public readonly cache: ServiceContainer;
  public readonly api: ServiceContainer;
  public readonly web: ServiceContainer;

  constructor(scope: Construct, id: string, props: AppsStackProps) {
    super(scope, id);
    const { platform } = props;
    this.cache = new ServiceContainer(this, 'cache', {
      image: ContainerImage.fromRegistry('redis:7.4-alpine'),
      user: 'redis',
      networks: [platform.back],
      volumes: [{ volume: platform.cacheData, containerPath: '/data' }],
      memoryMiB: 256,
      healthcheck: Healthcheck.command(['redis-cli', 'ping']),
    });
    this.api = new ServiceContainer(this, 'api', {
      image: platform.apiImage,
      networks: [platform.front, platform.back],
      environment: { CACHE_HOST: 'cache', CACHE_PORT: '6379' },
      healthcheck: Healthcheck.http(8080, '/health'),
      dependsOn: [this.cache],
    });
    const webHostPort = props.webHostPort ?? 8080;
    this.web = new ServiceContainer(this, 'web', {
      image: ContainerImage.fromRegistry('nginx:1.27-alpine'),
      networks: [platform.front],
      ports: [PortMapping.public(webHostPort, 80)],
      // nginx's master process runs as root, chowns its cache and switches to the nginx user.
      addCapabilities: ['CHOWN', 'SETUID', 'SETGID'],
      writablePaths: ['/var/cache/nginx', '/var/run'],
      healthcheck: Healthcheck.http(80, '/'),
      dependsOn: [this.api],
    });
    new TerraformOutput(this, 'web_url', { value: `http://localhost:${webHostPort}/` });
  }
}

export interface MultiStackProps extends PlatformStackProps {
  /** Published host port of the web service. @default 8080 */
  readonly webHostPort?: number;
}

/** Adds the `platform` and `apps` stacks to `app`. */
export function addMultiStack(app: App, props: MultiStackProps): { platform: PlatformStack; apps: AppsStack } {
  const platform = new PlatformStack(app, 'platform', props);
  const apps = new AppsStack(app, 'apps', { platform, webHostPort: props.webHostPort });
  return { platform, apps };
}
