import * as path from 'path';
import { Construct } from 'constructs';
import { TerraformOutput, TerraformStack } from 'cdktf';
import {
  ContainerImage, DataVolume, DockerHost, Healthcheck, IContainerImage, MinimalImage, OverlayNetwork, ProductionChecks, Secret,
  ServicePort, SwarmConfig, SwarmSecret, SwarmService, UpdateOrder,
} from '../../lib';

/** What a variant of the swarm app may change. */
export interface SwarmAppProps {
  /** The kreuzwerker/docker provider release to deploy with (`DockerHost` `providerVersion`). @default DockerHost.DEFAULT_PROVIDER_VERSION */
  readonly providerVersion?: string;
  /** Image of the cache service. @default ContainerImage.fromRegistry('redis:7.4-alpine') */
  readonly cacheImage?: IContainerImage;
  /** Image of the web service. @default ContainerImage.fromRegistry('nginx:1.27-alpine') */
  readonly webImage?: IContainerImage;
  /** Replicas of the api service. @default 2 */
  readonly apiReplicas?: number;
  /** Port the routing mesh publishes the web service on, on every node. @default 8080 */
  readonly webPort?: number;
}

/**
 * The reference app's three tiers (`examples/reference-app`) as Swarm services on a swarm
 * manager: `web` (nginx, published through the routing mesh, its site from a SwarmConfig) and
 * `api` (built from the reference app's Dockerfile, two replicas, a database password as a
 * SwarmSecret file) on an encrypted `front` overlay network; `api` and `cache` (redis with a
 * data volume, one replica pinned to the manager that holds the volume) on an internal,
 * encrypted `back` overlay network. Where the single-host app orders start-up with health-gated
 * `dependsOn`, the swarm keeps restarting a task until its dependencies answer, and each
 * rolling update waits for the new task to be healthy.
 *
 * The api image is built on the manager and run by id: on a swarm of several nodes, push it
 * (`RegistryPush`) and run it by digest (`ContainerImage.fromRegistry('<registry>/team/api:1.4.2@sha256:...')`).
 */
export class SwarmApp extends TerraformStack {
  public readonly web: SwarmService;
  public readonly api: SwarmService;
  public readonly cache: SwarmService;

  constructor(scope: Construct, id: string, props: SwarmAppProps = {}) {
    super(scope, id);
    new DockerHost(this, 'host', { swarm: true, providerVersion: props.providerVersion });
    const front = new OverlayNetwork(this, 'front', { encrypted: true });
    const back = new OverlayNetwork(this, 'back', { internal: true, encrypted: true, subnet: '10.21.0.0/24' });
    const data = new DataVolume(this, 'cache-data');
    const dbPassword = new SwarmSecret(this, 'db-password', { value: Secret.fromVariable('db_password') });
    const site = new SwarmConfig(this, 'web-site', { file: path.join(__dirname, 'nginx.conf') });

    this.cache = new SwarmService(this, 'cache', {
      image: props.cacheImage ?? ContainerImage.fromRegistry('redis:7.4-alpine'),
      user: props.cacheImage ? undefined : 'redis',
      networks: [back],
      volumes: [{ volume: data, containerPath: '/data' }],
      memoryMiB: 256,
      healthcheck: Healthcheck.command(['redis-cli', 'ping']),
      // The data volume lives on the manager: one task, there, and never two on one volume.
      replicas: 1,
      placementConstraints: ['node.role==manager'],
      updateConfig: { order: UpdateOrder.STOP_FIRST },
      rollbackConfig: { order: UpdateOrder.STOP_FIRST },
    });
    this.api = new SwarmService(this, 'api', {
      image: new MinimalImage(this, 'api-image', { context: path.join(__dirname, '..', 'reference-app', 'api'), name: 'team/api:1.4.2' }),
      replicas: props.apiReplicas ?? 2,
      networks: [front, back],
      environment: { CACHE_HOST: 'cache', CACHE_PORT: '6379' },
      healthcheck: Healthcheck.http(8080, '/health'),
      // The image runs as 65534:65534: the secret file is that user's, readable by it only.
      secrets: [{ secret: dbPassword, uid: '65534', gid: '65534' }],
    });
    this.web = new SwarmService(this, 'web', {
      image: props.webImage ?? ContainerImage.fromRegistry('nginx:1.27-alpine'),
      networks: [front],
      ports: [ServicePort.ingress(props.webPort ?? 8080, 80)],
      configs: [{ config: site, target: '/etc/nginx/conf.d/default.conf' }],
      // nginx's master process runs as root, chowns its cache and switches to the nginx user.
      addCapabilities: props.webImage ? undefined : ['CHOWN', 'SETUID', 'SETGID'],
      writablePaths: ['/var/cache/nginx', '/var/run'],
      healthcheck: Healthcheck.http(80, '/'),
    });

    // Reasoned exceptions, visible in review reports.
    ProductionChecks.suppress(this.web, 'port-published-on-all-interfaces', 'web is the public entry point of the app; api and cache publish nothing');
    ProductionChecks.suppress(this.cache, 'single-replica-service', 'the cache keeps its data in a local volume on the manager: a second task would start on an empty volume elsewhere');
    if (!props.webImage) {
      ProductionChecks.suppress(this.web, 'user-not-set', "nginx's master process starts as root to switch to the nginx user; only CHOWN, SETUID and SETGID are kept");
    }

    new TerraformOutput(this, 'web_url', { value: `http://localhost:${props.webPort ?? 8080}/` });
  }
}

