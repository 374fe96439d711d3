/**
 * A small convolutional network on a fixed image data set as a `LossModel`: exact gradient by backpropagation, exact
 * Hessian-vector products by Pearlmutter's R-operator, dense Hessian by p HVPs — the CNN of [Conflicting biases,
 * Fig. 5, App. H.2] at laptop scale.
 *
 * @module
 */
import { denseHessianFromHvps } from '../../linalg/hessian-from-hvps.js';
import type { NdArray } from 'ndarray';
import type { BatchView } from '../../core/batch-view.js';
import { rowsBatchView } from '../rows-batch-view.js';
import { EosLabError } from '../../core/errors.js';
import type { LossModel, ModelSpec } from '../../core/loss-model.js';
import { registerBuiltInModel } from '../../core/registry.js';
import { integerInRange, oneOf, optionsObject } from '../../core/validate.js';
import type { Dataset, DatasetDescriptor } from '../../data/dataset.js';
import { readNetworkData } from '../mlp/model.js';
import type { MlpActivation, MlpLoss } from '../mlp/network.js';
import { cnnLayout, type CnnLayout } from './layout.js';
import { createCnnNetwork } from './network.js';


const OPTION_KEYS = ['input', 'channels', 'outputs', 'kernelSize', 'activation', 'loss', 'inputs', 'targets', 'data'] as const;

/**
 * Options of {@link create}. Give the data either as `inputs` and `targets`, or as `data`.
 *
 * @since 0.2.0
 */
export interface CnnOptions {
  /** Input image shape [C₀, H₀, W₀]; each input row holds C₀·H₀·W₀ values in channel-major order (c, i, j) (required). */
  input: readonly [number, number, number];
  /** Output channels of the conv layers, input side first, e.g. [4, 8] (required, at least one). */
  channels: readonly number[];
  /** Number of network outputs K (classes for cross-entropy, target width for MSE) (required). */
  outputs: number;
  /**
   * Side k of the square conv kernels (stride 1, valid padding).
   * @defaultValue 3
   */
  kernelSize?: number;
  /**
   * Activation σ after every conv layer (the dense head is linear).
   * @defaultValue 'relu'
   */
  activation?: MlpActivation;
  /**
   * Training loss, as for `mlp.create`: `'mse'` L = (1/(2n)) Σᵢ ‖f(xᵢ) − yᵢ‖², `'cross-entropy'`
   * L = (1/n) Σᵢ Σ_c y_ic (logsumexp(f(xᵢ)) − f_c(xᵢ)).
   * @defaultValue 'mse'
   */
  loss?: MlpLoss;
  /**
   * Inputs: n rows of C₀·H₀·W₀ features (nested arrays or an [n, C₀H₀W₀] `ndarray`, copied).
   * @defaultValue none (then `data` is required)
   */
  inputs?: NdArray | readonly (readonly number[])[];
  /**
   * Targets: n rows of K values, or class labels in [0, K) (an `Int32Array`, or a plain array with cross-entropy
   * or K ≥ 2), turned into one-hot rows.
   * @defaultValue none (then `data` is required)
   */
  targets?: NdArray | readonly (readonly number[])[] | readonly number[] | Int32Array;
  /**
   * The data as a data set from `datasets` (e.g. `datasets.loadMnist({ resolution: 14 }).train`) or a descriptor;
   * the spec records the descriptor.
   * @defaultValue none (then `inputs` and `targets` are required)
   */
  data?: Dataset | DatasetDescriptor;
}

/**
 * The JSON-serializable recipe of a CNN model: `createModel(spec)` rebuilds it.
 *
 * @since 0.2.0
 */
export interface CnnSpec extends ModelSpec {
  readonly kind: 'cnn';
  readonly input: readonly [number, number, number];
  readonly channels: readonly number[];
  readonly outputs: number;
  readonly kernelSize: number;
  readonly activation: MlpActivation;
  readonly loss: MlpLoss;
  readonly data?: DatasetDescriptor;
  readonly inputs?: readonly (readonly number[])[];
  readonly targets?: readonly (readonly number[])[] | readonly number[];
}

/**
 * A CNN model: a {@link LossModel} over θ (layout in {@link CnnModel.layout}) with a dense `hessian` and the outputs.
 *
 * @since 0.2.0
 */
