import { describe, expect, it } from 'vitest';
import { RK4_TABLEAU, createRk4Scratch, rk4Step, type ButcherTableau } from '../../src/dynamics/rk4.js';
import { gradientFlow } from '../../src/dynamics/gradient-flow.js';
import { stepSize } from '../../src/dynamics/step-size.js';
import type { LossModel } from '../../src/core/loss-model.js';
import { expectRelClose } from '../../src/testing/index.js';
import { createQuadratic } from '../helpers/quadratic.js';

// ---------- exact rational arithmetic ----------
type Q = readonly [bigint, bigint]; // numerator, denominator > 0, reduced
const gcd = (a: bigint, b: bigint): bigint => (b === 0n ? (a < 0n ? -a : a) : gcd(b, a % b));
const q = (n: bigint, d: bigint): Q => {
  const s = d < 0n ? -1n : 1n;
  const g = gcd(n, d) || 1n;
  return [(s * n) / g, (s * d) / g];
};
const add = (x: Q, y: Q): Q => q(x[0] * y[1] + y[0] * x[1], x[1] * y[1]);
const mul = (x: Q, y: Q): Q => q(x[0] * y[0], x[1] * y[1]);
const ZERO: Q = [0n, 1n];
const ONE: Q = [1n, 1n];
const eq = (x: Q, y: Q): boolean => x[0] === y[0] && x[1] === y[1];
const show = (x: Q): string => `${x[0]}/${x[1]}`;

/** The rational p/d (d ≤ 48) whose nearest double is exactly `v`; throws if there is none. */
function rationalOf(v: number): Q {
  for (let d = 1; d <= 48; d++) {
    const n = Math.round(v * d);
    if (n / d === v) return q(BigInt(n), BigInt(d));
  }
  throw new Error(`no small rational rounds to ${v}`);
}

function exactTableau(t: ButcherTableau): { a: Q[][]; b: Q[]; c: Q[] } {
  const s = t.b.length;
  const a: Q[][] = [];
  for (let i = 0; i < s; i++) {
    a.push([]);
    for (let j = 0; j < s; j++) a[i].push(j < t.a[i].length ? rationalOf(t.a[i][j]) : ZERO);
  }
  return { a, b: t.b.map(rationalOf), c: t.c.map(rationalOf) };
}

/** Σ over multi-indices of products — the order conditions as sums. */
function orderConditions(t: ButcherTableau): Array<{ name: string; value: Q; expected: Q }> {
  const { a, b, c } = exactTableau(t);
  const s = b.length;
  const sum = (f: (i: number) => Q): Q => {
    let acc = ZERO;
    for (let i = 0; i < s; i++) acc = add(acc, f(i));
    return acc;
  };
  const ac = (i: number): Q => sum((j) => mul(a[i][j], c[j]));
  const ac2 = (i: number): Q => sum((j) => mul(a[i][j], mul(c[j], c[j])));
  const aac = (i: number): Q => sum((j) => mul(a[i][j], ac(j)));
  return [
    { name: 'Σ b = 1', value: sum((i) => b[i]), expected: ONE },
    { name: 'Σ b c = 1/2', value: sum((i) => mul(b[i], c[i])), expected: q(1n, 2n) },
    { name: 'Σ b c² = 1/3', value: sum((i) => mul(b[i], mul(c[i], c[i]))), expected: q(1n, 3n) },
    { name: 'Σ b a c = 1/6', value: sum((i) => mul(b[i], ac(i))), expected: q(1n, 6n) },
    { name: 'Σ b c³ = 1/4', value: sum((i) => mul(b[i], mul(c[i], mul(c[i], c[i])))), expected: q(1n, 4n) },
    { name: 'Σ b c a c = 1/8', value: sum((i) => mul(b[i], mul(c[i], ac(i)))), expected: q(1n, 8n) },
    { name: 'Σ b a c² = 1/12', value: sum((i) => mul(b[i], ac2(i))), expected: q(1n, 12n) },
    { name: 'Σ b a a c = 1/24', value: sum((i) => mul(b[i], aac(i))), expected: q(1n, 24n) },
  ];
}

