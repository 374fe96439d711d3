// The dual-package hazard: one process loads the ESM build (`import`) and the CommonJS build (`require`). They must
// share one model registry and one EosLabError brand (issue 10).
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import * as esm from 'eos-lab';

const require = createRequire(import.meta.url);
const cjs = require('eos-lab');
assert.notEqual(esm.EosLabError, cjs.EosLabError, 'the two builds are really two copies here');

// A model registered through one build is found by createModel of the other.
const quadratic = (spec) => ({
  spec,
  dim: 1,
  loss: (t) => 0.5 * spec.a * t[0] * t[0],
  lossAndGrad: (t, g) => ((g[0] = spec.a * t[0]), 0.5 * spec.a * t[0] * t[0]),
  hvp: (_t, v, out) => void (out[0] = spec.a * v[0]),
});
esm.registerModel('dual-quadratic-esm', quadratic);
cjs.registerModel('dual-quadratic-cjs', quadratic);
assert.equal(cjs.createModel({ kind: 'dual-quadratic-esm', a: 2 }).loss(new Float64Array([3])), 9);
assert.equal(esm.createModel({ kind: 'dual-quadratic-cjs', a: 4 }).loss(new Float64Array([1])), 2);
assert.deepEqual(esm.registeredModelKinds(), cjs.registeredModelKinds());
// Built-in models registered by both builds stay available (and built in) in both.
assert.equal(cjs.createModel(esm.scalarFactorization.create({ depth: 3 }).spec).dim, 3);

// An error thrown by either build is an instance of either build's EosLabError.
const fromCjs = (() => { try { cjs.gd(cjs.scalarFactorization.create(), new Float64Array(2), { learningRate: -1 }); } catch (e) { return e; } })();
const fromEsm = (() => { try { esm.rng(1).int(-5); } catch (e) { return e; } })();
for (const e of [fromCjs, fromEsm]) {
  assert.ok(e instanceof esm.EosLabError, 'instanceof the ESM class');
  assert.ok(e instanceof cjs.EosLabError, 'instanceof the CJS class');
  assert.ok(e instanceof Error);
}
assert.equal(fromCjs.code, 'E_BAD_OPTION');
assert.ok(!(new Error('plain') instanceof esm.EosLabError), 'a plain Error is not branded');
assert.ok(!({ code: 'E_BAD_OPTION' } instanceof cjs.EosLabError), 'a look-alike object is not branded');
console.log('dual-package smoke: ok');
