/**
 * Two-thread matrix products (the calling thread and one helper worker on a shared WebAssembly memory): results
 * must be bit-identical to the one-thread kernel, which is itself bit-identical to the JavaScript kernels
 * (gemm-backends.prop.test.ts) — so each case here is compared with the JavaScript kernel, entry by entry with
 * Object.is. The two-thread threshold is lowered through its internal hook so that small products (many shapes per
 * run) reach the helper; a few products above the real threshold go through the public functions.
 */
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { rng } from '../../src/core/rng.js';
import { EosLabError } from '../../src/core/errors.js';
import { caseArb, expectSameBits, runAgainstJs, type Case } from './gemm-cases.js';
import { matmulJs } from '../../src/linalg/gemm-js.js';
import {
  matmul,
  matmulBackend,
  matmulThreads,
  matmulTransA,
  matmulTransB,
  PARALLEL_MATMUL_MIN_FLOPS,
  setMatmulThreads,
  setParallelMatmulMinFlops,
} from '../../src/linalg/gemm.js';
import {
  MAX_WASM_DOUBLES,
  parallelGemmStats,
  setCallerClaims,
  setWasmWorkingSetLimit,
} from '../../src/linalg/wasm/gemm-wasm.js';

/** The case on the JavaScript kernel and on the wasm kernel with two threads, from the same C; throws on any bit difference. */
function expectIdenticalOnTwoThreads(c: Case): void {
  const { js, wasm } = runAgainstJs(c, 2);
  expectSameBits(c, js, wasm, 'two threads');
}

afterEach(() => {
  setParallelMatmulMinFlops(PARALLEL_MATMUL_MIN_FLOPS);
  setWasmWorkingSetLimit(MAX_WASM_DOUBLES);
  setCallerClaims(true);
});

/** A helper thread can run in this test process (Node main thread of a vitest fork) if the machine has 2 cores. */
const CORES = availableParallelism();

it('defaults to two threads on the Node main thread with ≥ 2 cores, one otherwise', () => {
  expect(matmulThreads()).toBe(CORES >= 2 ? 2 : 1);
});

describe.skipIf(CORES < 2)('two-thread products: bit-identical to the one-thread kernels', () => {

  it('random shapes, transposes, β, offsets and leading dimensions (up to 300 × 41 × 600, several chunks)', () => {
    const before = parallelGemmStats().jobs;
    fc.assert(
      fc.property(caseArb(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 41 }), fc.integer({ min: 1, max: 600 })), expectIdenticalOnTwoThreads),
      { numRuns: 100 },
    );
    expect(parallelGemmStats().jobs).toBeGreaterThan(before); // the two-thread path ran (m > 4 in most cases)
  });

  it('the helper alone computes every chunk correctly (the calling thread claims none)', async () => {
    // The helper was started by the products above; wait until it runs (it loads in the background).
    for (let i = 0; i < 600 && !matmulBackend().helperReady; i++) await new Promise((r) => setTimeout(r, 50));
    expect(matmulBackend().helperReady).toBe(true);
    setCallerClaims(false);
    const before = parallelGemmStats();
    fc.assert(
      fc.property(caseArb(fc.integer({ min: 5, max: 200 }), fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 400 })), expectIdenticalOnTwoThreads),
      { numRuns: 30 },
    );
    const after = parallelGemmStats();
    expect(after.jobs - before.jobs).toBe(30);
    expect(after.callerChunks).toBe(before.callerChunks);
  });

  it('row blocks (a small working-set limit) on two threads give the same bits', () => {
    fc.assert(
      fc.property(caseArb(fc.integer({ min: 1, max: 90 }), fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 200 })), fc.constantFrom(2000, 20000), (c, limit) => {
        setWasmWorkingSetLimit(limit);
        expectIdenticalOnTwoThreads(c);
      }),
      { numRuns: 40 },
    );
  });

  it('above the real threshold, the public functions use two threads and match one thread bit for bit', () => {
    const r = rng(31);
    const [m, n, k] = [260, 150, 230]; // 2mnk ≈ 1.8·10⁷ ≥ 8·10⁶
    expect(2 * m * n * k).toBeGreaterThanOrEqual(PARALLEL_MATMUL_MIN_FLOPS);
    const a = r.fillNormal(new Float64Array(m * k));
    const bN = r.fillNormal(new Float64Array(k * n));
    const at = r.fillNormal(new Float64Array(k * m));
    const bt = r.fillNormal(new Float64Array(n * k));
    const run = () => [
      matmul(m, n, k, a, 0, k, bN, 0, n, 0, new Float64Array(m * n), 0, n),
      matmulTransA(m, n, k, at, 0, m, bN, 0, n, 0, new Float64Array(m * n), 0, n),
      matmulTransB(m, n, k, a, 0, k, bt, 0, k, 0, new Float64Array(m * n), 0, n),
    ];
    const jobs = parallelGemmStats().jobs;
    const two = run();
    expect(parallelGemmStats().jobs).toBe(jobs + 3);
    setMatmulThreads(1);
    try {
      const one = run();
      expect(parallelGemmStats().jobs).toBe(jobs + 3);
      for (let t = 0; t < 3; t++) for (let i = 0; i < m * n; i++) if (!Object.is(one[t][i], two[t][i])) throw new Error(`product ${t}, entry ${i}`);
    } finally {
      setMatmulThreads(2);
    }
  });

  it('below the threshold, products stay on the calling thread', () => {
    const jobs = parallelGemmStats().jobs;
    const n = 150; // 2·150³ = 6.75·10⁶ < 8·10⁶
    const a = new Float64Array(n * n).fill(0.5);
    matmul(n, n, n, a, 0, n, a, 0, n, 0, new Float64Array(n * n), 0, n);
    expect(parallelGemmStats().jobs).toBe(jobs);
  });
});

