/**
 * The two matrix-product backends against each other: the WebAssembly SIMD kernel (src/linalg/wasm/gemm.wat) must
 * give bit-identical results to the JavaScript kernels (src/linalg/gemm-js.ts) — both sum each entry in blocks of
 * kc (128 for A·B and Aᵀ·B, 256 for A·Bᵀ), left to right within a block from +0, with no fused multiply-add — on
 * shapes that cross every block boundary of the wasm kernel: several kc blocks, several 128-row L2 blocks, row and
 * column remainders of the 4 × 4 tile, and the row blocks used when the working set passes its limit. Bit identity
 * implies the requirement (equal to ≤ 1e-14 relative); it is asserted directly, with Object.is.
 *
 * The triple-loop definition is checked separately for both backends in gemm.prop.test.ts.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { matmul, matmulTransA, matmulTransB, matmulBackend, setMatmulBackend, useWasm } from '../../src/linalg/gemm.js';
import { MAX_WASM_DOUBLES, setWasmWorkingSetLimit, wasmGemmMemoryBytes } from '../../src/linalg/wasm/gemm-wasm.js';
import { caseArb, expectSameBits, runAgainstJs, type Case } from './gemm-cases.js';
import { rng } from '../../src/core/rng.js';
import { EosLabError } from '../../src/core/errors.js';

/** Runs the case on both kernels (from the same C) and returns the two outputs. */
function both(c: Case): { js: Float64Array; wasm: Float64Array } {
  return runAgainstJs(c, 1);
}

function expectIdentical(c: Case): void {
  const { js, wasm } = both(c);
  expectSameBits(c, js, wasm, 'wasm');
}

afterEach(() => {
  setMatmulBackend('auto');
  setWasmWorkingSetLimit(MAX_WASM_DOUBLES);
});

describe('WebAssembly SIMD kernel: bit-identical to the JavaScript kernels', () => {
  it('small shapes (tile remainders, k in one or two blocks)', () => {
    const small = fc.integer({ min: 1, max: 13 });
    fc.assert(fc.property(caseArb(small, small, fc.integer({ min: 1, max: 300 })), expectIdentical), { numRuns: 200 });
  });

  it('larger shapes (several 128-row L2 blocks, several kc blocks, up to 300 × 41 × 600)', () => {
    fc.assert(
      fc.property(caseArb(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 41 }), fc.integer({ min: 1, max: 600 })), expectIdentical),
      { numRuns: 40 },
    );
  });

  it('row blocks: a working-set limit far below the product gives the same bits', () => {
    // 2,000 doubles: a few rows of C per block (and at the smallest, 4 rows even when packed B alone is larger).
    fc.assert(
      fc.property(caseArb(fc.integer({ min: 1, max: 90 }), fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 200 })), fc.constantFrom(200, 2000, 20000), (c, limit) => {
        setWasmWorkingSetLimit(limit);
        expectIdentical(c);
      }),
      { numRuns: 60 },
    );
  });

  it('is bit-identical across repeated runs, with other products (stale memory) in between', () => {
    const c: Case = { kind: 'NN', m: 37, n: 23, k: 301, aOffset: 1, bOffset: 2, cOffset: 3, padA: 1, padB: 0, padC: 2, beta: 0, seed: 9 };
    const first = both(c).wasm;
    both({ ...c, kind: 'NT', m: 61, n: 29, k: 517, seed: 10 });
    both({ ...c, kind: 'TN', m: 5, n: 3, k: 2, seed: 11, beta: 1 });
    expect(both(c).wasm).toEqual(first);
  });

  it('falls back to the JavaScript kernel when wasm memory cannot grow (same bits)', () => {
    const memory = (globalThis as unknown as { WebAssembly: { Memory: { prototype: { grow(pages: number): number } } } }).WebAssembly.Memory;
    const grow = vi.spyOn(memory.prototype, 'grow').mockImplementation(() => {
      throw new RangeError('WebAssembly.Memory.grow(): Maximum memory size exceeded');
    });
    try {
      const c: Case = { kind: 'NT', m: 700, n: 650, k: 600, aOffset: 0, bOffset: 1, cOffset: 2, padA: 0, padB: 1, padC: 0, beta: 1, seed: 12 };
      const before = wasmGemmMemoryBytes();
      expectIdentical(c);
      expect(grow).toHaveBeenCalled();
      expect(wasmGemmMemoryBytes()).toBe(before);
    } finally {
      grow.mockRestore();
    }
  });

  it('allocates no new wasm memory after the largest product has run once', () => {
    const c: Case = { kind: 'TN', m: 200, n: 64, k: 300, aOffset: 0, bOffset: 0, cOffset: 0, padA: 0, padB: 0, padC: 0, beta: 1, seed: 4 };
    both(c);
    const bytes = wasmGemmMemoryBytes();
    expect(bytes).toBeGreaterThan(0);
    for (let i = 0; i < 3; i++) both({ ...c, seed: 5 + i });
    both({ ...c, m: 40, n: 40, k: 40 }); // smaller products fit in the same memory
    expect(wasmGemmMemoryBytes()).toBe(bytes);
  });
});

