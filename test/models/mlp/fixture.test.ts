/**
 * The 4-16-1 tanh MLP on 32 points against the numpy reference in test/fixtures/mlp/tanh-4-16-1.json, written by
 * test/fixtures/mlp/generate.py (run by hand): loss and gradient by a per-example numpy backpropagation, one HVP and
 * the dense Hessian's eigenvalues by complex-step differentiation of that gradient and LAPACK — not by the
 * R-operator this library uses. This test reads only the JSON.
 *
 * Tolerances: the loss and gradient are sums of 32 examples in a different order (relative error a few 1e-16;
 * rel 1e-13 of the largest entry leaves room); the HVP and eigenvalues compare two exact-to-rounding methods
 * (complex step, R-operator): 1e-12 of the largest entry / of λ_max.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { lanczos } from '../../../src/linalg/lanczos.js';
import { hessianOperator } from '../../../src/linalg/operator.js';
import { symmetricEigen } from '../../../src/linalg/symmetric-eigen.js';
import { create } from '../../../src/models/mlp/index.js';
import { sharpness } from '../../../src/sharpness/sharpness.js';
import { expectRelClose } from '../../../src/testing/index.js';

interface Fixture {
  layers: number[];
  activation: 'tanh';
  loss: 'mse';
  inputs: number[][];
  targets: number[][];
  theta: number[];
  v: number[];
  lossValue: number;
  gradient: number[];
  hvp: number[];
  eigenvaluesDescending: number[];
}

const here = dirname(fileURLToPath(import.meta.url));
const fx: Fixture = JSON.parse(readFileSync(join(here, '../../fixtures/mlp/tanh-4-16-1.json'), 'utf8'));
const maxAbs = (a: ArrayLike<number>) => Array.from(a).reduce((m, x) => Math.max(m, Math.abs(x)), 0);

describe('MLP 4-16-1 tanh against the numpy fixture', () => {
  const model = create({ layers: fx.layers, activation: fx.activation, loss: fx.loss, inputs: fx.inputs, targets: fx.targets });
  const theta = Float64Array.from(fx.theta);

  it('has the fixture dimensions: p = 16·5 + 1·17 = 97, n = 32', () => {
    expect(model.dim).toBe(97);
    expect(fx.theta.length).toBe(97);
    expect(model.examples).toBe(32);
  });

  it('loss and gradient', () => {
    const g = new Float64Array(model.dim);
    expectRelClose(model.lossAndGrad(theta, g), fx.lossValue, { rel: 1e-13, label: 'loss' });
    expectRelClose(g, fx.gradient, { rel: 0, abs: 1e-13 * maxAbs(fx.gradient), label: 'gradient' });
  });

  it('one Hessian-vector product', () => {
    const out = new Float64Array(model.dim);
    model.hvp(theta, Float64Array.from(fx.v), out);
    expectRelClose(out, fx.hvp, { rel: 0, abs: 1e-12 * maxAbs(fx.hvp), label: 'H v' });
  });

  it('eigenvalues of the dense Hessian (all 97), and the top 3 by Lanczos on HVPs', () => {
    const lambdaMax = fx.eigenvaluesDescending[0];
    const dense = symmetricEigen(model.hessian(theta)).values; // ascending
    const desc = Array.from(dense).reverse();
    expectRelClose(desc, fx.eigenvaluesDescending, { rel: 0, abs: 1e-12 * lambdaMax, label: 'dense spectrum' });
    const top = lanczos(hessianOperator(model, theta), { k: 3, tol: 1e-12 });
    expectRelClose(top.values, fx.eigenvaluesDescending.slice(0, 3), { rel: 0, abs: 1e-10 * lambdaMax, label: 'Lanczos top 3' });
    expectRelClose(sharpness(model, theta, { method: 'lanczos' }), lambdaMax, { rel: 1e-10, label: 'sharpness' });
  });
});
