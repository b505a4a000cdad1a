/** Transport protocol of a published port. */
export enum Protocol {
  TCP = 'tcp',
  UDP = 'udp',
  SCTP = 'sctp',
}

/**
 * A container port published on a host interface. The interface is always explicit, so
 * exposure is visible in the code: `public` binds all interfaces, `local` only loopback.
 */
export class PortMapping {
  /** Publishes `containerPort` on `hostPort` of all host interfaces (0.0.0.0). */
  public static public(hostPort: number, containerPort: number, protocol: Protocol = Protocol.TCP): PortMapping {
    return new PortMapping('0.0.0.0', hostPort, containerPort, protocol);
  }

  /**
   * The same as `public`, under a name that is not a reserved word in Java and C# (where jsii
   * turns `public` into `doPublic` and `Public_`): publishes `containerPort` on `hostPort` of all
   * host interfaces (0.0.0.0).
   */
  public static onAllInterfaces(hostPort: number, containerPort: number, protocol: Protocol = Protocol.TCP): PortMapping {
    return PortMapping.public(hostPort, containerPort, protocol);
  }

  /** Publishes `containerPort` on `hostPort` of the loopback interface (127.0.0.1) only. */
  public static local(hostPort: number, containerPort: number, protocol: Protocol = Protocol.TCP): PortMapping {
    return new PortMapping('127.0.0.1', hostPort, containerPort, protocol);
  }

  /** Publishes `containerPort` on `hostPort` of one host address, e.g. a private interface's. */
  public static onInterface(hostIp: string, hostPort: number, containerPort: number, protocol: Protocol = Protocol.TCP): PortMapping {
    return new PortMapping(hostIp, hostPort, containerPort, protocol);
  }

  private constructor(
    /** Host address the port is bound to. */
    public readonly hostIp: string,
    /** Port on the host. */
    public readonly hostPort: number,
    /** Port inside the container. */
    public readonly containerPort: number,
    /** Transport protocol. */
    public readonly protocol: Protocol,
  ) {}
}
