import { App } from 'cdktf';
import { ReferenceApp } from './app';
// TODO-aspect import { ProductionChecks } from '../../lib';

const app = new App();
const stack = new ReferenceApp(app, 'reference-app');
// TODO-aspect Aspects.of(stack).add(new ProductionChecks());
app.synth();
