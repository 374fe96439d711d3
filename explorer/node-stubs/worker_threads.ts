/** Browser stand-in for `node:worker_threads` (worker-thread pools only; the explorer uses Web Workers). */
import { unavailable } from './unavailable.js';

export class Worker {
  constructor() {
    unavailable('worker_threads.Worker');
  }
}
export const parentPort = null;
export const workerData = undefined;
export default { Worker, parentPort, workerData };
