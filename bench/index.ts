/**
 * `npm run bench` — the synth, review and load benchmark (bench/run.ts);
 * `npm run bench -- deploy` — deploy timing on a real engine (bench/deploy.ts);
 * `npm run bench -- compose` — ComposeProject against the same constructs declared directly (bench/compose.ts).
 */
if (process.argv[2] === 'deploy') require('./deploy');
else if (process.argv[2] === 'compose') require('./compose');
else require('./run');
