import 'cdktf/lib/testing/adapters/jest';
import { TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { ContainerImage, DockerHost, OverlayNetwork, ServiceContainer, ServiceNetwork, SwarmService } from '../lib';
import { only } from './util';
import { expectError, swarmHost as swarmStack } from './swarm-util';

const synth = (stack: TerraformStack): any => JSON.parse(Testing.synth(stack, true));

describe('OverlayNetwork defaults', () => {
  const { stack } = swarmStack();
  const mesh = new OverlayNetwork(stack, 'mesh');
  const net = only(synth(stack), 'docker_network');

  test('the overlay driver, not attachable, not internal, no options, no lifecycle', () => {
    expect(net).toMatchObject({ name: 'mesh', driver: 'overlay', attachable: false, internal: false });
    expect(net.options).toBeUndefined();
    expect(net.lifecycle).toBeUndefined();
    expect(net.labels).toBeUndefined();
    expect(net.ipam_config).toBeUndefined();
  });
  test('it is a ServiceNetwork; its id is one reference, made once', () => {
    expect(mesh).toBeInstanceOf(ServiceNetwork);
    expect([mesh.attachable, mesh.internal, mesh.encrypted]).toEqual([false, false, false]);
    expect(mesh.networkId).toBe(mesh.networkId);
    expect(Testing.synth(stack)).toBeDefined();
  });
});

describe('OverlayNetwork opt-ins', () => {
  test('encrypted: the encrypted driver option, ignored after creation; a label carries the choice (labels are ForceNew)', () => {
    const { stack } = swarmStack();
    new OverlayNetwork(stack, 'mesh', { encrypted: true, labels: { team: 'core' } });
    const net = only(synth(stack), 'docker_network');
    expect(net.options).toEqual({ encrypted: '' });
    expect(net.lifecycle).toEqual({ ignore_changes: ['options'] });
    expect(net.labels).toEqual([{ label: 'cdktf-docker-production/encrypted', value: 'true' }, { label: 'team', value: 'core' }]);
  });

  test('attachable, internal, a subnet with the gateway Docker would pick written out', () => {
    const { stack } = swarmStack();
    new OverlayNetwork(stack, 'back', { attachable: true, internal: true, subnet: '10.30.0.0/24', networkName: 'backend' });
    expect(only(synth(stack), 'docker_network')).toMatchObject({
      name: 'backend', attachable: true, internal: true, ipam_config: [{ subnet: '10.30.0.0/24', gateway: '10.30.0.1' }],
    });
  });

  test('a ServiceContainer joins an attachable overlay network by name, with its name as alias', () => {
    const { stack } = swarmStack();
    const mesh = new OverlayNetwork(stack, 'mesh', { attachable: true });
    new ServiceContainer(stack, 'tool', { image: ContainerImage.fromRegistry('busybox:1.36'), networks: [mesh] });
    expect(only(synth(stack), 'docker_container').networks_advanced).toEqual([
      { name: expect.stringMatching(/^\$\{docker_network\.mesh_[0-9A-F]{8}\.name\}$/), aliases: ['tool'] },
    ]);
  });

  test('a token subnet passes unjudged', () => {
    const { stack } = swarmStack();
    const subnet = new TerraformVariable(stack, 'subnet', { type: 'string' }).stringValue;
    new OverlayNetwork(stack, 'mesh', { subnet });
    expect(only(synth(stack), 'docker_network').ipam_config).toEqual([{ subnet: '${var.subnet}' }]);
  });
});

describe('OverlayNetwork bad input names the path, the prop, the value and what is allowed', () => {
  test('a host that is not a swarm manager', () => {
    const stack = new TerraformStack(Testing.app(), 'test');
    new DockerHost(stack, 'host');
    expectError(() => new OverlayNetwork(stack, 'mesh'),
      'test/mesh: invalid host "test/host": a DockerHost with `swarm: true` (a swarm manager): an overlay network exists only in a swarm');
  });
  test('the subnet rules of a ServiceNetwork, shared: host bits, overlap with a bridge network of the host', () => {
    const { stack } = swarmStack();
    expectError(() => new OverlayNetwork(stack, 'a', { subnet: '10.30.0.1/24' }), 'test/a: invalid subnet "10.30.0.1/24": an IPv4 network in CIDR notation with no host bits set');
    new ServiceNetwork(stack, 'local', { subnet: '10.40.0.0/16' });
    expectError(() => new OverlayNetwork(stack, 'b', { subnet: '10.40.1.0/24' }),
      "test/b: invalid subnet \"10.40.1.0/24\": a subnet that does not overlap another network's on host test/host (test/local has 10.40.0.0/16)");
  });
  test("the swarm's own network names, and one name for two networks of a host", () => {
    const { stack } = swarmStack();
    expectError(() => new OverlayNetwork(stack, 'ingress'), "test/ingress: invalid networkName \"ingress\": a name other than the swarm's own networks ingress and docker_gwbridge");
    new ServiceNetwork(stack, 'front');
    expectError(() => new OverlayNetwork(stack, 'mesh', { networkName: 'front' }),
      'test/mesh: invalid networkName "front": a network name not used by another construct on host test/host (test/front already uses it)');
  });
  test('encrypted that is not a boolean', () => {
    const { stack } = swarmStack();
    expectError(() => new OverlayNetwork(stack, 'mesh', { encrypted: 'yes' as any }), 'test/mesh: invalid encrypted "yes": true or false');
  });
  test('a ServiceContainer on an overlay network that is not attachable', () => {
    const { stack } = swarmStack();
    const mesh = new OverlayNetwork(stack, 'mesh');
    expectError(() => new ServiceContainer(stack, 'tool', { image: ContainerImage.fromRegistry('busybox:1.36'), networks: [mesh] }),
      'test/tool: invalid networks[0] "test/mesh": a ServiceNetwork, or an OverlayNetwork with `attachable: true`');
  });
  test('a SwarmService on a bridge network (the other way round)', () => {
    const { stack } = swarmStack();
    const bridge = new ServiceNetwork(stack, 'front');
    expectError(() => new SwarmService(stack, 'api', { image: ContainerImage.fromRegistry('busybox:1.36'), networks: [bridge as any] }),
      'test/api: invalid networks[0] "test/front": an OverlayNetwork');
  });
});