export interface CnnModel extends LossModel {
  readonly spec: CnnSpec;
  /** Number of training examples n. */
  readonly examples: number;
  /**
   * Where each layer's parameters live in θ: `conv[ℓ]` has `weightOffset` (kernel [C_out, C_in, k, k] row-major),
   * `biasOffset` and the feature-map shapes; `headWeightOffset` ([K, features] row-major), `headBiasOffset`.
   */
  readonly layout: CnnLayout;
  /** Dense p × p Hessian, column j = hvp(θ, e_j) (not symmetrized). Throws `E_NOT_SUPPORTED` for p > 4096. */
  hessian(theta: Float64Array): NdArray<Float64Array>;
  /** Writes f(xᵢ; θ) on the training inputs, an [n, K] row-major matrix, into `out` (length n·K) and returns `out`. */
  outputs(theta: Float64Array, out: Float64Array): Float64Array;
  /**
   * A {@link BatchView} over the same data: L_B = (1/|B|) Σ_{i∈B} ℓᵢ with the model's per-example loss. `select`
   * gathers the chosen input and target rows into the view's own buffers once per selection (the data set is never
   * copied); one network per distinct batch size is built on first use. Makes the CNN a `BatchableModel`, for
   * mini-batch SGD with `train`.
   * @since 0.2.0
   */
  createBatchView(): BatchView;
}

/**
 * Creates the training loss of a small convolutional network:
 * z_ℓ = K_ℓ ⋆ a_{ℓ−1} + b_ℓ (valid k × k cross-correlation, stride 1), a_ℓ = σ(z_ℓ) for ℓ = 1, …, m,
 * p = AvgPool₂ₓ₂(a_m) flattened channel-major, f(x; θ) = W p + b, and MSE L = (1/(2n)) Σᵢ ‖f(xᵢ) − yᵢ‖² or
 * cross-entropy L = (1/n) Σᵢ [logsumexp(f(xᵢ)) − ⟨yᵢ, f(xᵢ)⟩] — the CNN of [Conflicting biases, Fig. 5, App. H.2],
 * scaled down (that paper trains on CIFAR-10, which is not available here; 14 × 14 MNIST stands in).
 *
 * Gradient by backpropagation: δ_f = ∂L/∂f, ∂L/∂p = Wᵀδ_f, ∂L/∂a_m = pool*(∂L/∂p) (each pixel of a 2 × 2 window gets
 * ¼), δ_ℓ = ∂L/∂a_ℓ ⊙ σ'(z_ℓ), ∇K_ℓ[o, c, u, v] = Σ_{i,j} δ_ℓ[o, i, j] a_{ℓ−1}[c, i+u, j+v], ∂L/∂a_{ℓ−1} = K_ℓᵀ δ_ℓ
 * (the transposed correlation). HVP by the R-operator [Pearlmutter 1994] R(·) = d/dε (·)(θ + εv):
 * R(z_ℓ) = K_ℓ ⋆ R(a_{ℓ−1}) + V_ℓ ⋆ a_{ℓ−1} + c_ℓ, R(f) = W R(p) + V_W p + c, R(δ_f) = ∇²_f ℓ R(f),
 * R(δ_ℓ) = R(∂L/∂a_ℓ) ⊙ σ' + ∂L/∂a_ℓ ⊙ σ''(z_ℓ) R(z_ℓ), R(∇K_ℓ) = R(δ_ℓ) ⋆ a_{ℓ−1} + δ_ℓ ⋆ R(a_{ℓ−1}),
 * R(∂L/∂a_{ℓ−1}) = K_ℓᵀ R(δ_ℓ) + V_ℓᵀ δ_ℓ.
 *
 * @remarks
 * **Conventions.** As `mlp.create`: the MSE carries ½, averages over examples and sums over outputs; cross-entropy
 * uses a max-shifted log-sum-exp. Valid padding only (no zero padding), stride 1; the 2 × 2 average pooling drops
 * a last odd row/column (floor, as PyTorch's `AvgPool2d(2)`). The activation follows every conv layer, including
 * the last before pooling. **ReLU**: σ'' = 0 is used everywhere (as automatic differentiation does), so the HVP is
 * the Hessian wherever no pre-activation is exactly 0.
 * **Layout of θ.** For each conv layer its kernel [C_ℓ, C_{ℓ−1}, k, k] row-major (PyTorch's `Conv2d.weight`), then
 * its bias [C_ℓ]; then the head W [K, C_m·H_p·W_p] row-major (columns in PyTorch's `flatten` order (c, i, j)),
 * then b [K]. p = Σ_ℓ C_ℓ(C_{ℓ−1}k² + 1) + K(C_m H_p W_p + 1).
 * **Cost.** One forward pass costs about 2·Σ_ℓ C_ℓ C_{ℓ−1} k² H_ℓ W_ℓ flops per example; `lossAndGrad` about 3×,
 * `hvp` about 8× that. The loss is a mean of per-example terms, so the passes run example by example and the
 * scratch (four feature maps per layer, one example's worth) is allocated once here: the kernels allocate nothing
 * (one model object must not be used re-entrantly). `hessian` costs p HVPs and allocates the result. Kernels do not
 * validate their inputs (`LossModel` contract).
 * **Spec.** Registered under `'cnn'`: `createModel(model.spec)` rebuilds the model (from the data-set descriptor
 * when the data came from `datasets`).
 *
 * @param options - architecture, activation, loss and data.
 * @returns the model.
 * @throws EosLabError `E_BAD_OPTION` for an unknown option, a bad shape, kernel size, activation, loss or label,
 *   an image too small for the convolutions and pooling, cross-entropy with K < 2, negative cross-entropy targets,
 *   or data given both or neither ways; `E_DIM_MISMATCH` when the data's shape does not match `input`/`outputs`;
 *   `E_EMPTY` for no examples; `E_NONFINITE` for NaN/±Infinity in the data.
 * @example
 * ```ts
 * import { cnn } from 'eos-lab';
 * import { checkHvp } from 'eos-lab/testing';
 * const inputs = [0, 1, 2].map((s) => Array.from({ length: 36 }, (_, j) => Math.sin(s + j)));
 * const model = cnn.create({ input: [1, 6, 6], channels: [2], outputs: 3, activation: 'tanh', loss: 'cross-entropy', inputs, targets: [0, 1, 2] });
 * const theta = cnn.init(model, { seed: 0 });
 * console.log(model.dim, checkHvp(model, theta, theta).pass); // 20 + 3·(2·2·2 + 1) = 47, true
 * ```
 * @since 0.2.0
 */
