// Run with `npx tsx test-bundle/parallel-tsx.ts` (after `npm run build`): a user model registered in a TypeScript
// preload module runs on worker threads under tsx, through gridStudy and lrSweep, with the in-process results.
// (Before 0.2.0 the workers loaded the preload's `import 'eos-lab'` as a second copy of the package and failed
// with E_UNKNOWN_MODEL.)
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import * as lab from 'eos-lab';
import { tsQuadratic } from './preload-model.ts';

const preload = [fileURLToPath(new URL('./preload-model.ts', import.meta.url))];
const model = tsQuadratic({ kind: 'bundle-quadratic-ts', a: 4 });

const grid = { grid: { n: 9, radius: 1 }, learningRates: [0.1, 0.45] };
const threads = await lab.gridStudy(model, { ...grid, workers: 2, preload });
const here = await lab.gridStudy(model, { ...grid, workers: 0 });
for (let r = 0; r < 2; r++) assert.deepEqual(threads.rates[r].summary, here.rates[r].summary);
// GD on a convex quadratic with η·a < 2 (here 0.4 and 1.8) converges from every start.
for (const rate of threads.rates) assert.equal(rate.summary.converged, threads.starts.shape[0]);
console.log('tsx parallel (gridStudy, TypeScript preload): ok');

const theta0 = new Float64Array([0.5, 0.5]);
const options = { lossGoal: 1e-8, learningRates: [0.1, 0.3, 0.6] };
const sweepThreads = await lab.lrSweep(model, theta0, { ...options, workers: 2, preload });
const sweepHere = await lab.lrSweep(model, theta0, options);
assert.deepEqual(sweepThreads.runs, sweepHere.runs);
assert.deepEqual(sweepThreads.runs.map((r) => r.status), ['converged', 'converged', 'diverged']);
console.log('tsx parallel (lrSweep, TypeScript preload): ok');

// Without the preload the workers do not know the model: refused before any work, with the advice.
await assert.rejects(lab.gridStudy(model, { ...grid, grid: { n: 21 }, workers: 2 }), (e: unknown) => {
  return e instanceof lab.EosLabError && e.code === 'E_UNKNOWN_MODEL' && /preload/.test(e.message);
});
console.log('tsx parallel (missing preload detected): ok');
