/**
 * The grid study's unit of parallel work: GD from some blocks of the starts at every learning rate, as a task
 * (`'grid-study/chunk'`) that any worker can run after rebuilding the model from its spec. The task writes its
 * results into the study's output arrays in place — shared memory when it runs in a worker thread — so nothing is
 * copied back.
 *
 * @module
 */
import { createModel } from '../../core/registry.js';
import type { LrSchedule } from '../../dynamics/schedules.js';
import type { LossModel, ModelSpec } from '../../core/loss-model.js';
import { gradientFlowSolution } from '../../models/scalar-factorization/theory.js';
import { registerTaskHandler, type Task } from '../../parallel/task-registry.js';
import { type BatchResult, CONVERGED, LateScratch, type RunSettings } from './kernel-common.js';
import { runDepth2Batch } from './kernel-depth2.js';
import { runGenericBatch } from './kernel-generic.js';

/** The task kind of a grid-study chunk. @internal */
export const GRID_STUDY_CHUNK = 'grid-study/chunk';

/** Which kernel runs a chunk. @internal */
export type GridStudyEngine = 'fused' | 'generic';

/** Where a chunk writes the outcome at one learning rate: arrays over all starts (or map cells). @internal */
export interface GridStudyRateOutputs {
  readonly batch: BatchResult;
  /** 1 where the late-phase median |η·s − 2| (proxy s) is below the band, else 0. */
  readonly nearEdgeProxy: Uint8Array;
  /** The same with the exact λ_max. */
  readonly nearEdgeExact: Uint8Array;
  /** Heat maps, n × n row-major, filled with NaN beforehand (grid studies only). */
  readonly maps: { readonly sharpnessProxy: Float64Array; readonly sharpnessExact: Float64Array; readonly status: Float64Array } | undefined;
}

/** Where a chunk writes the starts' gradient-flow solutions (scalar factorization only). @internal */
export interface GridStudyGradientFlowOutputs {
  readonly sharpness: Float64Array;
  readonly reachesMinimizer: Uint8Array;
}

/**
 * A chunk of a grid study: structured-cloneable data. The output arrays are written in place, so a task for a
 * worker thread must carry arrays on `SharedArrayBuffer`s (a worker gets a copy of anything else). @internal
 */
export interface GridStudyChunkTask extends Task {
  readonly kind: typeof GRID_STUDY_CHUNK;
  /** The chunk's index (error messages name it). */
  readonly chunk: number;
  readonly spec: ModelSpec;
  /** In this thread only (never cloned to a worker): the model object to run instead of `createModel(spec)`. */
  readonly model: LossModel | undefined;
  readonly engine: GridStudyEngine;
  /** All starts, row-major [count, dim]. */
  readonly starts: Float64Array;
  /** The chunk's starts: the ranges [ranges[2i], ranges[2i + 1]) of start indices. */
  readonly ranges: Int32Array;
  /** Every start of the chunk runs at each of these. */
  readonly learningRates: readonly number[];
  /** With `lrSchedule` (generic kernel): the schedule of each learning rate (plain data for a worker). */
  readonly schedules?: readonly LrSchedule[];
  /** The settings shared by all learning rates, and the band of the near-the-edge flags. */
  readonly settings: Omit<RunSettings, 'learningRate'> & { readonly eosBand: number };
  /** One entry per learning rate. */
  readonly outputs: readonly GridStudyRateOutputs[];
  /** Where to write each start's gradient-flow solution, if wanted. */
  readonly gradientFlow: GridStudyGradientFlowOutputs | undefined;
  /** The map cell of each start (grid studies only). */
  readonly cells: Int32Array | undefined;
}

/**
 * This thread's late-phase scratch, reused by every chunk it runs (memory O(longest late phase) per thread, not
 * per start). It only ever holds the current run's values, so results do not depend on what ran before.
 */
let threadScratch: LateScratch | undefined;

/** Late-phase scratch kept between chunks at most (2 × 512 KiB); a larger one is dropped after its chunk. */
const KEPT_SCRATCH_LENGTH = 1 << 16;

/** Runs one chunk (in whichever thread the task landed), writing into its output arrays. @internal */
export function runGridStudyChunk(task: GridStudyChunkTask): void {
  const model = task.model ?? createModel(task.spec);
  const { starts, ranges, settings, cells } = task;
  const scratch = (threadScratch ??= new LateScratch());
  task.learningRates.forEach((learningRate, r) => {
    const run: RunSettings = {
      learningRate,
      schedule: task.schedules === undefined ? null : task.schedules[r],
      tolerance: settings.tolerance,
      maxSteps: settings.maxSteps,
      divergenceThreshold: settings.divergenceThreshold,
      lateFraction: settings.lateFraction,
    };
    const out = task.outputs[r];
    for (let i = 0; i < ranges.length; i += 2) {
      const from = ranges[i];
      const to = ranges[i + 1];
      if (task.engine === 'fused') runDepth2Batch(starts, from, to, task.spec.target as number, run, scratch, out.batch);
      else runGenericBatch(model, starts, from, to, run, scratch, out.batch);
      flagNearEdge(out, from, to, settings.eosBand);
      if (out.maps !== undefined && cells !== undefined) fillMaps(out, cells, from, to);
    }
  });
  const gf = task.gradientFlow;
  if (gf !== undefined) {
    const dim = model.dim;
    const target = task.spec.target as number;
    for (let i = 0; i < ranges.length; i += 2) {
      for (let s = ranges[i]; s < ranges[i + 1]; s++) {
        const solution = gradientFlowSolution(starts.subarray(s * dim, (s + 1) * dim), { target });
        gf.sharpness[s] = solution.sharpness;
        gf.reachesMinimizer[s] = solution.reachesMinimizer ? 1 : 0;
      }
    }
  }
  // A scratch grown by one long late phase is not retained after the chunk (memory would otherwise stay allocated
  // in every thread for as long as the thread lives).
  if (scratch.proxy.length > KEPT_SCRATCH_LENGTH) threadScratch = undefined;
}

/** Sets the near-the-edge flags of the starts [from, to): median < eosBand (false for a NaN median). */
function flagNearEdge(out: GridStudyRateOutputs, from: number, to: number, eosBand: number): void {
  const { eosMedianProxy, eosMedianExact } = out.batch;
  for (let s = from; s < to; s++) {
    out.nearEdgeProxy[s] = eosMedianProxy[s] < eosBand ? 1 : 0;
    out.nearEdgeExact[s] = eosMedianExact[s] < eosBand ? 1 : 0;
  }
}

/** Writes the map cells of the starts [from, to): the status, and the final sharpness where converged. */
function fillMaps(out: GridStudyRateOutputs, cells: Int32Array, from: number, to: number): void {
  const maps = out.maps as NonNullable<GridStudyRateOutputs['maps']>;
  const { status, sharpnessProxy, sharpnessExact } = out.batch;
  for (let s = from; s < to; s++) {
    const cell = cells[s];
    const code = status[s];
    maps.status[cell] = code;
    if (code === CONVERGED) {
      maps.sharpnessProxy[cell] = sharpnessProxy[s];
      maps.sharpnessExact[cell] = sharpnessExact[s];
    }
  }
}

registerTaskHandler(GRID_STUDY_CHUNK, (task) => runGridStudyChunk(task as GridStudyChunkTask));
