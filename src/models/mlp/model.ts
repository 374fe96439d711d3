/**
 * Fully connected networks (MLPs) on a fixed data set as a `LossModel`: exact gradient by backpropagation, exact
 * Hessian-vector products by Pearlmutter's R-operator, dense Hessian by p HVPs, third-order term by `autodiff`
 * ([Conflicting biases, App. G–H]; docs/math.md §4).
 *
 * @module
 */
import { denseHessianFromHvps } from '../../linalg/hessian-from-hvps.js';
import type { NdArray } from 'ndarray';
import { EosLabError } from '../../core/errors.js';
import type { BatchView } from '../../core/batch-view.js';
import { rowsBatchView } from '../rows-batch-view.js';
import type { LossModel, ModelSpec } from '../../core/loss-model.js';
import { registerBuiltInModel, specKeys } from '../../core/registry.js';
import { oneOf, optionKeys, optionsObject } from '../../core/validate.js';
import type { Dataset, DatasetDescriptor } from '../../data/dataset.js';
import { loadDataset } from '../../data/load.js';
import { fromFunction, type FunctionModel } from '../../autodiff/from-function.js';
import { mlpLossFunction } from './autodiff-form.js';
import { validateLayers } from './layout.js';
import { createNetwork, type MlpActivation, type MlpLoss, type MlpNetwork } from './network.js';
import { multiplierVector, parameterized, type MlpParameterization } from './parameterization.js';

export type { MlpActivation, MlpLoss } from './network.js';
export type { MlpParameterization } from './parameterization.js';


/**
 * Options of {@link create}. Give the data either as `inputs` and `targets`, or as `data`.
 *
 * @since 0.1.0
 */
export interface MlpOptions {
  /** Layer widths [d, h₁, …, h_{L−1}, k]: input dimension, hidden widths, output dimension (required). */
  layers: readonly number[];
  /**
   * Activation σ of the hidden layers (the output layer is linear).
   * @defaultValue 'tanh'
   */
  activation?: MlpActivation;
  /**
   * Training loss. `'mse'`: L = (1/(2n)) Σᵢ ‖f(xᵢ) − yᵢ‖² (½·mean over examples of the squared error summed over
   * outputs, Cohen et al.'s convention). `'cross-entropy'`: L = (1/n) Σᵢ Σ_c y_ic (log Σ_c' e^{f_c'(xᵢ)} − f_c(xᵢ)),
   * the mean softmax cross-entropy (yᵢ a one-hot or probability row).
   * @defaultValue 'mse'
   */
  loss?: MlpLoss;
  /**
   * Inputs X: n rows of d = layers[0] features, as nested arrays or an [n, d] `ndarray` (copied).
   * @defaultValue none (then `data` is required)
   */
  inputs?: NdArray | readonly (readonly number[])[];
  /**
   * Targets: n rows of k = layers[L] values (nested arrays or an [n, k] `ndarray`), or class labels — an
   * `Int32Array`, or a plain array with cross-entropy or with k ≥ 2 — in [0, k), turned into one-hot rows.
   * With MSE and k = 1 a plain array holds the n regression targets.
   * @defaultValue none (then `data` is required)
   */
  targets?: NdArray | readonly (readonly number[])[] | readonly number[] | Int32Array;
  /**
   * The data as a data set from `datasets` (its descriptor goes into the spec, not its arrays) or as a
   * descriptor such as `{ dataset: 'chebyshev', points: 20, degree: 4 }` (loaded with `datasets.loadDataset`). The
   * arrays of a data set are used as they are now, but the spec records its descriptor, so a data set whose arrays
   * you changed should be passed as `inputs` and `targets` instead.
   * @defaultValue none (then `inputs` and `targets` are required)
   */
  data?: Dataset | DatasetDescriptor;
  /**
   * Forward parameterization [Conflicting biases, App. H.7]: layer ℓ computes z_ℓ = c_ℓ W_ℓ a_{ℓ−1} + b_ℓ with
   * `'standard'` c_ℓ = 1; `'ntk'` (kernel parameterization, Jacot et al. 2018) c_ℓ = 1/√n_{ℓ−1} on every layer;
   * `'mup'` (μP, Yang et al. 2022) c_ℓ = 1/√n_{ℓ−1} on the hidden layers and c_L = 1/n_{L−1} on the output layer —
   * the kernel output further rescaled by 1/√n_{L−1}, as App. H.7 describes. Biases are not rescaled. θ stores the
   * W_ℓ themselves, so ‖θ‖ and the Hessian are those of the parameterization. Pair `'ntk'`/`'mup'` with
   * `mlp.init(model, { scheme: 'standard-normal' })` (W_ij ~ N(0, 1), the paper's initialization for both).
   * See `docs/mlp.md` for how this reads App. H.7.
   * @defaultValue 'standard'
   * @since 0.2.0
   */
  parameterization?: MlpParameterization;
}

