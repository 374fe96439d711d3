/**
 * The blocked, register-tiled matrix products against a plain triple loop (the definition), on random shapes that
 * exercise every code path: 4 × 4 tiles, row and column remainders, inner dimensions spanning several blocks (128
 * and 256), sub-matrices addressed by offset and leading dimension, and β ∈ {0, 1, other}.
 *
 * Each property runs on both backends ({@link setMatmulBackend} 'js' and 'wasm'), forced for every size.
 *
 * Tolerance: both sides sum the same k products in different orders, so |Δ| ≤ 2·k·ε·Σ_p |A_ip B_pj| (standard
 * dot-product error bound, for each of the two orders) plus the rounding of β·C (ε·|β C_ij|).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { matmul, matmulTransA, matmulTransB, setMatmulBackend, type MatmulBackend } from '../../src/linalg/gemm.js';
import { rng } from '../../src/core/rng.js';

const EPS = Number.EPSILON;

type Kind = 'NN' | 'TN' | 'NT';

interface Case {
  kind: Kind;
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

/** Storage shape (rows × cols) of A and B for each product. */
function shapes(c: Case): { aRows: number; aCols: number; bRows: number; bCols: number } {
  if (c.kind === 'NN') return { aRows: c.m, aCols: c.k, bRows: c.k, bCols: c.n };
  if (c.kind === 'TN') return { aRows: c.k, aCols: c.m, bRows: c.k, bCols: c.n };
  return { aRows: c.m, aCols: c.k, bRows: c.n, bCols: c.k };
}

function run(c: Case): void {
  const { aRows, aCols, bRows, bCols } = shapes(c);
  const lda = aCols + c.padA;
  const ldb = bCols + c.padB;
  const ldc = c.n + c.padC;
  const r = rng(c.seed);
  const a = r.fillNormal(new Float64Array(c.aOffset + Math.max(0, aRows * lda)));
  const b = r.fillNormal(new Float64Array(c.bOffset + Math.max(0, bRows * ldb)));
  const c0 = r.fillNormal(new Float64Array(c.cOffset + c.m * ldc + 3));
  if (c.beta === 0) for (let i = 0; i < c0.length; i += 7) c0[i] = NaN; // β = 0 must not read C
  const out = Float64Array.from(c0);
  const A = (i: number, p: number) => (c.kind === 'TN' ? a[c.aOffset + p * lda + i] : a[c.aOffset + i * lda + p]);
  const B = (p: number, j: number) => (c.kind === 'NT' ? b[c.bOffset + j * ldb + p] : b[c.bOffset + p * ldb + j]);
  const f = c.kind === 'NN' ? matmul : c.kind === 'TN' ? matmulTransA : matmulTransB;
  const returned = f(c.m, c.n, c.k, a, c.aOffset, lda, b, c.bOffset, ldb, c.beta, out, c.cOffset, ldc);
  expect(returned).toBe(out);
  const inBlock = new Uint8Array(out.length);
  for (let i = 0; i < c.m; i++) {
    for (let j = 0; j < c.n; j++) {
      const idx = c.cOffset + i * ldc + j;
      inBlock[idx] = 1;
      let s = 0;
      let mag = 0;
      for (let p = 0; p < c.k; p++) {
        s += A(i, p) * B(p, j);
        mag += Math.abs(A(i, p) * B(p, j));
      }
      const prior = c.beta === 0 ? 0 : c.beta * c0[idx];
      const expected = s + prior;
      const tol = 2 * (c.k + 1) * EPS * mag + 2 * EPS * Math.abs(prior) + 1e-300;
      if (!(Math.abs(out[idx] - expected) <= tol)) {
        throw new Error(`${c.kind} ${JSON.stringify(c)}: C[${i}, ${j}] = ${out[idx]}, expected ${expected} (tol ${tol})`);
      }
    }
  }
  // Entries outside the m × n block (padding, offsets) are untouched.
  for (let idx = 0; idx < out.length; idx++) if (!inBlock[idx]) expect(Object.is(out[idx], c0[idx])).toBe(true);
}

const caseArb = (kind: Kind) =>
  fc.record({
    kind: fc.constant(kind),
    m: fc.integer({ min: 0, max: 13 }),
    n: fc.integer({ min: 0, max: 13 }),
    k: fc.oneof(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 120, max: 300 })),
    aOffset: fc.integer({ min: 0, max: 5 }),
    bOffset: fc.integer({ min: 0, max: 5 }),
    cOffset: fc.integer({ min: 0, max: 5 }),
    padA: fc.integer({ min: 0, max: 3 }),
    padB: fc.integer({ min: 0, max: 3 }),
    padC: fc.integer({ min: 0, max: 3 }),
    beta: fc.constantFrom(0, 1, -0.5),
    seed: fc.integer({ min: 0, max: 1000 }),
  });

/** Runs `body` with the backend forced to `backend`, then restores 'auto'. */
function withBackend(backend: MatmulBackend, body: () => void): void {
  setMatmulBackend(backend);
  try {
    body();
  } finally {
    setMatmulBackend('auto');
  }
}

describe('matmul / matmulTransA / matmulTransB against the triple-loop definition', () => {
  for (const backend of ['js', 'wasm'] as const) {
    for (const kind of ['NN', 'TN', 'NT'] as const) {
      it(`${backend} ${kind}: C ← op(A)·op(B) + β·C within the dot-product error bound; padding untouched; returns c`, () => {
        withBackend(backend, () => fc.assert(fc.property(caseArb(kind), run), { numRuns: 150 }));
      });
    }
  }

  it.each(['js', 'wasm'] as const)('%s: hand-computed 2 × 3 · 3 × 2 products, exact in binary', (backend) => withBackend(backend, () => {
    const a = new Float64Array([1, 2, 3, 4, 5, 6]); // [[1, 2, 3], [4, 5, 6]]
    const b = new Float64Array([7, 8, 9, 10, 11, 12]); // [[7, 8], [9, 10], [11, 12]]
    expect(Array.from(matmul(2, 2, 3, a, 0, 3, b, 0, 2, 0, new Float64Array(4), 0, 2))).toEqual([58, 64, 139, 154]);
    // Aᵀ·A with A = [[1, 2, 3], [4, 5, 6]] stored 2 × 3: [[17, 22, 27], [22, 29, 36], [27, 36, 45]]
    expect(Array.from(matmulTransA(3, 3, 2, a, 0, 3, a, 0, 3, 0, new Float64Array(9), 0, 3))).toEqual([17, 22, 27, 22, 29, 36, 27, 36, 45]);
    // A·Aᵀ: [[14, 32], [32, 77]]; then β = 1 accumulates a second copy.
    const c = matmulTransB(2, 2, 3, a, 0, 3, a, 0, 3, 0, new Float64Array(4), 0, 2);
    expect(Array.from(c)).toEqual([14, 32, 32, 77]);
    matmulTransB(2, 2, 3, a, 0, 3, a, 0, 3, 1, c, 0, 2);
    expect(Array.from(c)).toEqual([28, 64, 64, 154]);
  }));

  it('is deterministic: the same inputs give bit-identical outputs', () => {
    const r = rng(3);
    const a = r.fillNormal(new Float64Array(37 * 301));
    const b = r.fillNormal(new Float64Array(301 * 23));
    const c1 = matmul(37, 23, 301, a, 0, 301, b, 0, 23, 0, new Float64Array(37 * 23), 0, 23);
    const c2 = matmul(37, 23, 301, a, 0, 301, b, 0, 23, 0, new Float64Array(37 * 23), 0, 23);
    expect(c1).toEqual(c2);
  });
});
