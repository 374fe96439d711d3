/**
 * The WebAssembly SIMD backend of the matrix products: loads the f64x2 kernel of `gemm.wat` (assembled at build
 * time into `gemm-wasm-bytes.ts`) synchronously, packs op(A) and op(B) into its linear memory, runs it and copies
 * C back.
 *
 * Packing is the copy into wasm memory: op(A) goes in panels of 4 rows and op(B) in panels of 4 columns, each
 * panel ordered by the inner index p (so transposition costs nothing extra and one micro-kernel serves all three
 * products). The memory grows to the largest product seen and is reused: after warm-up a call allocates nothing.
 * Products whose packed operands would exceed {@link MAX_WASM_DOUBLES} are cut into blocks of rows of C, which
 * changes no result (rows of C are independent).
 *
 * Results equal the JavaScript kernels' bit for bit: same inner-dimension blocks, same left-to-right order within
 * a block, no fused multiply-add (see the header of `gemm.wat`).
 *
 * @module
 * @internal
 */
import { KC_CONTIGUOUS, KC_STRIDED } from '../gemm-js.js';
import { GEMM_WASM_BYTES } from './gemm-wasm-bytes.js';

/** Which product: C ← A·B (`'NN'`), Aᵀ·B (`'TN'`) or A·Bᵀ (`'NT'`). @internal */
export type GemmKind = 'NN' | 'TN' | 'NT';

/** Rows of an A panel and columns of a B panel (the register tile is 4 × 4). */
const PANEL = 4;
/** A panels per L2 block in `gemm.wat`: 32 panels = 128 rows of op(A), 128·256·8 B = 256 KiB at kc = 256. */
const MC_PANELS = 32;
/**
 * Largest working set (packed A + packed B + C, in doubles) kept in wasm memory: 2²⁴ doubles = 128 MiB. Larger
 * products are done in blocks of rows of C. @internal
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
  /** A view of the whole memory, replaced whenever the memory grows. */
  heap: Float64Array;
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
    return { memory, gemm, heap: new Float64Array(memory.buffer) };
  } catch {
    return null;
  }
}

function getKernel(): Kernel | null {
  if (kernel === undefined) kernel = load();
  return kernel;
}

/** True when this engine runs the SIMD kernel (loads it on first call). @internal */
export function wasmGemmAvailable(): boolean {
  return getKernel() !== null;
}

/** Grows the memory to hold at least `doubles` float64 values; returns the (possibly new) view. */
function reserve(k: Kernel, doubles: number): Float64Array {
  const bytes = doubles * 8;
  const have = k.memory.buffer.byteLength;
  if (bytes > have) {
    k.memory.grow(Math.ceil((bytes - have) / WASM_PAGE_BYTES));
    k.heap = new Float64Array(k.memory.buffer);
  }
  return k.heap;
}

/**
 * Packs `count` rows of the matrix M(i, p) = src[offset + i·rowStride + p·innerStride] (i < count, p < k) into
 * panels of 4 rows, each panel p-major: dst[dstOffset + (i/4)·4k + 4p + i%4]. Missing rows of the last panel are
 * zeros.
 */
function packPanels(
  src: Float64Array,
  offset: number,
  rowStride: number,
  innerStride: number,
  count: number,
  k: number,
  dst: Float64Array,
  dstOffset: number,
): void {
  let d = dstOffset;
  let i = 0;
  for (; i + PANEL <= count; i += PANEL) {
    let s0 = offset + i * rowStride;
    let s1 = s0 + rowStride;
    let s2 = s1 + rowStride;
    let s3 = s2 + rowStride;
    for (let p = 0; p < k; p++, d += PANEL) {
      dst[d] = src[s0];
      dst[d + 1] = src[s1];
      dst[d + 2] = src[s2];
      dst[d + 3] = src[s3];
      s0 += innerStride;
      s1 += innerStride;
      s2 += innerStride;
      s3 += innerStride;
    }
  }
  const rest = count - i;
  if (rest > 0) {
    const s = offset + i * rowStride;
    for (let p = 0; p < k; p++, d += PANEL) {
      for (let r = 0; r < PANEL; r++) dst[d + r] = r < rest ? src[s + r * rowStride + p * innerStride] : 0;
    }
  }
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
): Float64Array {
  const kern = getKernel();
  if (kern === null) throw new Error('wasmGemm: the WebAssembly SIMD kernel is not available');
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
  // Rows of C per block: all of them unless the working set would pass MAX_WASM_DOUBLES.
  const perRow = k + ldw; // packed A and C doubles per row of C
  const fit = Math.floor((maxDoubles - bDoubles) / perRow / PANEL) * PANEL;
  const rowsPerBlock = Math.min(Math.ceil(m / PANEL) * PANEL, Math.max(PANEL, fit));

  const aDoubles = rowsPerBlock * k;
  const heap = reserve(kern, bDoubles + aDoubles + rowsPerBlock * ldw);
  const bBase = 0;
  const aBase = bDoubles;
  const cBase = aBase + aDoubles;
  packPanels(b, bOffset, bCol, bInner, n, k, heap, bBase);

  for (let i0 = 0; i0 < m; i0 += rowsPerBlock) {
    const rows = Math.min(rowsPerBlock, m - i0);
    const mPanels = Math.ceil(rows / PANEL);
    packPanels(a, aOffset + i0 * aRow, aRow, aInner, rows, k, heap, aBase);
    // C in: β·C (β = 0: zeros, C not read), padding zeroed so that it never holds slow subnormals or NaN.
    for (let i = 0; i < mPanels * PANEL; i++) {
      const w = cBase + i * ldw;
      if (i >= rows) {
        heap.fill(0, w, w + ldw);
        continue;
      }
      const src = cOffset + (i0 + i) * ldc;
      if (beta === 0) heap.fill(0, w, w + n);
      else if (beta === 1) for (let j = 0; j < n; j++) heap[w + j] = c[src + j];
      else for (let j = 0; j < n; j++) heap[w + j] = beta * c[src + j];
      if (ldw > n) heap.fill(0, w + n, w + ldw);
    }
    kern.gemm(mPanels, nPanels, k, kc, MC_PANELS, aBase * 8, bBase * 8, cBase * 8, ldw);
    for (let i = 0; i < rows; i++) {
      const w = cBase + i * ldw;
      const dst = cOffset + (i0 + i) * ldc;
      for (let j = 0; j < n; j++) c[dst + j] = heap[w + j];
    }
  }
  return c;
}
