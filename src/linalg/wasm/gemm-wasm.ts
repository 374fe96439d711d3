/**
 * The WebAssembly SIMD backend of the matrix products: loads the f64x2 kernel of `gemm.wat` (assembled at build
 * time into `gemm-wasm-bytes.ts`) synchronously, packs op(A) and op(B) into its linear memory, runs it and copies
 * C back.
 *
 * Each operand's span is copied into wasm memory with one memcpy (`TypedArray.set`; element-wise copies between
 * JavaScript and wasm memory are several times slower), then packed by the module's `pack`: op(A) in panels of
 * 4 rows and op(B) in panels of 4 columns, each panel ordered by the inner index p (so transposition costs nothing
 * extra and one micro-kernel serves all three products). C goes in and out the same way through `copyBlock`. The
 * memory grows to the largest product seen and is reused: after warm-up a call allocates no buffer (only the
 * small typed-array views of sub-spans that `set` needs). Products whose working set would exceed
 * {@link MAX_WASM_DOUBLES} are cut into blocks of rows of C, which changes no result (rows of C are independent);
 * if the memory cannot grow (32-bit memories end at 4 GiB), the JavaScript kernel does the product.
 *
 * Results equal the JavaScript kernels' bit for bit: same inner-dimension blocks, same left-to-right order within
 * a block, no fused multiply-add (see the header of `gemm.wat`).
 *
 * Two threads: products the caller marks for it (`threads` = 2, see `setMatmulThreads` in `../gemm.ts`) run on a
 * second instance of the same kernel, assembled on an imported shared memory (`gemm-shared-wasm-bytes.ts`), which a
 * helper worker thread (started by `#platform/gemm-helper`, Node only) instantiates on the same memory. This thread
 * copies and packs everything, then both threads claim chunks of A panels (gemm-parallel-protocol.ts); results are
 * the same bits as on one thread. If the helper failed (which valid offsets never cause), the block is redone here.
 *
 * @module
 * @internal
 */
import { gemmHelperPossible, startGemmHelper } from '#platform/gemm-helper';
import { KC_CONTIGUOUS, KC_STRIDED, matmulJs, matmulTransAJs, matmulTransBJs } from '../gemm-js.js';
import { closeClaims, CTL, MAX_CHUNKS, openClaims, runClaims } from './gemm-parallel-protocol.js';
import { GEMM_SHARED_WASM_BYTES } from './gemm-shared-wasm-bytes.js';
import { GEMM_WASM_BYTES } from './gemm-wasm-bytes.js';

/** Which product: C ← A·B (`'NN'`), Aᵀ·B (`'TN'`) or A·Bᵀ (`'NT'`). @internal */
export type GemmKind = 'NN' | 'TN' | 'NT';

/** The JavaScript kernels, for products too large for wasm memory. */
const JS_KERNELS = { NN: matmulJs, TN: matmulTransAJs, NT: matmulTransBJs };

/** Rows of an A panel and columns of a B panel (the register tile is 4 × 4). */
const PANEL = 4;
/** A panels per L2 block in `gemm.wat`: 32 panels = 128 rows of op(A), 128·256·8 B = 256 KiB at kc = 256. */
const MC_PANELS = 32;
/**
 * Largest working set (packed A and B, padded C and the staging copies of the operands, in doubles) kept in wasm
 * memory: 2²⁴ doubles = 128 MiB. Larger products are done in blocks of rows of C. @internal
 */
export const MAX_WASM_DOUBLES = 1 << 24;
/** The working-set limit in force ({@link MAX_WASM_DOUBLES} except in tests of the row blocks). */
let maxDoubles = MAX_WASM_DOUBLES;

/** Sets the working-set limit (tests use a small one to exercise the row blocks); returns the previous one. @internal */
export function setWasmWorkingSetLimit(doubles: number): number {
  const previous = maxDoubles;
  maxDoubles = doubles;
  return previous;
}

/** Bytes of wasm memory in use by the kernel (0 before it is loaded); constant once the largest product ran. @internal */
export function wasmGemmMemoryBytes(): number {
  return kernel ? kernel.memory.buffer.byteLength : 0;
}

const WASM_PAGE_BYTES = 65536;

