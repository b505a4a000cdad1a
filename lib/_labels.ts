/**
 * Names shared by the constructs (which write them into the synthesized JSON)
 * and the review (which reads them back). Defined once here; this module
 * imports nothing, so the review command can use it without loading cdktf.
 */

/** The label with which a container declares that an outside supervisor (systemd units), not Docker's restart policy, keeps it running. */
export const SUPERVISOR_LABEL = 'cdktf-docker-production/supervisor';

/** The OCI annotation for an image's base, recorded by `MinimalImage` in the build labels so that the review can judge it. */
export const BASE_IMAGE_LABEL = 'org.opencontainers.image.base.name';

/** The trigger key of a built `docker_image` that carries the build context's fingerprint. */
export const CONTEXT_TRIGGER = 'context_sha256';

/** The label on an encrypted `OverlayNetwork`: it replaces the network when encryption is turned on or off (its options are ignored after creation). */
export const ENCRYPTED_LABEL = 'cdktf-docker-production/encrypted';
