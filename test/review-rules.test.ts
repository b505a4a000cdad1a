/**
 * Every rule, compliant and non-compliant, through both front ends: the
 * ProductionChecks Aspect on a stack of raw @cdktf/provider-docker resources,
 * and the review command on the same stack synthesized to a cdktf.out folder.
 */
import 'cdktf/lib/testing/adapters/jest';
import * as fs from 'fs';
import * as path from 'path';
import { App, Fn, TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { Config } from '@cdktf/provider-docker/lib/config';
import { Container } from '@cdktf/provider-docker/lib/container';
import { Image } from '@cdktf/provider-docker/lib/image';
import { Plugin } from '@cdktf/provider-docker/lib/plugin';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { RegistryImage } from '@cdktf/provider-docker/lib/registry-image';
import { Secret } from '@cdktf/provider-docker/lib/secret';
import { Service } from '@cdktf/provider-docker/lib/service';
import { Tag } from '@cdktf/provider-docker/lib/tag';
import { BootOrderApp } from '../examples/boot-order/app';
import { addMultiStack } from '../examples/multi-stack/stacks';
import { ReferenceApp } from '../examples/reference-app/app';
import { BASE_IMAGE_LABEL, ContainerImage, DockerHost, Healthcheck, MinimalImage, ServiceContainer, ServiceNetwork } from '../lib';
import { ProductionChecks } from '../lib/production-checks';
import { DockerfileCache } from '../lib/review/dockerfile';
import { reviewStack } from '../lib/review/engine';
import { Severity } from '../lib/review/model';
import { fromPlanJson } from '../lib/review/plan-input';
import { capabilityName, DANGEROUS_CAPABILITIES } from '../lib/review/rule-definition';
import { RULES } from '../lib/review/rules/index';
import { Build, contextDir, hardened, hardenedService, runCli, ServiceOverrides, tempDir, viaAspect, viaCli, writeJson } from './fixtures/review/helpers';

interface Case {
  /** What the case shows. */
  readonly name: string;
  /** Terraform address of the resource under test. */
  readonly resource: string;
  readonly build: Build;
}

interface RuleCases {
  readonly bad: Case[];
  readonly good: Case[];
}

const container = (overrides: Parameters<typeof hardened>[0]): Build => (stack) => {
  new Container(stack, 'c', hardened(overrides));
};

/** A Swarm service (the L1 docker_service) that passes every rule but what `overrides` changes. */
const swarmService = (overrides: ServiceOverrides): Build => (stack) => {
  new Service(stack, 's', hardenedService(overrides));
};
const S = 'docker_service.s';

const C = 'docker_container.c';
const P = 'docker_plugin.p';
const PROVIDER = 'provider.docker';

const plugin = (config: Partial<ConstructorParameters<typeof Plugin>[2]>): Build => (stack) => {
  new Plugin(stack, 'p', { name: 'vieux/sshfs:1.0.0', ...config });
};
const sshProvider = (sshOpts: string[]): Build => (stack) => {
  new DockerProvider(stack, 'docker', { host: 'ssh://deploy@10.0.0.5:22', sshOpts });
};
/** A container whose log driver comes from a variable (a module's input): the review cannot read it. */
const variableLogDriver = (logOpts: Record<string, string>): Build => (stack) => {
  const driver = new TerraformVariable(stack, 'log_driver', { type: 'string', default: 'json-file' });
  new Container(stack, 'c', hardened({ logDriver: driver.stringValue, logOpts }));
};
/** A container in a host namespace, `host-namespace` (an error) suppressed: the warning rules' cases must synthesize. */
const inHostNamespace = (overrides: Parameters<typeof hardened>[0]): Build => (stack) => {
  const c = new Container(stack, 'c', hardened(overrides));
  ProductionChecks.suppress(c, 'host-namespace', 'the case is about a sysctl in the host namespace, not the namespace itself');
};
/** A ServiceContainer with the library's defaults (and `props`). */
const service = (props: Partial<ConstructorParameters<typeof ServiceContainer>[2]> = {}): Build => (stack) => {
  new DockerHost(stack, 'host');
  const net = new ServiceNetwork(stack, 'net');
  new ServiceContainer(stack, 'svc', { image: ContainerImage.fromRegistry('nginx:1.27-alpine'), networks: [net], healthcheck: Healthcheck.http(80, '/'), ...props });
};

const CASES: Record<string, RuleCases> = {
  'image-not-pinned': {
    bad: [
      { name: 'container image without tag', resource: C, build: container({ image: 'nginx' }) },
      { name: 'container image :latest', resource: C, build: container({ image: 'registry.example.com:5000/team/app:latest' }) },
      { name: 'registry host with port but no tag', resource: C, build: container({ image: 'localhost:5000/team/app' }) },
      { name: 'docker_image name', resource: 'docker_image.img', build: (s) => { new Image(s, 'img', { name: 'team/api' }); } },
      { name: 'docker_registry_image name', resource: 'docker_registry_image.push', build: (s) => { new RegistryImage(s, 'push', { name: 'localhost:5000/team/api:latest', keepRemotely: true }); } },
      { name: 'docker_tag target', resource: 'docker_tag.tag', build: (s) => { new Tag(s, 'tag', { sourceImage: 'team/api:1.0.0', targetImage: 'localhost:5000/team/api' }); } },
      { name: 'docker_plugin name without tag', resource: P, build: plugin({ name: 'vieux/sshfs' }) },
      { name: 'docker_plugin name :latest', resource: P, build: plugin({ name: 'vieux/sshfs:latest' }) },
    ],
    good: [
      { name: 'version tag', resource: C, build: container({ image: 'nginx:1.27-alpine' }) },
      { name: 'digest', resource: C, build: container({ image: 'nginx@sha256:0a399eb16751829e1af26fea27b20c3ec28d7ab1fb72182879dcae1cca21206a' }) },
      {
        name: 'image_id reference to a pinned docker_image',
        resource: C,
        build: (s) => {
          const img = new Image(s, 'img', { name: 'redis:7.4-alpine' });
          new Container(s, 'c', hardened({ image: img.imageId }));
        },
      },
      { name: 'docker_tag with an image ID source and a version tag', resource: 'docker_tag.tag', build: (s) => { new Tag(s, 'tag', { sourceImage: 'sha256:4b3c2a1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b', targetImage: 'localhost:5000/team/api:1.0.0' }); } },
      { name: 'docker_plugin with a version tag', resource: P, build: plugin({}) },
    ],
  },
  'large-base-image': {
    bad: [
      { name: 'Dockerfile FROM node:20', resource: 'docker_image.img', build: (s) => { new Image(s, 'img', { name: 'team/api:1.0.0', buildAttribute: { context: contextDir('node-full') } }); } },
      { name: 'ARG defaults and a stage alias resolve to ubuntu:24.04', resource: 'docker_image.img', build: (s) => { new Image(s, 'img', { name: 'team/api:1.0.0', buildAttribute: { context: contextDir('arg-alias-large') } }); } },
      { name: 'target selects the large dev stage', resource: 'docker_image.img', build: (s) => { new Image(s, 'img', { name: 'team/api:1.0.0', buildAttribute: { context: contextDir('target-dev'), target: 'dev' } }); } },
      {
        name: 'no Dockerfile: the MinimalImage base label',
        resource: 'docker_image.img',
        build: (s) => { new Image(s, 'img', { name: 'team/api:1.0.0', buildAttribute: { context: '/nonexistent/context', label: { 'org.opencontainers.image.base.name': 'python:3.12' } } }); },
      },
    ],
    good: [
      { name: 'node:20-alpine', resource: 'docker_image.img', build: (s) => { new Image(s, 'img', { name: 'team/api:1.0.0', buildAttribute: { context: contextDir('node-alpine') } }); } },
      { name: 'multi-stage ending in distroless', resource: 'docker_image.img', build: (s) => { new Image(s, 'img', { name: 'team/api:1.0.0', buildAttribute: { context: contextDir('multi-stage-distroless') } }); } },
      { name: 'scratch', resource: 'docker_image.img', build: (s) => { new Image(s, 'img', { name: 'team/api:1.0.0', buildAttribute: { context: contextDir('scratch') } }); } },
      { name: 'build arg overrides the large default', resource: 'docker_image.img', build: (s) => { new Image(s, 'img', { name: 'team/api:1.0.0', buildAttribute: { context: contextDir('arg-alias-large'), buildArgs: { BASE_IMAGE: 'debian', BASE_TAG: 'bookworm-slim' } } }); } },
      { name: 'the last stage of a multi-stage file when no target is set', resource: 'docker_image.img', build: (s) => { new Image(s, 'img', { name: 'team/api:1.0.0', buildAttribute: { context: contextDir('target-dev') } }); } },
      {
        name: 'no Dockerfile: a small base label',
        resource: 'docker_image.img',
        build: (s) => { new Image(s, 'img', { name: 'team/api:1.0.0', buildAttribute: { context: '/nonexistent/context', label: { 'org.opencontainers.image.base.name': 'busybox:1.36' } } }); },
      },
    ],
  },
  'multiple-processes': {
    bad: [
      { name: 'supervisord', resource: C, build: container({ command: ['/usr/bin/supervisord', '-n'] }) },
      { name: 'sshd entrypoint', resource: C, build: container({ entrypoint: ['/usr/sbin/sshd', '-D'] }) },
      { name: 'background & in sh -c', resource: C, build: container({ command: ['sh', '-c', 'php-fpm & nginx -g "daemon off;"'] }) },
      { name: 'cron started by a shell', resource: C, build: container({ entrypoint: ['/bin/bash', '-c'], command: ['crond && exec app'] }) },
      { name: '/sbin/init', resource: C, build: container({ command: ['/sbin/init'] }) },
    ],
    good: [
      { name: 'one binary', resource: C, build: container({ command: ['nginx', '-g', 'daemon off;'] }) },
      { name: '&& and redirections are not background jobs', resource: C, build: container({ command: ['sh', '-c', 'migrate && exec server >/dev/stdout 2>&1'] }) },
      { name: '& inside quotes', resource: C, build: container({ command: ['sh', '-c', "exec curl 'http://x/?a=1&b=2'"] }) },
    ],
  },
  'legacy-links': {
    bad: [{ name: 'links (provider 3.x has no links argument: an override)', resource: C, build: (s) => { new Container(s, 'c', hardened()).addOverride('links', ['db:db']); } }],
    good: [{ name: 'no links', resource: C, build: container({}) }],
  },
  'default-bridge-network': {
    bad: [
      { name: 'no network at all', resource: C, build: container({ networksAdvanced: undefined }) },
      { name: 'network_mode bridge', resource: C, build: container({ networksAdvanced: undefined, networkMode: 'bridge' }) },
    ],
    good: [
      { name: 'user-defined network', resource: C, build: container({}) },
      { name: 'network_mode none', resource: C, build: container({ networksAdvanced: undefined, networkMode: 'none' }) },
    ],
  },
  'host-namespace': {
    bad: [
      { name: 'host network', resource: C, build: container({ networksAdvanced: undefined, networkMode: 'host' }) },
      { name: 'host PID', resource: C, build: container({ pidMode: 'host' }) },
      { name: 'host IPC', resource: C, build: container({ ipcMode: 'host' }) },
      { name: 'host user namespace', resource: C, build: container({ usernsMode: 'host' }) },
      { name: 'host cgroup namespace', resource: C, build: container({ cgroupnsMode: 'host' }) },
    ],
    good: [
      { name: 'private namespaces', resource: C, build: container({ ipcMode: 'private', cgroupnsMode: 'private' }) },
    ],
  },
  'privileged-container': {
    bad: [{ name: 'privileged', resource: C, build: container({ privileged: true }) }],
    good: [{ name: 'privileged false', resource: C, build: container({ privileged: false }) }],
  },
  'docker-socket-mounted': {
    bad: [
      { name: 'volume host_path', resource: C, build: container({ volumes: [{ hostPath: '/var/run/docker.sock', containerPath: '/var/run/docker.sock', readOnly: true }] }) },
      { name: 'bind mount of /run/docker.sock', resource: C, build: container({ mounts: [{ type: 'bind', source: '/run/docker.sock', target: '/docker.sock' }] }) },
      { name: 'the directory that holds the socket', resource: C, build: container({ volumes: [{ hostPath: '/var/run/', containerPath: '/host-run' }] }) },
    ],
    good: [
      { name: 'an application directory', resource: C, build: container({ mounts: [{ type: 'bind', source: '/srv/app/data', target: '/data' }] }) },
    ],
  },
  'sensitive-host-path': {
    bad: [
      { name: '/etc', resource: C, build: container({ volumes: [{ hostPath: '/etc', containerPath: '/host-etc', readOnly: true }] }) },
      { name: '/proc via bind mount', resource: C, build: container({ mounts: [{ type: 'bind', source: '/proc', target: '/host/proc', readOnly: true }] }) },
      { name: 'the host root', resource: C, build: container({ volumes: [{ hostPath: '/', containerPath: '/host' }] }) },
      { name: 'a path under /usr read-write', resource: C, build: container({ volumes: [{ hostPath: '/usr/local/bin', containerPath: '/tools' }] }) },
      { name: '/var/lib/docker', resource: C, build: container({ mounts: [{ type: 'bind', source: '/var/lib/docker', target: '/docker' }] }) },
    ],
    good: [
      { name: 'a file under /etc read-only', resource: C, build: container({ volumes: [{ hostPath: '/etc/localtime', containerPath: '/etc/localtime', readOnly: true }] }) },
      { name: 'an application directory', resource: C, build: container({ volumes: [{ hostPath: '/srv/app', containerPath: '/data' }] }) },
      { name: 'a named volume mount', resource: C, build: container({ mounts: [{ type: 'volume', source: 'etc', target: '/etc/app' }] }) },
    ],
  },
  'capabilities-not-dropped': {
    bad: [
      { name: 'no capabilities block', resource: C, build: container({ capabilities: undefined }) },
      { name: 'drops only NET_RAW', resource: C, build: container({ capabilities: { drop: ['NET_RAW'] } }) },
    ],
    good: [
      { name: 'drop ALL, add one back', resource: C, build: container({ capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] } }) },
      { name: 'lower-case all', resource: C, build: container({ capabilities: { drop: ['all'] } }) },
    ],
  },
  'no-new-privileges-missing': {
    bad: [
      { name: 'no security_opts', resource: C, build: container({ securityOpts: undefined }) },
      { name: 'other options only', resource: C, build: container({ securityOpts: ['apparmor=docker-default'] }) },
    ],
    good: [
      { name: 'no-new-privileges:true', resource: C, build: container({}) },
      { name: 'bare no-new-privileges', resource: C, build: container({ securityOpts: ['no-new-privileges'] }) },
    ],
  },
  'writable-root-filesystem': {
    bad: [
      { name: 'read_only unset', resource: C, build: container({ readOnly: undefined }) },
      { name: 'read_only false', resource: C, build: container({ readOnly: false }) },
    ],
    good: [{ name: 'read_only true', resource: C, build: container({}) }],
  },
  'no-memory-limit': {
    bad: [
      { name: 'memory unset', resource: C, build: container({ memory: undefined }) },
      { name: 'memory 0', resource: C, build: container({ memory: 0 }) },
    ],
    good: [{ name: 'memory 256', resource: C, build: container({}) }],
  },
  'no-restart-policy': {
    bad: [
      { name: 'restart unset', resource: C, build: container({ restart: undefined }) },
      { name: 'restart no', resource: C, build: container({ restart: 'no' }) },
      { name: 'a supervisor label other than systemd', resource: C, build: container({ restart: undefined, labels: [{ label: 'cdktf-docker-production/supervisor', value: 'cron' }] }) },
    ],
    good: [
      { name: 'unless-stopped', resource: C, build: container({}) },
      { name: 'supervised by systemd (label)', resource: C, build: container({ restart: undefined, labels: [{ label: 'cdktf-docker-production/supervisor', value: 'systemd' }] }) },
    ],
  },
  'no-health-check': {
    bad: [
      { name: 'no healthcheck block', resource: C, build: container({ healthcheck: undefined }) },
      { name: 'healthcheck NONE', resource: C, build: container({ healthcheck: { test: ['NONE'] } }) },
      {
        name: 'the image has a HEALTHCHECK, the container does not',
        resource: C,
        build: (s) => {
          const img = new Image(s, 'img', { name: 'team/api:1.0.0', buildAttribute: { context: contextDir('node-alpine') } });
          new Container(s, 'c', hardened({ image: img.imageId, healthcheck: undefined }));
        },
      },
    ],
    good: [{ name: 'CMD health check', resource: C, build: container({}) }],
  },
  'no-log-rotation': {
    bad: [
      { name: 'log_driver unset', resource: C, build: container({ logDriver: undefined, logOpts: undefined }) },
      { name: 'json-file with max-size only', resource: C, build: container({ logOpts: { 'max-size': '10m' } }) },
      { name: 'local without options', resource: C, build: container({ logDriver: 'local', logOpts: undefined }) },
    ],
    good: [
      { name: 'json-file with max-size and max-file', resource: C, build: container({}) },
      { name: 'journald', resource: C, build: container({ logDriver: 'journald', logOpts: undefined }) },
    ],
  },
  'port-published-on-all-interfaces': {
    bad: [
      { name: 'ip unset', resource: C, build: container({ ports: [{ internal: 80, external: 8080 }] }) },
      { name: 'ip 0.0.0.0, random host port', resource: C, build: container({ ports: [{ internal: 80, ip: '0.0.0.0' }] }) },
      { name: 'ip ::', resource: C, build: container({ ports: [{ internal: 53, external: 53, ip: '::', protocol: 'udp' }] }) },
    ],
    good: [
      { name: 'loopback', resource: C, build: container({ ports: [{ internal: 80, external: 8080, ip: '127.0.0.1' }] }) },
      { name: 'a specific interface', resource: C, build: container({ ports: [{ internal: 80, external: 80, ip: '10.0.0.5' }] }) },
    ],
  },
  'literal-secret-env': {
    bad: [
      { name: 'PASSWORD', resource: C, build: container({ env: ['DB_PASSWORD=hunter2'] }) },
      { name: 'API_KEY', resource: C, build: container({ env: ['LOG_LEVEL=info', 'STRIPE_API_KEY=sk_live_abc'] }) },
      { name: 'TOKEN', resource: C, build: container({ env: ['GITHUB_TOKEN=ghp_xyz'] }) },
      { name: 'private-key', resource: C, build: container({ env: ['tls-private-key=-----BEGIN'] }) },
    ],
    good: [
      {
        name: 'a sensitive variable reference',
        resource: C,
        build: (s) => {
          const password = new TerraformVariable(s, 'db_password', { type: 'string', sensitive: true });
          new Container(s, 'c', hardened({ env: [`DB_PASSWORD=${password.stringValue}`] }));
        },
      },
      { name: 'a *_FILE path', resource: C, build: container({ env: ['POSTGRES_PASSWORD_FILE=/run/secrets/db'] }) },
      { name: 'a flag about passwords', resource: C, build: container({ env: ['ALLOW_EMPTY_PASSWORD=no'] }) },
      { name: 'names that only look alike', resource: C, build: container({ env: ['KEYBOARD=us', 'PASSTHROUGH=1', 'MONKEY=island'] }) },
    ],
  },
  'literal-registry-credential': {
    bad: [
      { name: 'provider registry_auth password', resource: 'provider.docker', build: (s) => { new DockerProvider(s, 'docker', { registryAuth: [{ address: 'localhost:5000', username: 'ci', password: 'hunter2' }] }); } },
      { name: 'provider TLS private key', resource: 'provider.docker', build: (s) => { new DockerProvider(s, 'docker', { host: 'tcp://docker.example.com:2376', keyMaterial: '-----BEGIN PRIVATE KEY-----' }); } },
      { name: 'docker_registry_image auth_config', resource: 'docker_registry_image.push', build: (s) => { new RegistryImage(s, 'push', { name: 'localhost:5000/team/api:1.0.0', keepRemotely: true, authConfig: { address: 'localhost:5000', username: 'ci', password: 'hunter2' } }); } },
      { name: 'docker_image build auth_config', resource: 'docker_image.img', build: (s) => { new Image(s, 'img', { name: 'team/api:1.0.0', buildAttribute: { context: contextDir('scratch'), authConfig: [{ hostName: 'localhost:5000', userName: 'ci', password: 'hunter2' }] } }); } },
    ],
    good: [
      {
        name: 'provider password from a variable',
        resource: 'provider.docker',
        build: (s) => {
          const password = new TerraformVariable(s, 'registry_password', { type: 'string', sensitive: true });
          new DockerProvider(s, 'docker', { registryAuth: [{ address: 'localhost:5000', username: 'ci', password: password.stringValue }] });
        },
      },
      {
        name: 'registry image password from a variable',
        resource: 'docker_registry_image.push',
        build: (s) => {
          const password = new TerraformVariable(s, 'registry_password', { type: 'string', sensitive: true });
          new RegistryImage(s, 'push', { name: 'localhost:5000/team/api:1.0.0', keepRemotely: true, authConfig: { address: 'localhost:5000', username: 'ci', password: password.stringValue } });
        },
      },
      { name: 'provider with a config file path', resource: 'provider.docker', build: (s) => { new DockerProvider(s, 'docker', { registryAuth: [{ address: 'localhost:5000', configFile: '/home/ci/.docker/config.json' }] }); } },
    ],
  },
  'push-deletes-remote-tag': {
    bad: [{ name: 'keep_remotely unset', resource: 'docker_registry_image.push', build: (s) => { new RegistryImage(s, 'push', { name: 'localhost:5000/team/api:1.0.0' }); } }],
    good: [{ name: 'keep_remotely true', resource: 'docker_registry_image.push', build: (s) => { new RegistryImage(s, 'push', { name: 'localhost:5000/team/api:1.0.0', keepRemotely: true }); } }],
  },
  'user-not-set': {
    bad: [
      { name: 'no user, registry image', resource: C, build: container({ user: undefined }) },
      { name: 'user root', resource: C, build: container({ user: 'root' }) },
      { name: 'user 0:0', resource: C, build: container({ user: '0:0' }) },
      {
        name: 'no user, the built image ends with USER root',
        resource: C,
        build: (s) => {
          const img = new Image(s, 'img', { name: 'team/api:1.0.0', buildAttribute: { context: contextDir('root-user') } });
          new Container(s, 'c', hardened({ image: img.imageId, user: undefined }));
        },
      },
    ],
    good: [
      { name: 'numeric user', resource: C, build: container({}) },
      {
        name: 'no user, the built image sets a non-root USER',
        resource: C,
        build: (s) => {
          const img = new Image(s, 'img', { name: 'team/api:1.0.0', buildAttribute: { context: contextDir('nonroot-user') } });
          new Container(s, 'c', hardened({ image: img.imageId, user: undefined }));
        },
      },
    ],
  },
  'dangerous-capability-added': {
    bad: [
      { name: 'SYS_ADMIN added back after drop ALL', resource: C, build: container({ capabilities: { drop: ['ALL'], add: ['SYS_ADMIN'] } }) },
      { name: 'drop ALL and add ALL', resource: C, build: container({ capabilities: { drop: ['ALL'], add: ['ALL'] } }) },
      { name: 'CAP_ prefix, as the library writes names', resource: C, build: container({ capabilities: { drop: ['ALL'], add: ['CAP_NET_BIND_SERVICE', 'CAP_NET_ADMIN'] } }) },
      { name: 'lower case with the prefix', resource: C, build: container({ capabilities: { drop: ['ALL'], add: ['cap_sys_ptrace'] } }) },
      { name: 'mixed case without the prefix', resource: C, build: container({ capabilities: { drop: ['ALL'], add: ['Dac_Read_Search'] } }) },
      { name: 'SYS_MODULE without dropping anything', resource: C, build: container({ capabilities: { add: ['SYS_MODULE'] } }) },
    ],
    good: [
      { name: 'NET_BIND_SERVICE', resource: C, build: container({ capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] } }) },
      { name: 'CAP_CHOWN, CAP_SETUID, CAP_SETGID', resource: C, build: container({ capabilities: { drop: ['ALL'], add: ['CAP_CHOWN', 'CAP_SETUID', 'cap_setgid'] } }) },
      { name: 'ALL only dropped', resource: C, build: container({}) },
      { name: 'a ServiceContainer with addCapabilities (the library writes CAP_<NAME>)', resource: C, build: service({ addCapabilities: ['chown', 'CAP_SETUID', 'SETGID'] }) },
    ],
  },
  'confinement-disabled': {
    bad: [
      { name: 'apparmor=unconfined', resource: C, build: container({ securityOpts: ['no-new-privileges:true', 'apparmor=unconfined'] }) },
      { name: 'apparmor:unconfined', resource: C, build: container({ securityOpts: ['no-new-privileges:true', 'apparmor:unconfined'] }) },
      { name: 'seccomp=unconfined', resource: C, build: container({ securityOpts: ['no-new-privileges:true', 'seccomp=unconfined'] }) },
      { name: 'seccomp:unconfined, other case', resource: C, build: container({ securityOpts: ['no-new-privileges:true', 'Seccomp:Unconfined'] }) },
      { name: 'label=disable', resource: C, build: container({ securityOpts: ['no-new-privileges:true', 'label=disable'] }) },
      { name: 'label:disable', resource: C, build: container({ securityOpts: ['no-new-privileges:true', 'label:disable'] }) },
      { name: 'the unconfined SELinux type spc_t', resource: C, build: container({ securityOpts: ['no-new-privileges:true', 'label=type:spc_t'] }) },
      { name: 'systempaths=unconfined', resource: C, build: container({ securityOpts: ['no-new-privileges:true', 'systempaths=unconfined'] }) },
    ],
    good: [
      { name: 'no-new-privileges only', resource: C, build: container({}) },
      { name: 'named profiles', resource: C, build: container({ securityOpts: ['no-new-privileges:true', 'apparmor=docker-default', 'seccomp=/etc/docker/seccomp.json', 'label=type:container_t'] }) },
    ],
  },
  'host-device-mapped': {
    bad: [
      { name: 'a block device', resource: C, build: container({ devices: [{ hostPath: '/dev/sda', containerPath: '/dev/xvda' }] }) },
      { name: '/dev/fuse read-write', resource: C, build: container({ devices: [{ hostPath: '/dev/fuse', permissions: 'rw' }] }) },
    ],
    good: [{ name: 'no devices', resource: C, build: container({}) }],
  },
  'kernel-parameter-set': {
    bad: [
      { name: 'vm.* is the host kernel\'s', resource: C, build: container({ sysctls: { 'vm.swappiness': '10' } }) },
      { name: 'kernel.* other than IPC', resource: C, build: container({ sysctls: { 'kernel.shmmax': '68719476736', 'kernel.panic': '10' } }) },
      { name: 'the slash spelling', resource: C, build: container({ sysctls: { 'vm/overcommit_memory': '1' } }) },
      { name: 'net.* on the host network', resource: C, build: inHostNamespace({ networksAdvanced: undefined, networkMode: 'host', sysctls: { 'net.core.somaxconn': '1024' } }) },
      { name: 'kernel.shm* in the host IPC namespace', resource: C, build: inHostNamespace({ ipcMode: 'host', sysctls: { 'kernel.shmmax': '68719476736' } }) },
    ],
    good: [
      { name: 'net.* on a user-defined network', resource: C, build: container({ sysctls: { 'net.ipv4.ip_unprivileged_port_start': '0', 'net.core.somaxconn': '1024' } }) },
      { name: 'IPC parameters', resource: C, build: container({ sysctls: { 'kernel.shmmax': '68719476736', 'kernel.shm_rmid_forced': '1', 'kernel.msgmax': '65536', 'kernel.sem': '250 32000 100 128', 'fs.mqueue.msg_max': '100' } }) },
      { name: 'no sysctls', resource: C, build: container({}) },
    ],
  },
  'image-referenced-by-name': {
    bad: [
      {
        name: "the docker_image's name reference (cdktf's tutorial)",
        resource: C,
        build: (s) => {
          const img = new Image(s, 'img', { name: 'nginx:1.27-alpine' });
          new Container(s, 'c', hardened({ image: img.name }));
        },
      },
      {
        name: "a literal equal to a declared docker_image's name",
        resource: C,
        build: (s) => {
          new Image(s, 'img', { name: 'nginx:1.27-alpine' });
          new Container(s, 'c', hardened({ image: 'nginx:1.27-alpine' }));
        },
      },
    ],
    good: [
      {
        name: 'image_id',
        resource: C,
        build: (s) => {
          const img = new Image(s, 'img', { name: 'nginx:1.27-alpine' });
          new Container(s, 'c', hardened({ image: img.imageId }));
        },
      },
      { name: 'a literal no docker_image declares', resource: C, build: container({}) },
      {
        name: 'a literal other than the declared image',
        resource: C,
        build: (s) => {
          new Image(s, 'img', { name: 'nginx:1.27-alpine' });
          new Container(s, 'c', hardened({ image: 'nginx:1.26-alpine' }));
        },
      },
    ],
  },
  'memory-swap-unset': {
    bad: [
      { name: 'memory without memory_swap', resource: C, build: container({ memorySwap: undefined }) },
      { name: 'memory_swap 0 (the provider does not send it)', resource: C, build: container({ memorySwap: 0 }) },
      {
        name: 'memory from a variable, no memory_swap',
        resource: C,
        build: (s) => {
          const memory = new TerraformVariable(s, 'memory', { type: 'number', default: 256 });
          new Container(s, 'c', hardened({ memory: memory.numberValue, memorySwap: undefined }));
        },
      },
    ],
    good: [
      { name: 'memory_swap equal to memory', resource: C, build: container({}) },
      { name: 'memory_swap -1 (unlimited swap, a choice)', resource: C, build: container({ memorySwap: -1 }) },
      { name: 'no memory limit (no-memory-limit\'s finding)', resource: C, build: container({ memory: undefined, memorySwap: undefined }) },
      { name: 'a ServiceContainer (memory_swap = memory)', resource: C, build: service({ memoryMiB: 128 }) },
    ],
  },
  'log-rotation-incomplete': {
    bad: [
      { name: 'a driver from a variable, max-size only', resource: C, build: variableLogDriver({ 'max-size': '10m' }) },
      { name: 'a driver from a variable, max-file only', resource: C, build: variableLogDriver({ 'max-file': '3' }) },
    ],
    good: [
      { name: 'a driver from a variable, both', resource: C, build: variableLogDriver({ 'max-size': '10m', 'max-file': '3' }) },
      { name: 'json-file with max-size only: no-log-rotation\'s finding, not this one', resource: C, build: container({ logOpts: { 'max-size': '10m' } }) },
      { name: 'log_driver unset with max-file only: no-log-rotation\'s finding', resource: C, build: container({ logDriver: undefined, logOpts: { 'max-file': '3' } }) },
      { name: 'json-file with both', resource: C, build: container({}) },
    ],
  },
  'plugin-all-privileges': {
    bad: [
      { name: 'grant_all_permissions', resource: P, build: plugin({ grantAllPermissions: true }) },
      { name: 'the host network', resource: P, build: plugin({ grantPermissions: [{ name: 'network', value: ['host'] }] }) },
      { name: 'a host device', resource: P, build: plugin({ grantPermissions: [{ name: 'network', value: ['bridge'] }, { name: 'device', value: ['/dev/fuse'] }] }) },
      { name: 'CAP_SYS_ADMIN', resource: P, build: plugin({ grantPermissions: [{ name: 'capabilities', value: ['CAP_SYS_ADMIN'] }] }) },
      { name: 'the Docker socket mounted', resource: P, build: plugin({ grantPermissions: [{ name: 'mount', value: ['/var/run/docker.sock'] }] }) },
    ],
    good: [
      { name: 'no permissions', resource: P, build: plugin({}) },
      { name: 'grant_all_permissions false', resource: P, build: plugin({ grantAllPermissions: false }) },
      { name: 'narrow permissions', resource: P, build: plugin({ grantPermissions: [{ name: 'network', value: ['bridge'] }, { name: 'mount', value: ['/var/lib/docker/plugins/'] }, { name: 'capabilities', value: ['CAP_NET_BIND_SERVICE'] }] }) },
    ],
  },
  'literal-swarm-secret': {
    bad: [
      { name: 'literal base64 data', resource: 'docker_secret.s', build: (s) => { new Secret(s, 's', { name: 'db-password', data: 'aHVudGVyMg==' }); } },
      { name: 'Fn.base64encode of a literal', resource: 'docker_secret.s', build: (s) => { new Secret(s, 's', { name: 'db-password', data: Fn.base64encode('hunter2') }); } },
    ],
    good: [
      {
        name: 'data from a sensitive variable',
        resource: 'docker_secret.s',
        build: (s) => {
          const password = new TerraformVariable(s, 'db_password', { type: 'string', sensitive: true });
          new Secret(s, 's', { name: 'db-password', data: Fn.base64encode(password.stringValue) });
        },
      },
      {
        name: 'a literal around a variable, encoded',
        resource: 'docker_secret.s',
        build: (s) => {
          const password = new TerraformVariable(s, 'db_password', { type: 'string', sensitive: true });
          new Secret(s, 's', { name: 'db-url', data: Fn.base64encode(`postgres://app:${password.stringValue}@db/app`) });
        },
      },
      { name: 'docker_config with literal data (configs are not secrets)', resource: 'docker_config.cfg', build: (s) => { new Config(s, 'cfg', { name: 'nginx.conf', data: 'c2VydmVyIHt9' }); } },
    ],
  },
  'ssh-host-key-unchecked': {
    bad: [
      { name: '-o StrictHostKeyChecking=no', resource: PROVIDER, build: sshProvider(['-o', 'StrictHostKeyChecking=no']) },
      { name: '-oStrictHostKeyChecking=No in one argument', resource: PROVIDER, build: sshProvider(['-oStrictHostKeyChecking=No']) },
      { name: 'StrictHostKeyChecking no (the ssh_config spelling)', resource: PROVIDER, build: sshProvider(['-o', 'StrictHostKeyChecking no']) },
      { name: '-o UserKnownHostsFile=/dev/null', resource: PROVIDER, build: sshProvider(['-o', 'UserKnownHostsFile=/dev/null']) },
    ],
    good: [
      { name: 'StrictHostKeyChecking=yes', resource: PROVIDER, build: sshProvider(['-o', 'StrictHostKeyChecking=yes']) },
      { name: 'a pinned known_hosts file', resource: PROVIDER, build: sshProvider(['-o', 'UserKnownHostsFile=/home/ci/.ssh/known_hosts', '-o', 'StrictHostKeyChecking=accept-new']) },
      { name: 'an ssh config file', resource: PROVIDER, build: sshProvider(['-F', '/home/ci/.ssh/config']) },
    ],
  },
  'single-replica-service': {
    bad: [
      { name: 'no mode: Swarm runs one replica', resource: S, build: swarmService({ service: { mode: undefined } }) },
      { name: 'one replica', resource: S, build: swarmService({ service: { mode: { replicated: { replicas: 1 } } } }) },
      { name: 'no replica at all', resource: S, build: swarmService({ service: { mode: { replicated: { replicas: 0 } } } }) },
    ],
    good: [
      { name: 'two replicas', resource: S, build: swarmService({}) },
      { name: 'a global service', resource: S, build: swarmService({ service: { mode: { global: true } } }) },
      {
        name: 'a replica count from a variable',
        resource: S,
        build: (s) => {
          const replicas = new TerraformVariable(s, 'replicas', { type: 'number', default: 3 });
          new Service(s, 's', hardenedService({ service: { mode: { replicated: { replicas: replicas.numberValue } } } }));
        },
      },
    ],
  },
  'update-without-rollback': {
    bad: [
      { name: 'no update_config (Swarm pauses)', resource: S, build: swarmService({ service: { updateConfig: undefined } }) },
      { name: 'failure_action pause', resource: S, build: swarmService({ service: { updateConfig: { failureAction: 'pause' } } }) },
      { name: 'failure_action continue', resource: S, build: swarmService({ service: { updateConfig: { failureAction: 'continue', order: 'start-first' } } }) },
    ],
    good: [
      { name: 'failure_action rollback', resource: S, build: swarmService({}) },
    ],
  },
  'secret-in-service-env': {
    bad: [
      {
        name: 'a password from a variable in the environment',
        resource: S,
        build: (s) => {
          const password = new TerraformVariable(s, 'db_password', { type: 'string', sensitive: true });
          new Service(s, 's', hardenedService({ spec: { env: { DB_PASSWORD: password.stringValue } } }));
        },
      },
    ],
    good: [
      { name: 'plain settings in the environment', resource: S, build: swarmService({ spec: { env: { LOG_LEVEL: 'info', DB_PASSWORD_FILE: '/run/secrets/db-password' } } }) },
      {
        name: 'the secret as a docker_secret file',
        resource: S,
        build: (s) => {
          const password = new TerraformVariable(s, 'db_password', { type: 'string', sensitive: true });
          const secret = new Secret(s, 'db', { name: 'db-password', data: Fn.base64encode(password.stringValue) });
          new Service(s, 's', hardenedService({ spec: { secrets: [{ secretId: secret.id, secretName: secret.name, fileName: '/run/secrets/db-password' }] } }));
        },
      },
    ],
  },
};

