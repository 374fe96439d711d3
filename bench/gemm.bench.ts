/**
 * Raw matrix products: eos-lab's JavaScript kernels against its WebAssembly SIMD kernel (both forced with
 * `setMatmulBackend`), and numpy's `A @ B` (BLAS dgemm, `bench/baselines/gemm.py`, run through python3 when it and
 * numpy are present) on one thread and with the BLAS library's default threads.
 *
 * Run: `npx vitest bench --run bench/gemm.bench.ts` (part of `npm run bench`).
 *
 * Rules (bench/interleaved.ts, the same for every implementation): 7 rounds; in each round every implementation runs
 * in turn, median of 5 calls after a warm-up call; the table gives the median over rounds and [min–max] over rounds;
 * ratios are taken within each round. GFLOP/s = 2mnk / seconds. "Peak" is this core's f64x2 ceiling without fused
 * multiply-add, assumed 8 flop/cycle (two f64x2 multiplies and two f64x2 adds per cycle, as on AMD Zen 4/5) at the
 * clock /proc/cpuinfo reports — the most WebAssembly SIMD (128-bit, no FMA) can reach; BLAS uses wider FMA units.
 * In a virtual machine /proc/cpuinfo gives the nominal clock, not the boost clock the core actually runs at, so the
 * ratio can exceed 1 (seen here: 1.10, i.e. the core ran at ≥ 1.1 × the reported 2.6 GHz); read it as an upper
 * bound on the fraction of the true peak.
 * The machine's load average is printed with the table: on a shared machine the numbers are contended.
 *
 * A second table measures the 'auto' threshold (`WASM_MATMUL_MIN_INTENSITY`): the wasm/JS ratio of thin and small
 * products around its arithmetic-intensity threshold mnk / (mn + nk + km) ≥ 2.
 *
 * The WebAssembly kernel runs on one thread (`setMatmulThreads(1)`) in the "WASM" columns and on two (the calling
 * thread and its helper, `setMatmulThreads(2)`) in the "WASM 2 thr" columns; a third table measures the two-thread
 * threshold (`PARALLEL_MATMUL_MIN_FLOPS`): the 2-thread / 1-thread speed of cubes around it, with the threshold
 * lowered to 0 so that every product runs on two threads.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bench, describe } from 'vitest';
import { rng } from '../src/core/rng.js';
import {
  matmul,
  matmulThreads,
  matmulTransA,
  matmulTransB,
  PARALLEL_MATMUL_MIN_FLOPS,
  setMatmulBackend,
  setMatmulThreads,
  setParallelMatmulMinFlops,
  useWasm,
  WASM_MATMUL_MIN_INTENSITY,
} from '../src/linalg/gemm.js';
import { formatSpread, loadLine, medianSecondsOf, printTable, ratios, spread } from './interleaved.js';

const ROUNDS = 7;
const CALLS = 5;

/** Assumed f64x2 peak without FMA: 8 flop/cycle at the reported clock (GFLOP/s), or undefined off Linux. */
function simdPeakGflops(): number | undefined {
  if (!existsSync('/proc/cpuinfo')) return undefined;
  const mhz = /cpu MHz\s*:\s*([\d.]+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'));
  return mhz ? (8 * Number(mhz[1])) / 1000 : undefined;
}

interface NumpyGemm {
  numpy: string;
  results: { shape: number[]; gflops: number }[];
}

function runNumpy(shape: number[], threads?: string): NumpyGemm | string {
  const script = join(dirname(fileURLToPath(import.meta.url)), 'baselines', 'gemm.py');
  const env = { ...process.env };
  if (threads !== undefined) Object.assign(env, { OPENBLAS_NUM_THREADS: threads, OMP_NUM_THREADS: threads, MKL_NUM_THREADS: threads });
  const res = spawnSync('python3', [script, shape.join(','), '--calls', String(CALLS)], { env, encoding: 'utf8', timeout: 120_000 });
  if (res.error) return `python3 not available (${res.error.message})`;
  if (res.status !== 0) return `numpy baseline failed: ${(res.stderr || '').trim().split('\n').pop()}`;
  try {
    return JSON.parse(res.stdout) as NumpyGemm;
  } catch {
    return 'numpy baseline printed no JSON';
  }
}

type Kind = 'NN' | 'TN' | 'NT';
const PRODUCT = { NN: matmul, TN: matmulTransA, NT: matmulTransB };

/** A product of one kind with C m × n, inner dimension k, on seeded random operands. */
function product(kind: Kind, m: number, n: number, k: number): () => void {
  const r = rng(7);
  const a = r.fillNormal(new Float64Array(m * k));
  const b = r.fillNormal(new Float64Array(k * n));
  const c = new Float64Array(m * n);
  const lda = kind === 'TN' ? m : k;
  const ldb = kind === 'NT' ? k : n;
  const f = PRODUCT[kind];
  return () => f(m, n, k, a, 0, lda, b, 0, ldb, 0, c, 0, n);
}

/** Two threads can run here (Node main thread, ≥ 2 cores): the default of matmulThreads. */
const TWO_THREADS = matmulThreads() === 2;

function timed(backend: 'js' | 'wasm', f: () => void, calls: number, threads: 1 | 2 = 1): number {
  setMatmulBackend(backend);
  setMatmulThreads(threads);
  try {
    return medianSecondsOf(f, calls);
  } finally {
    setMatmulBackend('auto');
    setMatmulThreads(TWO_THREADS ? 2 : 1);
  }
}

// Table 1: the raw GEMM, 200 × 200 · 200 × 1000 (m = 200, k = 200, n = 1000), in all three layouts.
const M = 200;
const K = 200;
const N = 1000;
const flops = 2 * M * N * K;
const loadBefore = loadLine();
const kinds: Kind[] = ['NN', 'TN', 'NT'];
const runs = kinds.map((kind) => ({ kind, f: product(kind, M, N, K), js: [] as number[], wasm: [] as number[], wasm2: [] as number[] }));
const np1: number[] = [];
const npDefault: number[] = [];
let numpyNote = '';
for (let round = 0; round < ROUNDS; round++) {
  for (const run of runs) {
    run.js.push(flops / timed('js', run.f, CALLS) / 1e9);
    run.wasm.push(flops / timed('wasm', run.f, CALLS) / 1e9);
    if (TWO_THREADS) run.wasm2.push(flops / timed('wasm', run.f, CALLS, 2) / 1e9);
  }
  for (const [threads, into] of [['1', np1], [undefined, npDefault]] as const) {
    const res = runNumpy([M, K, N], threads);
    if (typeof res === 'string') numpyNote = res;
    else {
      into.push(res.results[0].gflops);
      numpyNote = `numpy ${res.numpy}`;
    }
  }
}
const peak = simdPeakGflops();
const rows: string[][] = [
  [
    'C ← op(A)·op(B), 200×200·200×1000',
    'JS GFLOP/s',
    'WASM GFLOP/s',
    'WASM / JS',
    'WASM / peak',
    'WASM 2 thr GFLOP/s',
    'WASM 2 thr / 1 thr',
    'numpy 1 thr GFLOP/s',
    'numpy default thr',
    'WASM / numpy 1 thr',
    'WASM 2 thr / numpy default',
  ],
];
for (const run of runs) {
  const isNN = run.kind === 'NN';
  rows.push([
    { NN: 'matmul (A·B)', TN: 'matmulTransA (Aᵀ·B)', NT: 'matmulTransB (A·Bᵀ)' }[run.kind],
    formatSpread(spread(run.js)),
    formatSpread(spread(run.wasm)),
    formatSpread(spread(ratios(run.wasm, run.js)), 2, '×'),
    peak === undefined ? 'n/a' : formatSpread(spread(run.wasm.map((g) => g / peak)), 2),
    TWO_THREADS ? formatSpread(spread(run.wasm2)) : 'n/a',
    TWO_THREADS ? formatSpread(spread(ratios(run.wasm2, run.wasm)), 2, '×') : 'n/a',
    isNN ? formatSpread(spread(np1)) : '',
    isNN ? formatSpread(spread(npDefault)) : '',
    isNN && np1.length === ROUNDS ? formatSpread(spread(ratios(run.wasm, np1)), 2, '×') : '',
    isNN && TWO_THREADS && npDefault.length === ROUNDS ? formatSpread(spread(ratios(run.wasm2, npDefault)), 2, '×') : '',
  ]);
}
printTable(`Raw matrix products, GFLOP/s: median [min–max] over ${ROUNDS} interleaved rounds (median of ${CALLS} calls each):`, rows, [
  `peak = f64x2 without FMA, 8 flop/cycle at ${peak === undefined ? '?' : (peak / 8).toFixed(3)} GHz = ${peak === undefined ? '?' : peak.toFixed(1)} GFLOP/s (assumed, at the reported clock: a boost clock makes the ratio > 1; see the file header)`,
  `${numpyNote}; eos-lab's WASM columns run on one thread, its "2 thr" columns on two${TWO_THREADS ? '' : ' (not available here)'}. Machine: ${loadBefore} before, ${loadLine()} after — shared machine, contended numbers.`,
]);

// Table 2: the 'auto' threshold. Products around intensity 7, wasm/JS ratio per round.
const SMALL: [number, number, number][] = [
  [4, 4, 4],
  [6, 6, 6],
  [8, 8, 8],
  [10, 10, 10],
  [12, 12, 12],
  [16, 16, 16],
  [32, 32, 32],
  [1000, 10, 32],
  [1000, 32, 10],
  [100, 100, 2],
  [200, 200, 3],
  [4, 200, 200],
  [1, 200, 200],
];
const smallRows: string[][] = [['m × n × k', 'intensity', "'auto' uses", 'WASM / JS, A·B', 'WASM / JS, Aᵀ·B', 'WASM / JS, A·Bᵀ']];
for (const [m, n, k] of SMALL) {
  const cells: string[] = [];
  for (const kind of kinds) {
    const f = product(kind, m, n, k);
    const calls = Math.max(5, Math.min(200, Math.round(2e6 / (m * n * k))));
    const js: number[] = [];
    const wasm: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      js.push(timed('js', f, calls));
      wasm.push(timed('wasm', f, calls));
    }
    cells.push(formatSpread(spread(ratios(js, wasm)), 2, '×')); // time ratio JS/WASM = speed ratio WASM/JS
  }
  const intensity = (m * n * k) / (m * n + n * k + k * m);
  smallRows.push([`${m} × ${n} × ${k}`, intensity.toFixed(1), useWasm(m, n, k) ? 'wasm' : 'js', ...cells]);
}
printTable(`The 'auto' threshold: speed of WASM over JS (median [min–max] over ${ROUNDS} interleaved rounds), wasm used at intensity ≥ ${WASM_MATMUL_MIN_INTENSITY}:`, smallRows, [
  `Machine: ${loadLine()} — shared machine, contended numbers.`,
]);

