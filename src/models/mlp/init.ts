/**
 * Seeded initialization of an MLP's flat parameter vector θ [Conflicting biases, App. G and H.6].
 *
 * @module
 */
import { EosLabError } from '../../core/errors.js';
import { integerInRange, oneOf, optionKeys, optionsObject, positiveFinite } from '../../core/validate.js';
import { rng, type Rng } from '../../core/rng.js';
import { layerSlots, validateLayers } from './layout.js';

/**
 * Options of {@link init}.
 *
 * @since 0.1.0
 */
export interface MlpInitOptions {
  /**
   * Seed of the PRNG (`rng(seed)`): the same seed gives the same θ₀, bit for bit, on every platform.
   * @defaultValue 0
   */
  seed?: number;
  /**
   * Initialization scheme. `'pytorch-default'`: every weight and bias of layer ℓ uniform in
   * [−1/√n_{ℓ−1}, 1/√n_{ℓ−1}) with n_{ℓ−1} the layer's fan-in — PyTorch's default for `nn.Linear` (a modified LeCun
   * initialization; [Conflicting biases, App. G]). `'standard-normal'`: every weight (W_ℓ)ᵢⱼ ~ N(0, 1) and every bias 0 — the
   * initialization of the kernel and μP parameterizations in [Conflicting biases, App. H.7] (the paper does not
   * mention biases; they start at 0 here); use it with `mlp.create({ parameterization: 'ntk' | 'mup' })`.
   * @defaultValue 'pytorch-default'
   */
  scheme?: 'pytorch-default' | 'standard-normal';
  /**
   * Factor multiplying every initial weight and bias ([Conflicting biases, App. H.6] scales the initialization by 5 and 10).
   * @defaultValue 1
   */
  scale?: number;
}

/**
 * Fills `out` with the pytorch-default initialization drawn from `r`: layer by layer in θ order (W_ℓ row-major,
 * then b_ℓ), each entry `r.uniformIn(−s/√fanIn, s/√fanIn)`. @internal
 */
export function fillPytorchDefault(layers: readonly number[], r: Rng, scale: number, out: Float64Array): Float64Array {
  const { slots } = layerSlots(layers);
  for (const { fanIn, fanOut, weightOffset } of slots) {
    const bound = scale / Math.sqrt(fanIn);
    const end = weightOffset + fanOut * (fanIn + 1);
    for (let i = weightOffset; i < end; i++) out[i] = r.uniformIn(-bound, bound);
  }
  return out;
}

/** Fills `out` with s·N(0, 1) weights (θ order, W_ℓ row-major) and zero biases. @internal */
function fillStandardNormal(layers: readonly number[], r: Rng, scale: number, out: Float64Array): Float64Array {
  const { slots } = layerSlots(layers);
  for (const { weightOffset, biasOffset, fanOut } of slots) {
    for (let i = weightOffset; i < biasOffset; i++) out[i] = scale * r.normal();
    out.fill(0, biasOffset, biasOffset + fanOut);
  }
  return out;
}

/**
 * A seeded initial parameter vector θ₀ for the MLP with widths `spec.layers` = [n₀, …, n_L], in the layout of
 * {@link views} (per layer W_ℓ [n_ℓ, n_{ℓ−1}] row-major, then b_ℓ).
 *
 * pytorch-default ([Conflicting biases, App. G]): (W_ℓ)ᵢⱼ, (b_ℓ)ᵢ ~ U(−s/√n_{ℓ−1}, s/√n_{ℓ−1}) independently, s = `scale`
 * (App. H.6). standard-normal (@since 0.2.0): (W_ℓ)ᵢⱼ ~ N(0, s²), b_ℓ = 0 — the initialization of the kernel and μP
 * parameterizations [Conflicting biases, App. H.7].
 *
 * @remarks
 * Draws come from `rng(seed)` (xoroshiro128+), in θ order: layer 1's weights row by row, its biases, then layer 2,
 * … — so the values differ from PyTorch's own generator, while the distribution is the same. The interval is
 * half-open, [−bound, bound). `spec` may be an MLP spec, a model, or any object with `layers`. Cost: p draws;
 * allocates the returned vector.
 *
 * @param spec - an object with the widths `layers` = [d, h₁, …, k].
 * @param options - seed, scheme and scale.
 * @returns θ₀, a new `Float64Array` of length p = Σ_ℓ n_ℓ(n_{ℓ−1} + 1).
 * @throws EosLabError `E_BAD_OPTION` for bad widths, a seed that is not a 32-bit integer, an unknown scheme or a
 *   scale that is not > 0.
 * @example
 * ```ts
 * import { mlp } from 'eos-lab';
 * const theta0 = mlp.init({ layers: [4, 16, 1] }, { seed: 1 }); // p = 16·5 + 1·17 = 97
 * console.log(theta0.length, Math.max(...theta0.subarray(0, 64)) < 0.5); // 97 true: |W₁| < 1/√4
 * ```
 * @since 0.1.0
 */
export function init(spec: { readonly layers: readonly number[] }, options?: MlpInitOptions): Float64Array {
  const fn = 'mlp.init';
  if (spec === null || typeof spec !== 'object') {
    throw new EosLabError('E_BAD_OPTION', fn, { argument: 'spec', value: spec, expected: 'an object with the widths `layers` (an MLP spec or model)' });
  }
  const layers = validateLayers(fn, 'spec.layers', spec.layers);
  const o = optionsObject(fn, options, optionKeys<MlpInitOptions>({ seed: true, scheme: true, scale: true }));
  const seed = o.seed === undefined ? 0 : integerInRange(fn, 'options.seed', o.seed, -0x80000000, 0x7fffffff);
  const scheme = o.scheme === undefined ? 'pytorch-default' : oneOf(fn, 'options.scheme', o.scheme, ['pytorch-default', 'standard-normal'] as const);
  const scale = o.scale === undefined ? 1 : positiveFinite(fn, 'options.scale', o.scale);
  const { dim } = layerSlots(layers);
  if (scheme === 'standard-normal') return fillStandardNormal(layers, rng(seed), scale, new Float64Array(dim));
  return fillPytorchDefault(layers, rng(seed), scale, new Float64Array(dim));
}
