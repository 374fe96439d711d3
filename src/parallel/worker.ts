/**
 * The worker-thread entry of {@link createTaskPool} (built as `dist/parallel-worker.js`/`.cjs`; from the sources
 * loaded through tsx). It loads the `eos-lab` entry point — registering every built-in model and task handler —
 * and the pool's `preload` modules, then answers each task message `{ index, task }` with `{ index, reply }`: the
 * handler's result, or the error as plain data (so an `EosLabError` keeps its code and details in the calling
 * thread, and another error its name, message and stack).
 *
 * **One loader.** Node loads this file itself (`new Worker(file)`: as an ES module from `parallel-worker.js` and
 * from the sources, as CommonJS from `parallel-worker.cjs`), and the preload modules go through the same loader:
 * `import()` in the ES-module worker — so a preload's `import 'eos-lab'` resolves to the very `dist/index.js`
 * this file imports, and a TypeScript preload goes through the tsx hooks the worker inherits — and `require` in
 * the CommonJS worker (`import()` for `.mjs` preloads, which cannot be required without `require(esm)`). A
 * TypeScript preload needs tsx's `require` hook (Node 20 gives worker threads no ES-module hooks), so the pool
 * uses the CommonJS worker for it (and from the sources, where `worker-bootstrap.cjs` requires this file).
 * Nothing here `require`s an ES module (the route by which a worker of an earlier version got a second copy of the
 * package under tsx, and crashed Node now and then with many threads).
 *
 * In the build, `../index.js` is not bundled into this file but imported from the package entry beside it
 * (see `tsup.config.ts`), so the worker has one model registry and one task registry, shared with any `preload`
 * module that imports `eos-lab`.
 *
 * @module
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';
import { runTask, type Task } from '../index.js';
import { serializeError, type WorkerReply } from './worker-protocol.js';

interface WorkerSetup {
  readonly preload?: readonly string[];
  readonly format?: 'esm' | 'cjs';
}

const setup = (workerData ?? {}) as WorkerSetup;
let ready: Promise<unknown> | undefined;

/** Imports one preload module with this worker's loader (see the module comment). */
function loadModule(specifier: string): Promise<unknown> {
  if (setup.format === 'cjs' && !/\.mjs$/.test(specifier)) {
    const path = specifier.startsWith('file:') ? fileURLToPath(specifier) : specifier;
    return Promise.resolve().then(() => createRequire(import.meta.url)(path));
  }
  return import(specifier);
}

/** Runs one task (after the preload modules) and reports its result or error as plain data. @internal */
export async function runTaskMessage(task: Task): Promise<WorkerReply> {
  try {
    ready ??= Promise.all((setup.preload ?? []).map(loadModule));
    await ready;
    return { ok: true, value: await runTask(task) };
  } catch (e) {
    return { ok: false, error: serializeError(e) };
  }
}

parentPort?.on('message', (message: { index: number; task: Task }) => {
  void runTaskMessage(message.task).then((reply) => {
    try {
      parentPort?.postMessage({ index: message.index, reply });
    } catch (e) {
      // The result cannot be structured-cloned (a function, a class instance, …): report that instead.
      parentPort?.postMessage({ index: message.index, reply: { ok: false, error: { ...serializeError(e), uncloneable: true } } });
    }
  });
});

export default runTaskMessage;