describe('RK4_TABLEAU', () => {
  it('is explicit, consistent (c_i = Σ_j a_ij) and satisfies the 8 order conditions of order 4 exactly', () => {
    const { a, c } = exactTableau(RK4_TABLEAU);
    for (let i = 0; i < 4; i++) {
      expect(RK4_TABLEAU.a[i].length).toBe(i);
      let row = ZERO;
      for (let j = 0; j < 4; j++) row = add(row, a[i][j]);
      expect(show(row), `row ${i}`).toBe(show(c[i]));
    }
    for (const cond of orderConditions(RK4_TABLEAU)) {
      expect(eq(cond.value, cond.expected), `${cond.name}: got ${show(cond.value)}`).toBe(true);
    }
  });

  it('the condition checker can fail: RK4 is not of order 5 (Σ b c⁴ = 5/24 ≠ 1/5), and a perturbed tableau fails order 4', () => {
    const { b, c } = exactTableau(RK4_TABLEAU);
    let s5 = ZERO;
    for (let i = 0; i < 4; i++) s5 = add(s5, mul(b[i], mul(mul(c[i], c[i]), mul(c[i], c[i]))));
    expect(show(s5)).toBe('5/24');
    // Moving half of a₄₃ to a₄₂ keeps the row sum c₄ = 1 and every condition but the tall tree:
    // Σ b a a c = b₄ a₄₃ a₃₂ c₂ = (1/6)(1/2)(1/2)(1/2) = 1/48 ≠ 1/24.
    const broken: ButcherTableau = { a: [[], [1 / 2], [0, 1 / 2], [0, 1 / 2, 1 / 2]], b: RK4_TABLEAU.b, c: RK4_TABLEAU.c };
    const failing = orderConditions(broken).filter((x) => !eq(x.value, x.expected)).map((x) => x.name);
    expect(failing).toEqual(['Σ b a a c = 1/24']);
  });

  it('is deeply frozen', () => {
    expect(Object.isFrozen(RK4_TABLEAU)).toBe(true);
    expect(Object.isFrozen(RK4_TABLEAU.a)).toBe(true);
    expect(Object.isFrozen(RK4_TABLEAU.a[1])).toBe(true);
    expect(Object.isFrozen(RK4_TABLEAU.b)).toBe(true);
    expect(() => {
      (RK4_TABLEAU.b as number[])[0] = 1;
    }).toThrow();
  });
});

describe('rk4Step', () => {
  const quad = createQuadratic([0.3, 1, 2.5], 7);
  const theta0 = Float64Array.of(0.7, -1.2, 0.4);

  it('equals the RK4 stability polynomial R(−hA)θ on a quadratic (exact for linear ODEs)', () => {
    // For θ' = −Aθ one RK4 step is θ' = R(−hA)θ with R(z) = 1 + z + z²/2 + z³/6 + z⁴/24, applied in A's eigenbasis.
    const h = 0.2;
    const scratch = createRk4Scratch(3);
    const out = new Float64Array(3);
    const loss = rk4Step(quad.model, theta0, h, scratch, out);
    const c = quad.toEigenbasis(theta0);
    const expected = new Float64Array(3);
    for (let j = 0; j < 3; j++) {
      const z = -h * quad.eigenvalues[j];
      const r = 1 + z + (z * z) / 2 + (z * z * z) / 6 + (z * z * z * z) / 24;
      for (let i = 0; i < 3; i++) expected[i] += quad.q[i * 3 + j] * r * c[j];
    }
    // ~10 roundings of O(|θ|) terms each: 1e-14 relative to |θ| ≈ 1.
    expectRelClose(out, expected, { rel: 1e-14, abs: 1e-14, label: 'rk4Step vs R(-hA)θ' });
    let lossExpected = 0;
    for (let j = 0; j < 3; j++) lossExpected += 0.5 * quad.eigenvalues[j] * c[j] * c[j];
    expectRelClose(loss, lossExpected, { rel: 1e-14, label: 'returned L(θ)' });
    const gExpected = new Float64Array(3);
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) gExpected[i] += quad.a[i * 3 + j] * theta0[j];
    expectRelClose(scratch.stages[0], gExpected, { rel: 1e-14, abs: 1e-15, label: 'stage 0 holds ∇L(θ) = Aθ' });
  });

  it('allows out === theta (in place) with the same result bit for bit, and does not touch theta otherwise', () => {
    const scratch = createRk4Scratch(3);
    const copy = Float64Array.from(theta0);
    const out = new Float64Array(3);
    rk4Step(quad.model, copy, 0.1, scratch, out);
    expect(Array.from(copy)).toEqual(Array.from(theta0));
    const inPlace = Float64Array.from(theta0);
    const ret = rk4Step(quad.model, inPlace, 0.1, createRk4Scratch(3), inPlace);
    expect(typeof ret).toBe('number');
    expect(Array.from(inPlace)).toEqual(Array.from(out));
  });

  it('validates types, lengths, dt and aliasing', () => {
    const scratch = createRk4Scratch(3);
    const out = new Float64Array(3);
    const code = (f: () => unknown): string | undefined => {
      try {
        f();
      } catch (e) {
        return (e as { code?: string }).code;
      }
      return undefined;
    };
    expect(code(() => rk4Step(quad.model, new Float64Array(2), 0.1, scratch, out))).toBe('E_DIM_MISMATCH');
    expect(code(() => rk4Step(quad.model, theta0, -0.1, scratch, out))).toBe('E_BAD_OPTION');
    expect(code(() => rk4Step(quad.model, theta0, NaN, scratch, out))).toBe('E_BAD_OPTION');
    expect(code(() => rk4Step(quad.model, theta0, 0.1, createRk4Scratch(2), out))).toBe('E_DIM_MISMATCH');
    expect(code(() => rk4Step(quad.model, theta0, 0.1, scratch, scratch.stages[1]))).toBe('E_BAD_OPTION');
    expect(code(() => createRk4Scratch(0))).toBe('E_BAD_OPTION');
  });
});

