/**
 * Dense matrix products on row-major `Float64Array` storage — C ← A·B + β·C, C ← Aᵀ·B + β·C and
 * C ← A·Bᵀ + β·C — the kernels of the MLP model's forward, backward and R-operator passes.
 *
 * Two backends compute them with the same summation order, so they give bit-identical results: a WebAssembly
 * SIMD kernel (f64x2, 4 × 4 register tiles on packed panels, `wasm/gemm.wat`), used for products large enough to
 * pay for copying the operands into its memory, and blocked, register-tiled JavaScript loops (`gemm-js.ts`),
 * used for small products and wherever WebAssembly SIMD is absent. {@link setMatmulBackend} forces either.
 *
 * Storage convention (BLAS-like, row-major): a matrix X with `rows × cols` entries lives in a `Float64Array`
 * `x` with X[i, j] = x[xOffset + i·ldx + j]; the leading dimension `ldx` ≥ cols is the distance between rows.
 * A sub-matrix of a bigger array (a layer's weights inside θ, a block of rows) is addressed by offset and
 * leading dimension without copying.
 *
 * @module
 */
import { EosLabError } from '../core/errors.js';
import { integerInRange, oneOf } from '../core/validate.js';
import { matmulJs, matmulTransAJs, matmulTransBJs } from './gemm-js.js';
import { gemmHelperReady, sharedGemmKernelAvailable, wasmGemm, wasmGemmAvailable } from './wasm/gemm-wasm.js';
import { gemmHelperPossible } from '#platform/gemm-helper';

/**
 * Which kernels the matrix products use: `'auto'` (WebAssembly SIMD for products with
 * mnk / (mn + nk + km) ≥ {@link WASM_MATMUL_MIN_INTENSITY} where the engine supports it, JavaScript otherwise),
 * `'js'` (always the JavaScript loops) or `'wasm'` (always the WebAssembly kernel).
 *
 * @since 0.2.0
 */
export type MatmulBackend = 'auto' | 'js' | 'wasm';

/** What {@link matmulBackend} reports. @since 0.2.0 */
export interface MatmulBackendInfo {
  /** The backend set by {@link setMatmulBackend} (`'auto'` unless changed). */
  readonly backend: MatmulBackend;
  /** Whether this engine runs the WebAssembly SIMD kernel (false: `'auto'` always uses JavaScript). */
  readonly wasmSimd: boolean;
  /** The `'auto'` threshold, {@link WASM_MATMUL_MIN_INTENSITY}. */
  readonly minIntensity: number;
  /** Threads of the WebAssembly products of at least {@link PARALLEL_MATMUL_MIN_FLOPS} (see {@link setMatmulThreads}). */
  readonly threads: 1 | 2;
  /** The two-thread threshold in flops (2mnk), {@link PARALLEL_MATMUL_MIN_FLOPS}. */
  readonly parallelMinFlops: number;
  /**
   * Whether the helper thread of the two-thread products is running: it is started on the first product above the
   * threshold and loads in the background (until then, the calling thread computes the whole product alone).
   */
  readonly helperReady: boolean;
}

/**
 * Products of at least this many flops (2mnk) run on two threads when {@link matmulThreads} is 2: 8·10⁶, about
 * 0.4 ms on one thread of the WebAssembly kernel, far above the cost of waking the helper thread and waiting for it
 * (microseconds). The 784-200-200-10 MLP's products on 1,000 examples (2·1000·784·200 ≈ 3·10⁸ flops) are above it;
 * 49-32-32-10 on 1,000 examples (≈ 3·10⁶) is below it.
 *
 * @since 0.2.0
 */
export const PARALLEL_MATMUL_MIN_FLOPS = 8e6;

/** The two-thread threshold in force ({@link PARALLEL_MATMUL_MIN_FLOPS} except in tests). */
let parallelMinFlops = PARALLEL_MATMUL_MIN_FLOPS;

/** Sets the two-thread threshold (tests lower it to reach the helper with small products); returns the previous one. @internal */
export function setParallelMatmulMinFlops(flops: number): number {
  const previous = parallelMinFlops;
  parallelMinFlops = flops;
  return previous;
}

