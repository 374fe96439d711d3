// Runs a small grid study on 2 worker threads from the built package (CJS entry): the workers load
// dist/parallel-worker.cjs, which requires dist/index.cjs. Results must equal the in-process run bit for bit.
const assert = require('node:assert/strict');
const lab = require('eos-lab');

(async () => {
  const spec = { kind: 'scalar-factorization', target: 1, depth: 2 };
  const options = { grid: { shape: 'annulus', n: 21 }, learningRates: [0.3, 0.95], maxSteps: 5000 };
  const threads = await lab.gridStudy(spec, { ...options, workers: 2 });
  const here = await lab.gridStudy(spec, { ...options, workers: 0 });
  for (let r = 0; r < 2; r++) {
    assert.deepEqual(threads.rates[r].summary, here.rates[r].summary);
    assert.deepEqual(Array.from(threads.rates[r].steps), Array.from(here.rates[r].steps));
  }
  await assert.rejects(lab.gridStudy(spec, { grid: { n: 1 }, workers: 2 }), (e) => e instanceof lab.EosLabError && e.code === 'E_BAD_OPTION');
  console.log('cjs parallel: ok');

  // A user model registered by a CommonJS preload module runs on the CommonJS workers (one registry per thread),
  // through gridStudy and lrSweep, with the in-process results.
  const preload = [require('node:path').join(__dirname, 'preload-model.cjs')];
  require('./preload-model.cjs');
  const model = lab.createModel({ kind: 'bundle-quadratic-cjs', a: 4 });
  const grid = { grid: { n: 9, radius: 1 }, learningRates: [0.1, 0.45] };
  const a = await lab.gridStudy(model, { ...grid, workers: 2, preload });
  const b = await lab.gridStudy(model, { ...grid, workers: 0 });
  for (let r = 0; r < 2; r++) assert.deepEqual(a.rates[r].summary, b.rates[r].summary);
  const sweepOptions = { lossGoal: 1e-8, learningRates: [0.1, 0.3, 0.6] };
  const theta0 = new Float64Array([0.5, 0.5]);
  const s1 = await lab.lrSweep(model, theta0, { ...sweepOptions, workers: 2, preload });
  const s2 = await lab.lrSweep(model, theta0, sweepOptions);
  assert.deepEqual(s1.runs, s2.runs);
  assert.deepEqual(s1.runs.map((r) => r.status), ['converged', 'converged', 'diverged']);
  console.log('cjs parallel (preloaded user model, gridStudy and lrSweep): ok');
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
