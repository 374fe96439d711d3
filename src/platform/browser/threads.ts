/**
 * Threads in a browser (the browser build's replacement of `src/platform/node/threads.ts`): none. Every task pool
 * runs its tasks in-process, one after another, by the same handlers as Node's worker threads — so results are the
 * same, bit for bit, as with any number of workers in Node. (Run a whole computation in a Web Worker of your own to
 * keep a page responsive; the package works there unchanged.)
 *
 * @module
 * @internal
 */
import { EosLabError } from '../../core/errors.js';
import type { TaskPool } from '../../parallel/pool.js';

/** Whether `createTaskPool({ workers: n })` with n > 1 starts worker threads here (not in a browser). @internal */
export const WORKER_THREADS = false;

/** One: pools run in the calling thread in a browser, whatever `navigator.hardwareConcurrency` says. @internal */
export function processorCount(): number {
  return 1;
}

/** Never called in a browser (`WORKER_THREADS` is false): `E_NOT_SUPPORTED` if it is. @internal */
export function createThreadPool(workers: number, _preload: readonly string[]): TaskPool {
  throw new EosLabError('E_NOT_SUPPORTED', 'createTaskPool', {
    argument: 'options.workers',
    value: workers,
    expected: 'an in-process pool in a browser (worker threads are Node only)',
  });
}

/** No pool has threads in a browser. @internal */
export function poolThreadIds(_pool: TaskPool): number[] {
  return [];
}

/** In-process pools are not tracked (as in Node). @internal */
export function isPoolClosed(_pool: TaskPool): boolean {
  return false;
}

/** A page has no process exit; pools without threads need no closing. @internal */
export function onProcessExit(_callback: () => void): void {}
