/**
 * Validators used at the public boundary (once per call, never inside kernels). Each throws an
 * {@link EosLabError} whose message names the function, the argument path, the value and what was expected.
 *
 * @module
 */
import { EosLabError } from './errors.js';

/** Throws `E_BAD_OPTION` unless `value` is a finite number > 0. Returns the value. */
export function positiveFinite(fn: string, argument: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new EosLabError('E_BAD_OPTION', fn, {
      argument,
      value,
      expected: 'a finite number > 0',
    });
  }
  return value;
}

/** Throws `E_BAD_OPTION` unless `value` is a finite number ≥ 0. Returns the value. */
export function nonNegativeFinite(fn: string, argument: string, value: unknown): number {
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

/** Throws `E_BAD_OPTION` unless `value` is an integer in [min, max]. Returns the value. */
export function integerInRange(
  fn: string,
  argument: string,
  value: unknown,
  min: number,
  max: number = Number.MAX_SAFE_INTEGER,
): number {
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

/** Throws `E_BAD_OPTION` unless `options` is undefined or a plain object. Returns `options ?? {}`. */
export function optionsObject<T extends object>(fn: string, options: T | undefined): T {
  if (options === undefined) return {} as T;
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new EosLabError('E_BAD_OPTION', fn, { argument: 'options', value: options, expected: 'an options object or undefined' });
  }
  return options;
}
