/**
 * `fromFunction`: a `LossModel` with exact derivatives of every order from a function written with the
 * `autodiff` operations.
 *
 * @module
 */
import { denseHessianFromHvps } from '../linalg/hessian-from-hvps.js';
import type { NdArray } from 'ndarray';
import { EosLabError } from '../core/errors.js';
import type { LossModel, ModelSpec } from '../core/loss-model.js';
import { integerInRange, isFunction, optionsObject } from '../core/validate.js';
import * as b from './build.js';
import { Graph } from './graph.js';
import { run } from './interpret.js';
import { type Program, compile } from './program.js';
import { showShape } from './shape.js';
import { Tensor, tracing } from './tensor.js';
import { vjp } from './vjp.js';


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
 * @param dim - the number of parameters p (an integer ≥ 1).
 * @param f - the loss as a function of w (a {@link Tensor} of shape [p]), built from the `autodiff` operations.
 * @param options - the spec.
 * @returns the model (`hessian` and `thirdOrder` included).
 * @throws EosLabError `E_BAD_OPTION` for a bad `dim`, `f` or spec (or unknown option); `E_DIM_MISMATCH` if `f` does
 *   not return a one-entry tensor, or for shape errors inside `f`; `E_NOT_SUPPORTED` if `f` uses a tensor of
 *   another recording; errors thrown by `f` propagate.
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
 * @since 0.2.0
 */
export function fromFunction(dim: number, f: (w: Tensor) => Tensor, options?: FromFunctionOptions): FunctionModel {
  const fn = 'fromFunction';
  integerInRange(fn, 'dim', dim, 1, 2 ** 30);
  isFunction(fn, 'f', f);
  const o = optionsObject(fn, options, ['spec']);
  if (o.spec !== undefined && (o.spec === null || typeof o.spec !== 'object' || typeof o.spec.kind !== 'string' || o.spec.kind.length === 0)) {
    throw new EosLabError('E_BAD_OPTION', fn, { argument: 'options.spec', value: o.spec, expected: "a ModelSpec: an object with a non-empty string 'kind'" });
  }
  const spec: ModelSpec = o.spec ?? Object.freeze({ kind: 'from-function', dim });

  const g = new Graph();
  const thetaId = g.input(0, [dim]);
  const result = tracing(g, () => f(new Tensor(g, thetaId)));
  if (!(result instanceof Tensor) || result.graph !== g) {
    throw new EosLabError('E_BAD_OPTION', fn, { argument: 'f(w)', value: result, expected: 'a Tensor computed from w with the autodiff operations' });
  }
  if (result.size !== 1) {
    throw new EosLabError('E_DIM_MISMATCH', fn, { argument: 'f(w).shape', value: showShape(result.shape), expected: 'one entry (the loss): [], [1] or [1, 1]' });
  }
  const lossNodes = g.nodes.length;
  const lossId = b.reshape(g, result.id, []);
  const gradId = vjp(g, lossId, thetaId, b.scalar(g, 1));
  const lossProgram = compile(g, [lossId]);
  const gradProgram = compile(g, [lossId, gradId]);
  let hvpId = -1;
  let hvpProgram: Program | undefined;
  let thirdId = -1;
  let thirdProgram: Program | undefined;
  // Input slots, reused by every call (no per-call array).
  const slots: Float64Array[] = [];

  const value = (p: Program, id: number) => p.bufs[id][p.offs[id]];
  const copyOut = (p: Program, id: number, out: Float64Array) => {
    const src = p.bufs[id];
    const off = p.offs[id];
    for (let i = 0; i < dim; i++) out[i] = src[off + i];
  };
  const hvpProgramOf = (): Program => {
    if (hvpProgram === undefined) {
      hvpId = vjp(g, gradId, thetaId, g.input(1, [dim]));
      hvpProgram = compile(g, [hvpId]);
    }
    return hvpProgram;
  };
  const hvp = (theta: Float64Array, v: Float64Array, out: Float64Array): void => {
    const p = hvpProgramOf();
    slots[0] = theta;
    slots[1] = v;
    run(p, g.inputIds, slots);
    copyOut(p, hvpId, out);
  };

  return {
    spec,
    dim,
    loss(theta: Float64Array): number {
      slots[0] = theta;
      run(lossProgram, g.inputIds, slots);
      return value(lossProgram, lossId);
    },
    lossAndGrad(theta: Float64Array, gradOut: Float64Array): number {
      slots[0] = theta;
      run(gradProgram, g.inputIds, slots);
      copyOut(gradProgram, gradId, gradOut);
      return value(gradProgram, lossId);
    },
    hvp,
    hessian: (theta: Float64Array): NdArray<Float64Array> => denseHessianFromHvps('fromFunction model hessian', dim, hvp, theta),
    thirdOrder(theta: Float64Array, u: Float64Array, v: Float64Array, out: Float64Array): void {
      if (thirdProgram === undefined) {
        hvpProgramOf();
        thirdId = vjp(g, hvpId, thetaId, g.input(2, [dim]));
        thirdProgram = compile(g, [thirdId]);
      }
      slots[0] = theta;
      slots[1] = v;
      slots[2] = u;
      run(thirdProgram, g.inputIds, slots);
      copyOut(thirdProgram, thirdId, out);
    },
    stats: () => ({
      lossNodes,
      gradientInstructions: gradProgram.instrs.length,
      hvpInstructions: hvpProgram?.instrs.length ?? 0,
      thirdOrderInstructions: thirdProgram?.instrs.length ?? 0,
      scratchDoubles: lossProgram.scratchDoubles + gradProgram.scratchDoubles + (hvpProgram?.scratchDoubles ?? 0) + (thirdProgram?.scratchDoubles ?? 0),
    }),
  };
}