test('every rule has compliant and non-compliant cases', () => {
  expect(Object.keys(CASES).sort()).toEqual(RULES.map((r) => r.id).sort());
  for (const cases of Object.values(CASES)) {
    expect(cases.bad.length).toBeGreaterThan(0);
    expect(cases.good.length).toBeGreaterThan(0);
  }
});

test('the hardened container passes every rule in both front ends', () => {
  const build = container({});
  const aspect = viaAspect(build);
  expect(aspect.error).toBe('');
  expect(aspect.review.findings).toEqual([]);
  expect(aspect.warnings).toEqual([]);
  const cli = viaCli(build);
  expect(cli.code).toBe(0);
  expect(cli.findings).toEqual([]);
});

describe.each(RULES.map((r) => [r.id, r.severity] as const))('%s (%s)', (ruleId, severity) => {
  const cases = CASES[ruleId];

  describe.each(cases.bad.map((c) => [c.name, c] as const))('flags: %s', (_name, c) => {
    test('Aspect', () => {
      const run = viaAspect(c.build);
      const findings = run.review.findings.filter((f) => f.rule === ruleId && f.resource === c.resource);
      expect(findings.length).toBeGreaterThan(0);
      expect(findings.every((f) => f.severity === severity && !f.suppressed)).toBe(true);
      if (severity === Severity.ERROR) {
        // Synth fails naming the rule, the address and how to suppress.
        expect(run.error).toContain(`${ruleId} (${c.resource})`);
        expect(run.error).toContain(`ProductionChecks.suppress(`);
      } else {
        expect(run.error).toBe('');
        expect(run.warnings.some((w) => w.includes(`[${ruleId}] ${c.resource}:`))).toBe(true);
      }
    });

    test('review command', () => {
      const run = viaCli(c.build);
      const findings = run.findings.filter((f) => f.rule === ruleId && f.resource === c.resource);
      expect(findings.length).toBeGreaterThan(0);
      expect(findings[0]).toMatchObject({ severity, suppressed: false, source: RULES.find((r) => r.id === ruleId)?.source });
      expect(run.code).toBe(severity === Severity.ERROR ? 1 : 0);
    });
  });

  describe.each(cases.good.map((c) => [c.name, c] as const))('passes: %s', (_name, c) => {
    test('Aspect', () => {
      const run = viaAspect(c.build);
      expect(run.review.findings.filter((f) => f.rule === ruleId)).toEqual([]);
      expect(run.error).not.toContain(ruleId);
      expect(run.warnings.filter((w) => w.includes(`[${ruleId}]`))).toEqual([]);
    });

    test('review command', () => {
      const run = viaCli(c.build);
      expect(run.findings.filter((f) => f.rule === ruleId)).toEqual([]);
    });
  });
});

