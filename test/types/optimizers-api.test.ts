/**
 * Type-level tests of the optimizer, schedule and mini-batch API (checked by `npm run typecheck`).
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  type BatchView,
  type BatchableModel,
  type LossModel,
  type LrSchedule,
  type Optimizer,
  type OptimizerState,
  type TrainResult,
  diagonalNet,
  gd,
  isBatchable,
  lrSchedule,
  mlp,
  optimizer,
  optimizerStep,
  train,
} from '../../src/index.js';

describe('optimizer API types', () => {
  it('train takes a model, θ₀ and options with a number or a schedule; gd accepts schedules too', () => {
    expectTypeOf(train).parameters.toEqualTypeOf<[LossModel, Float64Array, Parameters<typeof train>[2]]>();
    expectTypeOf(train).returns.toEqualTypeOf<TrainResult>();
    expectTypeOf<Parameters<typeof train>[2]['learningRate']>().toEqualTypeOf<number | LrSchedule>();
    expectTypeOf<Parameters<typeof gd>[2]['learningRate']>().toEqualTypeOf<number | LrSchedule>();
    expectTypeOf(lrSchedule.cosine({ initial: 1, decaySteps: 2 })).toExtend<LrSchedule>();
  });

  it('optimizer descriptions are Optimizers; the step primitive returns out', () => {
    expectTypeOf(optimizer.adam()).toExtend<Optimizer>();
    expectTypeOf(optimizerStep).returns.toEqualTypeOf<Float64Array>();
    expectTypeOf<OptimizerState['step']>().toEqualTypeOf<number>();
  });

  it('mlp and diagonalNet models are BatchableModels whose views are LossModels', () => {
    const m = mlp.create({ layers: [1, 2, 1], data: { dataset: 'chebyshev', points: 4, degree: 2 } });
    expectTypeOf(m).toExtend<BatchableModel>();
    expectTypeOf(m.createBatchView()).toExtend<BatchView>();
    expectTypeOf<BatchView>().toExtend<LossModel>();
    const d = diagonalNet.create({ inputs: [[1, 2]], targets: [1] });
    expectTypeOf(d).toExtend<BatchableModel>();
    expect(isBatchable(m) && isBatchable(d)).toBe(true);
  });
});
