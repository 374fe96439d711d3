/**
 * Validators used at the public boundary (once per call, never inside kernels). Each throws an
 * {@link EosLabError} whose message names the function, the argument path, the value and what was expected.
 *
 * @module
 */
import { EosLabError } from './errors.js';

/**
 * Throws `E_NONFINITE` when `value` is a number but NaN or ±Infinity (the one code for non-finite input, whatever
 * the range the argument needs), naming `expected`.
 */
export function rejectNonFinite(fn: string, argument: string, value: unknown, expected: string): void {
  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw new EosLabError('E_NONFINITE', fn, { argument, value, expected });
  }
}

/** Throws `E_NONFINITE` for NaN/±Infinity, else `E_BAD_OPTION` unless `value` is a finite number > 0. Returns the value. */
export function positiveFinite(fn: string, argument: string, value: unknown): number {
  rejectNonFinite(fn, argument, value, 'a finite number > 0');
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new EosLabError('E_BAD_OPTION', fn, {
      argument,
      value,
      expected: 'a finite number > 0',
    });
  }
  return value;
}

/** Throws `E_NONFINITE` for NaN/±Infinity, else `E_BAD_OPTION` unless `value` is a finite number ≥ 0. Returns the value. */
export function nonNegativeFinite(fn: string, argument: string, value: unknown): number {
  rejectNonFinite(fn, argument, value, 'a finite number >= 0');
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new EosLabError('E_BAD_OPTION', fn, { argument, value, expected: 'a finite number >= 0' });
  }
  return value;
}

/** Throws `E_NONFINITE` for NaN/±Infinity and `E_BAD_OPTION` for a non-number. Returns the value. */
export function finiteNumber(fn: string, argument: string, value: unknown): number {
  if (typeof value !== 'number') {
    throw new EosLabError('E_BAD_OPTION', fn, { argument, value, expected: 'a finite number' });
  }
  if (!Number.isFinite(value)) {
    throw new EosLabError('E_NONFINITE', fn, { argument, value, expected: 'a finite number' });
  }
  return value;
}

/** Throws `E_NONFINITE` for NaN/±Infinity, else `E_BAD_OPTION` unless `value` is an integer in [min, max]. Returns the value. */
export function integerInRange(
  fn: string,
  argument: string,
  value: unknown,
  min: number,
  max: number = Number.MAX_SAFE_INTEGER,
): number {
  rejectNonFinite(fn, argument, value, max === Number.MAX_SAFE_INTEGER ? `an integer >= ${min}` : `an integer in [${min}, ${max}]`);
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `in [${min}, ${max}]`;
    throw new EosLabError('E_BAD_OPTION', fn, { argument, value, expected: `an integer ${range}` });
  }
  return value;
}

/** Throws `E_BAD_OPTION` unless `value` is one of `allowed`. Returns the value. */
export function oneOf<T extends string>(fn: string, argument: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new EosLabError('E_BAD_OPTION', fn, {
      argument,
      value,
      expected: `one of ${allowed.map((a) => `'${a}'`).join(', ')}`,
    });
  }
  return value as T;
}

/** Throws `E_BAD_OPTION` unless `value` is a function. Returns the value. */
export function isFunction<F>(fn: string, argument: string, value: unknown): F {
  if (typeof value !== 'function') {
    throw new EosLabError('E_BAD_OPTION', fn, { argument, value, expected: 'a function' });
  }
  return value as F;
}

/**
 * Checks that `v` is a `Float64Array` of length `dim` (when given) with only finite entries.
 * Throws `E_BAD_OPTION` for another type, `E_DIM_MISMATCH` for a wrong length, `E_EMPTY` for length 0 and
 * `E_NONFINITE` naming the first non-finite index.
 */