/**
 * The part of the WebAssembly JavaScript API used here, typed locally: the project compiles against the ES2022
 * library without the DOM library, which is where TypeScript declares `WebAssembly`.
 */
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Memory: new (descriptor: { initial: number; maximum: number; shared: boolean }) => WasmMemory;
  Instance: new (module: object, imports: object) => { readonly exports: Record<string, unknown> };
}

/** A WebAssembly.Memory: its current buffer and `grow(pages)`. */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

interface Kernel {
  readonly memory: WasmMemory;
  readonly gemm: (
    mPanels: number,
    nPanels: number,
    k: number,
    kc: number,
    mcPanels: number,
    aPack: number,
    bPack: number,
    c: number,
    ldc: number,
  ) => void;
  /** Packs 4-row panels of f64 at src + i·rowStride + p·innerStride (bytes) into dst (see gemm.wat). */
  readonly pack: (src: number, rowStride: number, innerStride: number, count: number, k: number, dst: number) => void;
  /** dst[i·dstLd + j] ← β·src[i·srcLd + j], i < rows, j < cols (byte addresses, element leading dimensions). */
  readonly copyBlock: (src: number, srcLd: number, dst: number, dstLd: number, rows: number, cols: number, beta: number) => void;
  /** A view of the whole memory, replaced whenever the memory grows. */
  heap: Float64Array;
  /** The two-thread kernel's control block (see gemm-parallel-protocol.ts); absent on the one-thread kernel. */
  readonly control?: Int32Array;
}

/** undefined: not tried yet; null: WebAssembly or its SIMD proposal is absent here. */
let kernel: Kernel | null | undefined;

function load(): Kernel | null {
  const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  if (typeof api !== 'object' || typeof api.validate !== 'function') return null;
  try {
    // validate is false where the engine lacks SIMD (the module uses v128): the JavaScript kernels take over.
    if (!api.validate(GEMM_WASM_BYTES)) return null;
    // Synchronous compilation: the module is small (< 1 KiB), below every engine's limit for the main thread.
    const instance = new api.Instance(new api.Module(GEMM_WASM_BYTES), {});
    const memory = instance.exports.memory as WasmMemory;
    const gemm = instance.exports.gemm as Kernel['gemm'];
    const pack = instance.exports.pack as Kernel['pack'];
    const copyBlock = instance.exports.copyBlock as Kernel['copyBlock'];
    return { memory, gemm, pack, copyBlock, heap: new Float64Array(memory.buffer) };
  } catch {
    return null;
  }
}

function getKernel(): Kernel | null {
  if (kernel === undefined) kernel = load();
  return kernel;
}

/**
 * Pages of the shared memory's declared maximum (1 GiB; scripts/build-wasm.ts declares the same in the module,
 * which test/linalg/wasm-source.test.ts checks).
 */
export const SHARED_MAX_PAGES = 16384;

/** The two-thread kernel: undefined: not tried yet; null: unavailable here (no helper thread possible, or it failed). */
let sharedKernel: Kernel | null | undefined;
/** Jobs published to the helper so far. */
let jobSeq = 0;
/** Counts of the two-thread products: jobs, chunks, chunks the calling thread computed itself. */
const stats = { jobs: 0, chunks: 0, callerChunks: 0 };

/** The calling thread's after-chunk callback: none (made once, so that a product allocates nothing). */
const NOTHING = (): void => {};

/** Whether the calling thread claims chunks too (tests turn it off to make the helper compute every chunk). */
let callerClaims = true;

/** Sets whether the calling thread claims chunks of two-thread products; returns the previous setting. @internal */
export function setCallerClaims(on: boolean): boolean {
  const previous = callerClaims;
  callerClaims = on;
  return previous;
}

/**
 * Two-thread products so far: jobs, their chunks, and the chunks the calling thread computed (the rest were the
 * helper's). For benches and tests of the split; timing decides it. @internal
 */
export function parallelGemmStats(): { jobs: number; chunks: number; callerChunks: number } {
  return { ...stats };
}

