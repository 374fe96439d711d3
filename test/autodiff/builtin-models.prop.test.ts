/**
 * Every built-in model re-expressed with `autodiff` (its loss written from the formula, `reexpressed.ts`) has the
 * same loss, gradient and Hessian-vector product as the hand-written kernels, to 1e-12 relative: ‖Δ‖∞ ≤ 1e-12·‖ref‖∞
 * for the vectors and |ΔL| ≤ 1e-12·|L| for the loss (both compute the same sums, in different association orders,
 * so the differences are a few ulps times the depth of the computation; 1e-12 ≈ 4500 ulps).
 *
 * Points are drawn away from the subnormal range (see `vector` in compare.ts: no relative accuracy is possible
 * there, and the first runs showed it). Runs: 1,000 per model family (fast-check, seed from vitest.setup.ts); the MLP families 300 each (a trace and
 * compile per architecture costs milliseconds, and the graphs are larger), stated here as the issue asks.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromFunction } from '../../src/autodiff/from-function.js';
import { rng } from '../../src/core/rng.js';
import { create as scalarFactorizationModel } from '../../src/models/scalar-factorization/model.js';
import { create as diagonalNetModel } from '../../src/models/diagonal-net/model.js';
import { createQuadraticFormModel, create as widthOneNetModel } from '../../src/models/width-one-net/model.js';
import { create as mlpModel, init as mlpInit } from '../../src/models/mlp/index.js';
import { mlpLossFunction } from '../../src/models/mlp/autodiff-form.js';
import type { LossModel } from '../../src/core/loss-model.js';
import { vector, worstDifference } from './compare.js';
import * as re from './reexpressed.js';

const TOL = 1e-12;

function expectAgree(auto: LossModel, hand: LossModel, theta: Float64Array, v: Float64Array): void {
  const d = worstDifference(auto, hand, theta, v);
  expect(d.loss, `loss at θ = [${Array.from(theta)}]`).toBeLessThanOrEqual(TOL);
  expect(d.grad, `gradient at θ = [${Array.from(theta)}]`).toBeLessThanOrEqual(TOL);
  expect(d.hvp, `HVP at θ = [${Array.from(theta)}], v = [${Array.from(v)}]`).toBeLessThanOrEqual(TOL);
}

describe('built-in models re-expressed with autodiff agree with the hand-written kernels to 1e-12', () => {
  it('scalar factorization ½(c − ∏wᵢ)², depths 2–24', () => {
    const cache = new Map<string, [LossModel, LossModel]>();
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 24 }).chain((depth) =>
          fc.tuple(fc.constant(depth), fc.constantFrom(1, -2, 0.5), vector(depth, 2), vector(depth, 1)),
        ),
        ([depth, target, theta, v]) => {
          const key = `${depth}/${target}`;
          let pair = cache.get(key);
          if (!pair) cache.set(key, (pair = [re.scalarFactorization(depth, target), scalarFactorizationModel({ depth, target })]));
          expectAgree(pair[0], pair[1], theta, v);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('diagonal nets, shared and difference, depths 2–5, random data', () => {
    fc.assert(
      fc.property(
        fc.record({
          n: fc.integer({ min: 1, max: 5 }),
          d: fc.integer({ min: 1, max: 6 }),
          depth: fc.integer({ min: 2, max: 5 }),
          parametrization: fc.constantFrom('shared' as const, 'difference' as const),
          seed: fc.integer({ min: 0, max: 1_000_000 }),
        }),
        ({ n, d, depth, parametrization, seed }) => {
          const r = rng(seed);
          const inputs = Array.from({ length: n }, () => Array.from({ length: d }, () => r.normal()));
          const targets = Array.from({ length: n }, () => r.normal());
          const dim = parametrization === 'shared' ? d : 2 * d;
          const theta = r.fillNormal(new Float64Array(dim));
          const v = r.fillNormal(new Float64Array(dim));
          expectAgree(re.diagonalNet(inputs, targets, depth, parametrization), diagonalNetModel({ inputs, targets, depth, parametrization }), theta, v);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('width-one net: population and general second moments', () => {
    const population = widthOneNetModel({ varianceIrrelevant: 1, varianceRelevant: 1e-3 });
    const populationAuto = re.widthOneNet(1, 0, 1e-3);
    fc.assert(
      fc.property(vector(3, 5), vector(3, 1), fc.double({ min: 0.1, max: 3, noNaN: true }), fc.double({ min: -0.3, max: 0.3, noNaN: true }).map((x) => (Math.abs(x) < 1e-3 ? 0 : x)), fc.double({ min: 0.1, max: 3, noNaN: true }), (theta, v, s11, s12, s22) => {
        expectAgree(populationAuto, population, theta, v);
        const general = createQuadraticFormModel({ kind: 'test' }, s11, s12, s22);
        expectAgree(re.widthOneNet(s11, s12, s22), general, theta, v);
      }),
      { numRuns: 1000 },
    );
  });

  for (const activation of ['tanh', 'relu'] as const) {
    for (const loss of ['mse', 'cross-entropy'] as const) {
      it(`MLP ${activation}, ${loss}: random widths, data and parameters (300 runs)`, () => {
        fc.assert(
          fc.property(
            fc.record({
              layers: fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 2, maxLength: 4 }),
              examples: fc.integer({ min: 1, max: 9 }),
              seed: fc.integer({ min: 0, max: 1_000_000 }),
            }),
            ({ layers, examples, seed }) => {
              if (loss === 'cross-entropy' && layers[layers.length - 1] < 2) layers[layers.length - 1] = 2;
              const r = rng(seed);
              const d = layers[0];
              const k = layers[layers.length - 1];
              const X = r.fillNormal(new Float64Array(examples * d));
              const Y = new Float64Array(examples * k);
              if (loss === 'mse') r.fillNormal(Y);
              else for (let i = 0; i < examples; i++) Y[i * k + r.int(k)] = 1;
              const rows = (a: Float64Array, c: number) => Array.from({ length: examples }, (_, i) => Array.from(a.subarray(i * c, (i + 1) * c)));
              const hand = mlpModel({ layers, activation, loss, inputs: rows(X, d), targets: rows(Y, k) });
              const auto = fromFunction(hand.dim, mlpLossFunction(layers, activation, loss, X, Y, examples));
              const theta = mlpInit(hand, { seed, scale: 2 });
              const v = r.fillNormal(new Float64Array(hand.dim));
              expectAgree(auto, hand, theta, v);
            },
          ),
          { numRuns: 300 },
        );
      });
    }
  }
});
