/**
 * Shapes of a small convolutional network and where its parameters live inside the flat vector θ.
 *
 * Architecture: the input image [C₀, H₀, W₀] goes through conv layers ℓ = 1, …, m (kernel k × k, stride 1, valid
 * padding, so H_ℓ = H_{ℓ−1} − k + 1), each followed by the activation σ; then one 2 × 2 average pooling with stride 2
 * (floor, as PyTorch's `AvgPool2d(2)`: H_p = ⌊H_m/2⌋), a flatten in channel-major order (c, i, j) and a dense
 * linear head to K outputs.
 *
 * Layout of θ: for each conv layer, its kernel K_ℓ [C_ℓ, C_{ℓ−1}, k, k] row-major (PyTorch's `Conv2d.weight`),
 * then its bias [C_ℓ]; then the head's W [K, C_m·H_p·W_p] row-major and bias [K].
 *
 * @module
 */
import { EosLabError } from '../../core/errors.js';
import { integerInRange } from '../../core/validate.js';

/**
 * One conv layer's shapes and offsets inside θ.
 *
 * @since 0.2.0
 */
export interface ConvSlot {
  readonly inChannels: number;
  readonly outChannels: number;
  /** Input height and width. */
  readonly inHeight: number;
  readonly inWidth: number;
  /** Output height and width (valid padding: in − k + 1). */
  readonly outHeight: number;
  readonly outWidth: number;
  /** Index of K[0, 0, 0, 0] in θ. */
  readonly weightOffset: number;
  /** Index of the bias in θ (= weightOffset + C_out·C_in·k²). */
  readonly biasOffset: number;
}

/**
 * A CNN's shapes and where its parameters live inside θ (`model.layout`).
 *
 * @since 0.2.0
 */
export interface CnnLayout {
  readonly input: readonly [number, number, number];
  readonly kernelSize: number;
  readonly conv: readonly ConvSlot[];
  /** Pooled feature map [C_m, H_p, W_p] and its flattened size C_m·H_p·W_p. */
  readonly pooledHeight: number;
  readonly pooledWidth: number;
  readonly features: number;
  readonly outputs: number;
  /** Offsets of the head's W [K, features] and b [K]. */
  readonly headWeightOffset: number;
  readonly headBiasOffset: number;
  /** Total parameter count p. */
  readonly dim: number;
}

/**
 * Checks the architecture (input shape, conv channels, kernel size, outputs) and returns its layout; throws
 * `E_BAD_OPTION` naming the argument when a shape is not a positive integer or the image becomes smaller than 2 × 2
 * before pooling. @internal
 */
export function cnnLayout(
  fn: string,
  input: unknown,
  channels: unknown,
  kernelSize: number,
  outputs: unknown,
): CnnLayout {
  if (!Array.isArray(input) || input.length !== 3) {
    throw new EosLabError('E_BAD_OPTION', fn, { argument: 'options.input', value: input, expected: 'the input shape [channels, height, width], three integers >= 1' });
  }
  // integerInRange: NaN/±Infinity are E_NONFINITE, other non-integers E_BAD_OPTION (the project-wide rule).
  input.forEach((x, i) => integerInRange(fn, `options.input[${i}]`, x, 1));
  if (!Array.isArray(channels) || channels.length < 1) {
    throw new EosLabError('E_BAD_OPTION', fn, { argument: 'options.channels', value: channels, expected: 'an array of at least one conv-layer channel count' });
  }
  channels.forEach((c, i) => integerInRange(fn, `options.channels[${i}]`, c, 1));
  const k = integerInRange(fn, 'options.outputs', outputs, 1);
  const [c0, h0, w0] = input as number[];
  const conv: ConvSlot[] = [];
  let offset = 0;
  let c = c0;
  let h = h0;
  let w = w0;
  for (const co of channels as number[]) {
    const oh = h - kernelSize + 1;
    const ow = w - kernelSize + 1;
    conv.push({ inChannels: c, outChannels: co, inHeight: h, inWidth: w, outHeight: oh, outWidth: ow, weightOffset: offset, biasOffset: offset + co * c * kernelSize * kernelSize });
    offset += co * (c * kernelSize * kernelSize + 1);
    c = co;
    h = oh;
    w = ow;
  }
  if (h < 2 || w < 2) {
    throw new EosLabError('E_BAD_OPTION', fn, {
      argument: 'options.input',
      value: input,
      expected: `an image large enough for ${channels.length} valid ${kernelSize}×${kernelSize} convolutions and a 2×2 pooling (the last feature map is ${h}×${w})`,
    });
  }
  const pooledHeight = Math.floor(h / 2);
  const pooledWidth = Math.floor(w / 2);
  const features = c * pooledHeight * pooledWidth;
  const headWeightOffset = offset;
  const headBiasOffset = offset + k * features;
  const dim = headBiasOffset + k;
  if (dim > 2 ** 30) {
    throw new EosLabError('E_BAD_OPTION', fn, { argument: 'options.channels', value: channels, expected: `an architecture with at most 2³⁰ parameters (this one has ${dim})` });
  }
  return {
    input: [c0, h0, w0],
    kernelSize,
    conv,
    pooledHeight,
    pooledWidth,
    features,
    outputs: k,
    headWeightOffset,
    headBiasOffset,
    dim,
  };
}
