/**
 * The rule pack, in the order its findings come out (within a resource).
 * One rule a file (`<rule-id>.ts`, exporting its `RuleDefinition`); the
 * sources are takeaways of the "Docker in Production" talk and
 * recommendations of the CIS Docker Benchmark v1.6.0, section 5 (container
 * runtime) or 4 (images). A new rule goes in its own file and in `RULES` below.
 */
import { RuleDefinition } from '../rule-definition';
import { imageNotPinned } from './image-not-pinned';
import { largeBaseImage } from './large-base-image';
import { multipleProcesses } from './multiple-processes';
import { legacyLinks } from './legacy-links';
import { defaultBridgeNetwork } from './default-bridge-network';
import { hostNamespace } from './host-namespace';
import { privilegedContainer } from './privileged-container';
import { dockerSocketMounted } from './docker-socket-mounted';
import { sensitiveHostPath } from './sensitive-host-path';
import { capabilitiesNotDropped } from './capabilities-not-dropped';
import { noNewPrivilegesMissing } from './no-new-privileges-missing';
import { writableRootFilesystem } from './writable-root-filesystem';
import { noMemoryLimit } from './no-memory-limit';
import { noRestartPolicy } from './no-restart-policy';
import { noHealthCheck } from './no-health-check';
import { noLogRotation } from './no-log-rotation';
import { portPublishedOnAllInterfaces } from './port-published-on-all-interfaces';
import { literalSecretEnv } from './literal-secret-env';
import { literalRegistryCredential } from './literal-registry-credential';
import { pushDeletesRemoteTag } from './push-deletes-remote-tag';
import { userNotSet } from './user-not-set';
import { dangerousCapabilityAdded } from './dangerous-capability-added';
import { confinementDisabled } from './confinement-disabled';
import { hostDeviceMapped } from './host-device-mapped';
import { kernelParameterSet } from './kernel-parameter-set';
import { imageReferencedByName } from './image-referenced-by-name';
import { memorySwapUnset } from './memory-swap-unset';
import { logRotationIncomplete } from './log-rotation-incomplete';
import { pluginAllPrivileges } from './plugin-all-privileges';
import { literalSwarmSecret } from './literal-swarm-secret';
import { sshHostKeyUnchecked } from './ssh-host-key-unchecked';
import { singleReplicaService } from './single-replica-service';
import { updateWithoutRollback } from './update-without-rollback';
import { secretInServiceEnv } from './secret-in-service-env';

export const RULES: readonly RuleDefinition[] = [
  imageNotPinned,
  largeBaseImage,
  multipleProcesses,
  legacyLinks,
  defaultBridgeNetwork,
  hostNamespace,
  privilegedContainer,
  dockerSocketMounted,
  sensitiveHostPath,
  capabilitiesNotDropped,
  noNewPrivilegesMissing,
  writableRootFilesystem,
  noMemoryLimit,
  noRestartPolicy,
  noHealthCheck,
  noLogRotation,
  portPublishedOnAllInterfaces,
  literalSecretEnv,
  literalRegistryCredential,
  pushDeletesRemoteTag,
  userNotSet,
  dangerousCapabilityAdded,
  confinementDisabled,
  hostDeviceMapped,
  kernelParameterSet,
  imageReferencedByName,
  memorySwapUnset,
  logRotationIncomplete,
  pluginAllPrivileges,
  literalSwarmSecret,
  sshHostKeyUnchecked,
  singleReplicaService,
  updateWithoutRollback,
  secretInServiceEnv,
];

const RULES_BY_ID = new Map<string, RuleDefinition>(RULES.map((r) => [r.id, r]));

/** The rule with this id, or undefined. */
export function findRule(id: string): RuleDefinition | undefined {
  return RULES_BY_ID.get(id);
}
