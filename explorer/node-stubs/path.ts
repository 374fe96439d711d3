/** Browser stand-in for `node:path` (worker-thread pools only). */
import { unavailable } from './unavailable.js';

export const dirname = (): never => unavailable('path.dirname');
export const extname = (): never => unavailable('path.extname');
export const join = (): never => unavailable('path.join');
export default { dirname, extname, join };