// Table 3: the two-thread threshold. Cubes around PARALLEL_MATMUL_MIN_FLOPS, all on two threads (threshold 0).
if (TWO_THREADS) {
  const CUBES = [64, 100, 128, 160, 200, 300];
  const threadRows: string[][] = [['n (n × n · n × n)', 'MFLOP (2n³)', "'auto' threads", '2 thr / 1 thr, A·B', '2 thr / 1 thr, Aᵀ·B', '2 thr / 1 thr, A·Bᵀ']];
  const autoThreads = (n: number) => (2 * n ** 3 >= PARALLEL_MATMUL_MIN_FLOPS ? '2' : '1');
  const previous = setParallelMatmulMinFlops(0);
  try {
    for (const n of CUBES) {
      const cells: string[] = [];
      for (const kind of kinds) {
        const f = product(kind, n, n, n);
        const calls = Math.max(5, Math.min(100, Math.round(4e7 / n ** 3)));
        const one: number[] = [];
        const two: number[] = [];
        for (let round = 0; round < ROUNDS; round++) {
          one.push(timed('wasm', f, calls, 1));
          two.push(timed('wasm', f, calls, 2));
        }
        cells.push(formatSpread(spread(ratios(one, two)), 2, '×')); // time ratio 1/2 = speed ratio 2/1
      }
      threadRows.push([String(n), ((2 * n ** 3) / 1e6).toFixed(1), autoThreads(n), ...cells]);
    }
  } finally {
    setParallelMatmulMinFlops(previous);
  }
  printTable(`The two-thread threshold: speed of 2 threads over 1 (median [min–max] over ${ROUNDS} interleaved rounds), 2 threads used at ≥ ${PARALLEL_MATMUL_MIN_FLOPS / 1e6} MFLOP:`, threadRows, [
    `Machine: ${loadLine()} — shared machine, contended numbers (a busy second core makes 2 threads look worse).`,
  ]);
}

// One bench per group: vitest's ratios are not interleaved (the tables above are).
describe('raw 200×200·200×1000 product (A·B; ratios: the interleaved tables above)', () => {
  const f = product('NN', M, N, K);
  bench('WebAssembly SIMD kernel', () => void timed('wasm', f, 1), { iterations: 5, time: 0, warmupIterations: 1 });
});
