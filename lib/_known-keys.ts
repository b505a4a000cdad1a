/**
 * Refusal of unknown keys in props objects. TypeScript catches a misspelt key; JavaScript (and a
 * cast) does not, and an ignored key can be a deploy to the wrong machine (`{ host: 'ssh://…' }`
 * for `DockerHost`, whose key is `url`). Each props interface lists its keys once with `keysOf`,
 * which fails to compile when the list misses a key of the interface or names one it lacks.
 */
import { fail } from './_validate';

/** Compiles only when `K` holds every key of `T`. */
type Complete<T, K extends readonly PropertyKey[]> = [Exclude<keyof T, K[number]>] extends [never]
  ? unknown
  : { readonly missingKeys: Exclude<keyof T, K[number]> };

/** The known keys of a props interface `T`, named `name` in messages. */
export interface KnownKeys {
  readonly name: string;
  readonly keys: readonly string[];
}

/**
 * The keys of props interface `T`: `keysOf<DockerHostProps>()('DockerHostProps', 'url', 'alias', …)`.
 * A key of `T` left out, or a name that is not a key of `T`, is a compile error.
 */
export function keysOf<T>() {
  return <const K extends readonly (keyof T & string)[]>(name: string, ...keys: K & Complete<T, K>): KnownKeys => ({
    name,
    keys: [...(keys as readonly string[])].sort(),
  });
}

/**
 * Refuses a key of `props` that `known` does not list, naming it (`prop` prefixes a nested
 * object's keys: `healthcheck.interval`) and listing the known keys. A key whose value is
 * `undefined` passes: it sets nothing (`{ ...shared, bindMounts: undefined }`).
 */
export function checkKnownKeys(where: string, props: object | undefined, known: KnownKeys, prop?: string): void {
  if (props === undefined || props === null || typeof props !== 'object') return;
  for (const key of Object.keys(props)) {
    if (!known.keys.includes(key) && (props as Record<string, unknown>)[key] !== undefined) {
      fail(where, prop === undefined ? key : `${prop}.${key}`, (props as Record<string, unknown>)[key],
        `a key of ${known.name} (unknown keys are refused, not ignored): one of ${known.keys.join(', ')}`);
    }
  }
}
