/**
 * Every rule, compliant and non-compliant, through both front ends: the
 * ProductionChecks Aspect on a stack of raw @cdktf/provider-docker resources,
 * and the review command on the same stack synthesized to a cdktf.out folder.
 */
import 'cdktf/lib/testing/adapters/jest';
import * as fs from 'fs';
import * as path from 'path';
import { TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { Container } from '@cdktf/provider-docker/lib/container';
import { Image } from '@cdktf/provider-docker/lib/image';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { RegistryImage } from '@cdktf/provider-docker/lib/registry-image';
import { Tag } from '@cdktf/provider-docker/lib/tag';
import { BASE_IMAGE_LABEL, DockerHost, MinimalImage } from '../lib';
import { ProductionChecks } from '../lib/production-checks';
import { DockerfileCache } from '../lib/review/dockerfile';
import { Severity } from '../lib/review/model';
import { RULES } from '../lib/review/rules/index';
import { Build, contextDir, hardened, tempDir, viaAspect, viaCli } from './fixtures/review/helpers';

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

const C = 'docker_container.c';

const CASES: Record<string, RuleCases> = {
  'image-not-pinned': {
    bad: [
      { name: 'container image without tag', resource: C, build: container({ image: 'nginx' }) },
      { name: 'container image :latest', resource: C, build: container({ image: 'registry.example.com:5000/team/app:latest' }) },
      { name: 'registry host with port but no tag', resource: C, build: container({ image: 'localhost:5000/team/app' }) },
      { name: 'docker_image name', resource: 'docker_image.img', build: (s) => { new Image(s, 'img', { name: 'team/api' }); } },
      { name: 'docker_registry_image name', resource: 'docker_registry_image.push', build: (s) => { new RegistryImage(s, 'push', { name: 'localhost:5000/team/api:latest', keepRemotely: true }); } },
      { name: 'docker_tag target', resource: 'docker_tag.tag', build: (s) => { new Tag(s, 'tag', { sourceImage: 'team/api:1.0.0', targetImage: 'localhost:5000/team/api' }); } },
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
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const [pkg, labels] = [require('../lib'), require('../lib/_labels')];
  expect([pkg.SUPERVISOR_LABEL, pkg.BASE_IMAGE_LABEL, pkg.CONTEXT_TRIGGER]).toEqual([labels.SUPERVISOR_LABEL, labels.BASE_IMAGE_LABEL, labels.CONTEXT_TRIGGER]);
});

test('lib/review/RULES.md documents every rule with its severity, reason and source', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const doc = require('fs').readFileSync(require('path').join(__dirname, '..', 'lib', 'review', 'RULES.md'), 'utf8') as string;
  for (const rule of RULES) {
    const row = `| \`${rule.id}\` | ${rule.severity} | ${rule.reason.replace(/\|/g, '\\|')} | ${rule.source} |`;
    expect(doc).toContain(row);
  }
});
