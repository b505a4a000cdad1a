import { App } from 'cdktf';
import { BootOrderApp } from './app';

// CHECKPOINT_DISABLE=1 npx cdktf synth --app 'npx ts-node examples/boot-order/main.ts' --output /tmp/boot-order.out
const app = new App();
new BootOrderApp(app, 'boot-order');
app.synth();
