/**
 * [Conflicting biases]'s learning-rate sweep (App. G) for any `LossModel`: {@link lrSweep}, its schedule
 * {@link learningRateSchedule} / {@link onwardLearningRate}, and the per-η result types.
 *
 * Loading this module registers the `'lr-sweep/run'` task handler (one learning rate of a sweep), so worker
 * threads of a task pool can run sweeps.
 *
 * @module
 */
export {
  learningRateSchedule,
  onwardLearningRate,
  type LrScheduleOptions,
  type LearningRateSchedule,
} from './schedule.js';
export {
  lrSweep,
  type LrSweepOptions,
  type LrSweepScheduleOptions,
  type LrSweepFlowOptions,
  type LrSettleOptions,
  type LrSweepProgress,
  type LrSweepFlow,
  type LrSweepSchedule,
  type LrSweepResult,
  type LrSweepRecordOptions,
} from './lr-sweep.js';
export { type LrSweepLayerNorms, type LrSweepNetworkMeasures } from './network-record.js';
export { type LrSweepRun, type LrSweepSettled, type LrGrid, type LrRegime, type SharpnessPair } from './run.js';
