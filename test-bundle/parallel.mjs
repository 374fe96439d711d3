// Runs a small grid study on 2 worker threads from the built package (ESM entry): the workers load
// dist/parallel-worker.js, which imports dist/index.js. Results must equal the in-process run bit for bit.
import assert from 'node:assert/strict';
import * as lab from 'eos-lab';

const spec = { kind: 'scalar-factorization', target: 1, depth: 2 };
const options = { grid: { n: 21 }, learningRates: [0.5, 0.99], maxSteps: 5000 };
const threads = await lab.gridStudy(spec, { ...options, workers: 2 });
const here = await lab.gridStudy(spec, { ...options, workers: 0 });
assert.equal(threads.starts.shape[0], 317);
for (let r = 0; r < 2; r++) {
  assert.deepEqual(threads.rates[r].summary, here.rates[r].summary);
  assert.deepEqual(Array.from(threads.rates[r].finalTheta.data), Array.from(here.rates[r].finalTheta.data));
}
assert.ok(threads.rates[1].summary.eosFractionProxy > 0.9);

// Errors thrown in a worker come back as EosLabError with their code.
lab.registerTaskHandler('bundle/double', (task) => 2 * task.value);
await assert.rejects(lab.runTasks([{ kind: 'bundle/double', value: 1 }, { kind: 'bundle/double', value: 2 }], { workers: 2 }), (e) => {
  // The handler is registered in this thread only: the workers do not know the kind.
  return e instanceof lab.EosLabError && e.code === 'E_NOT_SUPPORTED';
});
assert.deepEqual(await lab.runTasks([{ kind: 'bundle/double', value: 1 }, { kind: 'bundle/double', value: 2 }], { workers: 0 }), [2, 4]);
console.log('esm parallel: ok');

// A user model and handler registered by a preloaded module are seen by the workers (shared registries).
const preload = [new URL('./preload-model.mjs', import.meta.url).pathname];
await import('./preload-model.mjs');
const losses = await lab.runTasks(
  [1, 2, 3].map((x) => ({ kind: 'bundle/loss', spec: { kind: 'bundle-quadratic', a: 4 }, theta: [x, 1] })),
  { workers: 2, preload },
);
assert.deepEqual(losses, [1, 2, 3].map((x) => 0.5 * (4 * x * x + 1)));
const quadratic = await lab.gridStudy({ kind: 'bundle-quadratic', a: 4 }, { grid: { n: 5, radius: 1 }, learningRates: [0.1], workers: 2, preload });
assert.equal(quadratic.engine, 'generic');
// GD on a convex quadratic with η·a < 2 converges from every start (√(2L) < 1e-8).
assert.equal(quadratic.rates[0].summary.converged, quadratic.starts.shape[0]);
const sweepOptions = { lossGoal: 1e-8, learningRates: [0.1, 0.3, 0.6] };
const userModel = lab.createModel({ kind: 'bundle-quadratic', a: 4 });
const theta0 = new Float64Array([0.5, 0.5]);
const s1 = await lab.lrSweep(userModel, theta0, { ...sweepOptions, workers: 2, preload });
const s2 = await lab.lrSweep(userModel, theta0, sweepOptions);
assert.deepEqual(s1.runs, s2.runs);
console.log('esm parallel (preloaded user model): ok');
