// A by-hand stress check (not part of `npm run test:bundle`): one grid study and one learning-rate sweep of a
// preloaded user model on 16 worker threads from the built ES-module package. Run it many times, e.g.
//   for i in $(seq 40); do node test-bundle/stress-16-workers.mjs || echo "run $i failed: $?"; done
// Before 0.2.0 runs of such a script were reported to die now and then with a V8 fatal error (SIGABRT) while the
// workers `require`d the ES-module worker entry; 0.2.0's workers load it as an ES module.
import assert from 'node:assert/strict';
import * as lab from 'eos-lab';
import './preload-model.mjs';

const preload = [new URL('./preload-model.mjs', import.meta.url).pathname];
const spec = { kind: 'bundle-quadratic', a: 4 };
const study = await lab.gridStudy(spec, { grid: { n: 41, radius: 1 }, learningRates: [0.1, 0.45], workers: 16, preload });
assert.equal(study.rates[1].summary.converged, study.starts.shape[0]);
const sweep = await lab.lrSweep(lab.createModel(spec), new Float64Array([0.5, 0.5]), {
  lossGoal: 1e-8,
  learningRates: Array.from({ length: 32 }, (_, i) => 0.01 + 0.015 * i),
  workers: 16,
  preload,
});
assert.equal(sweep.runs.length, 32);
