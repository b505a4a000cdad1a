import * as path from 'path';
import { App } from 'cdktf';
import { addMultiStack } from './stacks';

// Two stacks of one app: `cdktf deploy platform apps` (or `cdktf deploy '*'`) deploys the platform first.
const app = new App();
addMultiStack(app, { apiContext: path.join(__dirname, '..', 'reference-app', 'api') });
app.synth();
