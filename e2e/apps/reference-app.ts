/**
 * The reference app as the end-to-end tier deploys it with `cdktf deploy`: the same stack, with
 * the local busybox image (setup.sh imports it; nothing can be pulled here) as the api's base and
 * as the cache and web images, which then run busybox's httpd. Settings come from the environment
 * the test gives the cdktf CLI.
 */
import { App, Aspects } from 'cdktf';
import { ContainerImage, Healthcheck, ProductionChecks } from '../../lib';
import { ReferenceApp } from '../../examples/reference-app/app';

const busybox = process.env.E2E_BUSYBOX_IMAGE ?? 'local/busybox:1.35';
const fast = { intervalSeconds: 2, startPeriodSeconds: 10 };

const app = new App();
const stack = new ReferenceApp(app, 'reference-app', {
  providerVersion: process.env.E2E_PROVIDER_VERSION,
  apiBaseImage: busybox,
  apiContext: process.env.E2E_API_CONTEXT,
  cacheImage: ContainerImage.fromRegistry(busybox),
  cacheCommand: ['httpd', '-f', '-p', '6379', '-h', '/var/www'],
  cacheHealthcheck: Healthcheck.tcp(6379, fast),
  webImage: ContainerImage.fromRegistry(busybox),
  webCommand: ['httpd', '-f', '-p', '8080', '-h', '/var/www'],
  webContainerPort: 8080,
  webHealthcheck: Healthcheck.http(8080, '/', fast),
  webHostPort: Number(process.env.E2E_WEB_PORT ?? 18080),
});
Aspects.of(stack).add(new ProductionChecks());
app.synth();