function loadShared(): Kernel | null {
  const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  if (getKernel() === null || api === undefined || !gemmHelperPossible()) return null;
  try {
    if (!api.validate(GEMM_SHARED_WASM_BYTES)) return null;
    const module = new api.Module(GEMM_SHARED_WASM_BYTES);
    const memory = new api.Memory({ initial: 1, maximum: SHARED_MAX_PAGES, shared: true });
    const instance = new api.Instance(module, { env: { memory } });
    const control = new SharedArrayBuffer(CTL.WORDS * 4);
    const ctl = new Int32Array(control);
    Atomics.store(ctl, CTL.CLAIM, -1);
    if (!startGemmHelper(module, memory, control)) return null;
    const gemm = instance.exports.gemm as Kernel['gemm'];
    const pack = instance.exports.pack as Kernel['pack'];
    const copyBlock = instance.exports.copyBlock as Kernel['copyBlock'];
    return { memory, gemm, pack, copyBlock, heap: new Float64Array(memory.buffer), control: ctl };
  } catch {
    return null;
  }
}

/** The two-thread kernel (started, with its helper thread, on first call), or null where there is none. @internal */
export function sharedGemmKernelAvailable(): boolean {
  if (sharedKernel === undefined) sharedKernel = loadShared();
  return sharedKernel !== null;
}

/** Whether the helper thread has started and waits for jobs (false before the first two-thread product). @internal */
export function gemmHelperReady(): boolean {
  const ctl = sharedKernel ? sharedKernel.control : undefined;
  return ctl !== undefined && Atomics.load(ctl, CTL.READY) === 1;
}

/** Chunks (of A panels) per job: about 8, at most {@link MC_PANELS} panels each. */
function chunkPanels(mPanels: number): number {
  return Math.max(1, Math.min(MC_PANELS, Math.ceil(mPanels / 8)), Math.ceil(mPanels / (MAX_CHUNKS - 1)));
}

/**
 * The kernel's gemm on two threads: publishes the job, claims chunks alongside the helper, waits for the chunks
 * the helper claimed. Returns false if the helper failed (the caller then redoes the block on this thread).
 */
function gemmTwoThreads(
  kern: Kernel,
  ctl: Int32Array,
  aSrc: number,
  aRowStride: number,
  aInnerStride: number,
  rows: number,
  nPanels: number,
  k: number,
  kc: number,
  a: number,
  b: number,
  c: number,
  ldc: number,
): boolean {
  const mPanels = Math.ceil(rows / PANEL);
  const chunk = chunkPanels(mPanels);
  const nChunks = Math.ceil(mPanels / chunk);
  // Job numbers cycle through 1 … 2¹⁹ − 1 (the claim word's tag); the helper only needs each to differ from the last.
  jobSeq = jobSeq >= 0x7ffff ? 1 : jobSeq + 1;
  const seq = jobSeq;
  Atomics.store(ctl, CTL.M_PANELS, mPanels);
  Atomics.store(ctl, CTL.N_PANELS, nPanels);
  Atomics.store(ctl, CTL.K, k);
  Atomics.store(ctl, CTL.KC, kc);
  Atomics.store(ctl, CTL.MC_PANELS, MC_PANELS);
  Atomics.store(ctl, CTL.A_PACK, a);
  Atomics.store(ctl, CTL.B_PACK, b);
  Atomics.store(ctl, CTL.C, c);
  Atomics.store(ctl, CTL.LDC, ldc);
  Atomics.store(ctl, CTL.CHUNK_PANELS, chunk);
  Atomics.store(ctl, CTL.N_CHUNKS, nChunks);
  Atomics.store(ctl, CTL.A_SRC, aSrc);
  Atomics.store(ctl, CTL.A_ROW_STRIDE, aRowStride);
  Atomics.store(ctl, CTL.A_INNER_STRIDE, aInnerStride);
  Atomics.store(ctl, CTL.ROWS, rows);
  Atomics.store(ctl, CTL.FAILED, 0);
  openClaims(ctl, seq);
  Atomics.store(ctl, CTL.SEQ, seq);
  Atomics.notify(ctl, CTL.SEQ);
  stats.jobs++;
  stats.chunks += nChunks;
  if (callerClaims) stats.callerChunks += runClaims(ctl, seq, kern.gemm, kern.pack, NOTHING);
  // Wait for the chunks the helper claimed (no claim is left: runClaims returned).
  for (let done = Atomics.load(ctl, CTL.DONE); done < nChunks; done = Atomics.load(ctl, CTL.DONE)) {
    Atomics.wait(ctl, CTL.DONE, done, 50);
  }
  closeClaims(ctl);
  return Atomics.load(ctl, CTL.FAILED) === 0;
}

