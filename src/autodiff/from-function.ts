/**
 * `fromFunction`: a `LossModel` with exact derivatives of every order from a function written with the
 * `autodiff` operations.
 *
 * @module
 */
import { denseHessianFromHvps } from '../linalg/hessian-from-hvps.js';
import type { NdArray } from 'ndarray';
import type { BatchView } from '../core/batch-view.js';
import { EosLabError } from '../core/errors.js';
import type { LossModel, ModelSpec } from '../core/loss-model.js';
import { integerInRange, isFunction, optionsObject } from '../core/validate.js';
import * as b from './build.js';
import { type CompiledLoss, THETA_SLOT, compileLoss } from './compiled-loss.js';
import { type PerExampleLoss, createFunctionBatchView, readExampleData, recordBatch } from './example-data.js';
import { Graph } from './graph.js';
import { showShape } from './shape.js';
import { type Operand, Tensor, tracing } from './tensor.js';


/**
 * Options of {@link fromFunction}.
 *
 * @since 0.2.0
 */
export interface FromFunctionOptions {
  /**
   * The model's JSON-serializable recipe. Give one whose `kind` you register with `registerModel` (in a preload
   * module, for worker threads) so that `createModel(spec)` rebuilds the model — a function cannot travel to a
   * worker, its recipe can.
   * @defaultValue `{ kind: 'from-function', dim }` — a kind that is not registered, so runs that rebuild the model
   * from its spec (worker threads) fail with `E_UNKNOWN_MODEL` instead of silently using another model.
   */
  spec?: ModelSpec;
  /**
   * The data set of a model over n examples, as named per-example arrays: each a vector [n] (one number per example:
   * an array, a `Float64Array` or a 1-d ndarray) or rows [n, d] (an array of rows or a 2-d ndarray), all with the
   * same n. With `data`, `f(w, data)` receives the data of a batch of m examples as tensors of shape [m] or [m, d]
   * under the same names and returns the m per-example losses ℓᵢ(θ) (shape [m] or [m, 1]); the model's loss is
   * their mean, and the model is a {@link BatchableModel} whose batch views evaluate any batch (see
   * {@link fromFunction}). Copied once, at creation.
   * @defaultValue none (`f(w)` returns the loss itself)
   * @since 0.2.0
   */
  data?: Readonly<Record<string, Operand>>;
}

/**
 * A {@link FunctionModel} over n examples (made by {@link fromFunction} with `data`), a `BatchableModel`:
 * L(θ) = (1/n) Σᵢ ℓᵢ(θ), whose
 * {@link BatchView}s evaluate L_B = (1/|B|) Σ_{i∈B} ℓᵢ of any batch B with exact derivatives, for mini-batch SGD
 * (`train` with `batches`).
 *
 * @since 0.2.0
 */
export interface DataFunctionModel extends FunctionModel {
  /** n, the number of examples. */
  readonly examples: number;
  /**
   * A new view over the same data (see {@link fromFunction}, "Batches"); it also has the batch's dense Hessian
   * (p HVPs).
   */
  createBatchView(): BatchView & { hessian(theta: Float64Array): NdArray<Float64Array> };
}

/**
 * A model made by {@link fromFunction}: a {@link LossModel} with the dense Hessian and the third-order term, and the
 * size of its recorded computation.
 *
 * @since 0.2.0
 */
export interface FunctionModel extends LossModel {
  /** Dense p × p Hessian, column j = hvp(θ, e_j) (p HVPs; not symmetrized). Throws `E_NOT_SUPPORTED` for p > 4096. */
  hessian(theta: Float64Array): NdArray<Float64Array>;
  /** Writes ∇³L(θ)[u, v] = ∇_θ(uᵀ∇²L(θ)v) into `out` (exact; allocation-free after the first call). */
  thirdOrder(theta: Float64Array, u: Float64Array, v: Float64Array, out: Float64Array): void;
  /** Operations recorded for the loss, and in each compiled program (after sharing and dead-code removal). */
  readonly stats: () => FunctionModelStats;
}

/**
 * Sizes of a {@link FunctionModel}'s recorded computation (programs not used yet are not compiled: 0).
 *
 * @since 0.2.0
 */
export interface FunctionModelStats {
  /** Nodes recorded from the user's function. */
  readonly lossNodes: number;
  /** Instructions of the loss-and-gradient, HVP and third-order programs. */
  readonly gradientInstructions: number;
  readonly hvpInstructions: number;
  readonly thirdOrderInstructions: number;
  /** Doubles of scratch storage held by all compiled programs. */
  readonly scratchDoubles: number;
}

