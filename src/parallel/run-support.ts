/**
 * What a pool run shares between the in-process pool and the worker-thread pool: validation of a run's tasks and
 * options, and the errors a run rejects with (naming the task, carrying the results finished before it failed).
 * Free of Node built-ins, so the browser build of the package includes it.
 *
 * @module
 * @internal
 */
import { validateSignal } from '../core/abort.js';
import { EosLabError } from '../core/errors.js';
import { isFunction, optionsObject } from '../core/validate.js';
import type { TaskProgress, TaskRunOptions } from './pool.js';
import type { Task } from './task-registry.js';

/** Validates `TaskPool.run`'s options. @internal */
export function validateRunOptions(fn: string, options: unknown): { signal: AbortSignal | undefined; onProgress: ((p: TaskProgress) => void) | undefined } {
  const o = optionsObject<TaskRunOptions>(fn, options as TaskRunOptions | undefined, ['signal', 'onProgress']);
  const signal = validateSignal(fn, 'options.signal', o.signal);
  const onProgress = o.onProgress === undefined ? undefined : isFunction<(p: TaskProgress) => void>(fn, 'options.onProgress', o.onProgress);
  return { signal, onProgress };
}

/** `tasks[i] (kind 'k', learning rate η, chunk c)`: how errors name a task. @internal */
export function describeTask(task: Task, index: number): string {
  let s = `tasks[${index}] (kind '${task.kind}'`;
  if (typeof task.learningRate === 'number') s += `, learning rate ${task.learningRate}`;
  if (typeof task.chunk === 'number') s += `, chunk ${task.chunk}`;
  return `${s})`;
}

/**
 * The error of a failed task: an `EosLabError` stays as it is; anything else becomes `E_WORKER` naming the task,
 * with the original error as `cause`. @internal
 */
export function taskError(error: unknown, task: Task, index: number, what?: string): Error {
  if (error instanceof EosLabError) return error;
  const name = error instanceof Error ? error.name : 'Error';
  const message = error instanceof Error ? error.message : String(error);
  return new EosLabError(
    'E_WORKER',
    'TaskPool.run',
    {
      argument: describeTask(task, index),
      value: `${name}: ${message}`,
      expected: what ?? `a task that completes (its handler threw ${/^[aeiou]/i.test(name) ? 'an' : 'a'} ${name}; see the error's cause)`,
    },
    { cause: error },
  );
}

/**
 * Attaches the results of the tasks that finished (holes for the others) to a run's rejection, so that a failure
 * late in a long run does not lose the work done (see `EosLabError.partialResults`).
 */
export function withPartialResults(error: unknown, results: readonly unknown[], total: number): unknown {
  if (error instanceof EosLabError && error.partialResults === undefined) {
    const partial = new Array<unknown>(total);
    for (let i = 0; i < results.length; i++) if (i in results) partial[i] = results[i];
    Object.defineProperty(error, 'partialResults', { value: partial, enumerable: false, configurable: true });
  }
  return error;
}

/** The error of a run on a closed pool. @internal */
export function closedError(task: Task | undefined, index: number): EosLabError {
  return new EosLabError('E_ABORTED', 'TaskPool.run', {
    argument: task === undefined ? 'pool' : describeTask(task, index),
    value: 'closed',
    expected: 'run on an open pool (the pool was closed before this run finished)',
  });
}

/** `E_BAD_OPTION` unless `tasks` is an array of objects with a string `kind`. @internal */
export function checkTasks(fn: string, tasks: unknown): void {
  if (!Array.isArray(tasks)) {
    throw new EosLabError('E_BAD_OPTION', fn, { argument: 'tasks', value: tasks, expected: 'an array of tasks' });
  }
  tasks.forEach((t, i) => {
    if (t === null || typeof t !== 'object' || typeof (t as Task).kind !== 'string') {
      throw new EosLabError('E_BAD_OPTION', fn, { argument: `tasks[${i}]`, value: t, expected: "an object with a string 'kind'" });
    }
  });
}
