/**
 * Seeded, reproducible mini-batch orders for SGD: epochs of a random permutation (without replacement) or
 * independent uniform draws (with replacement).
 *
 * @module
 */
import { EosLabError } from '../core/errors.js';
import { rng, type Rng } from '../core/rng.js';
import { integerInRange, optionsObject } from '../core/validate.js';

/**
 * Options of {@link createBatchSampler} (and `train`'s `batches`, without `examples`).
 *
 * @since 0.2.0
 */
export interface BatchSamplerOptions {
  /** n, the number of examples (integer ≥ 1). Required. */
  examples: number;
  /** b, the batch size (integer in [1, n]). Required. */
  size: number;
  /**
   * `false`: epochs — each epoch is a fresh seeded permutation of 0 … n−1 cut into consecutive batches of b, the
   * last one of the epoch holding n mod b examples when b does not divide n (PyTorch's `drop_last=False`).
   * `true`: every batch is b independent uniform draws from 0 … n−1 (repeats possible).
   * @defaultValue false
   */
  replacement?: boolean;
  /**
   * Seed of the order (same seed, same batches, on every platform).
   * @defaultValue 0
   */
  seed?: number;
}

/**
 * A stream of mini-batches: `next(out)` writes the next batch's example indices into `out[0 … count)` and returns
 * count (b, or the epoch's remainder without replacement).
 *
 * @since 0.2.0
 */
export interface BatchSampler {
  readonly examples: number;
  readonly size: number;
  readonly replacement: boolean;
  /** Writes the next batch into `out` (length ≥ size) and returns its size; allocation-free. */
  next(out: Int32Array): number;
}

/**
 * Creates a seeded batch order over n examples (see {@link BatchSamplerOptions} for the two schemes).
 *
 * @remarks Without replacement, the permutation of each epoch is a Fisher–Yates shuffle driven by `rng(seed)`
 * (j = rng.int(i + 1) for i = n−1 … 1), so every example appears exactly once per epoch. With replacement each
 * index is `rng.int(n)`. Cost O(b) per batch plus O(n) per epoch; no allocation after creation.
 * @param options - n, b, replacement, seed.
 * @returns the sampler.
 * @throws EosLabError `E_BAD_OPTION` for a missing options object, an unknown key, n not an integer ≥ 1, b not
 *   an integer in [1, n], a non-boolean `replacement` or a seed that is not a 32-bit integer.
 * @example
 * ```ts
 * import { createBatchSampler } from 'eos-lab';
 * const sampler = createBatchSampler({ examples: 5, size: 2, seed: 1 });
 * const batch = new Int32Array(2);
 * const sizes = [sampler.next(batch), sampler.next(batch), sampler.next(batch)]; // [2, 2, 1]: one epoch
 * ```
 * @since 0.2.0
 */
export function createBatchSampler(options: BatchSamplerOptions): BatchSampler {
  const fn = 'createBatchSampler';
  if (options === undefined) throw new EosLabError('E_BAD_OPTION', fn, { argument: 'options', value: options, expected: 'an options object with examples and size' });
  const o = optionsObject(fn, options, ['examples', 'size', 'replacement', 'seed']);
  const n = integerInRange(fn, 'options.examples', o.examples, 1, 0x7fffffff);
  return createSamplerUnchecked(fn, 'options.', n, o);
}

/** @internal Validates size/replacement/seed (paths prefixed by `path`) and builds the sampler. */
export function createSamplerUnchecked(fn: string, path: string, n: number, o: { size?: number; replacement?: boolean; seed?: number }): BatchSampler {
  const size = integerInRange(fn, `${path}size`, o.size, 1, n);
  if (o.replacement !== undefined && typeof o.replacement !== 'boolean') {
    throw new EosLabError('E_BAD_OPTION', fn, { argument: `${path}replacement`, value: o.replacement, expected: 'true or false' });
  }
  const replacement = o.replacement ?? false;
  const seed = o.seed === undefined ? 0 : integerInRange(fn, `${path}seed`, o.seed, -0x80000000, 0x7fffffff);
  const r: Rng = rng(seed);
  if (replacement) {
    return {
      examples: n,
      size,
      replacement,
      next(out: Int32Array): number {
        for (let b = 0; b < size; b++) out[b] = r.int(n);
        return size;
      },
    };
  }
  const perm = new Int32Array(n);
  let pos = n; // start of the next batch in perm; n = epoch exhausted
  return {
    examples: n,
    size,
    replacement,
    next(out: Int32Array): number {
      if (pos >= n) {
        for (let i = 0; i < n; i++) perm[i] = i;
        for (let i = n - 1; i > 0; i--) {
          const j = r.int(i + 1);
          const t = perm[i];
          perm[i] = perm[j];
          perm[j] = t;
        }
        pos = 0;
      }
      const count = Math.min(size, n - pos);
      for (let b = 0; b < count; b++) out[b] = perm[pos + b];
      pos += count;
      return count;
    },
  };
}
