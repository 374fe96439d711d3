/**
 * Per-layer measurements of a network's parameters: Frobenius and nuclear norms of each weight matrix, ℓ1 norms, and
 * distances to reference points — the quantities of [Conflicting biases, Figs. 3, 9, 11, 12 and 14].
 *
 * @module
 */
import ndarray from 'ndarray';
import { EosLabError } from '../core/errors.js';
import type { LossModel } from '../core/loss-model.js';
import { finiteVector, optionsObject } from '../core/validate.js';
import { layerSlots } from '../models/mlp/layout.js';
import type { CnnLayout } from '../models/cnn/layout.js';
import { nuclearNorm } from './nuclear-norm.js';

/**
 * Options of {@link networkMeasures}.
 *
 * @since 0.2.0
 */
export interface NetworkMeasuresOptions {
  /**
   * Reference points r (e.g. the initialization, or the gradient-flow solution): for each, ‖θ − r‖₁ and ‖θ − r‖₂.
   * @defaultValue {}
   */
  references?: Readonly<Record<string, Float64Array>>;
  /**
   * Whether to compute nuclear norms (an SVD per layer, the only costly part).
   * @defaultValue true
   */
  nuclear?: boolean;
}

/**
 * One layer's measurements (see {@link networkMeasures}).
 *
 * @since 0.2.0
 */
export interface LayerMeasures {
  /** `'dense'` (an MLP layer or the CNN head) or `'conv'`. */
  readonly kind: 'dense' | 'conv';
  /** Shape of the weight matrix used for the norms: [fan-out, fan-in] (conv: [C_out, C_in·k²]). */
  readonly shape: readonly [number, number];
  /** Number of parameters of the layer (weights and biases). */
  readonly parameters: number;
  /** ‖W‖_F. */
  readonly frobenius: number;
  /** ‖W‖_* = Σ σᵢ(W) (NaN when `nuclear: false`). */
  readonly nuclear: number;
  /** Σ |Wᵢⱼ| + Σ |bᵢ|, the layer's share of ‖θ‖₁. */
  readonly l1: number;
  /** ‖b‖₂. */
  readonly biasNorm: number;
}

/**
 * The result of {@link networkMeasures}.
 *
 * @since 0.2.0
 */
export interface NetworkMeasures {
  /** Input side first. */
  readonly layers: readonly LayerMeasures[];
  /** ‖θ‖₁ and ‖θ‖₂. */
  readonly l1: number;
  readonly l2: number;
  /** For each reference name: ‖θ − r‖₁ and ‖θ − r‖₂. */
  readonly distances: Readonly<Record<string, { readonly l1: number; readonly l2: number }>>;
}

interface Block {
  kind: 'dense' | 'conv';
  rows: number;
  cols: number;
  weightOffset: number;
  biasOffset: number;
}

function blocks(fn: string, model: LossModel): Block[] {
  const spec = model.spec;
  if (spec.kind === 'mlp') {
    return layerSlots(spec.layers as number[]).slots.map((s) => ({ kind: 'dense', rows: s.fanOut, cols: s.fanIn, weightOffset: s.weightOffset, biasOffset: s.biasOffset }));
  }
  if (spec.kind === 'cnn') {
    const layout = (model as LossModel & { layout: CnnLayout }).layout;
    const k2 = layout.kernelSize * layout.kernelSize;
    return [
      ...layout.conv.map((s) => ({ kind: 'conv' as const, rows: s.outChannels, cols: s.inChannels * k2, weightOffset: s.weightOffset, biasOffset: s.biasOffset })),
      { kind: 'dense', rows: layout.outputs, cols: layout.features, weightOffset: layout.headWeightOffset, biasOffset: layout.headBiasOffset },
    ];
  }
  throw new EosLabError('E_BAD_OPTION', fn, { argument: 'model.spec.kind', value: spec.kind, expected: "an 'mlp' or 'cnn' model" });
}

