/**
 * Types shared by the review engine, its two front ends (the `ProductionChecks`
 * Aspect and the `cdktf-docker-review` command) and the reports.
 *
 * This module and everything else under `lib/review/` import neither `cdktf`
 * nor the provider bindings: the command must start fast.
 */

/** How bad a finding is. An unsuppressed `error` fails synth and makes the review exit with 1. */
export enum Severity {
  /** Fails `cdktf synth` (Aspect) and the review (exit code 1) unless suppressed with a reason. */
  ERROR = 'error',
  /** Reported (annotation, report line), never fails anything. */
  WARNING = 'warning',
}

/**
 * The id of each rule of the pack, in the order of the findings within a resource, and of the
 * meta rule for invalid suppressions: what `ProductionChecks.suppress` takes as `ruleId` and a
 * finding's `rule` holds. Each rule is `lib/review/rules/<id>.ts` (listed in `RULES`), its
 * severity, reason and source in `ProductionChecks.RULES` and `lib/review/RULES.md`.
 */
export enum RuleId {
  IMAGE_NOT_PINNED = 'image-not-pinned',
  LARGE_BASE_IMAGE = 'large-base-image',
  MULTIPLE_PROCESSES = 'multiple-processes',
  LEGACY_LINKS = 'legacy-links',
  DEFAULT_BRIDGE_NETWORK = 'default-bridge-network',
  HOST_NAMESPACE = 'host-namespace',
  PRIVILEGED_CONTAINER = 'privileged-container',
  DOCKER_SOCKET_MOUNTED = 'docker-socket-mounted',
  SENSITIVE_HOST_PATH = 'sensitive-host-path',
  CAPABILITIES_NOT_DROPPED = 'capabilities-not-dropped',
  NO_NEW_PRIVILEGES_MISSING = 'no-new-privileges-missing',
  WRITABLE_ROOT_FILESYSTEM = 'writable-root-filesystem',
  NO_MEMORY_LIMIT = 'no-memory-limit',
  NO_RESTART_POLICY = 'no-restart-policy',
  NO_HEALTH_CHECK = 'no-health-check',
  NO_LOG_ROTATION = 'no-log-rotation',
  PORT_PUBLISHED_ON_ALL_INTERFACES = 'port-published-on-all-interfaces',
  LITERAL_SECRET_ENV = 'literal-secret-env',
  LITERAL_REGISTRY_CREDENTIAL = 'literal-registry-credential',
  PUSH_DELETES_REMOTE_TAG = 'push-deletes-remote-tag',
  USER_NOT_SET = 'user-not-set',
  DANGEROUS_CAPABILITY_ADDED = 'dangerous-capability-added',
  CONFINEMENT_DISABLED = 'confinement-disabled',
  HOST_DEVICE_MAPPED = 'host-device-mapped',
  KERNEL_PARAMETER_SET = 'kernel-parameter-set',
  IMAGE_REFERENCED_BY_NAME = 'image-referenced-by-name',
  MEMORY_SWAP_UNSET = 'memory-swap-unset',
  LOG_ROTATION_INCOMPLETE = 'log-rotation-incomplete',
  PLUGIN_ALL_PRIVILEGES = 'plugin-all-privileges',
  LITERAL_SWARM_SECRET = 'literal-swarm-secret',
  SSH_HOST_KEY_UNCHECKED = 'ssh-host-key-unchecked',
  SINGLE_REPLICA_SERVICE = 'single-replica-service',
  UPDATE_WITHOUT_ROLLBACK = 'update-without-rollback',
  SECRET_IN_SERVICE_ENV = 'secret-in-service-env',
  INVALID_SUPPRESSION = 'invalid-suppression',
}

/** One rule of the pack, as documented in the rule table. */
export interface RuleInfo {
  /** Stable kebab-case id, used in reports and suppressions. */
  readonly id: string;
  /** Severity of its findings. */
  readonly severity: Severity;
  /** One-line reason. */
  readonly reason: string;
  /** Where the practice comes from: a talk takeaway or a CIS Docker Benchmark v1.6.0 recommendation. */
  readonly source: string;
}

/** A reasoned exception recorded on a resource. */
export interface SuppressionEntry {
  /** The rule id. */
  readonly rule: string;
  /** Why this resource may violate the rule. */
  readonly reason: string;
}