test('ProductionChecks.RULES lists the pack with id, severity, reason and source', () => {
  expect(ProductionChecks.RULES).toHaveLength(RULES.length);
  for (const rule of ProductionChecks.RULES) {
    expect(rule.id).toMatch(/^[a-z]+(-[a-z]+)*$/);
    expect([Severity.ERROR, Severity.WARNING]).toContain(rule.severity);
    expect(rule.reason.length).toBeGreaterThan(20);
    expect(rule.source).toMatch(/Talk: |CIS Docker Benchmark/);
  }
  const errors = ProductionChecks.RULES.filter((r) => r.severity === Severity.ERROR).map((r) => r.id).sort();
  expect(errors).toEqual(expect.arrayContaining([
    'docker-socket-mounted', 'host-namespace', 'image-not-pinned', 'legacy-links', 'literal-registry-credential', 'literal-secret-env', 'privileged-container',
  ]));
});

describe('both front ends report the same findings', () => {
  const all = Object.values(CASES).flatMap((c) => [...c.bad, ...c.good]);
  test.each(all.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const key = (f: { rule: string; resource: string; severity: string; suppressed: boolean }) => `${f.rule} ${f.resource} ${f.severity} ${f.suppressed}`;
    const aspect = viaAspect(c.build).review.findings.map(key).sort();
    const cli = viaCli(c.build).findings.map(key).sort();
    expect(cli).toEqual(aspect);
  });
});