/**
 * Builds a {@link LossModel} L: ℝ^p → ℝ from a function of the parameter vector written with the `autodiff`
 * operations, with exact derivatives by automatic differentiation ([Griewank & Walther 2008]): gradient by reverse
 * mode, Hessian-vector product ∇²L(θ)v as the reverse-mode derivative of ⟨∇L(θ), v⟩ (the cost of Pearlmutter's
 * forward-over-reverse product [Pearlmutter 1994]), third-order term ∇³L(θ)[u, v] = ∇_θ(uᵀ∇²L(θ)v) likewise, and a
 * dense Hessian from p HVPs.
 *
 * @remarks
 * **How.** `f` is called once, with a symbolic vector `w` of shape [p]: its operations are recorded as a graph.
 * The derivatives are built from that graph symbolically, as graphs of the same operations (so each can be
 * differentiated again), shared sub-expressions are merged, and each method runs a compiled program — a list of
 * plain loops and blocked matrix products over buffers allocated once. No code is generated at run time (no
 * `eval`/`new Function`: safe under a strict Content Security Policy).
 *
 * **Rules for `f`.** It must return a tensor with one entry (the loss; shape `[]`, `[1]` or `[1, 1]`), and must
 * not branch on values (there are none while recording): piecewise pieces come from `relu` and `abs`, whose
 * derivatives at the kink are taken as 0. Data it uses are copied when recorded; changing them afterwards does not
 * change the model.
 *
 * **Exactness and determinism.** Derivatives are exact up to rounding, not finite differences; the tests check that
 * they agree with the hand-written kernels of the built-in models to 1e-12 relative. Every sum has a fixed
 * order, so equal inputs give bit-identical outputs on every call and in every worker.
 *
 * **Cost.** Recording and compiling: O(size of the computation), once (the HVP and third-order programs on their
 * first call). After that, `loss`, `lossAndGrad`, `hvp` and `thirdOrder` allocate nothing; by the cheap-gradient
 * principle of reverse mode [Griewank & Walther 2008, ch. 4] each derivative level costs a small constant multiple
 * (at most about 4) of the operations of the level below. The interpreter adds a
 * fixed overhead per operation (tens of nanoseconds), which dominates for tiny models: `npm run bench`
 * (`bench/autodiff.bench.ts`) compares with hand-written kernels. One model object must not be used re-entrantly
 * (its buffers are shared), which single-threaded JavaScript never does.
 *
 * **Workers.** `spec` cannot hold a function: to run the model in worker threads (`lrSweep`, `gridStudy` with
 * `workers`), register a factory that rebuilds it (`registerModel(kind, (spec) => fromFunction(…, { spec }))`) in a
 * module the workers preload; see the guide "Writing your own LossModel".
 *
 * **Batches (`options.data`).** A model over n examples declares its data instead of capturing them: `f(w, data)`
 * gets each named data entry as a tensor whose first dimension is the number m of examples given ([m] or [m, d]),
 * and returns the m per-example losses ℓ₁ … ℓ_m (shape [m] or [m, 1]); the library averages them, so the loss of a
 * batch B is L_B(θ) = (1/|B|) Σ_{i∈B} ℓᵢ(θ) — the mini-batch objective of SGD, and L = L_B for B = all n examples
 * (mean, not sum, as the built-in models). The data are graph *inputs*, bound to buffers at each call, not
 * constants: the full model reads the data set (copied once at creation), and a {@link BatchView}
 * (`createBatchView()`) gathers the |B| selected rows into buffers it owns once per `select` (O(|B|·Σd)) and runs the
 * same operations on them, with exact gradient and HVP of L_B. `f` is recorded once per distinct batch size (n for
 * the full model; at most b and n mod b more for epochs of batches of b), so it must read sizes from its tensors'
 * shapes, never from n, and must not mix examples (ℓᵢ may depend on example i's data only — the library cannot
 * check this; the tests of a model should). A view that selects every example in order runs the instructions of
 * the full model on equal data, so it equals the full model bit for bit. `train` with `batches` then runs seeded
 * mini-batch SGD and records the full-batch and mini-batch sharpness like for `mlp` and `diagonalNet`.
 *
 * @param dim - the number of parameters p (an integer ≥ 1).
 * @param f - the loss as a function of w (a {@link Tensor} of shape [p]), built from the `autodiff` operations; with
 *   `options.data`, the per-example losses as a function of w and the batch's data.
 * @param options - the spec, and the data set of a model over examples.
 * @returns the model (`hessian` and `thirdOrder` included); with `data` a {@link DataFunctionModel}.
 * @throws EosLabError `E_BAD_OPTION` for a bad `dim`, `f` or spec (or unknown option), or `data` that is not an
 *   object of per-example arrays; `E_DIM_MISMATCH` if `f` does not return a one-entry tensor (with `data`: m
 *   per-example losses), for data entries with different n, or for shape errors inside `f`; `E_NONFINITE` for a
 *   NaN/±Infinity in the data; `E_EMPTY` for an empty data array; `E_NOT_SUPPORTED` if `f` uses a tensor of
 *   another recording; errors thrown by `f` propagate (with `data` also from `select`, for a new batch size).
 * @example
 * ```ts
 * import { fromFunction, autodiff, gd, sharpness } from 'eos-lab';
 * const { matvec, sub, pow, mean, mul } = autodiff;
 * // least squares L(θ) = 1/(2n) ‖Xθ − y‖²
 * const X = [[1, 0], [0, 2], [1, 1]];
 * const y = [1, 2, 2];
 * const model = fromFunction(2, (w) => mul(0.5, mean(pow(sub(matvec(X, w), y), 2))));
 * const run = gd(model, new Float64Array([0.3, -0.7]), { learningRate: 0.5, lossGoal: 1e-20, maxSteps: 10_000 });
 * console.log(run.status, run.theta, sharpness(model, run.theta)); // converged, ≈ [1, 1], λ_max(XᵀX)/3
 * ```
 * @example
 * ```ts
 * import { fromFunction, autodiff, train } from 'eos-lab';
 * const { matvec, sub, pow, mul, tanh } = autodiff;
 * // per-example losses ℓᵢ(θ) = ½(tanh(xᵢ·θ) − yᵢ)² over n = 6 examples; the model averages them
 * const x = [[1, 0], [0, 1], [1, 1], [1, -1], [2, 1], [0.5, 2]];
 * const y = [0.5, -0.2, 0.3, 0.7, 0.8, -0.4];
 * const model = fromFunction(2, (w, d) => mul(0.5, pow(sub(tanh(matvec(d.x, w)), d.y), 2)), { data: { x, y } });
 * const view = model.createBatchView();
 * view.select(Int32Array.of(4, 0), 2); // L_B = (ℓ₄ + ℓ₀)/2
 * console.log(view.loss(new Float64Array([0.1, 0.2])), model.examples); // …, 6
 * const sgd = train(model, new Float64Array([0.1, 0.2]), {
 *   learningRate: 0.5,
 *   batches: { size: 4, seed: 3 },
 *   maxSteps: 100,
 *   record: { every: 10, sharpnessEvery: 50, batchSharpnessEvery: 50 },
 * });
 * console.log(sgd.trace.loss, sgd.trace.sharpness, sgd.trace.batchSharpness);
 * ```
 * @since 0.2.0
 */
