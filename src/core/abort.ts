/**
 * Cancellation of long runs by an `AbortSignal`: validating the option and building the coded error a run throws
 * (or rejects with) when its signal fires.
 *
 * @module
 */
import { EosLabError } from './errors.js';

/**
 * Throws `E_BAD_OPTION` unless `value` is undefined or an `AbortSignal` (anything with a boolean `aborted` and
 * `addEventListener`, so signals of other realms work). Returns it.
 */
export function validateSignal(fn: string, argument: string, value: unknown): AbortSignal | undefined {
  if (value === undefined) return undefined;
  const s = value as Partial<AbortSignal> | null;
  if (s === null || typeof s !== 'object' || typeof s.aborted !== 'boolean' || typeof s.addEventListener !== 'function') {
    throw new EosLabError('E_BAD_OPTION', fn, { argument, value, expected: 'an AbortSignal (e.g. new AbortController().signal)' });
  }
  return value as AbortSignal;
}

/**
 * The error of a run stopped by its signal: `E_ABORTED`, `details.value` and `cause` the signal's reason, `where`
 * saying where the run stopped (e.g. `'at step 1200'`).
 */
export function abortError(fn: string, signal: AbortSignal, where: string): EosLabError {
  return new EosLabError(
    'E_ABORTED',
    fn,
    { argument: 'options.signal', value: describeReason(signal.reason), expected: `not aborted (the run was stopped ${where})` },
    { cause: signal.reason },
  );
}

/** Throws {@link abortError} if `signal` has fired. */
export function throwIfAborted(fn: string, signal: AbortSignal | undefined, where: string): void {
  if (signal?.aborted === true) throw abortError(fn, signal, where);
}

/** A short rendering of an abort reason (a DOMException prints as its name and message). */
function describeReason(reason: unknown): unknown {
  if (reason instanceof Error) return `${reason.name}: ${reason.message}`;
  return reason;
}

/** Resolves after the event loop has run once (timers, I/O, abort events): lets a signal fire between units of work. */
export function yieldToEventLoop(): Promise<void> {
  // setImmediate where it exists (Node: no 1 ms timer clamp), a zero timeout elsewhere.
  return new Promise((resolve) => (typeof setImmediate === 'function' ? setImmediate(resolve) : setTimeout(resolve, 0)));
}