/** One finding of the review. Keys are the report's JSON keys. */
export interface Finding {
  /** Rule id. */
  readonly rule: string;
  /** Severity of the rule. */
  readonly severity: Severity;
  /** Terraform address, e.g. `docker_container.api` or `provider.docker`. */
  readonly resource: string;
  /** What is wrong, with the offending value. */
  readonly message: string;
  /** The rule's source (talk takeaway or CIS recommendation). */
  readonly source: string;
  /** True when a suppression with a reason covers this finding; it then never counts as an error. */
  readonly suppressed: boolean;
  /** The suppression's reason, when suppressed. */
  readonly suppressionReason?: string;
  /** Construct path from cdktf's metadata, when known. */
  readonly constructPath?: string;
}

/** A published port as shown in the service table. */
export interface PublishedPort {
  /** Host interface; `0.0.0.0` when the provider default applies. */
  readonly ip: string;
  /** Host port; absent = Docker picks a random port. */
  readonly external?: number;
  /** Container port. */
  readonly internal?: number;
  /** tcp, udp or sctp. */
  readonly protocol: string;
  /** For a Swarm service: `ingress` (every node, through the routing mesh) or `host` (each node running a task). */
  readonly publishMode?: string;
}

/** A volume or bind mount as shown in the service table. */
export interface MountedPath {
  /** `volume`, `bind` or `tmpfs`. */
  readonly type: string;
  /** Volume name or host path (absent for tmpfs). */
  readonly source?: string;
  /** Path inside the container. */
  readonly target: string;
  /** Mounted read-only. */
  readonly readOnly: boolean;
}

/** One `docker_container` as summarised by the review. */
export interface ServiceSummary {
  /** Terraform address of the container. */
  readonly address: string;
  /** Container name (the `name` attribute, else the resource name). */
  readonly name: string;
  /** Image reference; `${docker_image.x.image_id}` is resolved to that image's name. */
  readonly image: string;
  /** Published ports with their host interface. */
  readonly ports: PublishedPort[];
  /** User-defined networks (names). */
  readonly networks: string[];
  /** `network_mode` when set (`host`, `bridge`, `none`, `container:<id>`, a user-defined network); a reference reads as the resource's name (`container:db`). */
  readonly networkMode?: string;
  /** Volumes and bind mounts. */
  readonly volumes: MountedPath[];
  /** Restart policy, absent = none (`no`). */
  readonly restart?: string;
  /** Memory limit in MiB, absent = unlimited. */
  readonly memoryMiB?: number;
  /** Health check test command, absent = none declared on the container. */
  readonly healthcheck?: string[];
  /** Addresses this container's `depends_on` names. */
  readonly dependsOn: string[];
  /** For a Swarm service (`docker_service`): its replica count (absent when it is global or not literal). */
  readonly replicas?: number;
  /** For a Swarm service: true when it runs one task on every node (`mode.global`). */
  readonly global?: boolean;
  /** For a Swarm service: `swarm-service`; absent for a container. */
  readonly kind?: string;
}

/** The review of one stack (one `cdk.tf.json` or one plan). */
export interface StackReview {
  /** Stack name. */
  readonly name: string;
  /** One entry per `docker_container`. */
  readonly services: ServiceSummary[];
  /** All findings, suppressed ones included (flagged `suppressed`). */
  readonly findings: Finding[];
  /** What the plan will do, when the input is a plan (`terraform show -json` with `resource_changes`); absent otherwise. */
  readonly plan?: PlanActions;
}

/** What a plan will do to a stack's resources (managed resources of every type, data sources left out). */
export interface PlanActions {
  /** How many resources are created, updated in place, replaced (deleted and created again, in either order) and deleted. */
  readonly counts: { readonly create: number; readonly update: number; readonly replace: number; readonly delete: number };
  /** The resources the plan replaces, by address; a replaced container is down until its successor runs. */
  readonly replaced: PlannedReplacement[];
  /** The resources the plan deletes, by address. */
  readonly deleted: PlannedDeletion[];
}

/** A resource the plan deletes. */
export interface PlannedDeletion {
  /** Terraform address. */
  readonly address: string;
  /** The container's name, for a `docker_container`. */
  readonly container?: string;
  /** The deposed object's key, when the plan deletes a deposed object (left over from a create-before-destroy replacement). */
  readonly deposed?: string;
}