describe.skipIf(CORES < 2)('setMatmulThreads', () => {
  it('rejects anything but 1 or 2 with E_BAD_OPTION (E_NONFINITE for NaN) naming the argument', () => {
    for (const bad of [0, 3, 1.5, '2', NaN]) {
      try {
        setMatmulThreads(bad as never);
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(EosLabError);
        expect((e as EosLabError).code).toBe(Number.isNaN(bad) ? 'E_NONFINITE' : 'E_BAD_OPTION');
        expect((e as EosLabError).details.argument).toBe('count');
      }
    }
    expect(matmulThreads()).toBe(2);
  });

  it('without SharedArrayBuffer: one thread, and 2 is E_NOT_SUPPORTED', async () => {
    vi.resetModules();
    vi.stubGlobal('SharedArrayBuffer', undefined);
    try {
      const gemm = await import('../../src/linalg/gemm.js');
      expect(gemm.matmulThreads()).toBe(1);
      expect(() => gemm.setMatmulThreads(2)).toThrow(expect.objectContaining({ code: 'E_NOT_SUPPORTED' }));
      const n = 200;
      const a = Float64Array.from({ length: n * n }, (_, i) => Math.cos(i));
      const c = gemm.matmul(n, n, n, a, 0, n, a, 0, n, 0, new Float64Array(n * n), 0, n);
      const ref = matmulJs(n, n, n, a, 0, n, a, 0, n, 0, new Float64Array(n * n), 0, n);
      expect(c).toEqual(ref);
    } finally {
      vi.unstubAllGlobals();
      vi.resetModules();
    }
  });

  it('inside a worker thread (as in the task pools): one thread, no nested helper, and 2 is E_NOT_SUPPORTED', async () => {
    const here = dirname(fileURLToPath(import.meta.url));
    const tsx = createRequire(import.meta.url).resolve('tsx');
    const worker = new Worker(join(here, '..', '..', 'src', 'parallel', 'worker-bootstrap.cjs'), {
      execArgv: ['--import', pathToFileURL(tsx).href],
      workerData: { entry: join(here, 'fixtures', 'gemm-threads-in-worker.ts') },
    });
    try {
      const reply = await new Promise<{ threads: number; jobs: number; code: string }>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      });
      expect(reply).toEqual({ threads: 1, jobs: 0, code: 'E_NOT_SUPPORTED' });
    } finally {
      await worker.terminate();
    }
  });
});