/**
 * The JSON-serializable recipe of an MLP model: `createModel(spec)` rebuilds it. The data are stored by
 * descriptor (`data`) when they came from a built-in data set, otherwise inline (`inputs`, `targets`).
 *
 * @since 0.1.0
 */
export interface MlpSpec extends ModelSpec {
  readonly kind: 'mlp';
  readonly layers: readonly number[];
  readonly activation: MlpActivation;
  readonly loss: MlpLoss;
  /** The forward parameterization; absent means `'standard'`. @since 0.2.0 */
  readonly parameterization?: MlpParameterization;
  /** The data-set recipe, when the data came from one. */
  readonly data?: DatasetDescriptor;
  /** Inline inputs (n rows of d numbers), otherwise. */
  readonly inputs?: readonly (readonly number[])[];
  /** Inline targets: n rows of k numbers, or n labels (or n values when k = 1 with MSE). */
  readonly targets?: readonly (readonly number[])[] | readonly number[];
}

/**
 * An MLP model: a {@link LossModel} over the flat parameter vector θ (layout of {@link views}) with a dense
 * `hessian` and the network outputs.
 *
 * @since 0.1.0
 */
export interface MlpModel extends LossModel {
  readonly spec: MlpSpec;
  /** The widths [d, h₁, …, k]. */
  readonly layers: readonly number[];
  /** Number of training examples n. */
  readonly examples: number;
  /**
   * Dense p × p Hessian, column j = hvp(θ, e_j) (p HVPs; symmetric up to rounding, not symmetrized). Throws
   * `E_NOT_SUPPORTED` for p > 4096.
   */
  hessian(theta: Float64Array): NdArray<Float64Array>;
  /**
   * Writes the network outputs f(xᵢ; θ) on the training inputs, an [n, k] row-major matrix, into `out`
   * (length n·k; a kernel: not validated) and returns `out`.
   */
  outputs(theta: Float64Array, out: Float64Array): Float64Array;
  /**
   * A {@link BatchView} over the same data: L_B = (1/|B|) Σ_{i∈B} ℓᵢ with the model's per-example loss. `select`
   * gathers the chosen rows into the view's own buffers once per selection (the data set is never copied); see
   * the guide "Optimizers, schedules and thresholds".
   * @since 0.2.0
   */
  createBatchView(): BatchView;
  /**
   * Writes the third-order term ∇³L(θ)[u, v] = ∇_θ(uᵀ∇²L(θ)v) into `out`, by automatic differentiation of the same
   * network written with `autodiff` (`fromFunction`); exact up to rounding, also where the softmax of a
   * cross-entropy model saturates (the loss is written with the fused `autodiff.softmaxCrossEntropy`: within 1e-12
   * relative of a 60/80-digit reference at losses down to 7.7e-22). The first call records and compiles the
   * computation (O(p + n·Σ n_ℓ) memory); later calls allocate nothing. For ReLU, σ'' = σ''' = 0 (as in `hvp`).
   * Under the NTK or μP parameterization L(θ) = L_std(Cθ), so ∇³L(θ)[u, v] = C ∇³L_std(Cθ)[Cu, Cv].
   * @since 0.2.0
   */
  thirdOrder(theta: Float64Array, u: Float64Array, v: Float64Array, out: Float64Array): void;
}

function isNdArray(x: unknown): x is NdArray {
  return x !== null && typeof x === 'object' && Array.isArray((x as NdArray).shape) && 'data' in (x as object) && Array.isArray((x as NdArray).stride);
}