/**
 * Per-layer norms of a network's parameters θ and its distances to reference points: for each layer ℓ,
 * ‖W_ℓ‖_F = (Σ W_ij²)^{1/2}, the nuclear norm ‖W_ℓ‖_* = Σᵢ σᵢ(W_ℓ), the layer's ℓ1 mass Σ|W_ij| + Σ|b_i| and ‖b_ℓ‖₂
 * ([Conflicting biases, Figs. 3, 9 and 14]); ‖θ‖₁, ‖θ‖₂; and ‖θ − r‖₁, ‖θ − r‖₂ for each reference r — e.g. the
 * initialization or the gradient-flow solution ([Conflicting biases, Figs. 11–12]).
 *
 * @remarks
 * Works for `mlp` and `cnn` models (read from `model.spec.kind`). A conv kernel [C_out, C_in, k, k] is measured as
 * the [C_out, C_in·k²] matrix (its rows flattened), the usual matricization. Norms are of θ as stored: under the NTK
 * or μP parameterization these are the norms of the trained W_ℓ, not of the effective c_ℓW_ℓ. Sums are plain
 * (not compensated). Cost O(p) plus one SVD per layer; allocates (call it per run, not per step).
 *
 * @param model - an MLP or CNN model.
 * @param theta - θ, length `model.dim`.
 * @param options - reference points and whether to compute nuclear norms.
 * @returns per-layer measurements, the global norms and the distances.
 * @throws EosLabError `E_BAD_OPTION` for another model kind or an unknown option; `E_DIM_MISMATCH` /
 *   `E_NONFINITE` for a bad θ or reference.
 * @example
 * ```ts
 * import { mlp, networkMeasures } from 'eos-lab';
 * const model = mlp.create({ layers: [2, 3, 1], inputs: [[1, 0]], targets: [[1]] });
 * const theta0 = mlp.init(model, { seed: 0 });
 * const theta = theta0.map((x) => 2 * x);
 * const m = networkMeasures(model, theta, { references: { init: theta0 } });
 * console.log(m.layers.map((l) => l.frobenius), m.distances.init.l2); // per-layer ‖W‖_F; ‖θ − θ₀‖₂ = ‖θ₀‖₂
 * ```
 * @since 0.2.0
 */
export function networkMeasures(model: LossModel, theta: Float64Array, options?: NetworkMeasuresOptions): NetworkMeasures {
  const fn = 'networkMeasures';
  if (model === null || typeof model !== 'object' || model.spec === undefined) {
    throw new EosLabError('E_BAD_OPTION', fn, { argument: 'model', value: model, expected: 'an mlp or cnn model' });
  }
  const bs = blocks(fn, model);
  finiteVector(fn, 'theta', theta, model.dim);
  const o = optionsObject(fn, options, ['references', 'nuclear']);
  const refs = o.references ?? {};
  if (refs === null || typeof refs !== 'object') {
    throw new EosLabError('E_BAD_OPTION', fn, { argument: 'options.references', value: refs, expected: 'an object of named Float64Array reference points' });
  }
  for (const [name, r] of Object.entries(refs)) finiteVector(fn, `options.references.${name}`, r, model.dim);
  const withNuclear = o.nuclear ?? true;
  const layers = bs.map((b): LayerMeasures => {
    let f2 = 0;
    let l1 = 0;
    for (let i = b.weightOffset; i < b.biasOffset; i++) {
      f2 += theta[i] * theta[i];
      l1 += Math.abs(theta[i]);
    }
    let b2 = 0;
    for (let i = b.biasOffset; i < b.biasOffset + b.rows; i++) {
      b2 += theta[i] * theta[i];
      l1 += Math.abs(theta[i]);
    }
    const w = ndarray(theta, [b.rows, b.cols], [b.cols, 1], b.weightOffset);
    return {
      kind: b.kind,
      shape: [b.rows, b.cols],
      parameters: b.rows * (b.cols + 1),
      frobenius: Math.sqrt(f2),
      nuclear: withNuclear ? nuclearNorm(w) : NaN,
      l1,
      biasNorm: Math.sqrt(b2),
    };
  });
  let l1 = 0;
  let l2 = 0;
  for (let i = 0; i < theta.length; i++) {
    l1 += Math.abs(theta[i]);
    l2 += theta[i] * theta[i];
  }
  const distances: Record<string, { l1: number; l2: number }> = {};
  for (const [name, r] of Object.entries(refs)) {
    let d1 = 0;
    let d2 = 0;
    for (let i = 0; i < theta.length; i++) {
      const d = theta[i] - r[i];
      d1 += Math.abs(d);
      d2 += d * d;
    }
    distances[name] = { l1: d1, l2: Math.sqrt(d2) };
  }
  return { layers, l1, l2: Math.sqrt(l2), distances };
}
