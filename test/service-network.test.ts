import 'cdktf/lib/testing/adapters/jest';
import { ServiceNetwork, ValidationError } from '../lib';
import { newStack, only, synth } from './util';

describe('ServiceNetwork', () => {
  test('defaults: a user-defined bridge named after the id, not internal, not attachable', () => {
    const { stack } = newStack();
    const net = new ServiceNetwork(stack, 'front');
    expect(only(synth(stack), 'docker_network')).toEqual(expect.objectContaining({
      name: 'front', driver: 'bridge', internal: false, attachable: false,
    }));
    expect(net.internal).toBe(false);
  });

  test('internal, addressing, attachable and labels', () => {
    const { stack } = newStack();
    new ServiceNetwork(stack, 'back', {
      networkName: 'app-back', internal: true, subnet: '10.20.0.0/24', gateway: '10.20.0.1', ipRange: '10.20.0.128/25',
      attachable: true, labels: { tier: 'data' },
    });
    const n = only(synth(stack), 'docker_network');
    expect(n).toMatchObject({
      name: 'app-back', internal: true, attachable: true,
      ipam_config: [{ subnet: '10.20.0.0/24', gateway: '10.20.0.1', ip_range: '10.20.0.128/25' }],
      labels: [{ label: 'tier', value: 'data' }],
    });
  });

  test.each([
    // Docker picks these itself and reports them only after a daemon restart: left out, they would
    // appear in the next plan and force the network's replacement.
    [{ subnet: '10.20.0.0/24' }, '10.20.0.1'],
    [{ subnet: '10.20.0.0/16' }, '10.20.0.1'],
    [{ subnet: '10.20.0.0/24', ipRange: '10.20.0.128/25' }, '10.20.0.128'],
    [{ subnet: '10.20.0.0/24', ipRange: '10.20.0.0/25' }, '10.20.0.1'],
    [{ subnet: '10.20.0.0/24', gateway: '10.20.0.254' }, '10.20.0.254'],
  ])('with %j the gateway is written out as %s', (props, gateway) => {
    const { stack } = newStack();
    new ServiceNetwork(stack, 'n', props);
    expect(only(synth(stack), 'docker_network').ipam_config).toEqual([expect.objectContaining({ subnet: props.subnet, gateway })]);
  });

  test.each([
    [{ subnet: '10.20.0.0/33' }, 'subnet', /an IPv4 network in CIDR notation/],
    [{ subnet: '10.20.0.5/24' }, 'subnet', /no host bits set/],
    [{ subnet: '10.20.0.0/24', gateway: '10.21.0.1' }, 'gateway', /an address inside the subnet 10.20.0.0\/24/],
    [{ subnet: '10.20.0.0/24', ipRange: '10.20.0.0/16' }, 'ipRange', /a range inside the subnet/],
    [{ gateway: '10.20.0.1' }, 'gateway', /only together with `subnet`/],
    [{ networkName: 'bridge' }, 'networkName', /not one of Docker's predefined networks/],
  ])('rejects %j', (props, prop, allowed) => {
    const { stack } = newStack();
    let error: unknown;
    try {
      new ServiceNetwork(stack, 'n', props);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).message).toContain(`test/n: invalid ${prop}`);
    expect((error as ValidationError).message).toMatch(allowed);
  });

  test('overlapping subnets on one host are rejected, naming the other network', () => {
    const { stack } = newStack();
    new ServiceNetwork(stack, 'a', { subnet: '10.20.0.0/16' });
    expect(() => new ServiceNetwork(stack, 'b', { subnet: '10.20.5.0/24' })).toThrow(/test\/b: invalid subnet "10.20.5.0\/24": a subnet that does not overlap .*test\/a has 10.20.0.0\/16/);
    expect(() => new ServiceNetwork(stack, 'c', { subnet: '10.21.0.0/24' })).not.toThrow();
  });

  test('two networks with one name on one host are rejected', () => {
    const { stack } = newStack();
    new ServiceNetwork(stack, 'a', { networkName: 'shared' });
    expect(() => new ServiceNetwork(stack, 'b', { networkName: 'shared' })).toThrow(/test\/b: invalid networkName "shared": a network name not used by another construct on host test\/host \(test\/a already uses it\)/);
  });
});
