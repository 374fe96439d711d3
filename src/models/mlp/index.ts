/**
 * Small fully connected networks (MLPs) with exact Hessian-vector products (Pearlmutter's R-operator), for
 * Cohen et al.'s edge of stability and [Conflicting biases]'s learning-rate sweeps on real data ([Conflicting biases, App. G–H]; docs/math.md
 * §4): the model factory `create`, the seeded initialization `init` (PyTorch's default), and `views` of each
 * layer's weights inside θ. Public as the `mlp` namespace of `eos-lab`; the data sets are in `datasets`.
 *
 * @example
 * ```ts
 * import { mlp, datasets, gd, sharpness } from 'eos-lab';
 * const model = mlp.create({ layers: [1, 16, 16, 1], activation: 'tanh', data: datasets.chebyshev() });
 * const theta0 = mlp.init(model, { seed: 0 });
 * const run = gd(model, theta0, { learningRate: 0.05, maxSteps: 200 });
 * console.log(run.loss, sharpness(model, run.theta, { method: 'lanczos' })); // lower loss; λ_max after 200 steps
 * ```
 * @module
 */
export { create, type MlpOptions, type MlpSpec, type MlpModel, type MlpActivation, type MlpLoss, type MlpParameterization } from './model.js';
export { init, type MlpInitOptions } from './init.js';
export { views, type MlpLayerView } from './views.js';