/** undefined: the default (2 where a helper thread is possible, see {@link setMatmulThreads}), not resolved yet. */
let threads: 1 | 2 | undefined;

function currentThreads(): 1 | 2 {
  if (threads === undefined) threads = gemmHelperPossible() ? 2 : 1;
  return threads;
}

/** Threads for a WebAssembly product of these sizes. @internal */
export function gemmThreads(m: number, n: number, k: number): 1 | 2 {
  return currentThreads() === 2 && 2 * m * n * k >= parallelMinFlops ? 2 : 1;
}

/**
 * Chooses how many threads compute one large matrix product ({@link matmul}, {@link matmulTransA},
 * {@link matmulTransB} on the WebAssembly kernel, at least {@link PARALLEL_MATMUL_MIN_FLOPS} flops): 1 (the calling
 * thread) or 2 (the calling thread and one helper thread on shared memory).
 *
 * @remarks
 * The default is 2 in Node on the main thread with at least 2 cores, 1 elsewhere: in a browser, and inside worker
 * threads — among them the task pools' workers of `gridStudy` and `lrSweep`, so threads never nest. The helper
 * thread is started on the first product above the threshold, never keeps the process alive, and shares a second
 * WebAssembly memory (grown, like the first, to the largest product, at most 1 GiB) with the calling thread.
 * The calling thread packs op(A), op(B) and C once; then both threads take blocks of rows of C in turn, each
 * computing every inner-dimension block of its rows in the one-thread order, so results are bit-identical for 1 and
 * 2 threads, whatever the timing. Products below the threshold, under the `'js'` backend, or with m ≤ 4 run on the
 * calling thread. Cost: a wake-up of the helper (microseconds) per product above the threshold; no allocation.
 *
 * @param count - 1 or 2.
 * @throws EosLabError `E_BAD_OPTION` if `count` is not 1 or 2 (`E_NONFINITE` if it is NaN or infinite); `E_NOT_SUPPORTED` for 2 where no helper thread can
 *   run (a browser, a worker thread, one core, no SharedArrayBuffer or no WebAssembly SIMD).
 * @example
 * ```ts
 * import { matmulThreads, setMatmulThreads } from 'eos-lab';
 * const before = matmulThreads();
 * setMatmulThreads(1); // every product on the calling thread
 * console.log(matmulThreads()); // 1
 * setMatmulThreads(before);
 * ```
 * @since 0.2.0
 */
export function setMatmulThreads(count: 1 | 2): void {
  const fn = 'setMatmulThreads';
  const value = integerInRange(fn, 'count', count, 1, 2) as 1 | 2;
  if (value === 2 && !(gemmHelperPossible() && wasmGemmAvailable() && sharedGemmKernelAvailable())) {
    throw new EosLabError('E_NOT_SUPPORTED', fn, {
      argument: 'count',
      value,
      expected: '1 (no helper thread here: a browser, a worker thread, one core, or no SharedArrayBuffer or WebAssembly SIMD)',
    });
  }
  threads = value;
}

/**
 * Threads of the large matrix products of the calling thread (see {@link setMatmulThreads}).
 *
 * @returns 1 or 2.
 * @example
 * ```ts
 * import { matmulThreads } from 'eos-lab';
 * console.log(matmulThreads()); // 2 on the main thread of Node with 2 or more cores, 1 elsewhere
 * ```
 * @since 0.2.0
 */
export function matmulThreads(): 1 | 2 {
  return currentThreads();
}

/**
 * Under the `'auto'` backend, a product C (m × n) ← op(A) (m × k) · op(B) (k × n) runs on the WebAssembly kernel
 * when its arithmetic intensity mnk / (mn + nk + km) — multiply-adds per element copied into and out of the
 * kernel's memory — is at least 2, that is when 1/m + 1/n + 1/k ≤ 1/2: for example 6 × 6 × 6 and larger cubes, or 200 × 200 × 3;
 * never when a dimension is 1 or 2 (matrix-vector products and the like). Below it, copying the operands costs
 * more than the SIMD kernel saves (measured with `npm run bench`, bench/gemm.bench.ts, second table).
 *
 * @since 0.2.0
 */
