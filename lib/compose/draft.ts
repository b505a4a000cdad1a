/**
 * A service while its keys are read: the `ServiceModel` parts being filled (props and where each
 * came from, ports, mounts, settings on the L1 container, ...) and what is decided only after
 * all keys are read (the environment, the memory limit, logging, security options).
 */
import { LoadContext } from './load-context';
import { PortModel, ResourceSetting, ServiceModel, ServiceProps, SourceRef } from './model';
import { Mutable, Reader } from './reader';
import { PlainMap } from './source';

/** A variable of a service's environment while it is read; a secret from the environment names its sensitive variable. */
export interface EnvEntry {
  readonly value: string;
  readonly ref: SourceRef;
  readonly secretVariable?: string;
}

/** The `logging` block as written: the driver (json-file when absent) and its options. */
export interface LoggingBlock {
  readonly driver?: string;
  readonly options: Record<string, string>;
}

export class ServiceDraft {
  /** The service's key path, `services.<name>`. */
  public readonly p: string;
  public readonly r: Reader;
  public readonly props: Mutable<ServiceProps>;
  public readonly propSources: Record<string, SourceRef> = {};
  public readonly resource: ResourceSetting[] = [];
  public readonly ports: PortModel[] = [];
  public readonly volumes: Mutable<ServiceModel>['volumes'] = [];
  public readonly bindMounts: Mutable<ServiceModel>['bindMounts'] = [];
  public readonly secretEnvironment: Record<string, string> = {};
  public readonly dependsOn: string[] = [];
  /** `env_file`, then `environment` over it. */
  public readonly env = new Map<string, EnvEntry>();
  /** The memory limit and the key that set it first (`mem_limit` or `deploy.resources.limits.memory`). */
  public memory?: { readonly mib: number; readonly at: string };
  public logging?: LoggingBlock;
  /** `security_opt` entries other than no-new-privileges. */
  public readonly securityOpts: string[] = [];

  constructor(public readonly ctx: LoadContext, public readonly name: string, public readonly def: PlainMap) {
    this.p = `services.${name}`;
    this.r = ctx.r;
    this.props = { serviceName: `${ctx.projectName}-${name}-1` };
  }

  /** Records that construct prop `prop` comes from key path `at` (for the constructs' errors). */
  public src(prop: string, at: string): void {
    this.propSources[prop] = this.r.ref(at);
  }

  /** A setting on the L1 container (`resource`), for a key the constructs have no prop for. */
  public set(kind: ResourceSetting['kind'], name: string, value: unknown, composeKey: string): void {
    this.resource.push({ kind, name, value, composeKey });
  }
}

/** Reads one service key into the draft: `kp` is its key path, `v` its value. */
export type KeyReader = (d: ServiceDraft, kp: string, v: unknown, key: string) => void;

/** A key that is the ServiceContainer prop `prop`, its value read by `read`; the prop is recorded as coming from the key. */
export function propKey<K extends keyof ServiceProps>(prop: K, read: (r: Reader, kp: string, v: unknown) => ServiceProps[K]): KeyReader {
  return (d, kp, v) => {
    d.props[prop] = read(d.r, kp, v);
    d.src(prop, kp);
  };
}
