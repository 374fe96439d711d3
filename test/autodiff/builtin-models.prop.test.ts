/**
 * Every built-in model re-expressed with `autodiff` (its loss written from the formula, `reexpressed.ts`) has the
 * same loss, gradient and Hessian-vector product as the hand-written kernels, to 1e-12 relative: ‖Δ‖∞ ≤ 1e-12·‖ref‖∞
 * for the vectors and |ΔL| ≤ 1e-12·|L| for the loss (both compute the same sums, in different association orders,
 * so the differences are a few ulps times the depth of the computation; 1e-12 ≈ 4500 ulps).
 *
 * Points are drawn away from the subnormal range (see `vector` in compare.ts: no relative accuracy is possible
 * there, and the first runs showed it). Runs: 1,000 per model family (fast-check, seed from vitest.setup.ts), the
 * MLP families and the CNN included (its convolutions as products with constant im2col selection matrices). `endOnFailure`: a failure is reported at once, unshrunk (shrinking an MLP case took over 5 minutes).
 *
 * Saturated softmax cross-entropy is included, with no allowance: both sides write it without cancellation (the
 * hand-written kernels with src/models/softmax-cross-entropy.ts, the re-expressions with the fused
 * `autodiff.softmaxCrossEntropy`). Until 0.2.0's fused operation the re-expression wrote Σ_c y_c (lse(f) − f_c),
 * whose reverse-mode adjoint μ·s_top − 1 cancels; that needed a tolerance of 16·ε·(1 + max|f|)·κ with
 * κ = maxᵢ 1/(1 − s_top,i) (7.5e-10 measured at κ ≈ 1e7) and skipped the 0.1–0.2% of draws where it exceeded
 * 1e-6. These draws (init scale 2, so κ reached 2e22) are now compared at 1e-12 like every other one.
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
import { create as cnnModel, init as cnnInit } from '../../src/models/cnn/index.js';
import type { LossModel } from '../../src/core/loss-model.js';
import { vector, worstDifference } from './compare.js';
import * as re from './reexpressed.js';

const TOL = 1e-12;
const RUNS = { numRuns: 1000, endOnFailure: true };

function expectAgree(auto: LossModel, hand: LossModel, theta: Float64Array, v: Float64Array, tol = TOL): void {
  const d = worstDifference(auto, hand, theta, v);
  expect(d.loss, `loss at θ = [${Array.from(theta)}]`).toBeLessThanOrEqual(tol);
  expect(d.grad, `gradient at θ = [${Array.from(theta)}]`).toBeLessThanOrEqual(tol);
  expect(d.hvp, `HVP at θ = [${Array.from(theta)}], v = [${Array.from(v)}]`).toBeLessThanOrEqual(tol);
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
      RUNS,
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
      RUNS,
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
      RUNS,
    );
  });

  for (const activation of ['tanh', 'relu'] as const) {
    for (const loss of ['mse', 'cross-entropy'] as const) {
      it(`MLP ${activation}, ${loss}: random widths, data and parameters`, () => {
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
          RUNS,
        );
      });
    }
  }

  it('CNN: random input shapes, conv depths, channels, kernel sizes, activations, losses, data and parameters', () => {
    fc.assert(
      fc.property(
        fc
          .record({
            c0: fc.integer({ min: 1, max: 2 }),
            h: fc.integer({ min: 4, max: 6 }),
            w: fc.integer({ min: 4, max: 6 }),
            kernelSize: fc.integer({ min: 1, max: 3 }),
            channels: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 2 }),
            outputs: fc.integer({ min: 1, max: 3 }),
            activation: fc.constantFrom('tanh' as const, 'relu' as const, 'identity' as const),
            loss: fc.constantFrom('mse' as const, 'cross-entropy' as const),
            examples: fc.integer({ min: 1, max: 3 }),
            seed: fc.integer({ min: 0, max: 1_000_000 }),
          })
          .filter((p) => p.h - p.channels.length * (p.kernelSize - 1) >= 2 && p.w - p.channels.length * (p.kernelSize - 1) >= 2),
        (p) => {
          const outputs = p.loss === 'cross-entropy' ? Math.max(2, p.outputs) : p.outputs;
          const r = rng(p.seed);
          const inputs = Array.from({ length: p.examples }, () => Array.from({ length: p.c0 * p.h * p.w }, () => r.normal()));
          const targets = inputs.map(() => {
            if (p.loss === 'mse') return Array.from({ length: outputs }, () => r.normal());
            const row = new Array<number>(outputs).fill(0);
            row[r.int(outputs)] = 1;
            return row;
          });
          const hand = cnnModel({ input: [p.c0, p.h, p.w], channels: p.channels, outputs, kernelSize: p.kernelSize, activation: p.activation, loss: p.loss, inputs, targets });
          const auto = re.cnn(hand.layout, p.activation, p.loss, inputs, targets);
          const theta = cnnInit(hand, { seed: p.seed, scale: 2 });
          const v = r.fillNormal(new Float64Array(hand.dim));
          expectAgree(auto, hand, theta, v);
        },
      ),
      RUNS,
    );
  });
});
