/**
 * A small convolutional network with exact Hessian-vector products (Pearlmutter's R-operator), for the CNN claims
 * of [Conflicting biases, Fig. 5, App. H.2] on 14 × 14 MNIST: the model factory `create` (conv layers, 2 × 2 average
 * pooling, dense head) and the seeded initialization `init` (PyTorch's default). Public as the `cnn` namespace of
 * `eos-lab`.
 *
 * @example
 * ```ts
 * import { cnn, gd } from 'eos-lab';
 * const inputs = [0, 1, 2, 3].map((s) => Array.from({ length: 49 }, (_, j) => Math.cos(s * j)));
 * const model = cnn.create({ input: [1, 7, 7], channels: [2, 2], outputs: 1, activation: 'tanh', inputs, targets: [[1], [0], [-1], [0.5]] });
 * const run = gd(model, cnn.init(model, { seed: 0 }), { learningRate: 0.1, maxSteps: 100 });
 * console.log(run.loss < model.loss(cnn.init(model, { seed: 0 }))); // true
 * ```
 * @module
 */
export { create, type CnnOptions, type CnnSpec, type CnnModel } from './model.js';
export { init, type CnnInitOptions } from './init.js';
export type { CnnLayout, ConvSlot } from './layout.js';
