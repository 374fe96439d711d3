/**
 * Random matrix-product cases shared by the kernel-agreement property tests (gemm-backends, gemm-threads): a case
 * fixes op, shape, offsets, leading-dimension padding, β and a seed; `runAgainstJs` runs it on the JavaScript
 * kernel and on a kernel under test from the same C, and `expectSameBits` compares the two entry by entry.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import { rng } from '../../src/core/rng.js';
import { matmulJs, matmulTransAJs, matmulTransBJs } from '../../src/linalg/gemm-js.js';
import { wasmGemm, type GemmKind } from '../../src/linalg/wasm/gemm-wasm.js';

export interface Case {
  kind: GemmKind;
  m: number;
  n: number;
  k: number;
  aOffset: number;
  bOffset: number;
  cOffset: number;
  padA: number;
  padB: number;
  padC: number;
  beta: number;
  seed: number;
}

const JS = { NN: matmulJs, TN: matmulTransAJs, NT: matmulTransBJs };

export const caseArb = (m: fc.Arbitrary<number>, n: fc.Arbitrary<number>, k: fc.Arbitrary<number>): fc.Arbitrary<Case> =>
  fc.record({
    kind: fc.constantFrom<GemmKind>('NN', 'TN', 'NT'),
    m,
    n,
    k,
    aOffset: fc.integer({ min: 0, max: 5 }),
    bOffset: fc.integer({ min: 0, max: 5 }),
    cOffset: fc.integer({ min: 0, max: 5 }),
    padA: fc.integer({ min: 0, max: 3 }),
    padB: fc.integer({ min: 0, max: 3 }),
    padC: fc.integer({ min: 0, max: 3 }),
    beta: fc.constantFrom(0, 1, -0.5, 3),
    seed: fc.integer({ min: 0, max: 1 << 20 }),
  });

/**
 * Runs the case on the JavaScript kernel and on `wasmGemm` with `threads` (from the same C, whose entries are NaN
 * every fifth place when β = 0: β = 0 must not read C) and returns both outputs; asserts wasmGemm returns its C.
 */
export function runAgainstJs(c: Case, threads: 1 | 2): { js: Float64Array; wasm: Float64Array } {
  const aRows = c.kind === 'TN' ? c.k : c.m;
  const aCols = c.kind === 'TN' ? c.m : c.k;
  const bRows = c.kind === 'NT' ? c.n : c.k;
  const bCols = c.kind === 'NT' ? c.k : c.n;
  const lda = aCols + c.padA;
  const ldb = bCols + c.padB;
  const ldc = c.n + c.padC;
  const r = rng(c.seed);
  const a = r.fillNormal(new Float64Array(c.aOffset + aRows * lda));
  const b = r.fillNormal(new Float64Array(c.bOffset + bRows * ldb));
  const c0 = r.fillNormal(new Float64Array(c.cOffset + c.m * ldc + 2));
  if (c.beta === 0) for (let i = 0; i < c0.length; i += 5) c0[i] = NaN;
  const js = Float64Array.from(c0);
  const wasm = Float64Array.from(c0);
  JS[c.kind](c.m, c.n, c.k, a, c.aOffset, lda, b, c.bOffset, ldb, c.beta, js, c.cOffset, ldc);
  expect(wasmGemm(c.kind, c.m, c.n, c.k, a, c.aOffset, lda, b, c.bOffset, ldb, c.beta, wasm, c.cOffset, ldc, threads)).toBe(wasm);
  return { js, wasm };
}

/** Throws, naming the case and the first differing entry, unless `got` equals `js` bit for bit (Object.is). */
export function expectSameBits(c: Case, js: Float64Array, got: Float64Array, label: string): void {
  for (let i = 0; i < js.length; i++) {
    if (!Object.is(js[i], got[i])) throw new Error(`${JSON.stringify(c)}: entry ${i}: ${label} ${got[i]} ≠ js ${js[i]} (Δ = ${got[i] - js[i]})`);
  }
}