/** A resource the plan replaces. */
export interface PlannedReplacement extends PlannedDeletion {
  /** The attributes whose change forces the replacement (`replace_paths`), as paths such as `image` or `ports[0].external`. */
  readonly forcedBy: string[];
  /** Why, when Terraform says so beyond those attributes: `tainted`, `requested` (`-replace`), `triggered` (`replace_triggered_by`). */
  readonly reason?: string;
}

/** A whole review: the CLI's `--format json` output and the Aspect's `production-review.json`. */
export interface ReviewReport {
  /** One entry per stack. */
  readonly stacks: StackReview[];
}

/**
 * Internal: one Terraform resource (or provider configuration) in the shape
 * cdktf synthesizes it (snake_case, single nested blocks as objects, list
 * blocks as arrays), with the `//` metadata taken apart.
 */
export interface ResourceShape {
  /** Terraform address: `docker_container.api`, `module.m.docker_image.x`, `provider.docker`, `provider.docker.remote`. */
  readonly address: string;
  /** Resource type, or `provider` for a provider configuration. */
  readonly type: string;
  /** Resource name (last address segment), or the provider's local name. */
  readonly name: string;
  /** Attribute values (may still hold the `//` key, which rules ignore). */
  readonly values: Record<string, unknown>;
  /** cdktf construct path from `//.metadata.path`. */
  readonly constructPath?: string;
  /** Suppressions from `//.production_checks.suppressions`. */
  readonly suppressions: SuppressionEntry[];
  /**
   * For a view of a resource in another resource's vocabulary (a Swarm service's task read as a
   * container): the resource's own path of each attribute the view maps, for messages.
   */
  readonly attributeNames?: Readonly<Record<string, string>>;
  /** For the task view of a `docker_service`: the service's own attribute values. */
  readonly service?: Record<string, unknown>;
}

/** Internal: a `data.terraform_remote_state` source of a stack (how cdktf reads another stack's outputs). */
export interface RemoteStateSource {
  /** Backend type, e.g. `local`, `s3`. */
  readonly backend?: string;
  /** Backend configuration, e.g. `{ path: ".../terraform.platform.tfstate" }`. */
  readonly config?: unknown;
}

/** Internal: what cross-stack references need to know about a stack. */
export interface CrossStackFacts {
  /** Output name -> its `value` expression (cdktf exports `${docker_image.x.image_id}` as `cross-stack-output-...`). */
  readonly outputs: ReadonlyMap<string, unknown>;
  /** `data.terraform_remote_state` name -> its source (cdktf names them `cross-stack-reference-input-<stack>`). */
  readonly remoteStates: ReadonlyMap<string, RemoteStateSource>;
  /** The stack's own backend (`terraform.backend`), which a remote state of another stack names. */
  readonly backend?: { readonly type: string; readonly config: unknown };
}

/** Internal: the engine's input for one stack. */
export interface StackInput {
  readonly name: string;
  readonly resources: ResourceShape[];
  /** Directory relative build contexts resolve against (Terraform's working directory). */
  readonly baseDir?: string;
  /** Outputs, remote states and backend (synthesized stacks only), for cross-stack references. */
  readonly crossStack?: CrossStackFacts;
  /** The plan's `resource_changes` as far as the review reads them (plans only). */
  readonly changes?: readonly ResourceChange[];
}

/** Internal: one entry of a plan's `resource_changes`, reduced to what the review reports. */
export interface ResourceChange {
  readonly address: string;
  readonly type: string;
  /** `change.actions`: `["create"]`, `["update"]`, `["delete","create"]`, `["no-op"]`, `["read"]`... */
  readonly actions: readonly string[];
  /** `change.replace_paths`: attribute paths, each a list of steps (attribute name or map key, or list index). */
  readonly replacePaths: readonly (readonly (string | number)[])[];
  /** `action_reason`, e.g. `replace_because_tainted`. */
  readonly actionReason?: string;
  /** The resource's `name` attribute after (else before) the change, when it is a string. */
  readonly name?: string;
  /** `deposed`: the deposed object's key. */
  readonly deposed?: string;
}