describe('MinimalImage records the base image the review reads from the same Dockerfile (one parser for both)', () => {
  test.each([
    ['a plain FROM', 'FROM alpine:3.20', {}, undefined, 'alpine:3.20'],
    ['a build target selects its stage', 'FROM debian:bookworm AS dev\nRUN true\nFROM debian:bookworm-slim AS prod', {}, 'dev', 'debian:bookworm'],
    ['no target: the last stage', 'FROM debian:bookworm AS dev\nFROM debian:bookworm-slim AS prod', {}, undefined, 'debian:bookworm-slim'],
    ['several ARGs on one line', 'ARG TAG=3.20 IMAGE=alpine\nFROM $IMAGE:$TAG', {}, undefined, 'alpine:3.20'],
    ['a build arg overrides a declared ARG through a stage alias', 'ARG BASE=debian:12\nFROM $BASE AS build\nFROM build', { BASE: 'alpine:3.20' }, undefined, 'alpine:3.20'],
    ['a build arg of an undeclared ARG is not used (Docker ignores it)', 'FROM ${UNDECLARED:-alpine:3.20}', { UNDECLARED: 'debian:12' }, undefined, 'alpine:3.20'],
    ['${VAR:+word}', 'ARG SMALL=yes\nFROM ${SMALL:+alpine:3.20}', {}, undefined, 'alpine:3.20'],
    ['an ARG without a value: unknown', 'ARG BASE\nFROM ${BASE}', {}, undefined, undefined],
    ['a quoted ARG default', 'ARG BASE="node:20-alpine"\nFROM ${BASE}', {}, undefined, 'node:20-alpine'],
    ['FROM --platform', 'FROM --platform=$BUILDPLATFORM golang:1.23 AS build\nFROM build', {}, undefined, 'golang:1.23'],
  ] as [string, string, Record<string, string>, string | undefined, string | undefined][])('%s', (_name, dockerfile, buildArgs, target, expected) => {
    const context = tempDir('dockerfile-');
    fs.writeFileSync(path.join(context, 'Dockerfile'), dockerfile);
    const stack = new TerraformStack(Testing.app(), 'stack');
    new DockerHost(stack, 'host');
    const image = new MinimalImage(stack, 'img', { context, name: 'team/api:1.0.0', buildArgs, target });
    expect(image.baseImage).toBe(expected);
    const built = Object.values(JSON.parse(Testing.synth(stack)).resource.docker_image as Record<string, any>)[0].build;
    expect(built.label?.[BASE_IMAGE_LABEL]).toBe(expected);
    expect(new DockerfileCache().builtStage(path.join(context, 'Dockerfile'), buildArgs, target)?.base).toBe(expected);
  });
});

