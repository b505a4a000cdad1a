/**
 * The risky opt-outs of the hardened defaults are allowed and said at synth: one warning each,
 * with a stable id; the defaults themselves warn about nothing.
 */
import { IConstruct } from 'constructs';
import { AnnotationMetadataEntryType, TerraformStack, Testing } from 'cdktf';
import { ContainerImage, DockerHost, OverlayNetwork, PortMapping, ServiceContainer, ServiceNetwork, SwarmService } from '../lib';

const image = () => ContainerImage.fromRegistry('redis:7.4-alpine');
const warnings = (c: IConstruct) => c.node.metadata.filter((m) => m.type === AnnotationMetadataEntryType.WARN).map((m) => String(m.data));

function stack(swarm = false): TerraformStack {
  const s = new TerraformStack(Testing.app(), 's');
  new DockerHost(s, 'host', { swarm });
  return s;
}

test('the defaults warn about nothing', () => {
  const s = stack();
  const c = new ServiceContainer(s, 'web', { image: image(), networks: [new ServiceNetwork(s, 'net')], ports: [PortMapping.local(8080, 80)] });
  expect(warnings(c)).toEqual([]);
});

test('each opt-out of a container is one warning with its id', () => {
  const s = stack();
  const c = new ServiceContainer(s, 'web', {
    image: image(), networks: [new ServiceNetwork(s, 'net')], dropAllCapabilities: false, readOnlyRootFilesystem: false, noNewPrivileges: false,
    ports: [PortMapping.public(443, 8443)],
  });
  c.addPort(PortMapping.public(80, 8080));
  expect(warnings(c).map((w) => w.match(/^\[cdktf-docker-production:opt-out:([a-z-]+)\]/)?.[1])).toEqual([
    'capabilities', 'writable-root', 'new-privileges', 'public-port', 'public-port',
  ]);
  expect(warnings(c)[3]).toContain('port 443->8443/tcp is published on every interface of the host');
  expect(warnings(c)[4]).toContain('port 80->8080/tcp');
});

test('a swarm service warns about its capabilities and root, not about its published ports', () => {
  const s = stack(true);
  const svc = new SwarmService(s, 'api', { image: image(), networks: [new OverlayNetwork(s, 'mesh')], dropAllCapabilities: false });
  expect(warnings(svc)).toEqual([expect.stringMatching(/^\[cdktf-docker-production:opt-out:capabilities\] dropAllCapabilities is false/)]);
});
