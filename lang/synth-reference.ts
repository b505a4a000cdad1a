/**
 * `ts-node lang/synth-reference.ts <outdir>`: synthesizes the TypeScript reference app
 * (examples/reference-app, with the ProductionChecks Aspect, as `npx cdktf synth` does) into
 * `<outdir>`. The Python and Java tests synthesize the same app with their package and compare.
 */
import { App, Aspects } from 'cdktf';
import { ReferenceApp } from '../examples/reference-app/app';
import { ProductionChecks } from '../lib';

const outdir = process.argv[2];
if (!outdir) {
  process.stderr.write('usage: ts-node lang/synth-reference.ts <outdir>\n');
  process.exit(2);
}
const app = new App({ outdir });
const stack = new ReferenceApp(app, 'reference-app');
Aspects.of(stack).add(new ProductionChecks());
app.synth();
