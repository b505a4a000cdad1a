import { App, Aspects } from 'cdktf';
import { SwarmApp } from './app';
import { ProductionChecks } from '../../lib';

const app = new App();
const stack = new SwarmApp(app, 'swarm-app');
Aspects.of(stack).add(new ProductionChecks());
app.synth();
