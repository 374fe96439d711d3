/**
 * Exact Hessian-vector products of MLPs (Pearlmutter's R-operator) on 1,000 examples: eos-lab with its JavaScript
 * matrix products and with its WebAssembly SIMD products (the default 'auto' backend), against a numpy
 * implementation of the same HVP (`bench/baselines/mlp_hvp.py`, run through python3 when it and numpy are present —
 * with the BLAS library's default threads and with one thread), and, once, plain triple-loop products written in
 * this file.
 *
 * Run: `npx vitest bench --run bench/mlp-hvp.bench.ts` (part of `npm run bench`).
 *
 * Architectures: 784-200-200-10 (MNIST-sized, p = 199,210) and 49-32-32-10 (7 × 7 MNIST, p = 2,986), tanh, MSE.
 * Throughput is reported in GFLOP/s-equivalent under one flop count for all implementations: the matrix products of
 * the R-operator HVP, 2n·(3·n₀n₁ + 8·Σ_{ℓ≥2} n_{ℓ−1}n_ℓ) (forward, R-forward, R-backward: 3 products for the first
 * layer, 8 for each later one; elementwise work — tanh and its derivatives — not counted, though every
 * implementation does it). Rules (bench/interleaved.ts), the same for every implementation: 5 rounds; in each round,
 * for each architecture, JS, WASM and numpy (default threads, then one thread; a python3 process each) run in turn,
 * each as the median of 3 HVPs (784-wide) or 9 (49-wide) after a warm-up call; the table gives the median over rounds
 * and [min–max], ratios taken within each round. The
 * machine's load average is printed with the table. "WASM" runs every product on one thread (`setMatmulThreads(1)`),
 * "WASM 2 thr" with the default two threads for products above `PARALLEL_MATMUL_MIN_FLOPS` (the calling thread and
 * its helper on a shared memory; Node main thread with ≥ 2 cores). Before timing, the JS and WASM HVPs are checked to be
 * bit-identical and the naive HVP to agree with them to 1e-10 relative (same sums in a different order).
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bench, describe } from 'vitest';
import { rng } from '../src/core/rng.js';
import { init } from '../src/models/mlp/init.js';
import { createNetwork, type MatrixProducts, type MlpNetwork } from '../src/models/mlp/network.js';
import { matmulThreads, setMatmulBackend, setMatmulThreads } from '../src/linalg/gemm.js';
import { formatSpread, loadLine, medianSecondsOf, printTable, ratios, spread } from './interleaved.js';

const EXAMPLES = 1000;
const ROUNDS = 5;
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

interface NumpyResult {
  numpy: string;
  threads: string;
  results: { layers: number[]; secondsPerHvp: number; gflops: number }[];
}

/** eos-lab and numpy alike: the median of this many HVPs after a warm-up call, per round. */
function callsPerRound(layers: readonly number[]): number {
  return layers[0] > 100 ? 3 : 9;
}

function runNumpy(layers: readonly number[], threads?: string): NumpyResult | string {
  const script = join(dirname(fileURLToPath(import.meta.url)), 'baselines', 'mlp_hvp.py');
  const env = { ...process.env };
  if (threads !== undefined) {
    env.OPENBLAS_NUM_THREADS = threads;
    env.OMP_NUM_THREADS = threads;
    env.MKL_NUM_THREADS = threads;
  }
  const args = [script, layers.join(','), '--examples', String(EXAMPLES), '--calls', String(callsPerRound(layers))];
  const res = spawnSync('python3', args, { env, encoding: 'utf8', timeout: 300_000 });
  if (res.error) return `python3 not available (${res.error.message})`;
  if (res.status !== 0) return `numpy baseline failed: ${(res.stderr || '').trim().split('\n').pop()}`;
  try {
    return JSON.parse(res.stdout) as NumpyResult;
  } catch {
    return 'numpy baseline printed no JSON';
  }
}

const setups = CONFIGS.map(setup);

/** Two threads can run here (the default of matmulThreads on the Node main thread with ≥ 2 cores). */
const TWO_THREADS = matmulThreads() === 2;

// Correctness first: the naive products must give the same HVP (same algorithm, different summation order), and
// the two backends of eos-lab, on one thread or two, the same bits.
for (const s of setups) {
  const a = new Float64Array(s.blocked.dim);
  const b = new Float64Array(s.blocked.dim);
  const w = new Float64Array(s.blocked.dim);
  const w2 = new Float64Array(s.blocked.dim);
  setMatmulBackend('js');
  s.blocked.hvp(s.theta, s.v, a);
  setMatmulBackend('auto');
  setMatmulThreads(1);
  s.blocked.hvp(s.theta, s.v, w);
  setMatmulThreads(TWO_THREADS ? 2 : 1);
  s.blocked.hvp(s.theta, s.v, w2);
  s.naive.hvp(s.theta, s.v, b);
  let scale = 0;
  let diff = 0;
  for (let i = 0; i < a.length; i++) {
    scale = Math.max(scale, Math.abs(a[i]));
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    if (!Object.is(a[i], w[i])) throw new Error(`${s.layers.join('-')}: JS and WASM HVPs differ at ${i}: ${a[i]} vs ${w[i]}`);
    if (!Object.is(w[i], w2[i])) throw new Error(`${s.layers.join('-')}: 1- and 2-thread HVPs differ at ${i}: ${w[i]} vs ${w2[i]}`);
  }
  if (!(diff <= 1e-10 * scale)) throw new Error(`${s.layers.join('-')}: blocked and naive HVPs differ by ${diff} (scale ${scale})`);
}

