/**
 * The worker-thread entry of {@link createTaskPool} (built as `dist/parallel-worker.js`/`.cjs`; from the sources
 * loaded through tsx). It loads the `eos-lab` entry point — registering every built-in model and task handler —
 * and the pool's `preload` modules, then answers each task with its handler's result, or with the error as plain
 * data (so an `EosLabError` keeps its code and details in the calling thread).
 *
 * In the build, `../index.js` is not bundled into this file but imported from the package entry beside it
 * (see `tsup.config.ts`), so the worker has one model registry and one task registry, shared with any `preload`
 * module that imports `eos-lab`.
 *
 * @module
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { workerData } from 'node:worker_threads';
import { runTask, type Task } from '../index.js';
import { serializeError, type WorkerReply } from './worker-protocol.js';

let ready: Promise<unknown> | undefined;

/**
 * Imports one preload module. A TypeScript module is `require`d: from the sources a worker runs under tsx's
 * CommonJS hook only (Node 20 applies no module hooks to a worker thread's `import()`), which also makes the
 * preloaded module share this worker's instances of the eos-lab sources.
 */
function loadModule(specifier: string): Promise<unknown> {
  if (/\.[cm]?ts$/.test(specifier)) {
    const path = specifier.startsWith('file:') ? fileURLToPath(specifier) : specifier;
    return Promise.resolve(createRequire(import.meta.url)(path));
  }
  return import(specifier);
}

/** Runs one task (after the preload modules) and reports its result or error as plain data. @internal */
export async function runTaskMessage(task: Task): Promise<WorkerReply> {
  try {
    const preload = ((workerData as { preload?: string[] } | null)?.preload ?? []) as string[];
    ready ??= Promise.all(preload.map(loadModule));
    await ready;
    return { ok: true, value: await runTask(task) };
  } catch (e) {
    return { ok: false, error: serializeError(e) };
  }
}

export default runTaskMessage;
