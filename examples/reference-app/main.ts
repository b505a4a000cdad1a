import { App, Aspects } from 'cdktf';
import { ReferenceApp } from './app';
import { ProductionChecks } from '../../lib';

const app = new App();
const stack = new ReferenceApp(app, 'reference-app');
Aspects.of(stack).add(new ProductionChecks());
app.synth();
