/**
 * The swarm app that e2e/tests/swarm.e2e.ts deploys to the three-engine swarm of e2e/swarm.sh with
 * the library's Swarm constructs: an overlay network, a secret, a config, a 3-replica web service
 * (hardened, health-checked, updated start-first one task at a time with automatic rollback) and an
 * edge service that publishes a port on every node in host mode and reaches the web service by name
 * over the overlay network. Every object name starts with `prefix`.
 *
 * This kernel has no IPVS: the ingress routing mesh and VIP load balancing do not work here, so both
 * services use endpoint mode dnsrr and the edge publishes in host mode. The web service publishes
 * nothing: a host-mode port on a service with as many replicas as nodes would leave a start-first
 * update no node to start the new task on ("host-mode port already in use on 3 nodes").
 *
 * The test builds the images (FROM local/busybox:1.35) and pushes them to the local registry; they
 * are given here by digest (`repo:tag@sha256:...`), the form the engine pins a service to anyway
 * (a tag alone comes back with its digest after the create, a change on the next plan).
 */
import { App, TerraformStack } from 'cdktf';
import {
  ContainerImage, DockerHost, EndpointMode, Healthcheck, OverlayNetwork, Secret, ServicePort, SwarmConfig, SwarmSecret, SwarmService,
  UpdateFailureAction, UpdateOrder,
} from '../../lib';

export interface SwarmAppProps {
  readonly providerVersion: string;
  /** Every object name starts with it. */
  readonly prefix: string;
  /** The web image by digest (`127.0.0.1:5000/e2e/swarm-web:1@sha256:...`): serves /health, /cgi-bin/whoami. */
  readonly webImage: string;
  /** The edge image by digest: /cgi-bin/web asks http://$UPSTREAM/cgi-bin/whoami. */
  readonly edgeImage: string;
  /** The edge's host-mode published port (on every node). */
  readonly edgePort: number;
  /** The Terraform variable that holds the secret's value (TF_VAR_<name>). */
  readonly secretVariable: string;
  /** The config file's content (the web image's whoami prints it). */
  readonly configContent: string;
}

export const SWARM_APP_STACK = 'swarm-app';
/** Where the web tasks find the secret and the config. */
export const secretPath = (prefix: string) => `/run/secrets/${prefix}-token`;
export const CONFIG_PATH = '/etc/sw-web/app.conf';
export const WEB_MEMORY_MIB = 64;
export const EDGE_MEMORY_MIB = 32;
export const TASK_USER = '65534:65534';

export function swarmApp(app: App, p: SwarmAppProps): TerraformStack {
  const stack = new TerraformStack(app, SWARM_APP_STACK);
  const fast = { intervalSeconds: 2, timeoutSeconds: 3, retries: 3, startPeriodSeconds: 2 };

  new DockerHost(stack, 'manager', { providerVersion: p.providerVersion, swarm: true });
  const net = new OverlayNetwork(stack, 'net', { networkName: `${p.prefix}-net`, attachable: true });
  const token = new SwarmSecret(stack, 'token', { secretName: `${p.prefix}-token`, value: Secret.fromVariable(p.secretVariable) });
  const conf = new SwarmConfig(stack, 'conf', { configName: `${p.prefix}-conf`, content: p.configContent });

  const web = new SwarmService(stack, 'web', {
    serviceName: `${p.prefix}-web`,
    image: ContainerImage.fromRegistry(p.webImage),
    command: ['httpd', '-f', '-p', '8080', '-h', '/srv/www'],
    user: TASK_USER,
    memoryMiB: WEB_MEMORY_MIB,
    replicas: 3,
    // At most two per node: spread over at least two nodes, and room for start-first's extra task.
    maxReplicasPerNode: 2,
    placementPreferences: ['node.labels.e2e.node'],
    networks: [net],
    endpointMode: EndpointMode.DNSRR,
    healthcheck: Healthcheck.http(8080, '/health', fast),
    secrets: [{ secret: token, target: secretPath(p.prefix), uid: '65534', gid: '65534', mode: 0o400 }],
    configs: [{ config: conf, target: CONFIG_PATH }],
    updateConfig: { parallelism: 1, order: UpdateOrder.START_FIRST, failureAction: UpdateFailureAction.ROLLBACK, monitorSeconds: 10 },
    rollbackConfig: { parallelism: 1, order: UpdateOrder.START_FIRST, monitorSeconds: 10 },
    stopTimeoutSeconds: 10,
  });

  new SwarmService(stack, 'edge', {
    serviceName: `${p.prefix}-edge`,
    image: ContainerImage.fromRegistry(p.edgeImage),
    command: ['httpd', '-f', '-p', '8080', '-h', '/srv/www'],
    environment: { UPSTREAM: `${web.serviceName}:8080` },
    user: TASK_USER,
    memoryMiB: EDGE_MEMORY_MIB,
    // One per node: the scheduler places at most one task per node that publishes a host-mode port.
    replicas: 3,
    networks: [net],
    endpointMode: EndpointMode.DNSRR,
    ports: [ServicePort.host(p.edgePort, 8080)],
    healthcheck: Healthcheck.http(8080, '/', fast),
    stopTimeoutSeconds: 10,
  });
  return stack;
}
