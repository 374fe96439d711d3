import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { gd } from '../../../src/dynamics/gd.js';
import { chain, clipByGlobalNorm } from '../../../src/dynamics/transforms.js';
import { clipAlpha, type ClipAlphaOptions } from '../../../src/models/width-one-net/clipping.js';
import { create } from '../../../src/models/width-one-net/model.js';
import { finiteVector } from '../../../src/testing/index.js';
import { errorCode as codeOf } from '../../helpers/errors.js';


/** One transformed step from θ: returns the new θ and whether the clip acted (the transform applied as gd applies it). */
function step(opts: ClipAlphaOptions, theta: Float64Array, eta: number, model = create({ varianceIrrelevant: 1, varianceRelevant: 0.5 })) {
  const t = clipAlpha(opts);
  const state = t.init(3);
  const g = new Float64Array(3);
  model.lossAndGrad(theta, g);
  const raw = Float64Array.from(g);
  t.update(g, state, { theta, learningRate: eta, step: 0 }, g);
  return { next: theta.map((x, i) => x - eta * g[i]), raw, clipped: state.clippedSteps === 1, u: g };
}

const ULP = (x: number) => Math.max(Math.abs(x), 1) * Number.EPSILON * 2; // one rounding of the realized step

describe('widthOneNet.clipAlpha: what is clipped (reconstructed, see its TSDoc)', () => {
  const caseArb = fc.record({
    theta: finiteVector({ dim: 3, min: -2, max: 2 }),
    eta: fc.double({ min: 0.05, max: 8, noNaN: true }),
    constant: fc.double({ min: 0.01, max: 1, noNaN: true }),
  });

  it("target 'value': α never moves toward zero past |α| = C, never crosses 0, and is never pushed away from 0", () => {
    fc.assert(
      fc.property(caseArb, ({ theta, eta, constant }) => {
        const { next, raw, clipped } = step({ constant }, theta, eta);
        const a = theta[0];
        const s = a < 0 ? -1 : 1;
        const delta = eta * raw[0]; // the unclipped α-step: α' = α − δ; s·δ > 0 moves toward zero
        const tooLong = s * delta > Math.max(0, Math.abs(a) - constant);
        if (clipped !== tooLong) return false;
        if (!clipped) return Object.is(next[0], a - delta);
        // Clipped: α stops at sign(α)·C, or stays where it is if already inside (−C, C).
        const target = Math.abs(a) >= constant ? s * constant : a;
        return Math.abs(next[0] - target) <= ULP(a);
      }),
      { numRuns: 2000 },
    );
  });

  it("target 'step': the α-step toward zero is at most C (sides 'one'), or |step| ≤ C either way (sides 'two')", () => {
    fc.assert(
      fc.property(caseArb, fc.boolean(), ({ theta, eta, constant }, two) => {
        const { next, raw } = step({ constant, target: 'step', sides: two ? 'two' : 'one' }, theta, eta);
        const a = theta[0];
        const s = a < 0 ? -1 : 1;
        const delta = eta * raw[0];
        const expected = two ? Math.min(Math.max(delta, -constant), constant) : s * delta > constant ? s * constant : delta;
        return Math.abs(a - next[0] - expected) <= ULP(a);
      }),
      { numRuns: 2000 },
    );
  });

  it('leaves the β-updates untouched and passes NaN through without counting it', () => {
    fc.assert(
      fc.property(caseArb, ({ theta, eta, constant }) => {
        const { u, raw } = step({ constant }, theta, eta);
        return Object.is(u[1], raw[1]) && Object.is(u[2], raw[2]);
      }),
      { numRuns: 500 },
    );
    const t = clipAlpha({ constant: 0.1 });
    const state = t.init(3);
    const g = new Float64Array([Number.NaN, 1, 2]);
    t.update(g, state, { theta: new Float64Array([0.5, 0, 0]), learningRate: 1, step: 0 }, g);
    expect(Number.isNaN(g[0])).toBe(true);
    expect(state.clippedSteps).toBe(0);
  });

  it('through gd: α stays ≥ C where plain GD collapses it (App. F); gd equals plain GD while the clip never acts', () => {
    const model = create(); // λ₁ = 1, λ₂ = 0.001
    const theta0 = new Float64Array([0.45, 0.01, 0]);
    const plain = gd(model, theta0, { learningRate: 8, maxSteps: 140, record: { every: 1 } });
    // Without the clip α falls far below 0.45 within 140 steps (the first self-stabilization overshoots).
    const t = Float64Array.from(theta0);
    const g = new Float64Array(3);
    let minAlpha = Infinity;
    for (let k = 0; k < 140; k++) {
      model.lossAndGrad(t, g);
      for (let i = 0; i < 3; i++) t[i] -= 8 * g[i];
      minAlpha = Math.min(minAlpha, t[0]);
    }
    expect(Array.from(t)).toEqual(Array.from(plain.theta));
    expect(minAlpha).toBeLessThan(0.1);
    // With |α| ≥ 0.45 every iterate keeps α ≥ 0.45 (to one rounding).
    const transform = clipAlpha({ constant: 0.45 });
    let k = 0;
    const watch = chain(transform, {
      init: () => null,
      update: (grad, _s, ctx, out) => {
        if (!(ctx.theta[0] >= 0.45 - 1e-16)) throw new Error(`α = ${ctx.theta[0]} < C at step ${k}`);
        k++;
        if (out !== grad) out.set(grad);
        return out;
      },
    });
    const run = gd(model, theta0, { learningRate: 8, maxSteps: 3000, transform: watch });
    expect(run.status).toBe('max-steps');
    expect(run.theta[0]).toBeGreaterThanOrEqual(0.45 - 1e-16);
    // A small learning rate never triggers the clip: the run is plain GD bit for bit.
    const small = gd(model, theta0, { learningRate: 0.5, maxSteps: 500, transform: clipAlpha({ constant: 0.01 }) });
    const smallPlain = gd(model, theta0, { learningRate: 0.5, maxSteps: 500 });
    expect(Array.from(small.theta)).toEqual(Array.from(smallPlain.theta));
  });

  it('composes with other transforms and counts clipped steps in its state', () => {
    const model = create();
    const transform = clipAlpha({ constant: 0.45 });
    const state = transform.init(3);
    const theta = new Float64Array([0.45, 0.01, 0]);
    const g = new Float64Array(3);
    const ctx = { theta, learningRate: 8, step: 0 };
    for (let k = 0; k < 3000; k++) {
      model.lossAndGrad(theta, g);
      transform.update(g, state, ctx, g);
      for (let i = 0; i < 3; i++) theta[i] -= 8 * g[i];
    }
    expect(state.clippedSteps).toBeGreaterThan(0);
    const viaGd = gd(model, new Float64Array([0.45, 0.01, 0]), { learningRate: 8, maxSteps: 3000, transform: clipAlpha({ constant: 0.45 }) });
    expect(Array.from(viaGd.theta)).toEqual(Array.from(theta)); // the driver applies the transform the same way
    expect(() => gd(model, theta, { learningRate: 8, maxSteps: 10, transform: chain(clipAlpha({ constant: 0.4 }), clipByGlobalNorm({ maxNorm: 1 })) })).not.toThrow();
  });

  it('rejects bad options and models of another dimension', () => {
    expect(codeOf(() => clipAlpha(undefined as never))).toBe('E_BAD_OPTION');
    expect(codeOf(() => clipAlpha({ constant: 0 }))).toBe('E_BAD_OPTION');
    expect(codeOf(() => clipAlpha({ constant: 1, target: 'gradient' as never }))).toBe('E_BAD_OPTION');
    expect(codeOf(() => clipAlpha({ constant: 1, sides: 'three' as never }))).toBe('E_BAD_OPTION');
    expect(codeOf(() => clipAlpha({ constant: 1, target: 'value', sides: 'two' }))).toBe('E_BAD_OPTION');
    expect(codeOf(() => clipAlpha({ constant: 1 }).init(2))).toBe('E_DIM_MISMATCH');
  });
});