/** Median seconds of `calls` HVPs (after a warm-up) under the given matrix-product backend. */
function hvpSeconds(s: Setup, backend: 'js' | 'auto', calls: number, threads: 1 | 2 = 1): number {
  setMatmulBackend(backend);
  setMatmulThreads(threads);
  try {
    return medianSecondsOf(() => s.blocked.hvp(s.theta, s.v, s.out), calls);
  } finally {
    setMatmulBackend('auto');
    setMatmulThreads(TWO_THREADS ? 2 : 1);
  }
}

const loadBefore = loadLine();
const perSetup = setups.map(() => ({ js: [] as number[], wasm: [] as number[], wasm2: [] as number[], naive: [] as number[], np: [] as number[], np1: [] as number[] }));
let numpyNote = '';
for (let round = 0; round < ROUNDS; round++) {
  for (const [i, s] of setups.entries()) {
    const flops = hvpFlops(s.layers, EXAMPLES);
    const calls = callsPerRound(s.layers);
    perSetup[i].js.push(flops / hvpSeconds(s, 'js', calls) / 1e9);
    perSetup[i].wasm.push(flops / hvpSeconds(s, 'auto', calls) / 1e9);
    if (TWO_THREADS) perSetup[i].wasm2.push(flops / hvpSeconds(s, 'auto', calls, 2) / 1e9);
    // The naive loops only in the first round (a 784-wide HVP takes seconds): a reference point, not a ratio target.
    if (round === 0) perSetup[i].naive.push(flops / medianSecondsOf(() => s.naive.hvp(s.theta, s.v, s.out), 1) / 1e9);
    for (const [threads, key] of [[undefined, 'np'], ['1', 'np1']] as const) {
      const res = runNumpy(s.layers, threads);
      if (typeof res === 'string') numpyNote = `numpy baseline skipped: ${res}`;
      else {
        numpyNote = `numpy ${res.numpy} (bench/baselines/mlp_hvp.py: same flop count, same rule — median of 3 (784-wide) or 9 (49-wide) HVPs after a warm-up, per round)`;
        perSetup[i][key].push(res.results[0].gflops);
      }
    }
  }
}

const rows: string[][] = [
  [
    'architecture (n = 1000)',
    'JS GFLOP/s',
    'WASM (auto) GFLOP/s',
    'WASM 2 thr GFLOP/s',
    'WASM / JS',
    'WASM 2 thr / 1 thr',
    'numpy default thr',
    'numpy 1 thr',
    'WASM 2 thr / numpy',
    'WASM / numpy 1 thr',
    'naive loops (1 call)',
  ],
];
for (const [i, s] of setups.entries()) {
  const r = perSetup[i];
  const haveNp = r.np.length === ROUNDS && r.np1.length === ROUNDS;
  rows.push([
    s.layers.join('-'),
    formatSpread(spread(r.js)),
    formatSpread(spread(r.wasm)),
    TWO_THREADS ? formatSpread(spread(r.wasm2)) : 'n/a',
    formatSpread(spread(ratios(r.wasm, r.js)), 2, '×'),
    TWO_THREADS ? formatSpread(spread(ratios(r.wasm2, r.wasm)), 2, '×') : 'n/a',
    formatSpread(spread(r.np)),
    formatSpread(spread(r.np1)),
    haveNp && TWO_THREADS ? formatSpread(spread(ratios(r.wasm2, r.np)), 3, '×') : 'skipped',
    haveNp ? formatSpread(spread(ratios(r.wasm, r.np1)), 3, '×') : 'skipped',
    r.naive[0].toFixed(2),
  ]);
}
printTable(`MLP Hessian-vector product (R-operator, tanh, MSE), GFLOP/s-equivalent: median [min–max] over ${ROUNDS} interleaved rounds:`, rows, [
  numpyNote,
  'JS = setMatmulBackend(\'js\'), WASM = the default \'auto\' (WebAssembly SIMD for the products above the threshold) on one thread; WASM 2 thr = the same with setMatmulThreads(2) (two threads for products ≥ PARALLEL_MATMUL_MIN_FLOPS).',
  `Machine: ${loadBefore} before, ${loadLine()} after — shared machine, contended numbers.`,
]);

for (const s of setups) {
  // One bench per group: vitest's ratios are not interleaved (the table above is).
  describe(`HVP of a ${s.layers.join('-')} tanh MLP on ${EXAMPLES} examples (ratios: the interleaved table above)`, () => {
    bench('eos-lab, WebAssembly SIMD products (auto)', () => s.blocked.hvp(s.theta, s.v, s.out), { iterations: 5, time: 0, warmupIterations: 1 });
  });
}