test('names and the Dockerfile reader shared by the constructs and the review have one source each', () => {
  const sources: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (entry.name.endsWith('.ts')) sources.push(file);
    }
  };
  const libDir = path.join(__dirname, '..', 'lib');
  walk(libDir);
  const holding = (text: string) => sources.filter((f) => fs.readFileSync(f, 'utf8').includes(text)).map((f) => path.relative(libDir, f));
  for (const literal of ["'cdktf-docker-production/supervisor'", "'org.opencontainers.image.base.name'", "'context_sha256'"]) {
    expect({ literal, files: holding(literal) }).toEqual({ literal, files: ['_labels.ts'] });
  }
  expect(holding("require('dockerfile-ast')")).toEqual([path.join('review', 'dockerfile.ts')]);
  const [pkg, labels] = [require('../lib'), require('../lib/_labels')];
  expect([pkg.SUPERVISOR_LABEL, pkg.BASE_IMAGE_LABEL, pkg.CONTEXT_TRIGGER]).toEqual([labels.SUPERVISOR_LABEL, labels.BASE_IMAGE_LABEL, labels.CONTEXT_TRIGGER]);
});

test('lib/review/RULES.md documents every rule with its severity, reason and source', () => {
  const doc = require('fs').readFileSync(require('path').join(__dirname, '..', 'lib', 'review', 'RULES.md'), 'utf8') as string;
  for (const rule of RULES) {
    const row = `| \`${rule.id}\` | ${rule.severity} | ${rule.reason.replace(/\|/g, '\\|')} | ${rule.source} |`;
    expect(doc).toContain(row);
  }
});

