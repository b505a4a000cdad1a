/**
 * The one Docker image-reference grammar of the library,
 * `[registry[:port]/]path[:tag][@digest]`, and the one "is it pinned" policy.
 * The constructs (`_validate.ts`) and the review rules both read references
 * here. No imports: the review command must not load cdktf.
 *
 * Every reading starts with the same split (`splitImageReference`); then
 * - `parseImageReference` (strict, for the constructs) checks each part
 *   against Docker's grammar and returns undefined when one does not follow it;
 * - `readImageReference` (lenient, for the review) trims and returns the split
 *   as it is: any text (a token, a half-written reference) reads without failing.
 */

/** A reference split into its parts as written, nothing checked. */
export interface ImageReferenceParts {
  /** Everything before the tag and digest: `[registry[:port]/]path`. */
  readonly name: string;
  /** The text after the last `:` that follows the last `/` (before the digest); may be empty. */
  readonly tag?: string;
  /** The text after the first `@`; may be empty. */
  readonly digest?: string;
}

/** The parts of a Docker image reference that follows the grammar: [registry[:port]/]path[:tag][@digest]. */
export interface ImageReference {
  readonly registry?: string;
  /** The path without the registry. */
  readonly repository: string;
  readonly tag?: string;
  readonly digest?: string;
}

/** A registry host with an optional port (also what a registry address must be). */
export const DOMAIN = /^(?:localhost|(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*|\[[0-9a-fA-F:.]+\])(?::[0-9]{1,5})?$/;
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
/** A tag of an image reference. */
export const IMAGE_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;
/** An image ID (`sha256:<hex>`), which pins what it names as a digest does. */
const IMAGE_ID = /^sha256:[0-9a-f]{12,}$/i;

/** Splits `registry:5000/team/api:1.4@sha256:...` into name, tag and digest, as written. */
export function splitImageReference(ref: string): ImageReferenceParts {
  let name = ref;
  let digest: string | undefined;
  const at = name.indexOf('@');
  if (at >= 0) {
    digest = name.slice(at + 1);
    name = name.slice(0, at);
  }
  const slash = name.lastIndexOf('/');
  const colon = name.lastIndexOf(':');
  if (colon > slash) return { name: name.slice(0, colon), tag: name.slice(colon + 1), digest };
  return { name, digest };
}

/** Strict: parses a reference by Docker's grammar; undefined when it does not follow it. */
export function parseImageReference(ref: string): ImageReference | undefined {
  if (typeof ref !== 'string' || ref.length === 0 || ref.length > 4096) return undefined;
  const { name, tag, digest } = splitImageReference(ref);
  if (digest !== undefined && !DIGEST.test(digest)) return undefined;
  if (tag !== undefined && !IMAGE_TAG.test(tag)) return undefined;
  const parts = name.split('/');
  let registry: string | undefined;
  if (parts.length > 1 && (parts[0].includes('.') || parts[0].includes(':') || parts[0] === 'localhost' || parts[0] !== parts[0].toLowerCase())) {
    registry = parts.shift();
    if (!registry || !DOMAIN.test(registry)) return undefined;
    const port = registry.match(/:(\d+)$/);
    if (port && Number(port[1]) > 65535) return undefined;
  }
  if (parts.length === 0 || !parts.every((p) => PATH_COMPONENT.test(p))) return undefined;
  const repository = parts.join('/');
  if (repository.length > 255) return undefined;
  return { registry, repository, tag, digest };
}

/** Lenient: the parts of any text read as a reference (trimmed); never fails. */
export function readImageReference(ref: string): ImageReferenceParts {
  return splitImageReference(ref.trim());
}

/** Why a reference is not pinned: it has no tag (Docker pulls `latest`), or the moving `latest` tag. */
export type Unpinned = 'no-tag' | 'latest';

/**
 * The pinned policy: a digest pins a reference, else a tag other than `latest`.
 * `latestInAnyCase` also takes `LATEST`, `Latest`... as `latest` (the review
 * has always read it so; the constructs take tags as Docker does, case-sensitively).
 */
export function unpinnedBy(parts: { readonly tag?: string; readonly digest?: string }, latestInAnyCase = false): Unpinned | undefined {
  if (parts.digest) return undefined;
  if (!parts.tag) return 'no-tag';
  if ((latestInAnyCase ? parts.tag.toLowerCase() : parts.tag) === 'latest') return 'latest';
  return undefined;
}

/**
 * Lenient: why a reference, as written, is not pinned; undefined when a version tag, a digest or
 * an image ID (`sha256:...`) pins it. Any text reads without failing.
 */
export function unpinnedImageReference(ref: string): Unpinned | undefined {
  if (IMAGE_ID.test(ref)) return undefined;
  return unpinnedBy(readImageReference(ref), true);
}
