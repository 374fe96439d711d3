/**
 * The data-subset view: how a model over n examples evaluates the loss of any batch B ⊆ {0, …, n−1} without
 * copying its data set. A model that supports mini-batches implements {@link BatchableModel}: `createBatchView()`
 * returns one {@link BatchView} — itself a {@link LossModel} — whose `select(indices, count)` picks the examples
 * it averages over, L_B(θ) = (1/|B|) Σ_{i∈B} ℓᵢ(θ), with the same per-example loss ℓᵢ and the same 1/n-style
 * normalization as the full loss (so L_B = L when B is every example).
 *
 * @module
 */
import { EosLabError } from './errors.js';
import type { LossModel } from './loss-model.js';

/**
 * A {@link LossModel} over a selectable subset of a parent model's examples (see the module summary).
 *
 * Contract: the view shares the parent's data (never copies the data set); it owns its own scratch, so the parent
 * and the view can be evaluated alternately (not re-entrantly). `select` costs O(|B|) (plus, for models whose
 * kernels want contiguous rows, a gather of the |B| selected rows into scratch owned by the view, once per
 * `select` and not per evaluation) and allocates nothing after the first selection of a given batch size. Before
 * the first `select`, the view selects every example in order. `spec` is the parent's spec: `createModel(spec)`
 * rebuilds the full model, not the subset.
 *
 * @since 0.2.0
 */
export interface BatchView extends LossModel {
  /** n, the number of examples of the parent model. */
  readonly examples: number;
  /** |B|, the number of examples currently selected. */
  readonly count: number;
  /**
   * Selects the examples `indices[0 … count)` (integers in [0, n); repeats allowed — a sample with replacement
   * counts an example once per occurrence). `indices` is read during the call only.
   * @throws EosLabError `E_BAD_OPTION` for a count outside [1, min(n, indices.length)] or an index outside [0, n).
   */
  select(indices: Int32Array, count: number): void;
}

/**
 * A model over n examples whose loss is the mean of per-example losses, able to evaluate any batch through a
 * {@link BatchView}. The MLP, CNN and diagonal-net models and `fromFunction` models over data implement it.
 *
 * @since 0.2.0
 */
export interface BatchableModel extends LossModel {
  /** Creates a new view (its own scratch; selects all examples until `select` is called). */
  createBatchView(): BatchView;
}

/**
 * True when `model` has a `createBatchView` method (a {@link BatchableModel}).
 *
 * @param model - any value.
 * @returns whether mini-batch drivers can use it.
 * @example
 * ```ts
 * import { isBatchable, mlp, scalarFactorization } from 'eos-lab';
 * console.log(isBatchable(scalarFactorization.create())); // false
 * console.log(isBatchable(mlp.create({ layers: [1, 4, 1], data: { dataset: 'chebyshev', points: 8, degree: 3 } }))); // true
 * ```
 * @since 0.2.0
 */
export function isBatchable(model: unknown): model is BatchableModel {
  return model !== null && typeof model === 'object' && typeof (model as Partial<BatchableModel>).createBatchView === 'function';
}

/** @internal Validates the arguments of `BatchView.select` (O(count)). */
export function checkSelection(fn: string, indices: unknown, count: unknown, n: number): void {
  if (!(indices instanceof Int32Array)) {
    throw new EosLabError('E_BAD_OPTION', fn, { argument: 'indices', value: indices, expected: 'an Int32Array of example indices' });
  }
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > indices.length || count > n) {
    throw new EosLabError('E_BAD_OPTION', fn, { argument: 'count', value: count, expected: `an integer in [1, ${Math.min(n, indices.length)}] (at most indices.length and n)` });
  }
  for (let i = 0; i < count; i++) {
    const j = indices[i];
    if (j < 0 || j >= n) throw new EosLabError('E_BAD_OPTION', fn, { argument: `indices[${i}]`, value: j, expected: `an example index in [0, ${n})` });
  }
}
