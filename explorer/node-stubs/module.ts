/**
 * Browser stand-in for `node:module`: eos-lab loads its CommonJS dependency ml-matrix (the dense eigensolver)
 * through `createRequire`; here that require hands out the bundled ES module. Anything else is Node-only.
 */
import * as mlMatrix from 'ml-matrix';
import { unavailable } from './unavailable.js';

export function createRequire(_from: string | URL): (id: string) => unknown {
  const load = (id: string): unknown => (id === 'ml-matrix' ? mlMatrix : unavailable(`require('${id}')`));
  return Object.assign(load, { resolve: (id: string): string => unavailable(`require.resolve('${id}')`) });
}
export default { createRequire };