export const WASM_MATMUL_MIN_INTENSITY = 2;

let backend: MatmulBackend = 'auto';
/** Cached `backend !== 'js' && wasmGemmAvailable()` (the SIMD kernel is loaded at most once). */
let wasmOn: boolean | undefined;

/** Whether a product of these sizes runs on the WebAssembly kernel under the current backend. @internal */
export function useWasm(m: number, n: number, k: number): boolean {
  if (m === 0 || n === 0 || k === 0) return false; // C ← β·C: nothing for the kernel to do
  if (wasmOn === undefined) wasmOn = backend !== 'js' && wasmGemmAvailable();
  if (!wasmOn) return false;
  // 1/m + 1/n + 1/k ≤ 1/2, written without division: 2·(nk + mk + mn) ≤ mnk.
  return backend === 'wasm' || WASM_MATMUL_MIN_INTENSITY * (n * k + m * k + m * n) <= m * n * k;
}

/**
 * Chooses the kernels of {@link matmul}, {@link matmulTransA} and {@link matmulTransB} for the calling thread
 * (each worker thread has its own choice and starts at `'auto'`).
 *
 * @remarks
 * Both backends give bit-identical results (same inner-dimension blocks, same left-to-right order within a block,
 * no fused multiply-add), so the choice changes speed only. Use it to benchmark one against the other, or to keep
 * WebAssembly out of a process. `'wasm'` runs every product with m, n, k ≥ 1 on the WebAssembly kernel, even
 * those below {@link WASM_MATMUL_MIN_INTENSITY}. The kernel's memory grows to the largest product seen (packed
 * op(A), op(B) and C, at most 128 MiB; larger products are done in blocks of rows of C) and is kept for reuse.
 *
 * @param choice - `'auto'`, `'js'` or `'wasm'`.
 * @throws EosLabError `E_BAD_OPTION` if `choice` is not one of these; `E_NOT_SUPPORTED` for `'wasm'` where the
 *   engine has no WebAssembly SIMD.
 * @example
 * ```ts
 * import { matmul, setMatmulBackend, matmulBackend } from 'eos-lab';
 * const a = new Float64Array([1, 2, 3, 4]);
 * setMatmulBackend('js');
 * const c = matmul(2, 2, 2, a, 0, 2, a, 0, 2, 0, new Float64Array(4), 0, 2); // [7, 10, 15, 22]
 * setMatmulBackend('auto');
 * console.log(matmulBackend().backend); // auto
 * ```
 * @since 0.2.0
 */
export function setMatmulBackend(choice: MatmulBackend): void {
  const fn = 'setMatmulBackend';
  const value = oneOf(fn, 'choice', choice, ['auto', 'js', 'wasm'] as const);
  if (value === 'wasm' && !wasmGemmAvailable()) {
    throw new EosLabError('E_NOT_SUPPORTED', fn, {
      argument: 'choice',
      value,
      expected: "'auto' or 'js' (this JavaScript engine has no WebAssembly SIMD)",
    });
  }
  backend = value;
  wasmOn = undefined;
}

/**
 * The matrix-product backend of the calling thread and whether WebAssembly SIMD is available.
 *
 * @returns `{ backend, wasmSimd, minIntensity, threads, parallelMinFlops, helperReady }`.
 * @example
 * ```ts
 * import { matmulBackend } from 'eos-lab';
 * const info = matmulBackend();
 * console.log(info.backend, info.wasmSimd); // auto true (on Node ≥ 20)
 * ```
 * @since 0.2.0
 */
export function matmulBackend(): MatmulBackendInfo {
  return {
    backend,
    wasmSimd: wasmGemmAvailable(),
    minIntensity: WASM_MATMUL_MIN_INTENSITY,
    threads: currentThreads(),
    parallelMinFlops: PARALLEL_MATMUL_MIN_FLOPS,
    helperReady: gemmHelperReady(),
  };
}