/** The rules added with the second rule pack (host-level privileges, perpetual diffs, swarm and ssh). */
const ADDED_RULES = [
  'dangerous-capability-added', 'confinement-disabled', 'host-device-mapped', 'kernel-parameter-set', 'image-referenced-by-name',
  'memory-swap-unset', 'log-rotation-incomplete', 'plugin-all-privileges', 'literal-swarm-secret', 'ssh-host-key-unchecked',
];

describe('the added rules', () => {
  test('come after the first pack, in this order, with these severities', () => {
    const start = RULES.findIndex((r) => r.id === ADDED_RULES[0]);
    const added = RULES.slice(start, start + ADDED_RULES.length);
    expect(added.map((r) => [r.id, r.severity])).toEqual([
      ['dangerous-capability-added', 'error'], ['confinement-disabled', 'error'], ['host-device-mapped', 'error'], ['kernel-parameter-set', 'warning'],
      ['image-referenced-by-name', 'error'], ['memory-swap-unset', 'warning'], ['log-rotation-incomplete', 'warning'], ['plugin-all-privileges', 'error'],
      ['literal-swarm-secret', 'error'], ['ssh-host-key-unchecked', 'error'],
    ]);
  });

  test('capability names are read with or without CAP_, in any case; the dangerous list', () => {
    expect(['SYS_ADMIN', 'CAP_SYS_ADMIN', 'cap_sys_admin', ' Sys_Admin ', 'all', 'CAP_ALL'].map(capabilityName)).toEqual(['SYS_ADMIN', 'SYS_ADMIN', 'SYS_ADMIN', 'SYS_ADMIN', 'ALL', 'ALL']);
    expect([...DANGEROUS_CAPABILITIES.keys()].sort()).toEqual([
      'ALL', 'BPF', 'DAC_READ_SEARCH', 'MAC_ADMIN', 'MAC_OVERRIDE', 'NET_ADMIN', 'PERFMON', 'SYS_ADMIN', 'SYS_BOOT', 'SYS_MODULE', 'SYS_PTRACE', 'SYS_RAWIO', 'SYS_TIME',
    ]);
  });

  test('a dangerous capability is named as the engine reports it (CAP_<NAME>), with how it was written', () => {
    const run = viaAspect(container({ capabilities: { drop: ['ALL'], add: ['sys_admin', 'ALL'] } }));
    expect(run.review.findings.filter((f) => f.rule === 'dangerous-capability-added').map((f) => f.message)).toEqual([
      expect.stringMatching(/^capabilities\.add grants CAP_SYS_ADMIN \(written "sys_admin"\): /),
      expect.stringMatching(/^capabilities\.add grants ALL: every capability.*drop \["ALL"\] does not take it back, add wins/),
    ]);
  });

  test('log rotation: no-log-rotation and log-rotation-incomplete never both report a container', () => {
    const drivers: (string | undefined)[] = [undefined, 'json-file', 'local', 'journald', '${var.log_driver}'];
    const optionSets: (Record<string, string> | undefined)[] = [undefined, {}, { 'max-size': '10m' }, { 'max-file': '3' }, { 'max-size': '10m', 'max-file': '3' }];
    const owners: string[] = [];
    for (const log_driver of drivers) {
      for (const log_opts of optionSets) {
        const values = { ...(log_driver === undefined ? {} : { log_driver }), ...(log_opts === undefined ? {} : { log_opts }) };
        const review = reviewStack({ name: 's', resources: [{ address: 'docker_container.c', type: 'docker_container', name: 'c', values, suppressions: [] }] });
        const rules = review.findings.map((f) => f.rule).filter((r) => r === 'no-log-rotation' || r === 'log-rotation-incomplete');
        expect({ log_driver, log_opts, rules: rules.length <= 1 }).toEqual({ log_driver, log_opts, rules: true });
        const one = log_opts !== undefined && ('max-size' in log_opts) !== ('max-file' in log_opts);
        if (one) owners.push(`${log_driver ?? 'unset'} ${Object.keys(log_opts ?? {}).join()}: ${rules.join() || '-'}`);
      }
    }
    // Exactly one of the two options: no-log-rotation owns unset/json-file/local, this rule a driver it cannot read; other drivers take neither option.
    expect(owners).toEqual([
      'unset max-size: no-log-rotation', 'unset max-file: no-log-rotation',
      'json-file max-size: no-log-rotation', 'json-file max-file: no-log-rotation',
      'local max-size: no-log-rotation', 'local max-file: no-log-rotation',
      'journald max-size: -', 'journald max-file: -',
      '${var.log_driver} max-size: log-rotation-incomplete', '${var.log_driver} max-file: log-rotation-incomplete',
    ]);
  });

  test('a literal swarm secret is reported without its value', () => {
    const run = viaCli((stack) => { new Secret(stack, 's', { name: 'db-password', data: Fn.base64encode('hunter2') }); });
    const messages = run.findings.filter((f) => f.rule === 'literal-swarm-secret').map((f) => f.message);
    expect(messages).toHaveLength(1);
    expect(run.stdout).not.toContain('hunter2');
  });

  test('a docker_plugin pulled as :latest with every permission: image-not-pinned and plugin-all-privileges', () => {
    const run = viaCli(plugin({ name: 'vieux/sshfs:latest', grantAllPermissions: true }));
    expect(run.findings.filter((f) => f.resource === P).map((f) => f.rule)).toEqual(['image-not-pinned', 'plugin-all-privileges']);
    expect(run.code).toBe(1);
  });

  test('a container running another stack\'s docker_image by name (cross-stack): flagged by the command and by the Aspect', () => {
    const outdir = tempDir('cross-stack-name-');
    const app = new App({ outdir });
    const platform = new TerraformStack(app, 'platform');
    new DockerProvider(platform, 'docker', {});
    const img = new Image(platform, 'img', { name: 'nginx:1.27-alpine' });
    const apps = new TerraformStack(app, 'apps');
    new DockerProvider(apps, 'docker', {});
    new Container(apps, 'c', hardened({ image: img.name }));
    app.synth();
    const run = runCli([outdir, '--format', 'json']);
    const findings = (JSON.parse(run.stdout) as { stacks: { name: string; findings: { rule: string; resource: string; message: string }[] }[] }).stacks
      .flatMap((s) => s.findings.filter((f) => f.rule === 'image-referenced-by-name').map((f) => `${s.name} ${f.resource} ${f.message}`));
    expect(findings).toEqual([expect.stringMatching(/^apps docker_container\.c image \$\{data\.terraform_remote_state\..*another stack's docker_image name/)]);
    expect(run.code).toBe(1);
    // The Aspect reviews one stack at a time: the output's name says it is an image's name.
    const aspect = new ProductionChecks().reviewOf(apps).findings.filter((f) => f.rule === 'image-referenced-by-name').map((f) => `${f.resource} ${f.message}`);
    expect(aspect).toEqual([findings[0].slice('apps '.length)]);
  });

  test('in a plan, docker_secret data that comes from a variable is no literal; a constant one is', () => {
    const plan = (expression: unknown) => ({
      format_version: '1.2',
      planned_values: { root_module: { resources: [{ address: 'docker_secret.s', mode: 'managed', type: 'docker_secret', name: 's', values: { name: 'db', data: 'aHVudGVyMg==' } }] } },
      configuration: { root_module: { resources: [{ address: 'docker_secret.s', expressions: { name: { constant_value: 'db' }, data: expression } }] } },
    });
    const rulesOf = (expression: unknown) => reviewStack(fromPlanJson(plan(expression), 'plan')).findings.map((f) => f.rule);
    expect(rulesOf({ references: ['var.db_password'] })).toEqual([]);
    expect(rulesOf({ constant_value: 'aHVudGVyMg==' })).toEqual(['literal-swarm-secret']);
    const cli = runCli([writeJson(plan({ references: ['var.db_password'] }), 'plan.json'), '--format', 'json']);
    expect(cli.code).toBe(0);
  });

  test('in a plan: an image name reference, a plugin, a dangerous capability and ssh_opts are read as in cdk.tf.json', () => {
    const doc = {
      format_version: '1.2',
      planned_values: {
        root_module: {
          resources: [
            { address: 'docker_image.img', mode: 'managed', type: 'docker_image', name: 'img', values: { name: 'nginx:1.27-alpine' } },
            {
              address: 'docker_container.c', mode: 'managed', type: 'docker_container', name: 'c',
              values: { name: 'c', image: 'nginx:1.27-alpine', capabilities: [{ add: ['CAP_SYS_ADMIN'], drop: ['ALL'] }], devices: [{ host_path: '/dev/fuse', container_path: '/dev/fuse', permissions: 'rwm' }], sysctls: { 'vm.swappiness': '1' }, memory: 256, memory_swap: null },
            },
            { address: 'docker_plugin.p', mode: 'managed', type: 'docker_plugin', name: 'p', values: { name: 'vieux/sshfs:latest', grant_permissions: [{ name: 'network', value: ['host'] }] } },
          ],
        },
      },
      configuration: {
        provider_config: { docker: { name: 'docker', expressions: { host: { constant_value: 'ssh://deploy@10.0.0.5' }, ssh_opts: { constant_value: ['-o', 'StrictHostKeyChecking=no'] } } } },
        root_module: { resources: [{ address: 'docker_container.c', expressions: { image: { references: ['docker_image.img.name', 'docker_image.img'] } } }] },
      },
    };
    const review = reviewStack(fromPlanJson(doc, 'plan'));
    const added = review.findings.filter((f) => ADDED_RULES.includes(f.rule) || f.rule === 'image-not-pinned').map((f) => `${f.resource} ${f.rule}`);
    expect(added).toEqual([
      'docker_container.c dangerous-capability-added', 'docker_container.c host-device-mapped', 'docker_container.c kernel-parameter-set',
      'docker_container.c image-referenced-by-name', 'docker_container.c memory-swap-unset',
      'docker_plugin.p image-not-pinned', 'docker_plugin.p plugin-all-privileges',
      'provider.docker ssh-host-key-unchecked',
    ]);
    expect(review.findings.find((f) => f.rule === 'image-referenced-by-name')?.message).toContain('${docker_image.img.name} is the name of docker_image.img');
  });

  test.each([
    ['the reference app', (app: App) => { new ReferenceApp(app, 'reference-app', {}); }],
    ['the boot-order app', (app: App) => { new BootOrderApp(app, 'boot-order', {}); }],
    ['the multi-stack app', (app: App) => { addMultiStack(app, { apiContext: path.join(__dirname, '..', 'examples', 'reference-app', 'api') }); }],
  ] as [string, (app: App) => void][])('%s (examples/) triggers none of them', (_name, add) => {
    const outdir = tempDir('examples-');
    const app = new App({ outdir });
    add(app);
    app.synth();
    const run = runCli([outdir, '--format', 'json']);
    const report = JSON.parse(run.stdout) as { stacks: { findings: { rule: string; resource: string }[] }[] };
    expect(report.stacks.flatMap((s) => s.findings).filter((f) => ADDED_RULES.includes(f.rule))).toEqual([]);
    expect(run.code).toBe(0);
  });

});