export function create(options: CnnOptions): CnnModel {
  const fn = 'cnn.create';
  const o = optionsObject(fn, options, OPTION_KEYS);
  const kernelSize = o.kernelSize === undefined ? 3 : integerInRange(fn, 'options.kernelSize', o.kernelSize, 1, 64);
  const layout = cnnLayout(fn, o.input, o.channels, kernelSize, o.outputs);
  const activation = o.activation === undefined ? 'relu' : oneOf(fn, 'options.activation', o.activation, ['tanh', 'relu', 'identity'] as const);
  const loss = o.loss === undefined ? 'mse' : oneOf(fn, 'options.loss', o.loss, ['mse', 'cross-entropy'] as const);
  const d = layout.input[0] * layout.input[1] * layout.input[2];
  const k = layout.outputs;
  if (loss === 'cross-entropy' && k < 2) {
    throw new EosLabError('E_BAD_OPTION', fn, { argument: 'options.outputs', value: k, expected: 'at least 2 outputs for cross-entropy' });
  }
  const { X, Y, n, stored } = readNetworkData(fn, o, loss, d, k, 'C₀·H₀·W₀, the input size', 'outputs');
  const spec: CnnSpec = Object.freeze({
    kind: 'cnn',
    input: layout.input,
    channels: Object.freeze((o.channels as number[]).slice()),
    outputs: k,
    kernelSize,
    activation,
    loss,
    ...stored,
  });
  const net = createCnnNetwork(layout, activation, loss, X, Y, n);
  const p = layout.dim;
  return {
    spec,
    dim: p,
    examples: n,
    layout,
    loss: net.loss,
    lossAndGrad: net.lossAndGrad,
    hvp: net.hvp,
    hessian: (theta: Float64Array): NdArray<Float64Array> => denseHessianFromHvps('cnn model hessian', p, net.hvp, theta),
    outputs(theta: Float64Array, out: Float64Array): Float64Array {
      net.outputs(theta, out);
      return out;
    },
    createBatchView: () => createCnnBatchView(spec, layout, activation, loss, X, Y, n),
  };
}

/**
 * The CNN's {@link BatchView}, as the MLP's: `select` gathers the |B| chosen input rows (C₀H₀W₀ entries) and target
 * rows (K) into buffers of n rows owned by the view (O(|B|(C₀H₀W₀ + K)) per selection) and a network over their first
 * |B| rows evaluates L_B, ∇L_B and HVPs; one network (one example's scratch) per distinct batch size.
 */
function createCnnBatchView(spec: CnnSpec, layout: CnnLayout, activation: MlpActivation, loss: MlpLoss, X: Float64Array, Y: Float64Array, n: number): BatchView {
  return rowsBatchView('cnn', spec, layout.dim, X, Y, n, (x, y, m) => createCnnNetwork(layout, activation, loss, x, y, m));
}

registerBuiltInModel('cnn', (spec: ModelSpec) => {
  const { kind: _kind, ...options } = spec;
  return create(options as unknown as CnnOptions);
});
