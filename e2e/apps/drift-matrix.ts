/**
 * The drift matrix: two stacks that together use every construct of the library and every prop
 * that renders something, deployed by e2e/tests/drift-matrix.e2e.ts and re-planned after the
 * deploy and after a restart of the Docker daemon. Every object name starts with `dm-`.
 */
import * as path from 'path';
import { App, TerraformStack } from 'cdktf';
import {
  ContainerImage, DataVolume, DockerHost, Healthcheck, MinimalImage, PortMapping, Protocol, RegistryCredentials, RegistryPush,
  RestartPolicy, Secret, ServiceContainer, ServiceNetwork,
} from '../../lib';

export interface DriftMatrixProps {
  readonly providerVersion: string;
  /** The local busybox image, by tag. */
  readonly busybox: string;
  /** The same image by digest, as pushed to the local registry (`127.0.0.1:5000/...@sha256:...`). */
  readonly busyboxByDigest: string;
  /** The local registry, `host:port`. */
  readonly registry: string;
  /** Host folders for the bind mounts: one read-only, one read-write. */
  readonly configDir: string;
  readonly outputDir: string;
  /** Build context (a copy of e2e/fixtures/multistage). */
  readonly context: string;
}

/** Host ports the matrix publishes. */
export const PORTS = { local: 18181, onInterface: 18182, public: 18183, udp: 18184 };

/** Containers that have a health check, and all containers, by stack. */
export const CONTAINERS = {
  'drift-main': ['dm-web', 'dm-cache', 'dm-worker', 'dm-always', 'dm-once'],
  'drift-edge': ['dm-edge'],
};

/** Repositories the matrix pushes to, and the tags each keeps after destroy. */
export const PUSHES = { kept: { repository: 'e2e/dm-web', tags: ['1.0', '1.0.0'] }, removed: { repository: 'e2e/dm-throwaway', tags: ['0.1.0'] } };