/** Least-squares slope of log(err) against log(dt). */
function logLogSlope(dts: number[], errs: number[]): number {
  const x = dts.map(Math.log);
  const y = errs.map(Math.log);
  const mx = x.reduce((s, v) => s + v, 0) / x.length;
  const my = y.reduce((s, v) => s + v, 0) / y.length;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < x.length; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
  }
  return sxy / sxx;
}

function maxAbsDiff(a: Float64Array, b: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe('RK4 convergence order (gradientFlow with a fixed step)', () => {
  const T = 1;
  // dt = 2^-3 … 2^-9: 7 levels, exact in binary so every run takes exactly T/dt full steps.
  const dts = [3, 4, 5, 6, 7, 8, 9].map((e) => 2 ** -e);

  it('has global error slope 4 ± 0.2 on a quadratic with closed-form flow exp(−tA)θ₀', () => {
    const quad = createQuadratic([0.5, 1, 2, 4], 3);
    const theta0 = Float64Array.of(1, -0.5, 0.25, 2);
    const exact = quad.flow(theta0, T);
    const errs = dts.map((dt) => {
      const r = gradientFlow(quad.model, theta0, { step: stepSize.fixed(dt), maxTime: T, maxSteps: 1 << 20, record: { every: 0, sharpnessEvery: 0 } });
      expect(r.status).toBe('max-time');
      expect(r.time).toBe(T);
      expect(r.steps).toBe(T / dt);
      return maxAbsDiff(r.theta, exact);
    });
    // Smallest error ≈ 1e-10 ≫ roundoff (≈ steps·1e-16 ≈ 5e-14), so the fit sees truncation error only.
    expect(errs[errs.length - 1]).toBeGreaterThan(1e-12);
    const slope = logLogSlope(dts, errs);
    expect(Math.abs(slope - 4), `slope ${slope}, errors ${errs.map((e) => e.toExponential(2)).join(', ')}`).toBeLessThan(0.2);
  });

  it('has global error slope 4 ± 0.2 on a nonlinear flow θ\' = −θ³ (L = ¼Σθ⁴, θ(t) = θ₀/√(1 + 2θ₀²t))', () => {
    // Nonlinear, so the test also exercises the order conditions that a linear problem cannot see.
    const quartic: LossModel = {
      spec: { kind: 'test-quartic' },
      dim: 2,
      loss: (th) => 0.25 * (th[0] ** 4 + th[1] ** 4),
      lossAndGrad(th, g) {
        g[0] = th[0] * th[0] * th[0];
        g[1] = th[1] * th[1] * th[1];
        return 0.25 * (th[0] ** 4 + th[1] ** 4);
      },
      hvp(th, v, out) {
        out[0] = 3 * th[0] * th[0] * v[0];
        out[1] = 3 * th[1] * th[1] * v[1];
      },
    };
    const theta0 = Float64Array.of(1.5, -0.8);
    const exact = theta0.map((x) => x / Math.sqrt(1 + 2 * x * x * T));
    const errs = dts.map((dt) => {
      const r = gradientFlow(quartic, theta0, { step: stepSize.fixed(dt), maxTime: T, maxSteps: 1 << 20, record: { every: 0, sharpnessEvery: 0 } });
      return maxAbsDiff(r.theta, exact);
    });
    expect(errs[errs.length - 1]).toBeGreaterThan(1e-13);
    const slope = logLogSlope(dts, errs);
    expect(Math.abs(slope - 4), `slope ${slope}, errors ${errs.map((e) => e.toExponential(2)).join(', ')}`).toBeLessThan(0.2);
  });
});
