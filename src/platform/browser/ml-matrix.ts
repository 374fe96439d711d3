/**
 * `ml-matrix` in a browser (the browser build's replacement of `src/platform/node/ml-matrix.ts`): imported
 * statically, since a bundle has no synchronous `require`.
 *
 * @module
 * @internal
 */
import { EigenvalueDecomposition, Matrix, SingularValueDecomposition } from 'ml-matrix';

/** The classes of `ml-matrix` eos-lab uses. @internal */
export type MlMatrix = Pick<typeof import('ml-matrix'), 'EigenvalueDecomposition' | 'Matrix' | 'SingularValueDecomposition'>;

const mlMatrixModule: MlMatrix = { EigenvalueDecomposition, Matrix, SingularValueDecomposition };

/** `ml-matrix`. @internal */
export function mlMatrix(): MlMatrix {
  return mlMatrixModule;
}
