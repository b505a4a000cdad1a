/**
 * `npm run bench` — the synth, review and load benchmark (bench/run.ts);
 * `npm run bench -- deploy` — deploy timing on a real engine (bench/deploy.ts);
 * `npm run bench -- compose` — ComposeProject against the same constructs declared directly (bench/compose.ts);
 * `npm run bench -- diff` — the review of a change against the review of one side (bench/diff.ts).
 */
if (process.argv[2] === 'deploy') require('./deploy');
else if (process.argv[2] === 'compose') require('./compose');
else if (process.argv[2] === 'diff') require('./diff');
else require('./run');
