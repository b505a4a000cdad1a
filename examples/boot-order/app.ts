import { Construct } from 'constructs';
import { SystemdUnits } from '../../lib/systemd-units';
import { ReferenceApp, ReferenceAppProps } from '../reference-app/app';

/**
 * The reference app with its containers under systemd: units start `cache`, then `api`, then
 * `web` at boot, each once its dependency is healthy, and systemd (not Docker) restarts them.
 * The reference app itself stays on Docker's restart policies.
 */
export class BootOrderApp extends ReferenceApp {
  /** The systemd units of the app's containers. */
  public readonly units: SystemdUnits;

  constructor(scope: Construct, id: string, props: ReferenceAppProps = {}) {
    super(scope, id, props);
    this.units = new SystemdUnits(this, 'boot-order');
  }
}
