/**
 * One service → its `ServiceModel`. The keys are read family by family, in a fixed order (image,
 * environment, mounts, secrets, ports, networks, dependencies, health check), then the remaining
 * keys in the order written, each by its family's reader; what depends on several keys is settled
 * last (memory, environment, logging, security options, static addresses).
 */
import { CONTAINER_KEYS, finishSecurityOpts } from './container-keys';
import { DEPLOY_KEYS, finishLogging, finishMemory } from './deploy';
import { ServiceSet, readDependsOn, readHealthcheck } from './dependencies';
import { KeyReader, ServiceDraft } from './draft';
import { ENGINE_KEYS } from './engine-settings';
import { finishEnvironment, readEnvironment } from './environment';
import { readImage } from './image';
import { ServiceModel } from './model';
import { finishNetworks, readServiceNetworks } from './networks';
import { readPorts } from './ports';
import { LoadContext } from './load-context';
import { readSecretsAndConfigs } from './secrets';
import { checkServiceKeys } from './service-keys';
import { PlainMap } from './source';
import { readMounts } from './volumes';

/** Readers of the keys read in the order written; the keys read above them (and `platform`, read with the image) are not here. */
const KEY_READERS = new Map<string, KeyReader>(Object.entries({ ...CONTAINER_KEYS, ...DEPLOY_KEYS, ...ENGINE_KEYS }));

export function readService(ctx: LoadContext, name: string, def: PlainMap, services: ServiceSet): ServiceModel {
  const d = new ServiceDraft(ctx, name, def);
  checkServiceKeys(ctx.r, d.p, def);
  const image = readImage(d);
  readEnvironment(d);
  readMounts(d);
  readSecretsAndConfigs(d);
  readPorts(d);
  const networks = readServiceNetworks(d);
  readDependsOn(d, services);
  const healthcheck = readHealthcheck(d);
  for (const [key, v] of Object.entries(def)) KEY_READERS.get(key)?.(d, `${d.p}.${key}`, v, key);

  finishMemory(d);
  finishEnvironment(d);
  finishLogging(d);
  finishSecurityOpts(d);
  finishNetworks(d, networks);
  return {
    name,
    source: ctx.r.ref(d.p, true),
    image,
    props: d.props,
    ports: d.ports,
    networks,
    volumes: d.volumes,
    bindMounts: d.bindMounts,
    secretEnvironment: d.secretEnvironment,
    healthcheck,
    dependsOn: d.dependsOn,
    resource: d.resource,
    propSources: d.propSources,
  };
}
