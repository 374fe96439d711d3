/**
 * What a worker thread sends back for a task: the handler's value, or its error as plain data. Kept free of
 * other eos-lab imports so the built worker entry stays a thin shim over the package entry.
 *
 * @module
 */
import type { ErrorCode, ErrorDetails } from '../core/errors.js';

/** A worker's answer to one task. @internal */
export type WorkerReply = { ok: true; value: unknown } | { ok: false; error: SerializedError };

/** An error as structured-cloneable data. @internal */
export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  code?: ErrorCode;
  details?: ErrorDetails;
  /** The error's `cause`, if it is an error. */
  cause?: SerializedError;
  /** Set when the handler succeeded but its result could not be posted back (structured clone failed). */
  uncloneable?: boolean;
}

/** Turns any thrown value into a {@link SerializedError}. @internal */
export function serializeError(e: unknown, depth = 0): SerializedError {
  const cause = e instanceof Error && e.cause !== undefined && depth < 4 ? { cause: serializeError(e.cause, depth + 1) } : {};
  // Duck-typed rather than `instanceof`: in the build, the worker entry and the package entry are separate bundles.
  if (e instanceof Error && e.name === 'EosLabError' && typeof (e as { code?: unknown }).code === 'string') {
    const { code, details } = e as Error & { code: ErrorCode; details: ErrorDetails };
    return { name: e.name, message: e.message, stack: e.stack, code, details: { ...details, value: cloneable(details?.value) }, ...cause };
  }
  if (e instanceof Error) return { name: e.name, message: e.message, stack: e.stack, ...cause };
  return { name: 'Error', message: String(e) };
}

/** A structured-cloneable stand-in for an error's offending value (functions and class instances are not). */
function cloneable(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return typeof value === 'function' ? '[function]' : value;
  try {
    return structuredClone(value);
  } catch {
    return String(value);
  }
}