/** Copies a matrix input into a contiguous row-major Float64Array, checking its shape and finiteness. @internal (also used by the CNN) */
export function readMatrix(fn: string, argument: string, x: unknown, cols: number, colsName: string, rows?: number): { data: Float64Array; rows: number } {
  let n: number;
  let data: Float64Array;
  if (isNdArray(x)) {
    if (x.shape.length !== 2) {
      throw new EosLabError('E_DIM_MISMATCH', fn, { argument: `${argument}.shape`, value: x.shape, expected: `[n, ${cols}] (a 2-d array)` });
    }
    const [r, c] = x.shape;
    if (c !== cols) {
      throw new EosLabError('E_DIM_MISMATCH', fn, { argument: `${argument}.shape[1]`, value: c, expected: `${cols} (${colsName})` });
    }
    n = r;
    data = new Float64Array(n * cols);
    const [s0, s1] = x.stride;
    const src = x.data as ArrayLike<number>;
    const last = x.offset + (n - 1) * s0 + (cols - 1) * s1;
    if (n > 0 && (x.offset < 0 || last >= src.length || last < 0)) {
      throw new EosLabError('E_DIM_MISMATCH', fn, { argument: `${argument}.data.length`, value: src.length, expected: `enough entries for shape [${n}, ${cols}]` });
    }
    for (let i = 0; i < n; i++) for (let j = 0; j < cols; j++) data[i * cols + j] = src[x.offset + i * s0 + j * s1];
  } else if (Array.isArray(x)) {
    n = x.length;
    data = new Float64Array(n * cols);
    for (let i = 0; i < n; i++) {
      const row = x[i];
      if (!Array.isArray(row) && !ArrayBuffer.isView(row)) {
        throw new EosLabError('E_BAD_OPTION', fn, { argument: `${argument}[${i}]`, value: row, expected: `an array of ${cols} numbers` });
      }
      const r = row as ArrayLike<unknown>;
      if (r.length !== cols) {
        throw new EosLabError('E_DIM_MISMATCH', fn, { argument: `${argument}[${i}].length`, value: r.length, expected: `${cols} (${colsName})` });
      }
      for (let j = 0; j < cols; j++) {
        const v = r[j];
        if (typeof v !== 'number') {
          throw new EosLabError('E_BAD_OPTION', fn, { argument: `${argument}[${i}][${j}]`, value: v, expected: 'a finite number' });
        }
        data[i * cols + j] = v;
      }
    }
  } else {
    throw new EosLabError('E_BAD_OPTION', fn, { argument, value: x, expected: `an [n, ${cols}] ndarray or an array of rows` });
  }
  if (n === 0) throw new EosLabError('E_EMPTY', fn, { argument: `${argument}.length`, value: 0, expected: 'at least one example' });
  if (rows !== undefined && n !== rows) {
    throw new EosLabError('E_DIM_MISMATCH', fn, { argument: `${argument}.length`, value: n, expected: `${rows} (one row per example of inputs)` });
  }
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) {
      throw new EosLabError('E_NONFINITE', fn, { argument: `${argument}[${Math.floor(i / cols)}][${i % cols}]`, value: data[i], expected: 'a finite number' });
    }
  }
  return { data, rows: n };
}

/** One-hot rows from labels in [0, k). @internal (also used by the CNN) */
export function oneHot(fn: string, argument: string, labels: ArrayLike<unknown>, k: number, rows: number): Float64Array {
  if (labels.length !== rows) {
    throw new EosLabError('E_DIM_MISMATCH', fn, { argument: `${argument}.length`, value: labels.length, expected: `${rows} (one label per example of inputs)` });
  }
  const y = new Float64Array(rows * k);
  for (let i = 0; i < rows; i++) {
    const c = labels[i];
    if (typeof c !== 'number' || !Number.isInteger(c) || c < 0 || c >= k) {
      throw new EosLabError('E_BAD_OPTION', fn, { argument: `${argument}[${i}]`, value: c, expected: `a class label, an integer in [0, ${k}) (k = layers[L])` });
    }
    y[i * k + c] = 1;
  }
  return y;
}

/**
 * The training data of a network model (`mlp`, `cnn`): either `data` (a data set or a descriptor, loaded) or inline
 * `inputs` and `targets` (rows of values; class labels become one-hot rows), read into row-major X [n, d] and
 * Y [n, k], with what the spec stores to rebuild it (the descriptor, or the rows). Cross-entropy targets must be
 * non-negative. `inputName`/`outputName` describe d and k in error messages. @internal
 */