/** True when this engine runs the SIMD kernel (loads it on first call). @internal */
export function wasmGemmAvailable(): boolean {
  return getKernel() !== null;
}

/**
 * Grows the memory to hold at least `doubles` float64 values; returns the (possibly new) view, or null when the
 * memory cannot grow that far (32-bit WebAssembly memories stop at 4 GiB, engines may stop earlier).
 */
function reserve(k: Kernel, doubles: number): Float64Array | null {
  const bytes = doubles * 8;
  const have = k.memory.buffer.byteLength;
  if (bytes > have) {
    try {
      k.memory.grow(Math.ceil((bytes - have) / WASM_PAGE_BYTES));
    } catch {
      return null;
    }
    k.heap = new Float64Array(k.memory.buffer);
  }
  return k.heap;
}

/**
 * heap[at …] ← x[from … to): one memcpy (TypedArray.set). A view of x is made only when the span is not all of x;
 * element-wise copies between JavaScript and wasm memory are several times slower than set.
 */
function copyIn(heap: Float64Array, at: number, x: Float64Array, from: number, to: number): void {
  heap.set(from === 0 && to === x.length ? x : x.subarray(from, to), at);
}

/**
 * C ← op(A)·op(B) + β·C on the SIMD kernel, with the storage conventions of the public functions in
 * `../gemm.ts` (row-major, offsets, leading dimensions). Requires {@link wasmGemmAvailable}, m, n, k ≥ 1.
 * @internal
 */
export function wasmGemm(
  kind: GemmKind,
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
  threads: 1 | 2 = 1,
): Float64Array {
  if (threads === 2 && m > PANEL && sharedGemmKernelAvailable()) {
    if (gemmOn(sharedKernel as Kernel, kind, m, n, k, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc)) return c;
  }
  const kern = getKernel();
  if (kern === null) throw new Error('wasmGemm: the WebAssembly SIMD kernel is not available');
  if (!gemmOn(kern, kind, m, n, k, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc)) {
    JS_KERNELS[kind](m, n, k, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc);
  }
  return c;
}

/**
 * The product on kernel `kern` (on two threads if it is the shared one); false, with `c` untouched, if its memory
 * cannot hold the product.
 */
