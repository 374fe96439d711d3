// Loads the built package through `import` (the exports map's ESM entries) and runs a few calls.
import assert from 'node:assert/strict';
import * as lab from 'eos-lab';
import * as testing from 'eos-lab/testing';

const model = lab.scalarFactorization.create();
const theta = new Float64Array([0.5, 3]);
assert.equal(model.loss(theta), 0.5 * (1 - 1.5) ** 2);
const run = lab.gd(model, theta, { learningRate: 0.1, lossGoal: 1e-12, maxSteps: 10_000 });
assert.equal(run.status, 'converged');
assert.ok(Math.abs(lab.sharpness(model, run.theta) - (run.theta[0] ** 2 + run.theta[1] ** 2)) < 1e-5);
assert.ok(testing.checkGradient(model, theta).pass);
assert.equal(typeof testing.finiteVector, 'function');
console.log('esm smoke: ok');