export function readNetworkData(
  fn: string,
  o: { readonly inputs?: unknown; readonly targets?: unknown; readonly data?: unknown },
  loss: MlpLoss,
  d: number,
  k: number,
  inputName: string,
  outputName: string,
): { X: Float64Array; Y: Float64Array; n: number; stored: { data?: DatasetDescriptor; inputs?: number[][]; targets?: number[][] | number[] } } {
  const inline = o.inputs !== undefined || o.targets !== undefined;
  if (inline === (o.data !== undefined)) {
    throw new EosLabError('E_BAD_OPTION', fn, {
      argument: 'options.data',
      value: o.data === undefined ? 'missing, and no inputs/targets' : 'given together with inputs/targets',
      expected: 'either `data` (a data set or descriptor) or both `inputs` and `targets`, not both and not neither',
    });
  }
  let X: Float64Array;
  let Y: Float64Array;
  let n: number;
  let stored: { data?: DatasetDescriptor; inputs?: number[][]; targets?: number[][] | number[] };
  if (inline) {
    if (o.inputs === undefined || o.targets === undefined) {
      throw new EosLabError('E_BAD_OPTION', fn, {
        argument: o.inputs === undefined ? 'options.inputs' : 'options.targets',
        value: undefined,
        expected: 'given: inline data need both inputs and targets',
      });
    }
    ({ data: X, rows: n } = readMatrix(fn, 'options.inputs', o.inputs, d, inputName));
    const t = o.targets;
    const asLabels = t instanceof Int32Array || (Array.isArray(t) && t.length > 0 && !Array.isArray(t[0]) && (loss === 'cross-entropy' || k >= 2));
    const asValues = !asLabels && Array.isArray(t) && t.length > 0 && !Array.isArray(t[0]); // MSE, k = 1
    if (asLabels) {
      Y = oneHot(fn, 'options.targets', t as ArrayLike<unknown>, k, n);
      stored = { inputs: matrixRows(X, n, d), targets: Array.from(t as ArrayLike<number>) };
    } else if (asValues) {
      ({ data: Y } = readMatrix(fn, 'options.targets', (t as readonly number[]).map((v) => [v]), 1, outputName, n));
      stored = { inputs: matrixRows(X, n, d), targets: Array.from(Y) };
    } else {
      ({ data: Y } = readMatrix(fn, 'options.targets', t, k, outputName, n));
      stored = { inputs: matrixRows(X, n, d), targets: matrixRows(Y, n, k) };
    }
  } else {
    const given = o.data as Dataset | DatasetDescriptor;
    const dataset: Dataset =
      given !== null && typeof given === 'object' && 'inputs' in given ? (given as Dataset) : loadDataset(given as DatasetDescriptor);
    ({ data: X, rows: n } = readMatrix(fn, 'options.data.inputs', dataset.inputs, d, inputName));
    ({ data: Y } = readMatrix(fn, 'options.data.targets', dataset.targets, k, outputName, n));
    stored = dataset.descriptor !== undefined ? { data: dataset.descriptor } : { inputs: matrixRows(X, n, d), targets: matrixRows(Y, n, k) };
  }
  if (loss === 'cross-entropy') {
    for (let i = 0; i < Y.length; i++) {
      if (Y[i] < 0) {
        throw new EosLabError('E_BAD_OPTION', fn, {
          argument: `targets[${Math.floor(i / k)}][${i % k}]`,
          value: Y[i],
          expected: 'a non-negative number (cross-entropy targets are one-hot or probability rows)',
        });
      }
    }
  }
  return { X, Y, n, stored };
}

/** @internal (also used by the CNN) */
export function matrixRows(data: Float64Array, rows: number, cols: number): number[][] {
  return Array.from({ length: rows }, (_, i) => Array.from(data.subarray(i * cols, (i + 1) * cols)));
}

