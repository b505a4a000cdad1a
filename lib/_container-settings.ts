/**
 * What a `ServiceContainer` decides beyond the shared container specification, checked and with
 * its defaults: the container name (claimed on the host), the restart policy, the healthy wait,
 * `no-new-privileges` and the mounts of named volumes and host paths. Every problem is collected.
 */
import type { IConstruct } from 'constructs';
import { DockerHost } from './docker-host';
import type { ContainerSpec } from './_container-spec';
import type { ContainerVolumes } from './_provider';
import { Problems } from './_problems';
import { RestartPolicy } from './restart-policy';
import type { BindMount, ServiceContainerProps } from './service-container-props';
import { checkKnownKeys } from './_known-keys';
import { BIND_MOUNT_KEYS, SERVICE_CONTAINER_PROPS_KEYS } from './_props-keys';
import { checkArray, checkBoolean, checkHostPath, checkInstance, checkInteger, checkObjectName, checkOneOf, fail, isUnresolved } from './_validate';

/** A container's own settings, ready to render. */
export interface ContainerSettings {
  readonly restart: RestartPolicy;
  readonly maxRetryCount?: number;
  readonly noNewPrivileges: boolean;
  readonly wait: boolean;
  readonly waitTimeoutSeconds: number;
  readonly volumes: ContainerVolumes[];
}

/** Checks the container's own props for `scope` (named `serviceName` on `host`) and applies the defaults. */
export function containerSettings(
  scope: IConstruct, host: DockerHost, spec: ContainerSpec, serviceName: string, props: ServiceContainerProps, problems: Problems,
): ContainerSettings {
  const where = scope.node.path;
  problems.check(() => {
    checkObjectName(where, 'serviceName', serviceName, 2);
    if (!isUnresolved(serviceName)) host._claim(`container:${serviceName}`, 'a container name', scope, 'serviceName', serviceName);
  });
  const restart = props.restartPolicy ?? RestartPolicy.UNLESS_STOPPED;
  problems.check(() => checkRestart(where, restart, props.maxRetryCount));
  const waitTimeoutSeconds = props.waitTimeoutSeconds ?? 60;
  problems.check(() => checkInteger(where, 'waitTimeoutSeconds', waitTimeoutSeconds, 1, 3600, 'seconds from 1 to 3600'));
  const wait = props.waitForHealthy ?? props.healthcheck !== undefined;
  problems.check(() => {
    if (wait && !props.healthcheck) fail(where, 'waitForHealthy', wait, 'true only with a `healthcheck`');
  });
  const volumes: ContainerVolumes[] = [];
  (props.volumes ?? []).forEach((v, i) => problems.check(() => volumes.push(spec.volumeMount(host, `volumes[${i}]`, v))));
  (props.bindMounts ?? []).forEach((b, i) => problems.check(() => volumes.push(bindMount(where, spec, `bindMounts[${i}]`, b))));
  return { restart, maxRetryCount: props.maxRetryCount, noNewPrivileges: props.noNewPrivileges ?? true, wait, waitTimeoutSeconds, volumes };
}

function checkRestart(where: string, restart: RestartPolicy, maxRetryCount: number | undefined): void {
  checkOneOf(where, 'restartPolicy', restart, RestartPolicy);
  if (maxRetryCount !== undefined && !isUnresolved(restart) && restart !== RestartPolicy.ON_FAILURE) {
    fail(where, 'maxRetryCount', maxRetryCount, 'a retry count only with RestartPolicy.ON_FAILURE');
  }
  checkInteger(where, 'maxRetryCount', maxRetryCount, 0, 1000);
}

/** One entry of `bindMounts` (`prop`), checked: read-only unless it says otherwise. */
function bindMount(where: string, spec: ContainerSpec, prop: string, b: BindMount): ContainerVolumes {
  if (!b || typeof b !== 'object') fail(where, prop, b, 'a bind mount { hostPath, containerPath, readOnly? }');
  checkKnownKeys(where, b, BIND_MOUNT_KEYS, prop);
  checkHostPath(where, `${prop}.hostPath`, b.hostPath, true);
  checkBoolean(where, `${prop}.readOnly`, b.readOnly);
  spec.claimMount(`${prop}.containerPath`, b.containerPath);
  return { hostPath: b.hostPath, containerPath: b.containerPath, readOnly: b.readOnly ?? true };
}

/** Types of the container's own props whose values the constructor iterates or passes on (the spec checks the shared ones): every problem at once. */
export function checkContainerPropTypes(where: string, props: ServiceContainerProps): void {
  const problems = new Problems(where);
  problems.check(() => checkKnownKeys(where, props, SERVICE_CONTAINER_PROPS_KEYS));
  problems.check(() => checkInstance(where, 'host', props.host, DockerHost, 'a DockerHost'));
  const lists: [string, unknown, string][] = [
    ['networks', props.networks, 'a list of ServiceNetwork'],
    ['ports', props.ports, 'a list of PortMapping'],
    ['volumes', props.volumes, 'a list of volume mounts { volume, containerPath, readOnly? }'],
    ['bindMounts', props.bindMounts, 'a list of bind mounts { hostPath, containerPath, readOnly? }'],
    ['dependsOn', props.dependsOn, 'a list of ServiceContainer'],
  ];
  for (const [prop, value, allowed] of lists) problems.check(() => checkArray(where, prop, value, allowed));
  problems.check(() => checkBoolean(where, 'noNewPrivileges', props.noNewPrivileges));
  problems.check(() => checkBoolean(where, 'waitForHealthy', props.waitForHealthy));
  problems.throwIfAny();
}
