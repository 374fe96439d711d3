/**
 * Seeded initialization of a CNN's flat parameter vector θ.
 *
 * @module
 */
import { EosLabError } from '../../core/errors.js';
import { integerInRange, optionsObject, positiveFinite } from '../../core/validate.js';
import { rng } from '../../core/rng.js';
import type { CnnLayout } from './layout.js';

/**
 * Options of {@link init}.
 *
 * @since 0.2.0
 */
export interface CnnInitOptions {
  /**
   * Seed of the PRNG (`rng(seed)`): the same seed gives the same θ₀, bit for bit.
   * @defaultValue 0
   */
  seed?: number;
  /**
   * Factor multiplying every initial weight and bias ([Conflicting biases, App. H.6] scales the initialization by 5
   * and 10).
   * @defaultValue 1
   */
  scale?: number;
}

/**
 * A seeded initial parameter vector θ₀ for a CNN model, PyTorch's default for `Conv2d` and `Linear`: every weight and
 * bias of a layer uniform in [−s/√fanIn, s/√fanIn), fanIn = C_in·k² for a conv layer and C_m·H_p·W_p for the head,
 * s = `scale`.
 *
 * @remarks
 * Draws come from `rng(seed)` in θ order (each conv layer's kernel then bias, then the head), so values differ
 * from PyTorch's generator while the distribution is the same. Cost: p draws; allocates the result.
 *
 * @param model - a CNN model (its `layout`).
 * @param options - seed and scale.
 * @returns θ₀, a new `Float64Array` of length `model.dim`.
 * @throws EosLabError `E_BAD_OPTION` for a model without a CNN layout, an unknown option, a seed that is not a
 *   32-bit integer or a scale that is not a finite number > 0.
 * @example
 * ```ts
 * import { cnn } from 'eos-lab';
 * const model = cnn.create({ input: [1, 6, 6], channels: [2], outputs: 1, inputs: [Array(36).fill(1)], targets: [[0]] });
 * const theta0 = cnn.init(model, { seed: 1, scale: 5 });
 * console.log(theta0.length, Math.max(...theta0.subarray(0, 18).map(Math.abs)) < 5 / 3); // 29 true: |K₁| < 5/√9
 * ```
 * @since 0.2.0
 */
export function init(model: { readonly layout: CnnLayout; readonly dim: number }, options?: CnnInitOptions): Float64Array {
  const fn = 'cnn.init';
  if (model === null || typeof model !== 'object' || model.layout === undefined || !Array.isArray(model.layout.conv)) {
    throw new EosLabError('E_BAD_OPTION', fn, { argument: 'model', value: model, expected: 'a CNN model from cnn.create' });
  }
  const o = optionsObject(fn, options, ['seed', 'scale']);
  const seed = o.seed === undefined ? 0 : integerInRange(fn, 'options.seed', o.seed, -0x80000000, 0x7fffffff);
  const scale = o.scale === undefined ? 1 : positiveFinite(fn, 'options.scale', o.scale);
  const { layout } = model;
  const r = rng(seed);
  const theta = new Float64Array(layout.dim);
  const fill = (from: number, to: number, fanIn: number) => {
    const bound = scale / Math.sqrt(fanIn);
    for (let i = from; i < to; i++) theta[i] = r.uniformIn(-bound, bound);
  };
  for (const s of layout.conv) {
    fill(s.weightOffset, s.biasOffset + s.outChannels, s.inChannels * layout.kernelSize * layout.kernelSize);
  }
  fill(layout.headWeightOffset, layout.dim, layout.features);
  return theta;
}
