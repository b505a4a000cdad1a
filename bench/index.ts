/**
 * `npm run bench` — the synth, review and load benchmark (bench/run.ts);
 * `npm run bench -- deploy` — deploy timing on a real engine (bench/deploy.ts).
 */
if (process.argv[2] === 'deploy') require('./deploy');
else require('./run');