function gemmOn(
  kern: Kernel,
  kind: GemmKind,
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
): boolean {
  // op(A)(i, p) = a[aOffset + i·aRow + p·aInner]; op(B)(p, j) = b[bOffset + j·bCol + p·bInner].
  const aRow = kind === 'TN' ? 1 : lda;
  const aInner = kind === 'TN' ? lda : 1;
  const bCol = kind === 'NT' ? ldb : 1;
  const bInner = kind === 'NT' ? 1 : ldb;
  // The JavaScript kernels' inner blocks, so that the sums (and so the results) are the same.
  const kc = kind === 'NT' ? KC_CONTIGUOUS : KC_STRIDED;

  const nPanels = Math.ceil(n / PANEL);
  const ldw = nPanels * PANEL; // C's leading dimension in wasm memory
  const bDoubles = nPanels * PANEL * k;
  // Rows of C per block: all of them unless the working set would pass the limit. Per row of C: its packed A row,
  // its padded C row and its staging spans (at most one row of A and one of C, in the caller's layout).
  const perRow = 2 * k + ldw + Math.max(kind === 'TN' ? 0 : lda, ldc);
  const bSpan = kind === 'NT' ? (n - 1) * ldb + k : (k - 1) * ldb + n; // B in the caller's layout
  const fit = Math.floor((maxDoubles - bDoubles - bSpan) / perRow / PANEL) * PANEL;
  const rowsPerBlock = Math.min(Math.ceil(m / PANEL) * PANEL, Math.max(PANEL, fit));
  const aSpanMax = kind === 'TN' ? (k - 1) * lda + m : (rowsPerBlock - 1) * lda + k;
  const cSpanMax = (rowsPerBlock - 1) * ldc + n;

  // Layout (doubles): packed B | packed A | padded C | staging (operands in the caller's layout, before packing).
  const bBase = 0;
  const aBase = bDoubles;
  const cBase = aBase + rowsPerBlock * k;
  const stage = cBase + rowsPerBlock * ldw;
  // On two threads, op(A) is packed chunk by chunk while C is prepared, so C gets its own staging span after A's.
  const twoThreads = kern.control !== undefined;
  const cStage = twoThreads ? stage + Math.max(bSpan, aSpanMax) : stage;
  const heap = reserve(kern, cStage + (twoThreads ? cSpanMax : Math.max(bSpan, aSpanMax, cSpanMax)));
  // Operands too large for this memory even in blocks of rows (op(B) alone past the engine's limit).
  if (heap === null) return false;

  copyIn(heap, stage, b, bOffset, bOffset + bSpan);
  kern.pack(stage * 8, bCol * 8, bInner * 8, n, k, bBase * 8);

  for (let i0 = 0; i0 < m; i0 += rowsPerBlock) {
    const rows = Math.min(rowsPerBlock, m - i0);
    const mPanels = Math.ceil(rows / PANEL);
    // op(A) rows i0 … i0 + rows: for 'TN' (A stored k × m) the span covers all k rows of A, columns from i0.
    const aStart = aOffset + i0 * aRow;
    const aSpan = kind === 'TN' ? (k - 1) * lda + rows : (rows - 1) * lda + k;
    copyIn(heap, stage, a, aStart, aStart + aSpan);
    const shared = twoThreads && mPanels >= 2; // two threads for this block: they pack op(A) themselves
    if (!shared) kern.pack(stage * 8, aRow * 8, aInner * 8, rows, k, aBase * 8);

    // C in: β·C (β = 0: zeros, C not read); the padding rows and columns are zeros, so that they never hold slow
    // subnormals or NaN. When C's rows are as long as the kernel's (ldc = n = ldw) it is copied in and out in place.
    const cStart = cOffset + i0 * ldc;
    const cSpan = (rows - 1) * ldc + n;
    const inPlace = ldc === n && n === ldw;
    // Two attempts at most: on two threads, then (if the helper failed, which valid offsets never cause) alone.
    for (let attempt = 0; ; attempt++) {
      if (inPlace) {
        if (beta === 0) heap.fill(0, cBase, cBase + mPanels * PANEL * ldw);
        else {
          copyIn(heap, cBase, c, cStart, cStart + cSpan);
          if (beta !== 1) kern.copyBlock(cBase * 8, ldw, cBase * 8, ldw, rows, n, beta);
          heap.fill(0, cBase + rows * ldw, cBase + mPanels * PANEL * ldw);
        }
      } else {
        heap.fill(0, cBase, cBase + mPanels * PANEL * ldw);
        if (beta !== 0 || ldc !== n) copyIn(heap, cStage, c, cStart, cStart + cSpan);
        if (beta !== 0) kern.copyBlock(cStage * 8, ldc, cBase * 8, ldw, rows, n, beta);
      }

      if (!shared || attempt > 0) {
        if (shared) kern.pack(stage * 8, aRow * 8, aInner * 8, rows, k, aBase * 8); // after a failed attempt
        kern.gemm(mPanels, nPanels, k, kc, MC_PANELS, aBase * 8, bBase * 8, cBase * 8, ldw);
        break;
      }
      const ctl = kern.control as Int32Array;
      if (gemmTwoThreads(kern, ctl, stage * 8, aRow * 8, aInner * 8, rows, nPanels, k, kc, aBase * 8, bBase * 8, cBase * 8, ldw)) break;
    }

    // C out: one memcpy back, from the kernel's block (in place) or from the staging copy of C's span (whose gaps
    // between rows, when ldc > n, hold C's own values).
    if (inPlace) c.set(heap.subarray(cBase, cBase + cSpan), cStart);
    else {
      kern.copyBlock(cBase * 8, ldw, cStage * 8, ldc, rows, n, 1);
      c.set(heap.subarray(cStage, cStage + cSpan), cStart);
    }
  }
  return true;
}
