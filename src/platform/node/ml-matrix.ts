/**
 * `ml-matrix` in Node, loaded synchronously on the first dense eigendecomposition instead of at `import 'eos-lab'`
 * (its ES-module graph costs tens of milliseconds at every import, most of them for programs that never form a
 * dense Hessian or take a nuclear norm). The browser build imports it statically instead (`src/platform/browser/ml-matrix.ts`): a bundle
 * has no `require`, and a bundler includes the module once anyway.
 *
 * @module
 * @internal
 */
import { requireModule } from './modules.js';

/** The classes of `ml-matrix` eos-lab uses. @internal */
export type MlMatrix = Pick<typeof import('ml-matrix'), 'EigenvalueDecomposition' | 'Matrix' | 'SingularValueDecomposition'>;

let mlMatrixModule: MlMatrix | undefined;

/** `ml-matrix`, required on first use. @internal */
export function mlMatrix(): MlMatrix {
  mlMatrixModule ??= requireModule('ml-matrix') as MlMatrix;
  return mlMatrixModule;
}
