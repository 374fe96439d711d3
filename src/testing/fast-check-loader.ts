import { createRequire } from 'node:module';
import type * as FastCheck from 'fast-check';
import { EosLabError } from '../core/errors.js';

/** The fast-check module, as its `require` entry exports it. @internal */
export type FastCheckModule = typeof FastCheck;

let cached: FastCheckModule | undefined;

/**
 * Loads the optional peer `fast-check` on first use, so that only the arbitraries need it: importing
 * `eos-lab/testing` and calling its checkers works without it. `req` lets tests simulate a missing package.
 * fast-check recognizes arbitraries by their shape, not by class identity, so the arbitraries made by this
 * (CommonJS) instance work with the `fc` a user imports as an ES module. @internal
 */
export function requireFastCheck(fn: string, req?: (id: string) => unknown): FastCheckModule {
  if (req === undefined && cached !== undefined) return cached;
  // ESM build and sources: import.meta.url; the CommonJS build has __filename (and an empty import.meta).
  const load = req ?? createRequire(typeof __filename === 'string' ? __filename : import.meta.url);
  try {
    const fc = load('fast-check') as FastCheckModule;
    if (req === undefined) cached = fc;
    return fc;
  } catch (e) {
    const code = (e as { code?: string }).code;
    if ((code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND') && String((e as Error).message).includes("'fast-check'")) {
      const err = new EosLabError('E_NOT_SUPPORTED', fn, {
        argument: "the package 'fast-check'",
        value: 'not installed',
        expected: 'installed to build arbitraries: it is an optional peer dependency of eos-lab (npm install --save-dev fast-check); the checkers work without it',
      });
      (err as { cause?: unknown }).cause = e;
      throw err;
    }
    throw e;
  }
}