/**
 * Creates the training loss of a fully connected network on a fixed data set:
 * f(x; θ) = W_L σ(… σ(W₁x + b₁) …) + b_L, and
 * MSE L(θ) = (1/(2n)) Σᵢ ‖f(xᵢ; θ) − yᵢ‖² or cross-entropy L(θ) = (1/n) Σᵢ [logsumexp(f(xᵢ; θ)) − ⟨yᵢ, f(xᵢ; θ)⟩]
 * (for probability rows yᵢ), with exact derivatives ([Conflicting biases, App. G–H]; docs/math.md §4).
 *
 * Gradient by backpropagation, δ_L = ∂L/∂f, δ_{ℓ−1} = (δ_ℓ W_ℓ) ⊙ σ'(z_{ℓ−1}), ∇W_ℓ = δ_ℓᵀ a_{ℓ−1}. HVP by
 * Pearlmutter's R-operator (forward-over-reverse, R(·) = d/dε (·)(θ + εv)): R(z_ℓ) = R(a_{ℓ−1}) W_ℓᵀ + a_{ℓ−1} V_ℓᵀ + c_ℓ,
 * R(δ_L) = ∇²_f ℓ · R(f), R(δ_{ℓ−1}) = (R(δ_ℓ) W_ℓ + δ_ℓ V_ℓ) ⊙ σ' + (δ_ℓ W_ℓ) ⊙ σ'' ⊙ R(z_{ℓ−1}),
 * R(∇W_ℓ) = R(δ_ℓ)ᵀ a_{ℓ−1} + δ_ℓᵀ R(a_{ℓ−1}) — see `docs/mlp.md` for the derivation.
 *
 * @remarks
 * **Conventions.** The MSE carries ½ and averages over examples but sums over outputs (Cohen et al.; so one-hot
 * MNIST targets give the loss ½ at f = 0 per example summed over classes). Cross-entropy uses a max-shifted
 * log-sum-exp, so large logits neither overflow nor lose the loss. Sharpness words as elsewhere: λ_max is the
 * largest Hessian eigenvalue; the cross-entropy Hessian restricted to the last layer is PSD, the full Hessian is not.
 * **ReLU.** σ'' = 0 away from the kink (and 0 is used at z = 0, as automatic differentiation does): the HVP
 * then omits the term δ ⊙ σ'' ⊙ R(z), so the ReLU network's Hessian is exactly the Gauss–Newton part plus the
 * cross-layer first-order terms; it is the derivative of the gradient wherever no pre-activation is exactly 0,
 * and the loss is not twice differentiable where one is (finite differences across a kink disagree with it).
 * **Cost.** `loss`: one forward pass, 2n·Σ n_{ℓ−1}n_ℓ flops; `lossAndGrad`: about 3× that; `hvp`: about 8× (a
 * forward, a backward, an R-forward and an R-backward pass). All are allocation-free after construction: scratch
 * of 4·n·Σ_{ℓ≥1} n_ℓ doubles is allocated once here (so one model object must not be used re-entrantly).
 * `hessian` costs p HVPs and allocates the p × p result. The data are copied once. Kernels do not validate their
 * inputs (`LossModel` contract). `thirdOrder` (∇³L(θ)[u, v], since 0.2.0) differentiates the same network written
 * with `autodiff` (`fromFunction`), recorded on its first call; it costs about 2 HVPs and allocates nothing after.
 * **Spec.** The factory is registered under `'mlp'`: `createModel(model.spec)` rebuilds the model — from the
 * data-set descriptor when the data came from `datasets` (so an MNIST model travels to a worker as a few bytes),
 * otherwise from the inline arrays in the spec.
 *
 * @param options - widths, activation, loss and data.
 * @returns the model, with `dim` = p = Σ_ℓ n_ℓ(n_{ℓ−1} + 1).
 * @throws EosLabError `E_BAD_OPTION` for bad widths, activation, loss, labels, negative cross-entropy targets,
 *   cross-entropy with k < 2, or data given both or neither ways; `E_DIM_MISMATCH` when the data's shape does not
 *   match the widths; `E_EMPTY` for no examples; `E_NONFINITE` for NaN/±Infinity in the data; `E_NOT_SUPPORTED` for
 *   an MNIST descriptor without the `mnist` package.
 * @example
 * ```ts
 * import { mlp, sharpness } from 'eos-lab';
 * const model = mlp.create({
 *   layers: [2, 8, 1], activation: 'tanh', loss: 'mse',
 *   inputs: [[0, 1], [1, 0], [1, 1], [-1, 0.5]], targets: [[1], [-1], [0], [0.5]],
 * });
 * const theta = mlp.init(model, { seed: 0 });
 * const grad = new Float64Array(model.dim);
 * const loss = model.lossAndGrad(theta, grad);
 * console.log(model.dim, loss, sharpness(model, theta)); // 33, L(θ₀), λ_max(∇²L(θ₀))
 * ```
 * @since 0.1.0
 */
