import { Construct } from 'constructs';
import { DockerHost } from './docker-host';
import { Volume } from './_provider';
import { labelBlocks, nameFromId } from './_names';
import { checkInstance, checkObjectName, checkProps, checkStringMap, isUnresolved } from './_validate';
import { checkKnownKeys } from './_known-keys';
import { DATA_VOLUME_PROPS_KEYS } from './_props-keys';

export interface DataVolumeProps {
  /** The Docker host. @default - the stack's default host (`DockerHost.of`) */
  readonly host?: DockerHost;
  /** Volume name on the host; 2 to 128 characters (Docker refuses one). @default - the construct id */
  readonly volumeName?: string;
  /** Volume driver. @default 'local' */
  readonly driver?: string;
  /** Driver options, e.g. `{ type: 'tmpfs', device: 'tmpfs' }`. @default - none */
  readonly driverOptions?: Record<string, string>;
  /** Labels of the volume. @default - none */
  readonly labels?: Record<string, string>;
}

/** A named volume: data that outlives the containers that mount it. */
export class DataVolume extends Construct {
  /** The host the volume lives on. */
  public readonly host: DockerHost;
  /** The volume name (a reference that carries the dependency). */
  public readonly volumeName: string;
  /** The L1 resource. */
  public readonly resource: Volume;

  constructor(scope: Construct, id: string, props: DataVolumeProps = {}) {
    super(scope, id);
    checkProps(this.node.path, props, false, 'an object of DataVolumeProps (all optional)');
    checkKnownKeys(this.node.path, props, DATA_VOLUME_PROPS_KEYS);
    checkInstance(this.node.path, 'host', props.host, DockerHost, 'a DockerHost');
    checkStringMap(this.node.path, 'driverOptions', props.driverOptions, 'volume driver options');
    checkStringMap(this.node.path, 'labels', props.labels, 'volume labels');
    this.host = props.host ?? DockerHost.of(this);
    const name = props.volumeName ?? nameFromId(this);
    checkObjectName(this.node.path, 'volumeName', name, 2);
    if (!isUnresolved(name)) this.host._claim(`volume:${name}`, 'a volume name', this, 'volumeName', name);
    checkObjectName(this.node.path, 'driver', props.driver);
    this.resource = new Volume(this, 'Resource', {
      provider: this.host.providerFor(this),
      name,
      driver: props.driver ?? 'local',
      driverOpts: props.driverOptions,
      labels: labelBlocks(props.labels),
    });
    this.volumeName = this.resource.name;
  }
}
