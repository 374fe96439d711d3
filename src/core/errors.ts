/**
 * Stable error codes of {@link EosLabError}. Codes never change meaning between versions;
 * messages may be reworded.
 *
 * - `E_DIM_MISMATCH`: an array's length or a matrix's shape does not match what the call needs.
 * - `E_NONFINITE`: a NaN or ±Infinity where a finite number is required — in an array, a matrix or any numeric
 *   option, whatever range it needs (so "η must be > 0" gives `E_BAD_OPTION` for −1 and `E_NONFINITE` for NaN).
 * - `E_BAD_OPTION`: an option or argument outside its allowed range or set, or contradictory options.
 * - `E_EMPTY`: an empty array, grid or data set where at least one element is required.
 * - `E_UNKNOWN_MODEL`: `createModel` was given a `spec.kind` that no model registered.
 * - `E_NOT_SUPPORTED`: the operation needs a capability the model or input does not have.
 * - `E_NOT_CONVERGED` (since 0.2.0): a function that returns a bare number (e.g. `sharpness`) could not meet its
 *   tolerance; the variant that returns a record (e.g. `sharpnessEstimate`) reports `converged: false` instead.
 * - `E_REPEATED_EIGENVALUE` (since 0.2.0): the quantity asked for is not differentiable at this input because the
 *   top Hessian eigenvalue is (numerically) repeated, e.g. `sharpnessGradient` at a relative gap below its tolerance.
 * - `E_ABORTED` (since 0.2.0): a long run (`gd`, `gradientFlow`, `lrSweep`, `gridStudy`, `sharpness`,
 *   `runTasks`/`TaskPool.run`) was stopped by its `signal` (`details.value` is the signal's reason, also the
 *   error's `cause`), or its pool was closed during the run. Worker threads of the run are stopped; nothing of it
 *   keeps running. `details.argument` names where it stopped (e.g. the task or step).
 * - `E_RESOURCE` (since 0.2.0): the memory a call would need, estimated before any work, cannot fit (more than this
 *   machine's memory, or an array longer than JavaScript allows). `details.value` is the estimate in bytes and the
 *   message says how to make the call smaller.
 * - `E_WORKER` (since 0.2.0): a task of a worker pool failed other than with an `EosLabError`: a handler threw
 *   another error class (kept as `cause`, with its name and stack), its result could not be copied back to the
 *   calling thread, or the worker thread died (e.g. `process.exit` or a crash in native code). `details.argument`
 *   names the task (its index and kind, plus its learning rate or chunk where it has one).
 * - `E_MODEL_MISMATCH` (since 0.2.0): a model must be rebuilt from its `spec` for worker threads, but
 *   `createModel(model.spec)` does not reproduce it (its loss or gradient at the start differ in some bit, or its
 *   dim differs). `details.argument` names the first difference.
 *
 * See the guide "Failure modes" for when each is thrown and which runs report a status instead.
 *
 * @since 0.1.0
 */
export type ErrorCode =
  | 'E_DIM_MISMATCH'
  | 'E_NONFINITE'
  | 'E_BAD_OPTION'
  | 'E_EMPTY'
  | 'E_UNKNOWN_MODEL'
  | 'E_NOT_SUPPORTED'
  | 'E_NOT_CONVERGED'
  | 'E_REPEATED_EIGENVALUE'
  | 'E_ABORTED'
  | 'E_RESOURCE'
  | 'E_WORKER'
  | 'E_MODEL_MISMATCH';

/** The brand every {@link EosLabError} carries; `Symbol.for` makes it the same symbol in every build. */
const EOS_LAB_ERROR_BRAND = Symbol.for('eos-lab.EosLabError');

/**
 * What was wrong with an input: the argument's path (e.g. `options.learningRate`), the offending value
 * (summarized for large arrays) and a sentence saying what was expected.
 *
 * @since 0.1.0
 */
export interface ErrorDetails {
  readonly argument: string;
  readonly value: unknown;
  readonly expected: string;
}

/**
 * The one error type of eos-lab, thrown for bad input (never for numerical outcomes such as divergence of GD,
 * which is a result status). `code` is stable; `details` names the argument, its value and what was expected.
 *
 * The message has the form `fn: argument must be expected. Value: v.`
 *
 * `instanceof EosLabError` is a brand check (`Symbol.hasInstance` with a `Symbol.for` brand), so it holds for an
 * error thrown by either build of the package — ESM or CommonJS — or by another copy of it in the same process.
 *
 * @example
 * ```ts
 * import { gd, scalarFactorization, EosLabError } from 'eos-lab';
 * try {
 *   gd(scalarFactorization.create(), new Float64Array([1, 2]), { learningRate: -1 });
 * } catch (e) {
 *   if (e instanceof EosLabError) console.log(e.code, e.details.argument); // E_BAD_OPTION options.learningRate
 * }
 * ```
 * @since 0.1.0
 */
export class EosLabError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetails;
  /**
   * For the rejection of a worker-pool run (`TaskPool.run`, `runTasks`, and so `gridStudy`/`lrSweep` on threads):
   * the results of the tasks that finished before the run failed, `partialResults[i]` for `tasks[i]`, with holes
   * (`!(i in partialResults)`) for the tasks that did not. Undefined for every other error.
   * @since 0.2.0
   */
  readonly partialResults?: readonly unknown[];

  /**
   * @param code - the stable code.
   * @param fn - the public function that threw (the message starts with it).
   * @param details - argument, value and what was expected.
   * @param options - `cause`: the underlying error (since 0.2.0), e.g. a worker's error or an abort reason.
   */
  constructor(code: ErrorCode, fn: string, details: ErrorDetails, options?: { cause?: unknown }) {
    super(`${fn}: ${details.argument} must be ${details.expected}. Value: ${formatValue(details.value)}.`, options);
    this.name = 'EosLabError';
    this.code = code;
    this.details = details;
    Object.defineProperty(this, EOS_LAB_ERROR_BRAND, { value: true });
  }

  /**
   * True for any error made by an `EosLabError` constructor of any copy of eos-lab (ESM or CommonJS build): the
   * dual-package hazard would otherwise make `instanceof` fail across builds.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    // A subclass keeps the ordinary prototype-chain test (the brand says "an EosLabError", not which subclass).
    if (this !== EosLabError) return Function.prototype[Symbol.hasInstance].call(this, value);
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[EOS_LAB_ERROR_BRAND] === true;
  }
}

/** Short, readable rendering of a value for error messages (arrays are summarized, not dumped). */
export function formatValue(value: unknown): string {
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (ArrayBuffer.isView(value) || Array.isArray(value)) {
    const arr = value as ArrayLike<unknown>;
    const name = Array.isArray(value) ? 'Array' : value.constructor.name;
    const head = Array.from({ length: Math.min(arr.length, 4) }, (_, i) => formatValue(arr[i])).join(', ');
    return `${name}(${arr.length}) [${head}${arr.length > 4 ? ', …' : ''}]`;
  }
  if (typeof value === 'function') return 'function';
  try {
    const s = JSON.stringify(value);
    return s.length > 120 ? `${s.slice(0, 117)}...` : s;
  } catch {
    return String(value);
  }
}
