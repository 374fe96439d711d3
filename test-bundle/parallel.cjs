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
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
