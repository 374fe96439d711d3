// Loads the built package through `require` (the exports map's CJS entries) and runs a few calls.
const assert = require('node:assert/strict');
const lab = require('eos-lab');
const testing = require('eos-lab/testing');

const model = lab.scalarFactorization.create({ depth: 3 });
const theta = new Float64Array([0.5, 1.5, 2]);
assert.equal(model.dim, 3);
assert.ok(testing.checkHvp(model, theta, new Float64Array([1, 0, -1])).pass);
const rebuilt = lab.createModel(JSON.parse(JSON.stringify(model.spec)));
assert.equal(rebuilt.loss(theta), model.loss(theta));
assert.throws(() => lab.gd(model, theta, { learningRate: -1 }), (e) => e instanceof lab.EosLabError && e.code === 'E_BAD_OPTION');
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
console.log('cjs smoke: ok');

(async () => {
// Two-thread products: the helper thread loads from the bundle (its own entry beside the package's), and a product
// above the threshold gives the one-thread bits.
if (require('node:os').availableParallelism() >= 2) {
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
console.log(`cjs smoke: two-thread products ${require('node:os').availableParallelism() >= 2 ? 'ok' : 'skipped (one core)'}`);
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
