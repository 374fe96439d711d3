import { EosLabError } from '../../src/core/errors.js';

/** The `EosLabError` that `f` throws; rethrows any other error; fails if nothing is thrown. */
export function thrown(f: () => unknown): EosLabError {
  try {
    f();
  } catch (e) {
    if (e instanceof EosLabError) return e;
    throw e;
  }
  throw new Error('expected an EosLabError, nothing was thrown');
}

/** The code of the `EosLabError` that `f` throws, or undefined when it throws nothing (other errors propagate). */
export function errorCode(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    if (e instanceof EosLabError) return e.code;
    throw e;
  }
  return undefined;
}
