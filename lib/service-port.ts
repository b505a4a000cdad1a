import { Protocol } from './port-mapping';

/** How a swarm service publishes a port. */
export enum PublishMode {
  /**
   * The routing mesh: the port listens on every node of the swarm and the ingress network
   * balances connections over the service's tasks on any node (needs IPVS in the nodes' kernels).
   */
  INGRESS = 'ingress',
  /** On the nodes that run a task only, straight to that node's task; no IPVS. */
  HOST = 'host',
}

/**
 * A port a `SwarmService` publishes. The publish mode is always explicit, so that exposure is
 * visible in the code. A swarm service cannot bind a port to one host interface (the engine's
 * port config, and so docker_service, has no address): every published port listens on all
 * interfaces of the nodes that publish it.
 */
export class ServicePort {
  /** Publishes `targetPort` of the tasks as `publishedPort` on every node, through the routing mesh. */
  public static ingress(publishedPort: number, targetPort: number, protocol: Protocol = Protocol.TCP): ServicePort {
    return new ServicePort(PublishMode.INGRESS, publishedPort, targetPort, protocol);
  }

  /** Publishes `targetPort` as `publishedPort` on each node that runs a task, to that task only. */
  public static host(publishedPort: number, targetPort: number, protocol: Protocol = Protocol.TCP): ServicePort {
    return new ServicePort(PublishMode.HOST, publishedPort, targetPort, protocol);
  }

  private constructor(
    /** How the port is published. */
    public readonly publishMode: PublishMode,
    /** Port on the nodes. */
    public readonly publishedPort: number,
    /** Port inside the task's container. */
    public readonly targetPort: number,
    /** Transport protocol. */
    public readonly protocol: Protocol,
  ) {}
}
