// A by-hand stress check (not part of `npm run test:bundle`; ~20 s per run on 2 busy cores): from the built ES-module package, on
// 16 worker threads, (1) a grid study and a learning-rate sweep of a preloaded hand-written user model and (2) the
// README's fromFunction model (examples/own-model/least-squares.mjs, preloaded) through gridStudy and lrSweep —
// each compared with the same call on workers: 0, to the bit. Run it many times, e.g.
//   for i in $(seq 40); do node test-bundle/stress-16-workers.mjs || echo "run $i failed: $?"; done
// What it can and cannot show: before 0.2.0, runs of such a script were reported to die now and then with a V8
// fatal error (SIGABRT) while the workers `require`d the ES-module worker entry (Node with require(esm) on); that
// crash was never reproduced on this machine (Node 20), with the old code either, so a clean series here is no
// proof that it is gone. What does fail deterministically on the old code is checked elsewhere: the second
// package copy under tsx (test-bundle/parallel-tsx.ts: E_UNKNOWN_MODEL before 0.2.0), the in-process runs of the
// object given and the spec check (test/experiments/own-model-parallel*.test.ts). Here: bit-identical results on
// 16 threads with the package and the preloads loaded by the workers' one loader.
import assert from 'node:assert/strict';
import * as lab from 'eos-lab';
import './preload-model.mjs';
import { leastSquares } from '../examples/own-model/least-squares.mjs';

const WORKERS = 16;
const same = (a, b, what) => assert.equal(JSON.stringify(a), JSON.stringify(b), `${what}: ${WORKERS} workers vs in-process`);
const gridResults = (study) => study.rates.map((r) => ({ summary: r.summary, finalTheta: Array.from(r.finalTheta.data) }));

const preload = [new URL('./preload-model.mjs', import.meta.url).pathname];
const spec = { kind: 'bundle-quadratic', a: 4 };
const gridOptions = { grid: { n: 41, radius: 1 }, learningRates: [0.1, 0.45] };
const study = await lab.gridStudy(spec, { ...gridOptions, workers: WORKERS, preload });
assert.equal(study.rates[1].summary.converged, study.starts.shape[0]);
same(gridResults(study), gridResults(await lab.gridStudy(spec, { ...gridOptions, workers: 0 })), 'gridStudy, hand-written model');
const sweepOptions = { lossGoal: 1e-8, learningRates: Array.from({ length: 32 }, (_, i) => 0.01 + 0.015 * i) };
const sweep = await lab.lrSweep(lab.createModel(spec), new Float64Array([0.5, 0.5]), { ...sweepOptions, workers: WORKERS, preload });
assert.equal(sweep.runs.length, 32);
same(sweep, await lab.lrSweep(lab.createModel(spec), new Float64Array([0.5, 0.5]), sweepOptions), 'lrSweep, hand-written model');

// The README's fromFunction model (its own kind, registered by the preloaded module).
const ownPreload = [new URL('../examples/own-model/least-squares.mjs', import.meta.url).href];
const model = leastSquares({ kind: 'least-squares', x: [[1, 4], [2, -1]], y: [2, 1] });
const ownGrid = { grid: { n: 21, radius: 1 }, learningRates: [0.05, 0.1, 0.2], maxSteps: 2000 };
const ownStudy = await lab.gridStudy(model, { ...ownGrid, workers: WORKERS, preload: ownPreload });
const ownHere = await lab.gridStudy(model, { ...ownGrid, workers: 0 });
same(gridResults(ownStudy), gridResults(ownHere), 'gridStudy, fromFunction model');
// Not vacuous: most runs converge at η = 0.05, none at 0.2 (above 2/λ_max at the minima, λ_max = 12 there).
assert.ok(ownHere.rates[0].summary.converged > 0 && ownHere.rates[2].summary.converged === 0, 'converged and unconverged runs');
const ownSweepOptions = { lossGoal: 1e-8, learningRates: Array.from({ length: 16 }, (_, i) => 0.01 + 0.015 * i), maxSteps: 5000 };
const theta0 = new Float64Array([0.5, 0.5]);
same(
  await lab.lrSweep(model, theta0, { ...ownSweepOptions, workers: WORKERS, preload: ownPreload }),
  await lab.lrSweep(model, theta0, ownSweepOptions),
  'lrSweep, fromFunction model',
);
await lab.closeSharedPool?.();
console.log(`16-worker stress: ok (hand-written and fromFunction models, bit-identical to in-process)`);
