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
