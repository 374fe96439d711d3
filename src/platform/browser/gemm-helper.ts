/**
 * The browser build's replacement of `src/platform/node/gemm-helper.ts`: no helper thread, every matrix product
 * runs on the calling thread.
 *
 * @module
 * @internal
 */

/** Never in a browser. @internal */
export function gemmHelperPossible(): boolean {
  return false;
}

/** Never called in a browser (`gemmHelperPossible` is false). @internal */
export function startGemmHelper(_module: object, _memory: object, _control: SharedArrayBuffer): boolean {
  return false;
}
