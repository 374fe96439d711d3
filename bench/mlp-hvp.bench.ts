/**
 * Exact Hessian-vector products of MLPs (Pearlmutter's R-operator) on 1,000 examples: eos-lab's blocked,
 * register-tiled matrix products against (a) the same R-operator with plain triple-loop products written in this
 * file, and (b) a numpy implementation of the same HVP (`bench/baselines/mlp_hvp.py`, run through python3 when it
 * and numpy are present — with the BLAS library's default threads and with one thread).
 *
 * Run: `npx vitest bench --run bench/mlp-hvp.bench.ts`.
 *
 * Architectures: 784-200-200-10 (MNIST-sized, p = 199,210) and 49-32-32-10 (7 × 7 MNIST, p = 2,986), tanh, MSE.
 * Throughput is reported in GFLOP/s-equivalent under one flop count for all three implementations: the matrix
 * products of the R-operator HVP, 2n·(3·n₀n₁ + 8·Σ_{ℓ≥2} n_{ℓ−1}n_ℓ) (forward, R-forward, R-backward: 3 products
 * for the first layer, 8 for each later one; elementwise work not counted). Each implementation is timed in this
 * run (median over repeated calls); the table gives the ratios. Before timing, the naive HVP is checked to agree
 * with eos-lab's to 1e-10 relative (both compute the same sums in different orders).
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bench, describe } from 'vitest';
import { rng } from '../src/core/rng.js';
import { init } from '../src/models/mlp/init.js';
import { createNetwork, type MatrixProducts, type MlpNetwork } from '../src/models/mlp/network.js';

const EXAMPLES = 1000;
const CONFIGS: number[][] = [
  [784, 200, 200, 10],
  [49, 32, 32, 10],
];

/** C ← A·B + β·C by the textbook triple loop (inner product per entry). */
function naiveMatmul(m: number, n: number, k: number, a: Float64Array, ao: number, lda: number, b: Float64Array, bo: number, ldb: number, beta: number, c: Float64Array, co: number, ldc: number): Float64Array {
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a[ao + i * lda + p] * b[bo + p * ldb + j];
      const idx = co + i * ldc + j;
      c[idx] = beta === 0 ? s : s + beta * c[idx];
    }
  }
  return c;
}

/** C ← Aᵀ·B + β·C by the textbook triple loop. */
function naiveMatmulTransA(m: number, n: number, k: number, a: Float64Array, ao: number, lda: number, b: Float64Array, bo: number, ldb: number, beta: number, c: Float64Array, co: number, ldc: number): Float64Array {
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a[ao + p * lda + i] * b[bo + p * ldb + j];
      const idx = co + i * ldc + j;
      c[idx] = beta === 0 ? s : s + beta * c[idx];
    }
  }
  return c;
}

/** C ← A·Bᵀ + β·C by the textbook triple loop. */
function naiveMatmulTransB(m: number, n: number, k: number, a: Float64Array, ao: number, lda: number, b: Float64Array, bo: number, ldb: number, beta: number, c: Float64Array, co: number, ldc: number): Float64Array {
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a[ao + i * lda + p] * b[bo + j * ldb + p];
      const idx = co + i * ldc + j;
      c[idx] = beta === 0 ? s : s + beta * c[idx];
    }
  }
  return c;
}

const NAIVE: MatrixProducts = { matmul: naiveMatmul, matmulTransA: naiveMatmulTransA, matmulTransB: naiveMatmulTransB };

function hvpFlops(layers: readonly number[], n: number): number {
  const prods = layers.slice(1).map((w, i) => layers[i] * w);
  return 2 * n * (3 * prods[0] + 8 * prods.slice(1).reduce((a, b) => a + b, 0));
}

interface Setup {
  layers: number[];
  blocked: MlpNetwork;
  naive: MlpNetwork;
  theta: Float64Array;
  v: Float64Array;
  out: Float64Array;
}

function setup(layers: number[]): Setup {
  const d = layers[0];
  const k = layers[layers.length - 1];
  const r = rng(2024);
  const x = r.fillNormal(new Float64Array(EXAMPLES * d));
  const y = r.fillNormal(new Float64Array(EXAMPLES * k));
  const blocked = createNetwork(layers, 'tanh', 'mse', x, y, EXAMPLES);
  const naive = createNetwork(layers, 'tanh', 'mse', x, y, EXAMPLES, NAIVE);
  const theta = init({ layers }, { seed: 1 });
  const v = r.fillNormal(new Float64Array(blocked.dim));
  return { layers, blocked, naive, theta, v, out: new Float64Array(blocked.dim) };
}

