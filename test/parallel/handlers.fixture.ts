/**
 * Task handlers for the pool tests, registered in the test thread and, through `preload`, in every worker.
 */
import { threadId } from 'node:worker_threads';
import { EosLabError } from '../../src/core/errors.js';
import { createModel } from '../../src/core/registry.js';
import { registerTaskHandler, type Task } from '../../src/parallel/task-registry.js';

/** Sums x_k·sin(k) in a fixed order: a deterministic floating-point computation of the task's data. */
registerTaskHandler('test/weighted-sum', (task: Task) => {
  const values = task.values as Float64Array;
  let s = 0;
  for (let k = 0; k < values.length; k++) s += values[k] * Math.sin(k + (task.offset as number));
  return { sum: s, doubled: values.map((v) => 2 * v) };
});

/** Which thread ran the task (0 is the main thread). */
registerTaskHandler('test/thread-id', () => threadId);

/** Rebuilds a model from its spec and evaluates its loss: workers must see the registered models. */
registerTaskHandler('test/model-loss', (task: Task) => {
  const model = createModel(task.spec as { kind: string });
  return model.loss(task.theta as Float64Array);
});

/** Throws an EosLabError, to check that its class, code and details survive the thread boundary. */
registerTaskHandler('test/throws', (task: Task) => {
  throw new EosLabError('E_BAD_OPTION', 'testHandler', { argument: 'task.value', value: task.value, expected: 'something else' });
});

/** Returns after a delay proportional to `ms`, to check that results come back in task order. */
registerTaskHandler('test/sleep', async (task: Task) => {
  await new Promise((r) => setTimeout(r, task.ms as number));
  return task.ms;
});

/** Ends the worker thread abruptly (only ever run on worker threads). */
registerTaskHandler('test/exit', (task: Task) => {
  process.exit(task.code as number);
});

/** Returns a value that structured clone cannot copy (a function). */
registerTaskHandler('test/uncloneable', () => ({ f: () => 1 }));

/** Throws an error of another class than EosLabError. */
registerTaskHandler('test/type-error', () => {
  throw new TypeError('user bug in a handler');
});

/**
 * Busy for `ms` milliseconds, counting its progress in `ticks[0]` (shared memory): the count stops growing only
 * when the thread running it stops. `ticks[1]` counts the busy tasks that ran to their end.
 */
registerTaskHandler('test/busy', (task: Task) => {
  const ticks = task.ticks as Int32Array;
  const end = Date.now() + (task.ms as number);
  while (Date.now() < end) {
    Atomics.add(ticks, 0, 1);
    const spin = Date.now() + 1;
    while (Date.now() < spin);
  }
  if (ticks.length > 1) Atomics.add(ticks, 1, 1);
  return task.ms;
});

/** Throws an EosLabError after `ms` milliseconds. */
registerTaskHandler('test/throws-later', async (task: Task) => {
  await new Promise((r) => setTimeout(r, task.ms as number));
  throw new EosLabError('E_BAD_OPTION', 'testHandler', { argument: 'task.ms', value: task.ms, expected: 'a failure on purpose' });
});
