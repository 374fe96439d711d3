/**
 * `ml-matrix` in Node, loaded synchronously on the first dense eigendecomposition instead of at `import 'eos-lab'`
 * (its ES-module graph costs tens of milliseconds at every import, most of them for programs that never form a
 * dense Hessian). The browser build imports it statically instead (`src/platform/browser/ml-matrix.ts`): a bundle
 * has no `require`, and a bundler includes the module once anyway.
 *
 * @module
 * @internal
 */
import { requireModule } from './modules.js';

/** The two classes of `ml-matrix` eos-lab uses. @internal */
export type MlMatrix = Pick<typeof import('ml-matrix'), 'EigenvalueDecomposition' | 'Matrix'>;

let mlMatrixModule: MlMatrix | undefined;

/** `ml-matrix`, required on first use. @internal */
export function mlMatrix(): MlMatrix {
  mlMatrixModule ??= requireModule('ml-matrix') as MlMatrix;
  return mlMatrixModule;
}