/** Median seconds per call, over at least `minRuns` calls and about `seconds` of wall time (after one warm-up call). */
function medianSeconds(f: () => void, seconds: number, minRuns: number): number {
  f();
  const times: number[] = [];
  const start = performance.now();
  while (times.length < minRuns || performance.now() - start < seconds * 1000) {
    const t = performance.now();
    f();
    times.push((performance.now() - t) / 1000);
  }
  times.sort((a, b) => a - b);
  return times[times.length >> 1];
}

interface NumpyResult {
  numpy: string;
  threads: string;
  results: { layers: number[]; secondsPerHvp: number; gflops: number }[];
}

function runNumpy(threads?: string): NumpyResult | string {
  const script = join(dirname(fileURLToPath(import.meta.url)), 'baselines', 'mlp_hvp.py');
  const env = { ...process.env };
  if (threads !== undefined) {
    env.OPENBLAS_NUM_THREADS = threads;
    env.OMP_NUM_THREADS = threads;
    env.MKL_NUM_THREADS = threads;
  }
  const res = spawnSync('python3', [script, ...CONFIGS.map((c) => c.join(',')), '--examples', String(EXAMPLES), '--seconds', '2'], { env, encoding: 'utf8', timeout: 300_000 });
  if (res.error) return `python3 not available (${res.error.message})`;
  if (res.status !== 0) return `numpy baseline failed: ${(res.stderr || '').trim().split('\n').pop()}`;
  try {
    return JSON.parse(res.stdout) as NumpyResult;
  } catch {
    return 'numpy baseline printed no JSON';
  }
}

const setups = CONFIGS.map(setup);

// Correctness first: the naive products must give the same HVP (same algorithm, different summation order).
for (const s of setups) {
  const a = new Float64Array(s.blocked.dim);
  const b = new Float64Array(s.blocked.dim);
  s.blocked.hvp(s.theta, s.v, a);
  s.naive.hvp(s.theta, s.v, b);
  let scale = 0;
  let diff = 0;
  for (let i = 0; i < a.length; i++) {
    scale = Math.max(scale, Math.abs(a[i]));
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
  }
  if (!(diff <= 1e-10 * scale)) throw new Error(`${s.layers.join('-')}: blocked and naive HVPs differ by ${diff} (scale ${scale})`);
}

const numpyDefault = runNumpy();
const numpySingle = runNumpy('1');
const rows: string[][] = [['architecture (n = 1000)', 'eos-lab GFLOP/s', 'naive loops', 'numpy (BLAS threads: default)', 'numpy (1 thread)', 'eos-lab / naive', 'eos-lab / numpy', 'eos-lab / numpy 1 thr']];
for (const [i, s] of setups.entries()) {
  const flops = hvpFlops(s.layers, EXAMPLES);
  const tBlocked = medianSeconds(() => s.blocked.hvp(s.theta, s.v, s.out), 3, 5);
  const tNaive = medianSeconds(() => s.naive.hvp(s.theta, s.v, s.out), 3, 3);
  const gBlocked = flops / tBlocked / 1e9;
  const gNaive = flops / tNaive / 1e9;
  const np1 = typeof numpyDefault === 'string' ? undefined : numpyDefault.results[i].gflops;
  const np2 = typeof numpySingle === 'string' ? undefined : numpySingle.results[i].gflops;
  const f = (x: number | undefined, digits = 2) => (x === undefined ? 'skipped' : x.toFixed(digits));
  rows.push([
    s.layers.join('-'),
    f(gBlocked),
    f(gNaive),
    f(np1),
    f(np2),
    `${f(gBlocked / gNaive)}×`,
    np1 === undefined ? 'skipped' : `${f(gBlocked / np1, 3)}×`,
    np2 === undefined ? 'skipped' : `${f(gBlocked / np2, 3)}×`,
  ]);
}
const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
console.log('\nMLP Hessian-vector product (R-operator, tanh, MSE), GFLOP/s-equivalent measured in this run:');
for (const r of rows) console.log('  ' + r.map((cell, c) => cell.padEnd(widths[c])).join('  │  '));
if (typeof numpyDefault === 'string') console.log(`  numpy baseline skipped: ${numpyDefault}`);
else console.log(`  numpy ${numpyDefault.numpy}; eos-lab runs on one thread (plain JavaScript, no SIMD).`);
console.log('');

for (const s of setups) {
  describe(`HVP of a ${s.layers.join('-')} tanh MLP on ${EXAMPLES} examples`, () => {
    bench('eos-lab (blocked, register-tiled products)', () => s.blocked.hvp(s.theta, s.v, s.out), { iterations: 5, time: 0, warmupIterations: 1 });
    bench('naive triple loops', () => s.naive.hvp(s.theta, s.v, s.out), { iterations: 3, time: 0, warmupIterations: 1 });
  });
}