describe('backend selection', () => {
  it("'auto' uses the wasm kernel exactly when 2·(nk + mk + mn) ≤ mnk", () => {
    expect(matmulBackend()).toEqual({ backend: 'auto', wasmSimd: true, minIntensity: 2, threads: expect.any(Number), parallelMinFlops: 8e6, helperReady: expect.any(Boolean) });
    expect(useWasm(6, 6, 6)).toBe(true); // 2·3·36 = 216 = 6³
    expect(useWasm(5, 5, 5)).toBe(false); // 2·3·25 = 150 > 125
    expect(useWasm(1000, 32, 49)).toBe(true); // a 49-32-… layer on 1,000 examples
    expect(useWasm(200, 200, 3)).toBe(true); // 2·(600 + 600 + 40000) = 82400 ≤ 120000
    expect(useWasm(1000, 1000, 2)).toBe(false); // a dimension ≤ 2: never (1/2 alone reaches the bound)
    expect(useWasm(1, 500, 500)).toBe(false); // vector–matrix product
    expect(useWasm(0, 100, 100)).toBe(false);
  });

  it("'js' never and 'wasm' always (for m, n, k ≥ 1) use the wasm kernel", () => {
    setMatmulBackend('js');
    expect(matmulBackend().backend).toBe('js');
    expect(useWasm(1000, 1000, 1000)).toBe(false);
    setMatmulBackend('wasm');
    expect(useWasm(1, 1, 1)).toBe(true);
    expect(useWasm(1, 0, 1)).toBe(false); // nothing to multiply: C ← β·C in JavaScript
  });

  it('rejects an unknown backend with E_BAD_OPTION naming the argument', () => {
    try {
      setMatmulBackend('simd' as never);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(EosLabError);
      expect((e as EosLabError).code).toBe('E_BAD_OPTION');
      expect((e as EosLabError).details.argument).toBe('choice');
      expect((e as EosLabError).message).toMatch(/'auto', 'js', 'wasm'/);
    }
    expect(matmulBackend().backend).toBe('auto');
  });

  it('without WebAssembly SIMD: auto falls back to JavaScript and forcing wasm is E_NOT_SUPPORTED', async () => {
    vi.resetModules();
    // An engine that cannot validate a module using v128 (as engines without the SIMD proposal do).
    vi.stubGlobal('WebAssembly', { validate: () => false });
    try {
      const gemm = await import('../../src/linalg/gemm.js');
      expect(gemm.matmulBackend().wasmSimd).toBe(false);
      expect(gemm.useWasm(500, 500, 500)).toBe(false);
      expect(() => gemm.setMatmulBackend('wasm')).toThrow(expect.objectContaining({ code: 'E_NOT_SUPPORTED' }));
      const a = new Float64Array([1, 2, 3, 4]);
      expect(Array.from(gemm.matmul(2, 2, 2, a, 0, 2, a, 0, 2, 0, new Float64Array(4), 0, 2))).toEqual([7, 10, 15, 22]);
    } finally {
      vi.unstubAllGlobals();
      vi.resetModules();
    }
  });

  it('public functions give the same bits under js and wasm (a 150 × 70 × 300 product of each kind)', () => {
    const r = rng(77);
    const a = r.fillNormal(new Float64Array(150 * 300));
    const b = r.fillNormal(new Float64Array(300 * 150));
    const run = () => [
      matmul(150, 70, 300, a, 0, 300, b, 0, 70, 0, new Float64Array(150 * 70), 0, 70),
      matmulTransA(150, 70, 300, a, 0, 150, b, 0, 70, 0, new Float64Array(150 * 70), 0, 70),
      matmulTransB(150, 70, 300, a, 0, 300, b, 0, 300, 0, new Float64Array(150 * 70), 0, 70),
    ];
    setMatmulBackend('js');
    const js = run();
    setMatmulBackend('wasm');
    expect(run()).toEqual(js);
  });
});