/**
 * Matrix product C ← A·B + β·C with A of size m × k, B of size k × n and C of size m × n, all row-major with
 * offsets and leading dimensions (C[i, j] = c[cOffset + i·ldc + j], likewise A and B).
 *
 * C_ij ← Σ_{p<k} A_ip B_pj + β C_ij.
 *
 * @remarks
 * Kernel: no validation; no buffer allocated after the first large call (the WebAssembly memory is then reused). The
 * inner dimension is processed in blocks of 128; within a block, each entry's sum runs left to right in p from 0
 * and is then added to C. This order is fixed and shared by both backends ({@link setMatmulBackend}), so results
 * are bit-for-bit reproducible and independent of the backend, though they differ in the last bits from a plain
 * left-to-right dot product when k > 128. β = 0 overwrites C without reading it; β = 1 accumulates. `c` must not
 * overlap `a` or `b`. Cost: 2mnk flops; the WebAssembly SIMD kernel (products above
 * {@link WASM_MATMUL_MIN_INTENSITY}) ran a 200 × 200 · 200 × 1000 product 5.0× as fast as the JavaScript loops
 * (median of interleaved rounds, spread 3.9–7.2×, on a loaded machine; `npm run bench` prints the ratio, its spread
 * and the load: bench/gemm.bench.ts). From {@link PARALLEL_MATMUL_MIN_FLOPS} flops the product runs on two threads
 * in Node (see {@link setMatmulThreads}; same bits).
 *
 * @param m - rows of A and C.
 * @param n - columns of B and C.
 * @param k - columns of A = rows of B (k = 0 gives C ← β·C).
 * @param a - storage of A.
 * @param aOffset - index of A[0, 0] in `a`.
 * @param lda - leading dimension of A (≥ k).
 * @param b - storage of B.
 * @param bOffset - index of B[0, 0] in `b`.
 * @param ldb - leading dimension of B (≥ n).
 * @param beta - β: 0 overwrites C, 1 accumulates into it.
 * @param c - storage of C (written).
 * @param cOffset - index of C[0, 0] in `c`.
 * @param ldc - leading dimension of C (≥ n).
 * @returns `c`.
 * @example
 * ```ts
 * import { matmul } from 'eos-lab';
 * const a = new Float64Array([1, 2, 3, 4]); // [[1, 2], [3, 4]]
 * const b = new Float64Array([5, 6, 7, 8]); // [[5, 6], [7, 8]]
 * const c = matmul(2, 2, 2, a, 0, 2, b, 0, 2, 0, new Float64Array(4), 0, 2); // [19, 22, 43, 50]
 * ```
 * @since 0.1.0
 */
export function matmul(
  m: number,
  n: number,
  k: number,
  a: Float64Array,
  aOffset: number,
  lda: number,
  b: Float64Array,
  bOffset: number,
  ldb: number,
  beta: number,
  c: Float64Array,
  cOffset: number,
  ldc: number,
): Float64Array {
  if (useWasm(m, n, k)) return wasmGemm('NN', m, n, k, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc, gemmThreads(m, n, k));
  return matmulJs(m, n, k, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc);
}

/**
 * Matrix product with the first factor transposed, C ← Aᵀ·B + β·C, with A stored k × m, B stored k × n and
 * C of size m × n (row-major, offsets and leading dimensions as in {@link matmul}).
 *
 * C_ij ← Σ_{p<k} A_pi B_pj + β C_ij.
 *
 * @remarks
 * The backpropagation product ∇W = δᵀ·A (a sum over examples) has this form. Kernel: no validation; no buffer
 * allocated after the first large call; blocks of 128 in p, each entry's block sum left to right from 0, the
 * same on both backends (bit-identical results, see {@link setMatmulBackend}). β = 0 overwrites C without reading
 * it. `c` must not overlap `a` or `b`. Cost: 2mnk flops, on two threads from {@link PARALLEL_MATMUL_MIN_FLOPS} flops (see
 * {@link setMatmulThreads}; same bits).
 *
 * @param m - columns of A = rows of C.
 * @param n - columns of B and C.
 * @param k - rows of A and of B (the summed dimension).
 * @param a - storage of A (k × m).
 * @param aOffset - index of A[0, 0] in `a`.
 * @param lda - leading dimension of A (≥ m).
 * @param b - storage of B (k × n).
 * @param bOffset - index of B[0, 0] in `b`.
 * @param ldb - leading dimension of B (≥ n).
 * @param beta - β: 0 overwrites C, 1 accumulates into it.
 * @param c - storage of C (written).
 * @param cOffset - index of C[0, 0] in `c`.
 * @param ldc - leading dimension of C (≥ n).
 * @returns `c`.
 * @example
 * ```ts
 * import { matmulTransA } from 'eos-lab';
 * const a = new Float64Array([1, 2, 3, 4]); // A = [[1, 2], [3, 4]], Aᵀ = [[1, 3], [2, 4]]
 * const b = new Float64Array([5, 6, 7, 8]);
 * const c = matmulTransA(2, 2, 2, a, 0, 2, b, 0, 2, 0, new Float64Array(4), 0, 2); // [26, 30, 38, 44]
 * ```
 * @since 0.1.0
 */
