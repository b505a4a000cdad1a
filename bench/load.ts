/**
 * One load measurement: `node load.js <lib|raw> <library entry>`.
 *
 * `lib` requires the library's compiled entry; `raw` requires `cdktf` and the provider
 * modules the library imports (read from lib/_provider.ts by the runner and passed as the
 * remaining arguments). Prints { mode, requireMs } : the in-process time of the requires.
 */
import { performance } from 'perf_hooks';

const [mode, ...modules] = process.argv.slice(2);
const t0 = performance.now();
for (const m of modules) require(m);
const requireMs = performance.now() - t0;
process.stdout.write(`${JSON.stringify({ mode, requireMs })}\n`);
