import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { Construct } from 'constructs';
import { Fn } from 'cdktf';
import type { DockerHost } from './docker-host';
import { ConfigResource, swarmResources } from './_provider';
import { SwarmObjectProps, claimSwarmObjectName, swarmObjectHost } from './_swarm-object';
import { labelBlocks, nameFromId } from './_names';
import { checkOptionalString, fail, isUnresolved } from './_validate';
import { SWARM_CONFIG_PROPS_KEYS } from './_props-keys';

/** `-` and 12 hexadecimal digits of the content's SHA-256. */
const HASH_SUFFIX = 13;
/** The swarm's limit on a config's (and a secret's) size. */
const MAX_BYTES = 500 * 1024;

export interface SwarmConfigProps extends SwarmObjectProps {
  /** The content, as text (visible in the synthesized JSON, base64-encoded: never a secret). Exactly one of `content` and `file`. @default - none: give `file` */
  readonly content?: string;
  /** A file whose content is read at synth (a relative path from the folder synth runs in). Exactly one of `content` and `file`. @default - none: give `content` */
  readonly file?: string;
  /**
   * The config's name: the default file path in a service (`/<configName>`) and the start of its
   * Docker name (`<configName>-<12 hex digits of the content's SHA-256>`). At most 51 characters.
   * @default - the construct id
   */
  readonly configName?: string;
}

/**
 * A swarm config: a file's content or a string, for `SwarmService`s to mount as a file
 * (`configs: [{ config, target }]`).
 *
 * Swarm configs are immutable. The library names each by its content (the SHA-256, computed at
 * synth, or by Terraform for a content that is a reference): changed content is a new name, which
 * makes Terraform create the new config first (`create_before_destroy`), update the services that
 * mount it (a rolling update to the new content), then delete the old one.
 */
export class SwarmConfig extends Construct {
  /** The swarm manager that holds the config. */
  public readonly host: DockerHost;
  /** The logical name. */
  public readonly configName: string;
  /** The L1 resource (`docker_config`). */
  public readonly resource: ConfigResource;
  private ref?: { readonly id: string; readonly name: string };

  constructor(scope: Construct, id: string, props: SwarmConfigProps) {
    super(scope, id);
    const where = this.node.path;
    this.host = swarmObjectHost(this, props, 'a swarm config', 'an object with `content` or `file`', SWARM_CONFIG_PROPS_KEYS);
    checkOptionalString(where, 'content', props.content, 'the content as a string');
    checkOptionalString(where, 'file', props.file, 'a path to a file');
    if ((props.content === undefined) === (props.file === undefined)) {
      // Neither: `content` is missing; both: `file` is the one too many.
      fail(where, props.content === undefined ? 'content' : 'file', props.file, 'exactly one of `content` and `file`');
    }
    this.configName = props.configName ?? nameFromId(this);
    claimSwarmObjectName(this, this.host, 'config', 'configName', this.configName, HASH_SUFFIX);

    let data: string;
    let suffix: string;
    if (props.content !== undefined && isUnresolved(props.content)) {
      // A reference: Terraform encodes and hashes it at deploy time.
      data = Fn.base64encode(props.content);
      suffix = Fn.substr(Fn.sha256(props.content), 0, HASH_SUFFIX - 1);
    } else {
      const bytes = props.content !== undefined ? Buffer.from(props.content, 'utf8') : readConfigFile(where, props.file as string);
      if (bytes.length > MAX_BYTES) fail(where, props.content !== undefined ? 'content' : 'file', `(${bytes.length} bytes)`, 'at most 500 KiB: the swarm stores configs in its Raft log');
      data = bytes.toString('base64');
      suffix = crypto.createHash('sha256').update(bytes).digest('hex').slice(0, HASH_SUFFIX - 1);
    }
    this.resource = new (swarmResources().Config)(this, 'Resource', {
      provider: this.host.providerFor(this),
      name: `${this.configName}-${suffix}`,
      data,
      lifecycle: { createBeforeDestroy: true },
    });
    // docker_config in 3.6.2 takes no labels: they are written only when given, for the 4.6 line.
    const labels = labelBlocks(props.labels);
    if (labels) {
      if (this.host._providerMajor < 4) fail(where, 'labels', props.labels, 'no labels with provider 3.6.2: its docker_config has none (the 4.6 line has)');
      this.resource.addOverride('labels', labels);
    }
  }

  /** The config's id and Docker name, as a service's reference takes them (made once). @internal */
  public _reference(): { readonly id: string; readonly name: string } {
    this.ref ??= { id: this.resource.id, name: this.resource.name };
    return this.ref;
  }
}

function readConfigFile(where: string, file: string): Buffer {
  if (isUnresolved(file)) fail(where, 'file', file, 'a path known at synth (the file is read then)');
  const absolute = path.resolve(file);
  try {
    return fs.readFileSync(absolute);
  } catch (e) {
    return fail(where, 'file', file, `a readable file (${absolute}: ${(e as NodeJS.ErrnoException).code ?? 'unreadable'})`);
  }
}
