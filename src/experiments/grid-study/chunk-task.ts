/**
 * The grid study's unit of parallel work: GD from a chunk of starts at one learning rate, as a task
 * (`'grid-study/chunk'`) that any worker can run after rebuilding the model from its spec.
 *
 * @module
 */
import { createModel } from '../../core/registry.js';
import type { ModelSpec } from '../../core/loss-model.js';
import { registerTaskHandler, type Task } from '../../parallel/task-registry.js';
import { allocateBatchResult, type BatchResult, LateScratch, type RunSettings } from './kernel-common.js';
import { runDepth2Batch } from './kernel-depth2.js';
import { runGenericBatch } from './kernel-generic.js';

/** The task kind of a grid-study chunk. @internal */
export const GRID_STUDY_CHUNK = 'grid-study/chunk';

/** Which kernel runs a chunk. @internal */
export type GridStudyEngine = 'fused' | 'generic';

/** A chunk of a grid study: structured-cloneable data. @internal */
export interface GridStudyChunkTask extends Task {
  readonly kind: typeof GRID_STUDY_CHUNK;
  readonly spec: ModelSpec;
  readonly engine: GridStudyEngine;
  /** Row-major [count, dim] starts. */
  readonly starts: Float64Array;
  readonly count: number;
  readonly settings: RunSettings;
}

/**
 * This thread's late-phase scratch, reused by every chunk it runs (memory O(longest late phase) per thread, not
 * per start). It only ever holds the current run's values, so results do not depend on what ran before.
 */
let threadScratch: LateScratch | undefined;

/** Runs one chunk (in whichever thread the task landed). @internal */
export function runGridStudyChunk(task: GridStudyChunkTask): BatchResult {
  const model = createModel(task.spec);
  threadScratch ??= new LateScratch();
  const out = allocateBatchResult(task.count, model.dim);
  if (task.engine === 'fused') {
    return runDepth2Batch(task.starts, task.count, task.spec.target as number, task.settings, threadScratch, out);
  }
  return runGenericBatch(model, task.starts, task.count, task.settings, threadScratch, out);
}

registerTaskHandler(GRID_STUDY_CHUNK, (task) => runGridStudyChunk(task as GridStudyChunkTask));
