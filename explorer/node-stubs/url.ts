/** Browser stand-in for `node:url` (worker-thread pools only). */
import { unavailable } from './unavailable.js';

export const fileURLToPath = (): never => unavailable('url.fileURLToPath');
export const pathToFileURL = (): never => unavailable('url.pathToFileURL');
export default { fileURLToPath, pathToFileURL };