export function fromFunction(dim: number, f: (w: Tensor, data: Readonly<Record<string, Tensor>>) => Tensor, options: FromFunctionOptions & { data: Readonly<Record<string, Operand>> }): DataFunctionModel;
export function fromFunction(dim: number, f: (w: Tensor) => Tensor, options?: FromFunctionOptions): FunctionModel;
export function fromFunction(dim: number, f: ((w: Tensor) => Tensor) | PerExampleLoss, options?: FromFunctionOptions): FunctionModel | DataFunctionModel {
  const fn = 'fromFunction';
  integerInRange(fn, 'dim', dim, 1, 2 ** 30);
  isFunction(fn, 'f', f);
  const o = optionsObject(fn, options, ['spec', 'data']);
  if (o.spec !== undefined && (o.spec === null || typeof o.spec !== 'object' || typeof o.spec.kind !== 'string' || o.spec.kind.length === 0)) {
    throw new EosLabError('E_BAD_OPTION', fn, { argument: 'options.spec', value: o.spec, expected: "a ModelSpec: an object with a non-empty string 'kind'" });
  }
  const spec: ModelSpec = o.spec ?? Object.freeze({ kind: 'from-function', dim });

  if (o.data !== undefined) {
    const data = readExampleData(fn, o.data);
    const perExample = f as PerExampleLoss;
    // The full model binds the data set itself (read, never written).
    const full = recordBatch(fn, dim, perExample, data, data.examples, data.entries.map((e) => e.values));
    return {
      ...functionModel(spec, dim, full),
      examples: data.examples,
      createBatchView: () => createFunctionBatchView(fn, spec, dim, perExample, data),
    };
  }

  const g = new Graph();
  const thetaId = g.input(THETA_SLOT, [dim]);
  const result = tracing(g, () => (f as (w: Tensor) => Tensor)(new Tensor(g, thetaId)));
  if (!(result instanceof Tensor) || result.graph !== g) {
    throw new EosLabError('E_BAD_OPTION', fn, { argument: 'f(w)', value: result, expected: 'a Tensor computed from w with the autodiff operations' });
  }
  if (result.size !== 1) {
    throw new EosLabError('E_DIM_MISMATCH', fn, { argument: 'f(w).shape', value: showShape(result.shape), expected: 'one entry (the loss): [], [1] or [1, 1]' });
  }
  return functionModel(spec, dim, compileLoss(g, thetaId, b.reshape(g, result.id, []), dim, []));
}

/** The public model object over one compiled loss. */
function functionModel(spec: ModelSpec, dim: number, c: CompiledLoss): FunctionModel {
  const hvp = c.hvp;
  return {
    spec,
    dim,
    loss: c.loss,
    lossAndGrad: c.lossAndGrad,
    hvp,
    hessian: (theta: Float64Array): NdArray<Float64Array> => denseHessianFromHvps('fromFunction model hessian', dim, hvp, theta),
    thirdOrder: c.thirdOrder,
    stats: () => {
      const i = c.instructions();
      return {
        lossNodes: c.lossNodes,
        gradientInstructions: i.gradient,
        hvpInstructions: i.hvp,
        thirdOrderInstructions: i.thirdOrder,
        scratchDoubles: i.scratchDoubles,
      };
    },
  };
}
