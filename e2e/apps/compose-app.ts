/**
 * A compose file deployed through `ComposeProject`, as the end-to-end tier does it: the file
 * (`E2E_COMPOSE_FILE`) builds its images FROM the local busybox image (nothing can be pulled here).
 */
import { App, Aspects, TerraformStack } from 'cdktf';
import { ComposeProject, DockerHost, ProductionChecks } from '../../lib';

const file = process.env.E2E_COMPOSE_FILE;
if (!file) throw new Error('E2E_COMPOSE_FILE names the compose file to deploy');

const app = new App();
const stack = new TerraformStack(app, 'compose-e2e');
new DockerHost(stack, 'host', { providerVersion: process.env.E2E_PROVIDER_VERSION });
new ComposeProject(stack, 'project', { file });
Aspects.of(stack).add(new ProductionChecks());
app.synth();