export function matmulTransA(
  m: number,
  n: number,
  k: number,
  a: Float64Array,
  aOffset: number,
  lda: number,
  b: Float64Array,
  bOffset: number,
  ldb: number,
  beta: number,
  c: Float64Array,
  cOffset: number,
  ldc: number,
): Float64Array {
  if (useWasm(m, n, k)) return wasmGemm('TN', m, n, k, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc, gemmThreads(m, n, k));
  return matmulTransAJs(m, n, k, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc);
}

/**
 * Matrix product with the second factor transposed, C ← A·Bᵀ + β·C, with A stored m × k, B stored n × k and
 * C of size m × n (row-major, offsets and leading dimensions as in {@link matmul}).
 *
 * C_ij ← Σ_{p<k} A_ip B_jp + β C_ij.
 *
 * @remarks
 * A layer's pre-activations Z = A·Wᵀ (examples as rows of A, W stored [out, in]) have this form. Kernel: no
 * validation; no allocation after the first large call; blocks of 256 in p, each entry's block sum left to right
 * from 0, the same on both backends (bit-identical results, see {@link setMatmulBackend}). β = 0 overwrites C
 * without reading it. `c` must not overlap `a` or `b`. Cost: 2mnk flops, on two threads from
 * {@link PARALLEL_MATMUL_MIN_FLOPS} flops (see {@link setMatmulThreads}; same bits).
 *
 * @param m - rows of A and C.
 * @param n - rows of B = columns of C.
 * @param k - columns of A and of B (the summed dimension).
 * @param a - storage of A (m × k).
 * @param aOffset - index of A[0, 0] in `a`.
 * @param lda - leading dimension of A (≥ k).
 * @param b - storage of B (n × k).
 * @param bOffset - index of B[0, 0] in `b`.
 * @param ldb - leading dimension of B (≥ k).
 * @param beta - β: 0 overwrites C, 1 accumulates into it.
 * @param c - storage of C (written).
 * @param cOffset - index of C[0, 0] in `c`.
 * @param ldc - leading dimension of C (≥ n).
 * @returns `c`.
 * @example
 * ```ts
 * import { matmulTransB } from 'eos-lab';
 * const a = new Float64Array([1, 2, 3, 4]); // A = [[1, 2], [3, 4]]
 * const b = new Float64Array([5, 6, 7, 8]); // B = [[5, 6], [7, 8]], Bᵀ = [[5, 7], [6, 8]]
 * const c = matmulTransB(2, 2, 2, a, 0, 2, b, 0, 2, 0, new Float64Array(4), 0, 2); // [17, 23, 39, 53]
 * ```
 * @since 0.1.0
 */
export function matmulTransB(
  m: number,
  n: number,
  k: number,
  a: Float64Array,
  aOffset: number,
  lda: number,
  b: Float64Array,
  bOffset: number,
  ldb: number,
  beta: number,
  c: Float64Array,
  cOffset: number,
  ldc: number,
): Float64Array {
  if (useWasm(m, n, k)) return wasmGemm('NT', m, n, k, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc, gemmThreads(m, n, k));
  return matmulTransBJs(m, n, k, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc);
}
