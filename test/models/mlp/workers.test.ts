/**
 * An MLP spec carries its data by descriptor, so worker threads rebuild the model (and reload the MNIST slice)
 * with createModel: lrSweep on 2 workers gives the same results as in this thread, bit for bit.
 */
import { describe, expect, it } from 'vitest';
import { loadMnist } from '../../../src/data/mnist.js';
import { lrSweep } from '../../../src/experiments/lr-sweep/index.js';
import { create, init } from '../../../src/models/mlp/index.js';

describe('MLP models on worker threads', () => {
  it('lrSweep over an MNIST-slice MLP gives identical results with 0 and 2 workers', async () => {
    const { train } = loadMnist({ perClass: 4, testPerClass: 0, classes: [1, 7], resolution: 7 });
    const model = create({ layers: [49, 6, 2], activation: 'relu', loss: 'mse', data: train });
    expect(JSON.stringify(model.spec).length).toBeLessThan(300); // the descriptor, not 8 × 49 pixels
    const theta0 = init(model, { seed: 2 });
    const options = { lossGoal: 0.05, learningRates: [0.05, 0.2, 0.4, 0.8], maxSteps: 5000, sharpness: { method: 'lanczos' as const, tol: 1e-8 } };
    const serial = await lrSweep(model, theta0, options);
    const threaded = await lrSweep(model, theta0, { ...options, workers: 2 });
    expect(serial.runs.map((r) => r.status)).toContain('converged');
    expect(JSON.stringify(threaded)).toBe(JSON.stringify(serial));
  });
});
