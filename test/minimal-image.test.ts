import 'cdktf/lib/testing/adapters/jest';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { MinimalImage, ServiceContainer, ServiceNetwork } from '../lib';
import { newStack, only, synth } from './util';

function context(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ctx-'));
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

function build(dir: string, extra: Record<string, unknown> = {}) {
  const { stack } = newStack();
  const image = new MinimalImage(stack, 'img', { context: dir, name: 'team/api:1.0.0', ...extra });
  return { image, json: () => only(synth(stack), 'docker_image') };
}

const trigger = (dir: string) => build(dir).json().triggers.context_sha256;

describe('MinimalImage', () => {
  test('builds from an absolute context with the Dockerfile, records the final base', () => {
    const dir = context({ Dockerfile: 'FROM alpine:3.20\nCOPY app /app\n', app: 'x' });
    const img = build(dir).json();
    expect(img).toMatchObject({
      name: 'team/api:1.0.0', keep_locally: false,
      build: { context: dir, dockerfile: 'Dockerfile', label: { 'org.opencontainers.image.base.name': 'alpine:3.20' } },
    });
    expect(img.triggers.context_sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  test('a relative context is made absolute at synth', () => {
    const { stack } = newStack();
    new MinimalImage(stack, 'img', { context: 'examples/reference-app/api', name: 'team/api:1.4.2' });
    expect(only(synth(stack), 'docker_image').build.context).toBe(path.resolve('examples/reference-app/api'));
  });

  test('build args, target, platform and another Dockerfile', () => {
    const dir = context({ 'docker/Prod.Dockerfile': 'ARG BASE=debian:12-slim\nFROM golang:1.22 AS build\nFROM ${BASE} AS final\n' });
    const { image, json } = build(dir, { dockerfile: 'docker/Prod.Dockerfile', buildArgs: { BASE: 'gcr.io/distroless/static:nonroot' }, target: 'final', platform: 'linux/amd64' });
    expect(json()).toMatchObject({
      platform: 'linux/amd64',
      build: { dockerfile: 'docker/Prod.Dockerfile', build_args: { BASE: 'gcr.io/distroless/static:nonroot' }, target: 'final', platform: 'linux/amd64' },
    });
    expect(image.baseImage).toBe('gcr.io/distroless/static:nonroot');
  });

  test('the final base follows stage aliases and ARG defaults', () => {
    const dir = context({ Dockerfile: 'ARG V=3.20\nFROM alpine:${V} AS base\nRUN true\nFROM base\n' });
    expect(build(dir).image.baseImage).toBe('alpine:3.20');
  });

  test('the same content gives the same trigger; one changed byte a new one', () => {
    const dir = context({ Dockerfile: 'FROM busybox:1.36.1\nCOPY www /www\n', 'www/index.html': 'hello' });
    const first = trigger(dir);
    expect(trigger(dir)).toBe(first);
    fs.writeFileSync(path.join(dir, 'www/index.html'), 'hellp');
    const second = trigger(dir);
    expect(second).not.toBe(first);
    fs.writeFileSync(path.join(dir, 'www/index.html'), 'hello');
    expect(trigger(dir)).toBe(first);
  });

  test('files that .dockerignore excludes do not change the trigger; included ones do', () => {
    const dir = context({
      Dockerfile: 'FROM busybox:1.36.1\n', '.dockerignore': '*.md\nnotes/\n!KEEP.md\n',
      'README.md': 'a', 'notes/todo.txt': 'a', 'KEEP.md': 'a', 'app.sh': 'a',
    });
    const first = trigger(dir);
    fs.writeFileSync(path.join(dir, 'README.md'), 'b');
    fs.writeFileSync(path.join(dir, 'notes/todo.txt'), 'b');
    fs.writeFileSync(path.join(dir, 'notes/new.txt'), 'new');
    expect(trigger(dir)).toBe(first);
    fs.writeFileSync(path.join(dir, 'KEEP.md'), 'b');
    expect(trigger(dir)).not.toBe(first);
  });

  test('renaming a file, adding one, or making one executable changes the trigger', () => {
    const dir = context({ Dockerfile: 'FROM busybox:1.36.1\n', 'a.sh': 'echo' });
    const base = trigger(dir);
    fs.chmodSync(path.join(dir, 'a.sh'), 0o755);
    const exec = trigger(dir);
    expect(exec).not.toBe(base);
    fs.renameSync(path.join(dir, 'a.sh'), path.join(dir, 'b.sh'));
    expect(trigger(dir)).not.toBe(exec);
  });

  test('a container binds to the image id', () => {
    const { stack } = newStack();
    const image = new MinimalImage(stack, 'img', { context: 'examples/reference-app/api', name: 'team/api:1.4.2' });
    new ServiceContainer(stack, 'api', { image, networks: [new ServiceNetwork(stack, 'n')] });
    expect(only(synth(stack), 'docker_container').image).toMatch(/^\$\{docker_image\.img_[0-9A-F]{8}\.image_id\}$/);
  });

  test('bad input: unpinned name, missing context, missing Dockerfile, escaping Dockerfile', () => {
    const dir = context({ Dockerfile: 'FROM busybox:1.36.1\n' });
    expect(() => build(dir, { name: 'team/api' })).toThrow(/test\/img: invalid name "team\/api": pinned by a tag/);
    expect(() => build('/nonexistent/ctx')).toThrow(/test\/img: invalid context "\/nonexistent\/ctx": an existing folder/);
    expect(() => build(dir, { dockerfile: 'Other' })).toThrow(/test\/img: invalid dockerfile "Other": a file inside the context/);
    expect(() => build(dir, { dockerfile: '../Dockerfile' })).toThrow(/invalid dockerfile "..\/Dockerfile": a path relative to the context, inside it/);
  });
});