export function create(options: MlpOptions): MlpModel {
  const fn = 'mlp.create';
  const o = optionsObject(fn, options, optionKeys<MlpOptions>({ layers: true, activation: true, loss: true, inputs: true, targets: true, data: true, parameterization: true }));
  const layers = validateLayers(fn, 'options.layers', o.layers);
  const activation = o.activation === undefined ? 'tanh' : oneOf(fn, 'options.activation', o.activation, ['tanh', 'relu', 'identity'] as const);
  const loss = o.loss === undefined ? 'mse' : oneOf(fn, 'options.loss', o.loss, ['mse', 'cross-entropy'] as const);
  const parameterization =
    o.parameterization === undefined ? 'standard' : oneOf(fn, 'options.parameterization', o.parameterization, ['standard', 'ntk', 'mup'] as const);
  const d = layers[0];
  const k = layers[layers.length - 1];
  if (loss === 'cross-entropy' && k < 2) {
    throw new EosLabError('E_BAD_OPTION', fn, { argument: 'options.layers', value: layers, expected: 'at least 2 outputs for cross-entropy (softmax over one logit is constant)' });
  }
  const { X, Y, n, stored } = readNetworkData(fn, o, loss, d, k, 'layers[0], the input width', 'layers[L], the output width');

  const spec: MlpSpec = Object.freeze({ kind: 'mlp', layers, activation, loss, ...(parameterization === 'standard' ? {} : { parameterization }), ...stored });
  const net = parameterized(createNetwork(layers, activation, loss, X, Y, n), parameterization);
  const p = net.dim;
  let third: FunctionModel | undefined;
  const multipliers = parameterization === 'standard' ? undefined : multiplierVector(layers, parameterization);
  let scratch: [Float64Array, Float64Array, Float64Array] | undefined;
  return {
    spec,
    dim: p,
    layers,
    examples: n,
    loss: net.loss,
    lossAndGrad: net.lossAndGrad,
    hvp: net.hvp,
    hessian: (theta: Float64Array): NdArray<Float64Array> => denseHessianFromHvps('mlp model hessian', p, net.hvp, theta),
    outputs(theta: Float64Array, out: Float64Array): Float64Array {
      net.outputs(theta, out);
      return out;
    },
    createBatchView(): BatchView {
      return createMlpBatchView(spec, p, layers, activation, loss, X, Y, n, parameterization);
    },
    thirdOrder(theta: Float64Array, u: Float64Array, v: Float64Array, out: Float64Array): void {
      // Built on first use: most runs never need third-order terms.
      third ??= fromFunction(p, mlpLossFunction(layers, activation, loss, X, Y, n), { spec });
      if (multipliers === undefined) {
        third.thirdOrder(theta, u, v, out);
        return;
      }
      // L(θ) = L_std(Cθ) with C = diag(multipliers): ∇³L(θ)[u, v] = C ∇³L_std(Cθ)[Cu, Cv].
      const c = multipliers;
      scratch ??= [new Float64Array(p), new Float64Array(p), new Float64Array(p)];
      const [ct, cu, cv] = scratch;
      for (let i = 0; i < p; i++) {
        ct[i] = c[i] * theta[i];
        cu[i] = c[i] * u[i];
        cv[i] = c[i] * v[i];
      }
      third.thirdOrder(ct, cu, cv, out);
      for (let i = 0; i < p; i++) out[i] *= c[i];
    },
  };
}

/**
 * The MLP's {@link BatchView}: `select` gathers the |B| chosen input and target rows into [n, d] and [n, k] buffers
 * owned by the view (O(|B|(d + k)), once per selection — the blocked matrix products want contiguous rows), and a
 * network over the first |B| rows of those buffers evaluates L_B, ∇L_B and HVPs at full speed. One network (its
 * scratch, 4|B|Σn_ℓ doubles) is built per distinct batch size, on first use (`rowsBatchView`).
 */
function createMlpBatchView(
  spec: MlpSpec,
  dim: number,
  layers: readonly number[],
  activation: MlpActivation,
  loss: MlpLoss,
  X: Float64Array,
  Y: Float64Array,
  n: number,
  parameterization: MlpParameterization = 'standard',
): BatchView {
  const build = (x: Float64Array, y: Float64Array, m: number) => parameterized(createNetwork(layers, activation, loss, x, y, m), parameterization);
  return rowsBatchView('mlp', spec, dim, X, Y, n, build);
}

registerBuiltInModel('mlp', (spec: ModelSpec) => {
  specKeys(spec, ['layers', 'activation', 'loss', 'inputs', 'targets', 'data']);
  const { kind: _kind, ...options } = spec;
  return create(options as unknown as MlpOptions);
});
