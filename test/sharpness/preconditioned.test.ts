/**
 * preconditionedSharpness against a dense generalized eigensolve: scipy.linalg.eigh(H, diag(p)) (LAPACK sygvd) on
 * random symmetric indefinite H with an outlier and P spanning up to e^{±6}; fixture from
 * test/fixtures/preconditioned/generate.py.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'vitest';
import type { LossModel } from '../../src/core/loss-model.js';
import { preconditionedSharpness } from '../../src/sharpness/preconditioned.js';
import { expectRelClose } from '../../src/testing/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const fixture: { cases: { n: number; h: number[]; p: number[]; lambdaMax: number }[] } = JSON.parse(
  readFileSync(join(here, '../fixtures/preconditioned/fixture.json'), 'utf8'),
);

function quadratic(n: number, h: Float64Array): LossModel {
  const mv = (v: Float64Array, out: Float64Array) => {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += h[i * n + j] * v[j];
      out[i] = s;
    }
  };
  const t = new Float64Array(n);
  return {
    spec: { kind: 'test-quadratic' },
    dim: n,
    loss: (x) => (mv(x, t), 0.5 * x.reduce((s, xi, i) => s + xi * t[i], 0)),
    lossAndGrad: (x, g) => (mv(x, g), 0.5 * x.reduce((s, xi, i) => s + xi * g[i], 0)),
    hvp: (_x, v, out) => mv(v, out),
  };
}

describe('preconditionedSharpness vs scipy.linalg.eigh(H, P)', () => {
  it.each(fixture.cases.map((c) => [c.n, c] as const))('n = %i', (_n, c) => {
    const model = quadratic(c.n, Float64Array.from(c.h));
    const value = preconditionedSharpness(model, new Float64Array(c.n), Float64Array.from(c.p), { tol: 1e-12 });
    // Lanczos residual ≤ 1e-12·|θ| gives an eigenvalue error ≪ 1e-10 relative with the outlier's gap; LAPACK's
    // backward error is O(nε‖P^{-1/2}HP^{-1/2}‖) — with κ(P) up to e^{12} that is ~1e-9 relative at n = 100.
    expectRelClose(value, c.lambdaMax, { rel: 1e-8, label: `λ_max(P⁻¹H), n = ${c.n}` });
  });
});
