// Loads the built package through `import` (the exports map's ESM entries) and runs a few calls.
import assert from 'node:assert/strict';
import os from 'node:os';
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
// One EosLabError class across both entry points (shared chunk), so instanceof works on testing's errors too.
assert.throws(() => testing.checkGradient(model, new Float64Array(7)), (e) => e instanceof lab.EosLabError && e.code === 'E_DIM_MISMATCH');
// The WebAssembly SIMD matrix kernel loads from the bundle and gives the JavaScript kernels' bits.
assert.equal(lab.matmulBackend().wasmSimd, true);
{
  const r = lab.rng(1);
  const a = r.fillNormal(new Float64Array(40 * 300));
  const b = r.fillNormal(new Float64Array(300 * 24));
  const product = () => lab.matmul(40, 24, 300, a, 0, 300, b, 0, 24, 0, new Float64Array(40 * 24), 0, 24);
  lab.setMatmulBackend('js');
  const js = product();
  lab.setMatmulBackend('wasm');
  assert.deepEqual(product(), js);
  lab.setMatmulBackend('auto');
}
console.log('esm smoke: ok');
// Two-thread products: the helper thread loads from the bundle (its own entry beside the package's), and a product
// above the threshold gives the one-thread bits.
if (os.availableParallelism() >= 2) {
  assert.equal(lab.matmulThreads(), 2); // Node main thread with ≥ 2 cores
  const r = lab.rng(2);
  const n = 220; // 2n³ ≈ 2.1·10⁷ flops ≥ PARALLEL_MATMUL_MIN_FLOPS
  const a = r.fillNormal(new Float64Array(n * n));
  const b = r.fillNormal(new Float64Array(n * n));
  const product = () => lab.matmulTransB(n, n, n, a, 0, n, b, 0, n, 0, new Float64Array(n * n), 0, n);
  product(); // starts the helper
  for (let i = 0; i < 600 && !lab.matmulBackend().helperReady; i++) await new Promise((res) => setTimeout(res, 50));
  assert.equal(lab.matmulBackend().helperReady, true, 'the helper thread did not start from the bundle');
  const two = product();
  lab.setMatmulThreads(1);
  assert.deepEqual(product(), two);
  lab.setMatmulThreads(2);
}
console.log(`esm smoke: two-thread products ${os.availableParallelism() >= 2 ? 'ok' : 'skipped (one core)'}`);

// `ml-matrix` is loaded on first use (a dense eigendecomposition or a nuclear norm), not at `import 'eos-lab'`: no
// file of the Node build imports or requires it at top level (the browser build imports it statically).
{
  const { readFileSync, readdirSync } = await import('node:fs');
  const dist = new URL('../dist/', import.meta.url);
  const eager = readdirSync(dist).filter((f) => /\.(c?js)$/.test(f)).filter((f) => /from\s*["']ml-matrix["']|require\(["']ml-matrix["']\)/.test(readFileSync(new URL(f, dist), 'utf8')));
  assert.deepEqual(eager, [], `files of the Node build that load ml-matrix at import: ${eager.join(', ')}`);
  console.log('esm smoke: ml-matrix loads on first use');
}
