import { Construct } from 'constructs';
import { Fn } from 'cdktf';
import type { DockerHost } from './docker-host';
import { Secret } from './secret';
import { SecretResource, swarmResources } from './_provider';
import { SwarmObjectProps, claimSwarmObjectName, swarmObjectHost } from './_swarm-object';
import { labelBlocks, nameFromId } from './_names';
import { fail } from './_validate';
import { SWARM_SECRET_PROPS_KEYS } from './_props-keys';

// The props SwarmSecret and SwarmConfig share.
export type { SwarmObjectProps } from './_swarm-object';

/** `-` and Terraform's `timestamp()` with `:` made `.` (Docker refuses `:` in names): `-2026-12-01T09.30.00Z`. */
const TIMESTAMP_SUFFIX = 21;

export interface SwarmSecretProps extends SwarmObjectProps {
  /**
   * The value: a sensitive Terraform variable (`Secret.fromVariable('db_password')`, read from
   * `TF_VAR_db_password` at deploy time). Never a literal: it is not in the synthesized JSON; the
   * state holds it (protect the state).
   */
  readonly value: Secret;
  /**
   * The secret's name: the file a service reads it from (`/run/secrets/<secretName>`) and the
   * start of its Docker name (a deploy-time suffix follows, see the class doc). At most 43 characters.
   * @default - the construct id
   */
  readonly secretName?: string;
}

/**
 * A swarm secret whose value comes from a sensitive Terraform variable, for `SwarmService`s to
 * read as a file (`secrets: [{ secret }]`, at `/run/secrets/<secretName>`, mode 0400).
 *
 * Swarm secrets are immutable, and the library cannot name one by its content: the value is
 * known only at deploy time. So the provider replaces it: a changed value makes Terraform create
 * a new secret first (`create_before_destroy`) under a new name (the logical name and the time of
 * creation, `<secretName>-<timestamp>`, fixed after creation by `ignore_changes`), update the
 * services that read it (a rolling update to the new value), then delete the old one, which the
 * swarm refuses while a service still uses it. This is the provider's documented pattern
 * (moby/moby#35803).
 */
export class SwarmSecret extends Construct {
  /** The swarm manager that holds the secret. */
  public readonly host: DockerHost;
  /** The logical name: the file name under /run/secrets. */
  public readonly secretName: string;
  /** The L1 resource (`docker_secret`). */
  public readonly resource: SecretResource;
  private ref?: { readonly id: string; readonly name: string };

  constructor(scope: Construct, id: string, props: SwarmSecretProps) {
    super(scope, id);
    const where = this.node.path;
    this.host = swarmObjectHost(this, props, 'a swarm secret', 'an object with at least `value` (Secret.fromVariable)', SWARM_SECRET_PROPS_KEYS);
    if (!(props.value instanceof Secret)) {
      // Never echo what was passed: it may be the secret itself.
      fail(where, 'value', `(a ${props.value === null ? 'null' : typeof props.value})`,
        'a Secret from Secret.fromVariable or Secret.fromTerraformVariable: a swarm secret takes its value from a sensitive variable, never a literal');
    }
    this.secretName = props.secretName ?? nameFromId(this);
    claimSwarmObjectName(this, this.host, 'secret', 'secretName', this.secretName, TIMESTAMP_SUFFIX);
    this.resource = new (swarmResources().Secret)(this, 'Resource', {
      provider: this.host.providerFor(this),
      name: `${this.secretName}-${Fn.replace(Fn.timestamp(), ':', '.')}`,
      data: Fn.base64encode(props.value._reference(this, 'value')),
      labels: labelBlocks(props.labels),
      lifecycle: { createBeforeDestroy: true, ignoreChanges: ['name'] },
    });
  }

  /** The secret's id and Docker name, as a service's reference takes them (made once). @internal */
  public _reference(): { readonly id: string; readonly name: string } {
    this.ref ??= { id: this.resource.id, name: this.resource.name };
    return this.ref;
  }
}
