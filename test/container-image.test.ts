import 'cdktf/lib/testing/adapters/jest';
import { ContainerImage, DockerHost, ServiceContainer, ServiceNetwork } from '../lib';
import { newStack, resources, synth } from './util';

function use(ref: string, options = {}) {
  const { stack } = newStack();
  const net = new ServiceNetwork(stack, 'net');
  new ServiceContainer(stack, 'svc', { image: ContainerImage.fromRegistry(ref, options), networks: [net] });
  return Object.values(resources(synth(stack), 'docker_image')) as any[];
}

describe('ContainerImage.fromRegistry', () => {
  test('pulls a pinned tag and keeps it locally by default', () => {
    expect(use('redis:7.4-alpine')).toEqual([expect.objectContaining({ name: 'redis:7.4-alpine', keep_locally: true })]);
  });

  test('accepts digests, registries with ports and nested paths', () => {
    const digest = 'nginx@sha256:' + 'a'.repeat(64);
    expect(use(digest)[0].name).toBe(digest);
    expect(use('localhost:5000/team/tools/api:1.0.0')[0].name).toBe('localhost:5000/team/tools/api:1.0.0');
  });

  test('options: platform and keepLocally false', () => {
    expect(use('redis:7.4-alpine', { platform: 'linux/arm64', keepLocally: false })[0]).toMatchObject({ platform: 'linux/arm64', keep_locally: false });
  });

  test.each(['redis', 'redis:latest', 'Redis:7', 'redis:7 .4', 'localhost:99999/x:1'])('refuses %s', (ref) => {
    expect(() => use(ref)).toThrow(/test\/svc: invalid image/);
  });

  test('one image resource per host: an aliased host gets its own pull', () => {
    const { stack } = newStack();
    const edge = new DockerHost(stack, 'edge', { url: 'ssh://deploy@10.0.0.9', alias: 'edge' });
    const image = ContainerImage.fromRegistry('redis:7.4-alpine');
    new ServiceContainer(stack, 'svc-a', { image, networks: [new ServiceNetwork(stack, 'n1')] });
    new ServiceContainer(stack, 'svc-b', { image, host: edge, networks: [new ServiceNetwork(stack, 'n2', { host: edge })] });
    const images = Object.values(resources(synth(stack), 'docker_image')) as any[];
    expect(images.map((i) => i.provider).sort()).toEqual(['docker', 'docker.edge']);
  });
});
