/**
 * Tasks and their handlers: a task is plain, structured-cloneable data `{ kind, ... }` (JSON values and typed
 * arrays), and the handler registered under its `kind` computes its result — in this thread or in a worker of a
 * {@link TaskPool}, with the same code, so results do not depend on where a task ran.
 *
 * @module
 */
import { EosLabError } from '../core/errors.js';
import { isFunction } from '../core/validate.js';

/**
 * A unit of work for {@link runTask} / {@link runTasks}: plain data naming its handler by `kind`. It must survive
 * the structured clone of `postMessage` (JSON values, typed arrays, nested plain objects — no functions, no
 * class instances), because a worker thread receives a copy. Models travel as their `spec` (rebuilt with
 * `createModel` by the handler).
 *
 * @since 0.1.0
 */
export interface Task {
  /** The registered handler's kind, e.g. `'grid-study/chunk'`. */
  readonly kind: string;
  readonly [field: string]: unknown;
}

/**
 * Computes the result of one task. It runs in whichever thread the task lands on, so it must depend only on the
 * task's data (and on registered models and handlers), never on mutable module state; its result must be
 * structured-cloneable. It may return a promise.
 *
 * @since 0.1.0
 */
export type TaskHandler = (task: Task) => unknown;

const handlers = new Map<string, TaskHandler>();

/**
 * Registers the handler that computes tasks of `kind` (in this thread and, through the module that registers
 * it, in every worker). Experiment modules register theirs when `eos-lab` is loaded, as models do; registering a
 * kind again replaces its handler.
 *
 * A worker thread loads the whole `eos-lab` entry point, so handlers registered by eos-lab's own modules exist
 * there too. A handler of yours must be registered in the workers as well: put the `registerTaskHandler` call in a
 * module and pass that module to {@link createTaskPool} / {@link runTasks} as `preload`.
 *
 * @remarks
 * Kinds are namespaced by convention, `'<experiment>/<unit>'` (e.g. `'grid-study/chunk'`). Cost O(1).
 *
 * @param kind - the `task.kind` the handler serves: a non-empty string.
 * @param handler - computes the result of one task from its data.
 * @throws EosLabError `E_BAD_OPTION` if `kind` is not a non-empty string or `handler` is not a function.
 * @example
 * ```ts
 * import { registerTaskHandler, runTasks, type Task } from 'eos-lab';
 * registerTaskHandler('demo/square', (task: Task) => (task.value as number) ** 2);
 * const squares = await runTasks([1, 2, 3].map((value) => ({ kind: 'demo/square', value })), { workers: 0 });
 * console.log(squares); // [1, 4, 9]
 * ```
 * @since 0.1.0
 */
export function registerTaskHandler(kind: string, handler: TaskHandler): void {
  const fn = 'registerTaskHandler';
  if (typeof kind !== 'string' || kind.length === 0) {
    throw new EosLabError('E_BAD_OPTION', fn, { argument: 'kind', value: kind, expected: 'a non-empty string' });
  }
  handlers.set(kind, isFunction<TaskHandler>(fn, 'handler', handler));
}

/**
 * The registered task kinds, in registration order.
 *
 * @remarks Cost O(number of kinds); allocates the returned array.
 *
 * @returns the kinds.
 * @example
 * ```ts
 * import { registeredTaskKinds } from 'eos-lab';
 * console.log(registeredTaskKinds().includes('grid-study/chunk')); // true: the grid study registers its handler
 * ```
 * @since 0.1.0
 */
export function registeredTaskKinds(): string[] {
  return [...handlers.keys()];
}

/** Checks that `task` is an object with a string `kind` and returns its handler. @internal */
export function handlerFor(fn: string, argument: string, task: unknown): TaskHandler {
  if (task === null || typeof task !== 'object' || typeof (task as Task).kind !== 'string') {
    throw new EosLabError('E_BAD_OPTION', fn, { argument, value: task, expected: "an object with a string 'kind'" });
  }
  const handler = handlers.get((task as Task).kind);
  if (handler === undefined) {
    throw new EosLabError('E_NOT_SUPPORTED', fn, {
      argument: `${argument}.kind`,
      value: (task as Task).kind,
      expected: `a registered task kind (${[...handlers.keys()].map((k) => `'${k}'`).join(', ') || 'none registered'})`,
    });
  }
  return handler;
}

/**
 * Runs one task in this thread with the handler registered for its `kind` — exactly what a worker of a
 * {@link TaskPool} does with the task it receives.
 *
 * @remarks
 * The task is passed to the handler as is (not cloned); handlers must not modify it. Cost: the handler's.
 *
 * @param task - `{ kind, ... }`.
 * @returns a promise of the handler's result.
 * @throws EosLabError (as a rejected promise) `E_BAD_OPTION` if `task` is not an object with a string `kind`,
 *   `E_NOT_SUPPORTED` if no handler is registered for it; the handler's own errors propagate unchanged.
 * @example
 * ```ts
 * import { registerTaskHandler, runTask, type Task } from 'eos-lab';
 * registerTaskHandler('demo/add', (task: Task) => (task.a as number) + (task.b as number));
 * console.log(await runTask({ kind: 'demo/add', a: 2, b: 3 })); // 5
 * ```
 * @since 0.1.0
 */
export async function runTask(task: Task): Promise<unknown> {
  return handlerFor('runTask', 'task', task)(task);
}
