/**
 * How two threads share one product on the shared-memory kernel (`gemm-shared-wasm-bytes.ts`): the calling thread
 * packs op(A), op(B) and C into the shared memory once, publishes the job in a small `Int32Array` control block,
 * and then both threads claim chunks of A panels (blocks of 4·chunk rows of C) until none is left. Each chunk is
 * one complete call of the kernel's `gemm` on its rows of C — every kc block, in the same order — so every entry
 * of C undergoes exactly the operations of the one-thread kernel, whichever thread computes it: results are
 * bit-identical for any split and any timing. Claiming (instead of a fixed half each) means the calling thread
 * never waits for a helper that is slow to start or descheduled; it only waits for chunks the helper has claimed.
 *
 * This module imports nothing: the helper worker's entry uses it too.
 *
 * @module
 * @internal
 */

/** Word indices of the control block. @internal */
export const CTL = {
  /** Job number; the helper waits on this word. */
  SEQ: 0,
  /** Claim word: (SEQ mod 2¹⁹)·2048 + next chunk index, or -1 when no job is open. */
  CLAIM: 1,
  /** Chunks finished; the calling thread waits on this word. */
  DONE: 2,
  /** Set to 1 by the helper if its kernel call threw (the caller then redoes the block alone). */
  FAILED: 3,
  M_PANELS: 4,
  N_PANELS: 5,
  K: 6,
  KC: 7,
  MC_PANELS: 8,
  A_PACK: 9,
  B_PACK: 10,
  C: 11,
  LDC: 12,
  CHUNK_PANELS: 13,
  N_CHUNKS: 14,
  /** Set to 1 by the helper once its kernel is instantiated and it waits for jobs. */
  READY: 15,
  /** op(A) unpacked (byte address), its byte strides between rows and along the inner index, and its rows. */
  A_SRC: 16,
  A_ROW_STRIDE: 17,
  A_INNER_STRIDE: 18,
  ROWS: 19,
  /** Words in the block. */
  WORDS: 20,
} as const;

/** Chunks per job at most (the claim word keeps the index in 11 bits). @internal */
export const MAX_CHUNKS = 2048;

/** The kernel's `gemm` export (see gemm.wat). @internal */
export type GemmExport = (
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

/** The kernel's `pack` export (see gemm.wat). @internal */
export type PackExport = (src: number, rowStride: number, innerStride: number, count: number, k: number, dst: number) => void;

/** The claim word's tag of job `seq`. */
function tag(seq: number): number {
  return (seq & 0x7ffff) * MAX_CHUNKS;
}

/** Opens job `seq` (called by the calling thread after writing the job's parameters). @internal */
export function openClaims(ctl: Int32Array, seq: number): void {
  Atomics.store(ctl, CTL.DONE, 0);
  Atomics.store(ctl, CTL.CLAIM, tag(seq));
}

/** Closes the current job (after all its chunks are done), so that a late helper claims nothing. @internal */
export function closeClaims(ctl: Int32Array): void {
  Atomics.store(ctl, CTL.CLAIM, -1);
}

/**
 * Claims and computes chunks of job `seq` until none is left; returns the chunks computed. Each chunk packs its own
 * panels of op(A) first (from the unpacked copy of op(A) in the shared memory), so packing A is shared too; op(B)
 * and C were prepared by the calling thread. The parameters are read
 * before claiming; they belong to job `seq` whenever a claim succeeds, because the calling thread rewrites them
 * only after closing the job. `onDone` runs after each chunk (the helper notifies the caller there).
 * @internal
 */
export function runClaims(ctl: Int32Array, seq: number, gemm: GemmExport, pack: PackExport, onDone: () => void): number {
  const mPanels = Atomics.load(ctl, CTL.M_PANELS);
  const nPanels = Atomics.load(ctl, CTL.N_PANELS);
  const k = Atomics.load(ctl, CTL.K);
  const kc = Atomics.load(ctl, CTL.KC);
  const mc = Atomics.load(ctl, CTL.MC_PANELS);
  const aPack = Atomics.load(ctl, CTL.A_PACK);
  const bPack = Atomics.load(ctl, CTL.B_PACK);
  const c = Atomics.load(ctl, CTL.C);
  const ldc = Atomics.load(ctl, CTL.LDC);
  const chunk = Atomics.load(ctl, CTL.CHUNK_PANELS);
  const nChunks = Atomics.load(ctl, CTL.N_CHUNKS);
  const aSrc = Atomics.load(ctl, CTL.A_SRC);
  const aRowStride = Atomics.load(ctl, CTL.A_ROW_STRIDE);
  const aInnerStride = Atomics.load(ctl, CTL.A_INNER_STRIDE);
  const rows = Atomics.load(ctl, CTL.ROWS);
  const t = tag(seq);
  let computed = 0;
  for (;;) {
    const v = Atomics.load(ctl, CTL.CLAIM);
    if (v < t || v >= t + nChunks) return computed; // another job, closed, or no chunk left
    if (Atomics.compareExchange(ctl, CTL.CLAIM, v, v + 1) !== v) continue;
    const first = (v - t) * chunk;
    const panels = Math.min(chunk, mPanels - first);
    // Panel `first` of A starts 32·k·first bytes in; its rows of C 4·first rows (of ldc doubles) down.
    pack(aSrc + 4 * first * aRowStride, aRowStride, aInnerStride, Math.min(4 * panels, rows - 4 * first), k, aPack + 32 * k * first);
    gemm(panels, nPanels, k, kc, mc, aPack + 32 * k * first, bPack, c + 32 * ldc * first, ldc);
    computed++;
    Atomics.add(ctl, CTL.DONE, 1);
    onDone();
  }
}
