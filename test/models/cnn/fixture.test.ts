/**
 * The CNN against the numpy reference in test/fixtures/cnn/tanh-cnn.json, written by test/fixtures/cnn/generate.py
 * (run by hand): a [2, 8, 7] input (odd width, so the floor pooling drops a column), tanh conv layers [3, 2], a
 * dense head to 3 outputs, cross-entropy (probability-row targets) and MSE. Loss and gradient by a numpy forward pass
 * and hand-written reverse pass; the HVP and the dense Hessian's eigenvalues by complex-step differentiation of that
 * gradient and LAPACK — not by the R-operator this library uses. This test reads only the JSON.
 *
 * Tolerances: loss and gradient are sums in a different order (rel 1e-13 of the largest entry); HVP and eigenvalues
 * compare two exact-to-rounding methods: 1e-12 of the largest entry / of λ_max.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { symmetricEigen } from '../../../src/linalg/symmetric-eigen.js';
import { create } from '../../../src/models/cnn/index.js';
import { expectRelClose } from '../../../src/testing/index.js';

interface Case {
  loss: 'mse' | 'cross-entropy';
  targets: number[][];
  theta: number[];
  v: number[];
  lossValue: number;
  gradient: number[];
  hvp: number[];
  eigenvaluesDescending: number[];
}
interface Fixture {
  input: [number, number, number];
  channels: number[];
  outputs: number;
  kernelSize: number;
  activation: 'tanh';
  inputs: number[][];
  cases: Case[];
}

const here = dirname(fileURLToPath(import.meta.url));
const fx: Fixture = JSON.parse(readFileSync(join(here, '../../fixtures/cnn/tanh-cnn.json'), 'utf8'));
const maxAbs = (a: ArrayLike<number>) => Array.from(a).reduce((m, x) => Math.max(m, Math.abs(x)), 0);

describe.each(fx.cases)('CNN [2,8,7] → tanh conv [3, 2] → pool → 3 outputs, $loss, against the numpy fixture', (c) => {
  const model = create({ input: fx.input, channels: fx.channels, outputs: fx.outputs, kernelSize: fx.kernelSize, activation: fx.activation, loss: c.loss, inputs: fx.inputs, targets: c.targets });
  const theta = Float64Array.from(c.theta);

  it('has p = 3·(2·9+1) + 2·(3·9+1) + 3·(2·2·1+1) = 128 parameters', () => {
    expect(model.dim).toBe(128);
    expect(c.theta.length).toBe(128);
  });

  it('loss and gradient', () => {
    const g = new Float64Array(model.dim);
    expectRelClose(model.lossAndGrad(theta, g), c.lossValue, { rel: 1e-13, label: 'loss' });
    expectRelClose(model.loss(theta), c.lossValue, { rel: 1e-13, label: 'loss()' });
    expectRelClose(g, c.gradient, { rel: 0, abs: 1e-13 * maxAbs(c.gradient), label: 'gradient' });
  });

  it('one Hessian-vector product and the dense spectrum', () => {
    const out = new Float64Array(model.dim);
    model.hvp(theta, Float64Array.from(c.v), out);
    expectRelClose(out, c.hvp, { rel: 0, abs: 1e-12 * maxAbs(c.hvp), label: 'H v' });
    const lambdaMax = c.eigenvaluesDescending[0];
    const desc = Array.from(symmetricEigen(model.hessian(theta)).values).reverse();
    expectRelClose(desc, c.eigenvaluesDescending, { rel: 0, abs: 1e-12 * lambdaMax, label: 'dense spectrum' });
  });
});