export function finiteVector(fn: string, argument: string, v: unknown, dim?: number): Float64Array {
  if (!(v instanceof Float64Array)) {
    throw new EosLabError('E_BAD_OPTION', fn, { argument, value: v, expected: 'a Float64Array' });
  }
  if (dim !== undefined && v.length !== dim) {
    throw new EosLabError('E_DIM_MISMATCH', fn, {
      argument: `${argument}.length`,
      value: v.length,
      expected: `${dim} (the model's dim)`,
    });
  }
  if (v.length === 0) {
    throw new EosLabError('E_EMPTY', fn, { argument: `${argument}.length`, value: 0, expected: 'at least 1' });
  }
  for (let i = 0; i < v.length; i++) {
    if (!Number.isFinite(v[i])) {
      throw new EosLabError('E_NONFINITE', fn, { argument: `${argument}[${i}]`, value: v[i], expected: 'a finite number' });
    }
  }
  return v;
}

/** Checks that `out` is a `Float64Array` of length `dim` (contents are not inspected). */
export function outBuffer(fn: string, argument: string, out: unknown, dim: number): Float64Array {
  if (!(out instanceof Float64Array)) {
    throw new EosLabError('E_BAD_OPTION', fn, { argument, value: out, expected: 'a Float64Array' });
  }
  if (out.length !== dim) {
    throw new EosLabError('E_DIM_MISMATCH', fn, { argument: `${argument}.length`, value: out.length, expected: `${dim}` });
  }
  return out;
}

/**
 * Throws `E_BAD_OPTION` unless `options` is undefined or a plain object. Returns `options ?? {}`.
 * When `allowed` is given, a key outside it is an error too (with a "did you mean" suggestion), so a misspelled
 * option is never silently ignored.
 */
export function optionsObject<T extends object>(
  fn: string,
  options: T | undefined,
  allowed?: readonly string[],
  argument = 'options',
): T {
  if (options === undefined) return {} as T;
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new EosLabError('E_BAD_OPTION', fn, { argument, value: options, expected: 'an options object or undefined' });
  }
  if (allowed !== undefined) rejectUnknownKeys(fn, argument, options, allowed);
  return options;
}

/**
 * Option names of the run controls (cancellation and progress) that long computations accept; listed by
 * {@link optionKeys} with `runControl` even before an options interface declares them.
 */
export type RunControlKey = 'signal' | 'onProgress' | 'progressEvery';

const RUN_CONTROL_KEYS: readonly RunControlKey[] = ['signal', 'onProgress', 'progressEvery'];

/**
 * The allowed keys of an options interface `T` for {@link optionsObject}, written as `{ key: true, … }` so that
 * the compiler checks the list against `T`: a missing key or one `T` does not have is a type error. With
 * `runControl`, `signal`, `onProgress` and `progressEvery` are allowed too (whether `T` declares them yet or not).
 */
export function optionKeys<T extends object>(
  keys: { readonly [K in Exclude<keyof Required<T>, RunControlKey>]: true },
  runControl = false,
): readonly string[] {
  const list = Object.keys(keys);
  return runControl ? [...list, ...RUN_CONTROL_KEYS.filter((k) => !list.includes(k))] : list;
}

/**
 * Throws `E_BAD_OPTION` for the first own enumerable key of `obj` that is not in `allowed`, naming the closest
 * allowed key when one is near (edit distance ≤ 2, or equal ignoring case).
 */
export function rejectUnknownKeys(fn: string, argument: string, obj: object, allowed: readonly string[]): void {
  for (const key of Object.keys(obj)) {
    if (allowed.includes(key)) continue;
    const near = closestKey(key, allowed);
    const known = allowed.length > 0 ? `one of ${allowed.map((k) => JSON.stringify(k)).join(', ')}` : 'no key at all';
    throw new EosLabError('E_BAD_OPTION', fn, {
      argument: `${argument}.${key}`,
      value: (obj as Record<string, unknown>)[key],
      expected: near === undefined ? `a known option (${known})` : `a known option — did you mean "${near}"? (${known})`,
    });
  }
}

/** The allowed key closest to `key` (case-insensitive equality or Levenshtein distance ≤ 2), if any. */
function closestKey(key: string, allowed: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of allowed) {
    const d = candidate.toLowerCase() === key.toLowerCase() ? 0 : editDistance(key, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/** Levenshtein distance with unit costs (two-row dynamic programme; keys are short). */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}
