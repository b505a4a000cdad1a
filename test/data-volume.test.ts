import 'cdktf/lib/testing/adapters/jest';
import { ContainerImage, DataVolume, ServiceContainer, ServiceNetwork } from '../lib';
import { newStack, only, synth } from './util';

describe('DataVolume', () => {
  test('defaults: named after the id, local driver', () => {
    const { stack } = newStack();
    new DataVolume(stack, 'cache-data');
    expect(only(synth(stack), 'docker_volume')).toEqual(expect.objectContaining({ name: 'cache-data', driver: 'local' }));
  });

  test('driver, options and labels', () => {
    const { stack } = newStack();
    new DataVolume(stack, 'scratch', { volumeName: 'scratch-v1', driver: 'local', driverOptions: { type: 'tmpfs', device: 'tmpfs' }, labels: { backup: 'no' } });
    expect(only(synth(stack), 'docker_volume')).toMatchObject({
      name: 'scratch-v1', driver_opts: { type: 'tmpfs', device: 'tmpfs' }, labels: [{ label: 'backup', value: 'no' }],
    });
  });

  test('mounted read-write by default and read-only on request', () => {
    const { stack } = newStack();
    const data = new DataVolume(stack, 'data');
    const net = new ServiceNetwork(stack, 'net');
    const image = ContainerImage.fromRegistry('busybox:1.36.1');
    new ServiceContainer(stack, 'writer', { image, networks: [net], volumes: [{ volume: data, containerPath: '/data' }] });
    new ServiceContainer(stack, 'reader', { image, networks: [net], volumes: [{ volume: data, containerPath: '/data', readOnly: true }] });
    const containers = Object.values(synth(stack).resource.docker_container) as any[];
    expect(containers.find((c) => c.name === 'writer').volumes[0].read_only).toBe(false);
    expect(containers.find((c) => c.name === 'reader').volumes[0].read_only).toBe(true);
  });

  test('two volumes with one name on one host are rejected', () => {
    const { stack } = newStack();
    new DataVolume(stack, 'a', { volumeName: 'data' });
    expect(() => new DataVolume(stack, 'b', { volumeName: 'data' })).toThrow(/test\/b: invalid volumeName "data": a volume name not used by another construct/);
  });
});
