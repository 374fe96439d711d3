/**
 * The diagonal-network classifier: option validation, the spec round trip through the registry, the losses'
 * values against their definitions (including margins far beyond exp's range), and the predictor/margins views.
 */
import { describe, expect, it } from 'vitest';
import { createModel } from '../../../src/core/registry.js';
import { createClassifier } from '../../../src/models/diagonal-net/classifier.js';
import { errorCode, thrown } from '../../helpers/errors.js';

const inputs = [
  [0, 0, 1],
  [1, 0, 1],
];

describe('diagonalNet.createClassifier', () => {
  it('rejects bad options with a code naming the argument', () => {
    expect(errorCode(() => createClassifier(undefined as never))).toBe('E_BAD_OPTION');
    expect(thrown(() => createClassifier({ inputs, labels: [0, 2] })).message).toContain('options.labels[1]');
    expect(errorCode(() => createClassifier({ inputs, labels: [0, -1] }))).toBe('E_BAD_OPTION');
    expect(errorCode(() => createClassifier({ inputs, labels: [0] }))).toBe('E_DIM_MISMATCH');
    expect(errorCode(() => createClassifier({ inputs, labels: 'ab' as never }))).toBe('E_BAD_OPTION');
    expect(errorCode(() => createClassifier({ inputs, labels: [0, 1], depth: 0 }))).toBe('E_BAD_OPTION');
    expect(errorCode(() => createClassifier({ inputs, labels: [0, 1], depth: 1.5 }))).toBe('E_BAD_OPTION');
    expect(errorCode(() => createClassifier({ inputs, labels: [0, 1], loss: 'hinge' as never }))).toBe('E_BAD_OPTION');
    expect(errorCode(() => createClassifier({ inputs, labels: [0, 1], parametrization: 'both' as never }))).toBe('E_BAD_OPTION');
    expect(errorCode(() => createClassifier({ inputs, labels: [0, 1], targets: [1] } as never))).toBe('E_BAD_OPTION');
    expect(errorCode(() => createClassifier({ inputs: [[0, NaN]], labels: [1] }))).toBe('E_NONFINITE');
    expect(errorCode(() => createClassifier({ inputs: [], labels: [] }))).toBe('E_EMPTY');
  });

  it('is rebuilt from its JSON spec by the registry, with the same loss', () => {
    const model = createClassifier({ inputs, labels: [0, 1], depth: 2, parametrization: 'difference', loss: 'exponential' });
    const again = createModel(JSON.parse(JSON.stringify(model.spec)));
    const theta = new Float64Array([0.3, -0.2, 0.7, 0.1, 0.4, -0.5]);
    expect(again.dim).toBe(6);
    expect(again.loss(theta)).toBe(model.loss(theta));
  });

  it('evaluates the losses by their definitions, without overflow at huge margins', () => {
    // Depth 1: margins m₁ = −b (label 0), m₂ = w̃₁ + b (label 1).
    const logistic = createClassifier({ inputs, labels: [0, 1] });
    const exponential = createClassifier({ inputs, labels: [0, 1], loss: 'exponential' });
    const theta = new Float64Array([2, 0, -0.5]);
    expect(logistic.loss(theta)).toBeCloseTo(0.5 * (Math.log(1 + Math.exp(-0.5)) + Math.log(1 + Math.exp(-1.5))), 15);
    expect(exponential.loss(theta)).toBeCloseTo(0.5 * (Math.exp(-0.5) + Math.exp(-1.5)), 15);
    // m = ±1000: ln(1 + e^{−1000}) = 0 and ln(1 + e^{1000}) = 1000 in float64.
    const far = new Float64Array([2000, 0, -1000]);
    expect(logistic.loss(far)).toBe(0);
    expect(logistic.loss(new Float64Array([-2000, 0, 1000]))).toBe(1000);
    const g = new Float64Array(3);
    logistic.lossAndGrad(new Float64Array([-2000, 0, 1000]), g);
    // ℓ′ = −1 on both points: ∇ = ½(−1·(−1)·x₁ + (−1)·x₂) = ½(x₁ − x₂) = (−½, 0, 0).
    expect(Array.from(g)).toEqual([-0.5, 0, 0]);
  });

  it('reports the predictor β(θ) and the signed margins', () => {
    const model = createClassifier({ inputs, labels: [0, 1], depth: 3, parametrization: 'difference' });
    const theta = new Float64Array([1, 2, -1, 0.5, 1, 1]);
    const beta = model.predictor(theta, new Float64Array(3));
    expect(Array.from(beta)).toEqual([1 - 0.125, 8 - 1, -1 - 1]);
    expect(Array.from(model.margins(theta, new Float64Array(2)))).toEqual([2, 0.875 - 2]);
  });
});