export function driftMatrix(app: App, p: DriftMatrixProps): TerraformStack[] {
  const fast = { intervalSeconds: 2, timeoutSeconds: 3, retries: 5, startPeriodSeconds: 20 };

  const main = new TerraformStack(app, 'drift-main');
  new DockerHost(main, 'host', { providerVersion: p.providerVersion, registries: [RegistryCredentials.anonymous(`http://${p.registry}`)] });
  const front = new ServiceNetwork(main, 'front', { networkName: 'dm-front', attachable: true, labels: { 'e2e.tier': 'front' } });
  const back = new ServiceNetwork(main, 'back', {
    networkName: 'dm-back', internal: true, subnet: '10.231.0.0/24', gateway: '10.231.0.1', ipRange: '10.231.0.128/25', labels: { 'e2e.tier': 'back' },
  });
  // A subnet without a gateway: the library writes out the one Docker picks.
  const plain = new ServiceNetwork(main, 'plain', { networkName: 'dm-plain', subnet: '10.232.0.0/24' });
  const data = new DataVolume(main, 'data', { volumeName: 'dm-data', labels: { 'e2e.kind': 'data' } });
  const scratch = new DataVolume(main, 'scratch', {
    volumeName: 'dm-scratch', driver: 'local', driverOptions: { type: 'tmpfs', device: 'tmpfs', o: 'size=16m' }, labels: { 'e2e.kind': 'scratch' },
  });

  const webImage = new MinimalImage(main, 'web-image', {
    context: p.context, name: 'e2e/dm-web:1.0.0', target: 'runtime', buildArgs: { BASE_IMAGE: p.busybox, GREETING: 'drift' },
  });
  new RegistryPush(main, 'web-push', { image: webImage, repository: `${p.registry}/${PUSHES.kept.repository}`, tags: PUSHES.kept.tags });
  new RegistryPush(main, 'throwaway-push', {
    image: webImage, repository: `${p.registry}/${PUSHES.removed.repository}`, tags: PUSHES.removed.tags, keepRemotely: false,
  });
  const byTag = ContainerImage.fromRegistry(p.busybox);
  const byDigest = ContainerImage.fromRegistry(p.busyboxByDigest);

  const cache = new ServiceContainer(main, 'cache', {
    serviceName: 'dm-cache', image: byDigest,
    command: ['nc', '-ll', '-p', '7000', '-e', 'cat'],
    networks: [back], healthcheck: Healthcheck.tcp(7000, fast),
    volumes: [{ volume: data, containerPath: '/data' }, { volume: scratch, containerPath: '/scratch', readOnly: true }],
    writablePaths: ['/var/run/app'], tmpfsSizeMiB: 16,
    restartPolicy: RestartPolicy.ON_FAILURE, maxRetryCount: 3,
    memoryMiB: 32, addCapabilities: ['NET_BIND_SERVICE', 'chown'],
  });
  new ServiceContainer(main, 'web', {
    serviceName: 'dm-web', image: webImage,
    networks: [front, back, plain],
    // One binding per container port (the library refuses more: the provider would read them back reordered).
    // No SCTP here: this kernel has no SCTP, and Docker's port proxy answers "protocol not supported".
    ports: [PortMapping.local(PORTS.udp, 9000, Protocol.UDP), PortMapping.local(PORTS.local, 8080)],
    healthcheck: Healthcheck.http(8080, '/health', fast),
    environment: { GREETING: 'drift', EMPTY: '' },
    secretEnvironment: { API_TOKEN: Secret.fromVariable('dm_api_token') },
    user: '65534:65534', workingDir: '/srv/www',
    cpus: 0.5, memoryMiB: 64, stopTimeoutSeconds: 3,
    labels: { 'e2e.role': 'web', 'e2e.owner': 'drift-matrix' },
    restartPolicy: RestartPolicy.UNLESS_STOPPED,
    dependsOn: [cache],
  });
  new ServiceContainer(main, 'worker', {
    serviceName: 'dm-worker', image: byTag,
    entrypoint: ['/bin/sh', '-c'], command: ['echo started > /out/worker.log; exec sleep 100000'],
    networks: [back], init: false,
    bindMounts: [{ hostPath: p.configDir, containerPath: '/config' }, { hostPath: p.outputDir, containerPath: '/out', readOnly: false }],
    healthcheck: Healthcheck.shell('test -r /config/app.conf && test -s /out/worker.log', fast),
    dependsOn: [cache],
  });
  new ServiceContainer(main, 'always', {
    serviceName: 'dm-always', image: byTag, command: ['httpd', '-f', '-p', '8080', '-h', '/var/www'], networks: [plain],
    ports: [PortMapping.public(PORTS.public, 8080)],
    restartPolicy: RestartPolicy.ALWAYS, healthcheck: Healthcheck.command(['test', '-d', '/tmp'], fast),
    dropAllCapabilities: false, addCapabilities: ['NET_BIND_SERVICE'], noNewPrivileges: false, readOnlyRootFilesystem: false,
    logMaxSizeMiB: 1, logMaxFiles: 2,
  });
  new ServiceContainer(main, 'once', {
    serviceName: 'dm-once', image: byTag, command: ['sleep', '100000'], networks: [plain],
    restartPolicy: RestartPolicy.NO, waitForHealthy: false, healthcheck: Healthcheck.command(['true'], fast),
  });

  // A second stack with an aliased host on the same engine.
  const edge = new TerraformStack(app, 'drift-edge');
  const edgeHost = new DockerHost(edge, 'edge-host', { alias: 'edge', providerVersion: p.providerVersion });
  const edgeNet = new ServiceNetwork(edge, 'edge-net', { host: edgeHost, networkName: 'dm-edge-net' });
  new ServiceContainer(edge, 'edge', {
    host: edgeHost, serviceName: 'dm-edge', image: ContainerImage.fromRegistry(p.busybox, { keepLocally: true }),
    command: ['httpd', '-f', '-p', '8080', '-h', '/var/www'], networks: [edgeNet], healthcheck: Healthcheck.http(8080, '/', fast),
    ports: [PortMapping.onInterface('127.0.0.2', PORTS.onInterface, 8080)],
  });
  return [main, edge];
}

/** The stack folder of a synthesized stack. */
export function stackFolder(outdir: string, stack: TerraformStack): string {
  return path.join(outdir, 'stacks', stack.node.id);
}
