/** Browser stand-in for `node:fs` (worker-thread pools and the CLI only). */
import { unavailable } from './unavailable.js';

export const existsSync = (): boolean => unavailable('fs.existsSync');
export const mkdirSync = (): never => unavailable('fs.mkdirSync');
export const readFileSync = (): never => unavailable('fs.readFileSync');
export const readdirSync = (): never => unavailable('fs.readdirSync');
export const writeFileSync = (): never => unavailable('fs.writeFileSync');
export const renameSync = (): never => unavailable('fs.renameSync');
export default { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync, renameSync };
