/**
 * `ml-matrix` in a browser (the browser build's replacement of `src/platform/node/ml-matrix.ts`): imported
 * statically, since a bundle has no synchronous `require`.
 *
 * @module
 * @internal
 */
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';

/** The two classes of `ml-matrix` eos-lab uses. @internal */
export type MlMatrix = Pick<typeof import('ml-matrix'), 'EigenvalueDecomposition' | 'Matrix'>;

const mlMatrixModule: MlMatrix = { EigenvalueDecomposition, Matrix };

/** `ml-matrix`. @internal */
export function mlMatrix(): MlMatrix {
  return mlMatrixModule;
}
