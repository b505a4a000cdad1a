/**
 * Cross-stack references. cdktf passes a value of one stack to another as an
 * output of the producing stack (`cross-stack-output-<id>`, value e.g.
 * `${docker_image.api.image_id}`) that the consuming stack reads through a
 * `data.terraform_remote_state` source (`cross-stack-reference-input-<stack>`):
 * `${data.terraform_remote_state.<source>.outputs.<output>}`.
 *
 * When the review reads several stacks, `StackLinks` follows such a value to
 * the producing stack's resource, so that a container is judged on (and shown
 * with) the image, networks and volumes another stack declares. Each remote
 * state is matched once to the stack whose backend it reads (the same backend
 * type and configuration), else to the stack cdktf named it after; outputs and
 * resources of a stack are indexed once, on first use: linear in resources.
 */
import { ResourceShape, StackInput } from './model';
import { referencedAddress } from './values';
import { getOrCreate } from '../_collections';

/** A value that is exactly `${data.terraform_remote_state.<source>.outputs.<output>}` (or `outputs["<output>"]`). */
const REMOTE_REFERENCE = /^\$\{data\.terraform_remote_state\.([A-Za-z0-9_-]+)\.outputs(?:\.([A-Za-z0-9_-]+)|\["([^"]+)"\])\}$/;
const REMOTE_REFERENCE_START = '${data.terraform_remote_state.';

/** The name cdktf gives the remote state that reads stack `<stack>`, and the outputs it exports for another stack. */
const CDKTF_INPUT_PREFIX = 'cross-stack-reference-input-';
const CDKTF_OUTPUT_PREFIX = 'cross-stack-output-';

/** The remote state source and output a value reads, or undefined when it is no (whole) cross-stack reference. */
export function remoteReference(value: unknown): { readonly source: string; readonly output: string } | undefined {
  if (typeof value !== 'string' || !value.startsWith(REMOTE_REFERENCE_START)) return undefined;
  const match = REMOTE_REFERENCE.exec(value);
  return match ? { source: match[1], output: match[2] ?? match[3] } : undefined;
}

/** Resource types whose names start cdktf's output ids (`docker_network` + `front_5E0C0EC1` + `name`), longest first. */
const OUTPUT_TYPES = [
  'docker_registry_image', 'docker_container', 'docker_network', 'docker_service', 'docker_plugin', 'docker_secret', 'docker_config',
  'docker_volume', 'docker_image', 'docker_tag',
];
const OUTPUT_ATTRIBUTES = ['sha256_digest', 'repo_digest', 'image_id', 'name', 'id'];

/**
 * A readable stand-in for a cross-stack reference whose producing stack is not
 * at hand: `<stack>:<construct id>` for cdktf's own names
 * (`${data.terraform_remote_state.cross-stack-reference-input-platform.outputs.cross-stack-output-docker_networkfront_5E0C0EC1name}`
 * -> `platform:front`), else `<source>:<output>`. Undefined for other values.
 */
export function readableRemoteReference(value: unknown): string | undefined {
  const ref = remoteReference(value);
  if (!ref) return undefined;
  const stack = ref.source.startsWith(CDKTF_INPUT_PREFIX) && ref.source.length > CDKTF_INPUT_PREFIX.length
    ? ref.source.slice(CDKTF_INPUT_PREFIX.length)
    : ref.source;
  return `${stack}:${cdktfOutputSubject(ref.output) ?? ref.output}`;
}

/** `cross-stack-output-docker_networkfront_5E0C0EC1name` -> `front`; undefined when the name does not follow cdktf's pattern. */
function cdktfOutputSubject(output: string): string | undefined {
  if (!output.startsWith(CDKTF_OUTPUT_PREFIX)) return undefined;
  let id = output.slice(CDKTF_OUTPUT_PREFIX.length);
  const type = OUTPUT_TYPES.find((t) => id.startsWith(t));
  const attribute = OUTPUT_ATTRIBUTES.find((a) => id.endsWith(a));
  if (!type || !attribute) return id || undefined;
  id = id.slice(type.length, id.length - attribute.length).replace(/_[0-9A-F]{8}$/, '');
  return id || undefined;
}

/** Where a cross-stack reference leads: the producing stack's resource. */
export interface RemoteTarget {
  readonly resource: ResourceShape;
  /** The stack that declares it (its `baseDir` resolves the resource's relative build context). */
  readonly stack: StackInput;
}

/** Follows cross-stack references between the stacks of one review. */
export class StackLinks {
  /** Stacks by backend type and configuration (several = ambiguous). */
  private readonly byBackend = new Map<string, StackInput[]>();
  private readonly byName = new Map<string, StackInput>();
  /** Per consuming stack: remote state source -> producing stack (null: none of these stacks). */
  private readonly producers = new Map<StackInput, Map<string, StackInput | null>>();
  /** Per producing stack: its docker resources by address. */
  private readonly indexes = new Map<StackInput, Map<string, ResourceShape>>();

  constructor(stacks: readonly StackInput[]) {
    for (const stack of stacks) {
      this.byName.set(stack.name, stack);
      const backend = stack.crossStack?.backend;
      if (!backend) continue;
      const key = backendKey(backend.type, backend.config);
      const list = this.byBackend.get(key);
      if (list) list.push(stack);
      else this.byBackend.set(key, [stack]);
    }
  }

  /** The resource of another stack that `value`, a cross-stack reference of `stack`, leads to; undefined when it leads nowhere known. */
  public follow(stack: StackInput, value: unknown): RemoteTarget | undefined {
    let from = stack;
    let current = value;
    // A chain of stacks (an output that is itself a cross-stack reference) ends after each stack was passed once.
    for (let hops = 0; hops <= this.byName.size; hops++) {
      const ref = remoteReference(current);
      if (!ref) return undefined;
      const producer = this.producerOf(from, ref.source);
      if (!producer?.crossStack?.outputs.has(ref.output)) return undefined;
      const exported = producer.crossStack.outputs.get(ref.output);
      const address = referencedAddress(exported);
      const resource = address === undefined ? undefined : this.indexOf(producer).get(address);
      if (resource) return { resource, stack: producer };
      from = producer;
      current = exported;
    }
    return undefined;
  }

  private producerOf(stack: StackInput, source: string): StackInput | undefined {
    let bySource = this.producers.get(stack);
    if (!bySource) {
      bySource = new Map();
      this.producers.set(stack, bySource);
    }
    let producer = bySource.get(source);
    if (producer === undefined) {
      producer = this.match(stack, source) ?? null;
      bySource.set(source, producer);
    }
    return producer ?? undefined;
  }

  /** The stack whose backend the remote state reads; else the one cdktf named it after. */
  private match(stack: StackInput, source: string): StackInput | undefined {
    const remote = stack.crossStack?.remoteStates.get(source);
    if (!remote) return undefined;
    if (remote.backend !== undefined) {
      const candidates = (this.byBackend.get(backendKey(remote.backend, remote.config)) ?? []).filter((s) => s !== stack);
      if (candidates.length === 1) return candidates[0];
    }
    if (source.startsWith(CDKTF_INPUT_PREFIX)) {
      const named = this.byName.get(source.slice(CDKTF_INPUT_PREFIX.length));
      if (named && named !== stack) return named;
    }
    return undefined;
  }

  private indexOf(stack: StackInput): Map<string, ResourceShape> {
    return getOrCreate(this.indexes, stack, () => {
      const index = new Map<string, ResourceShape>();
      for (let i = 0; i < stack.resources.length; i++) index.set(stack.resources[i].address, stack.resources[i]);
      return index;
    });
  }
}

/** A backend's identity: its type and its configuration with keys in a stable order. */
function backendKey(type: string, config: unknown): string {
  return `${type}|${stableJson(config)}`;
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    return `{${Object.keys(obj).sort().filter((k) => obj[k] !== undefined).map((k) => `${JSON.stringify(k)}:${stableJson(obj[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
