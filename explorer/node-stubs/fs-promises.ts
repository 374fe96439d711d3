/** Browser stand-in for `node:fs/promises` (eos-lab/node's result files only). */
import { unavailable } from './unavailable.js';

export const open = (): never => unavailable('fs.open');
export const readFile = (): never => unavailable('fs.readFile');
export const rename = (): never => unavailable('fs.rename');
export const rm = (): never => unavailable('fs.rm');
export default { open, readFile, rename, rm };
