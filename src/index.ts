/**
 * eos-lab: sharpness, the edge of stability and the implicit biases of gradient descent, exactly and fast.
 *
 * Everything takes a {@link LossModel}; models live in their namespaces (`scalarFactorization`), generic tools
 * are plain functions (`gd`, `gradientFlow`, `sharpness`, `lanczos`). Property-test helpers are in the separate
 * entry point `eos-lab/testing`.
 *
 * @example
 * ```ts
 * import { scalarFactorization, gd, sharpness } from 'eos-lab';
 * const model = scalarFactorization.create(); // L(x, y) = ½(1 − xy)², [Scalar factorization]
 * const run = gd(model, new Float64Array([2.5, 0.1]), { learningRate: 0.5, lossGoal: 1e-14 });
 * console.log(run.status, sharpness(model, run.theta)); // converged, ≤ 2/η = 4
 * ```
 * @module
 */

// core
export { EosLabError, type ErrorCode, type ErrorDetails } from './core/errors.js';
export type { LossModel, ModelSpec } from './core/loss-model.js';
export { registerModel, createModel, registeredModelKinds, type ModelFactory } from './core/registry.js';
export { rng, type Rng } from './core/rng.js';

// linear algebra
export { dot, nrm2, nrm1, maxAbs, axpy, scal, copy } from './linalg/vector.js';
export {
  matmul,
  matmulTransA,
  matmulTransB,
  setMatmulBackend,
  matmulBackend,
  WASM_MATMUL_MIN_INTENSITY,
  setMatmulThreads,
  matmulThreads,
  PARALLEL_MATMUL_MIN_FLOPS,
  type MatmulBackend,
  type MatmulBackendInfo,
} from './linalg/gemm.js';
export { zerosMatrix, matrixFromRows, matrixToRows } from './linalg/matrix.js';
export {
  denseOperator,
  hessianOperator,
  type LinearOperator,
  type DenseOperatorOptions,
} from './linalg/operator.js';
export { symmetricEigen, type SymmetricEigenOptions, type SymmetricEigenResult } from './linalg/symmetric-eigen.js';
export { lanczos, LANCZOS_BASIS_BYTES, type LanczosOptions, type LanczosResult, type LanczosWhich } from './linalg/lanczos.js';
export { powerIteration, type PowerIterationOptions, type PowerIterationResult } from './linalg/power-iteration.js';

// sharpness
export {
  sharpness,
  sharpnessEstimate,
  type SharpnessOptions,
  type SharpnessProgress,
  type SharpnessEstimate,
} from './sharpness/sharpness.js';
export { topEigenpairs, type TopEigenpairsOptions, type TopEigenpairs } from './sharpness/top-eigenpairs.js';
export { hessianTrace, type HessianTraceOptions, type HessianTraceEstimate } from './sharpness/hessian-trace.js';
export { spectralDensity, type SpectralDensityOptions, type SpectralDensity } from './sharpness/spectral-density.js';
export {
  sharpnessGradient,
  type SharpnessGradientOptions,
  type SharpnessGradientResult,
} from './sharpness/sharpness-gradient.js';

// dynamics
export {
  chain,
  clipCoordinates,
  clipByGlobalNorm,
  type GradientTransform,
  type TransformContext,
  type ClipCoordinatesOptions,
  type ClipByGlobalNormOptions,
} from './dynamics/transforms.js';
export {
  gd,
  gdStep,
  type GdOptions,
  type GdRecordOptions,
  type GdResult,
  type GdStatus,
  type GdTrace,
  type DivergenceOptions,
  type Progress,
} from './dynamics/gd.js';
export {
  rk4Step,
  createRk4Scratch,
  RK4_TABLEAU,
  type ButcherTableau,
  type Rk4Scratch,
} from './dynamics/rk4.js';
export {
  stepSize,
  type StepSizePolicy,
  type FixedStepSize,
  type SharpnessAdaptedStepSize,
  type SharpnessAdaptedOptions,
} from './dynamics/step-size.js';
export {
  gradientFlow,
  type GradientFlowOptions,
  type GradientFlowRecordOptions,
  type GradientFlowResult,
  type GradientFlowStatus,
  type GradientFlowTrace,
} from './dynamics/gradient-flow.js';
export type { TopKRecordOptions, TopKTrace } from './dynamics/top-k-recorder.js';

export {
  lrSchedule,
  learningRateAt,
  type LrSchedule,
  type ConstantLrSchedule,
  type LinearWarmupLrSchedule,
  type StepDecayLrSchedule,
  type CosineLrSchedule,
  type FunctionLrSchedule,
  type LinearWarmupOptions,
  type StepDecayOptions,
  type CosineOptions,
} from './dynamics/schedules.js';
export {
  optimizer,
  createOptimizerState,
  optimizerStep,
  preconditionerDiagonal,
  heavyBallThreshold,
  nesterovThreshold,
  adamThreshold,
  stabilityThreshold,
  type Optimizer,
  type GdOptimizer,
  type HeavyBallOptimizer,
  type NesterovOptimizer,
  type RmspropOptimizer,
  type AdamOptimizer,
  type MomentumOptions,
  type RmspropOptions,
  type AdamOptions,
  type OptimizerState,
} from './dynamics/optimizers.js';
export { createBatchSampler, type BatchSampler, type BatchSamplerOptions } from './dynamics/batches.js';
export {
  train,
  type TrainOptions,
  type TrainBatchOptions,
  type TrainRecordOptions,
  type TrainResult,
  type TrainTrace,
} from './dynamics/train.js';
export { isBatchable, type BatchView, type BatchableModel } from './core/batch-view.js';
export { preconditionedSharpness, type PreconditionedSharpnessOptions } from './sharpness/preconditioned.js';
export {
  centralFlow,
  type CentralFlowOptions,
  type CentralFlowRecordOptions,
  type CentralFlowEdgeOptions,
  type CentralFlowResult,
  type CentralFlowStatus,
  type CentralFlowEvent,
  type CentralFlowTrace,
} from './dynamics/central-flow.js';

// automatic derivatives: fromFunction builds a LossModel; the array operations live in the `autodiff` namespace
export {
  fromFunction,
  type FromFunctionOptions,
  type FunctionModel,
  type FunctionModelStats,
  type DataFunctionModel,
} from './autodiff/from-function.js';
export * as autodiff from './autodiff/index.js';

// models (each a namespace: factory + theory)
export * as scalarFactorization from './models/scalar-factorization/index.js';
export * as diagonalNet from './models/diagonal-net/index.js';
export * as widthOneNet from './models/width-one-net/index.js';
export * as mlp from './models/mlp/index.js';
export * as cnn from './models/cnn/index.js';

// network measurements (per-layer Frobenius and nuclear norms, distances to reference points)
export { nuclearNorm } from './measures/nuclear-norm.js';
export { networkMeasures, type NetworkMeasures, type NetworkMeasuresOptions, type LayerMeasures } from './measures/network-measures.js';

// data sets (Chebyshev regression, seeded teacher, MNIST slices via the optional peer `mnist`)
export * as datasets from './data/index.js';

// parallel (worker pools; task handlers registered by kind)
export {
  registerTaskHandler,
  registeredTaskKinds,
  runTask,
  type Task,
  type TaskHandler,
} from './parallel/task-registry.js';
export {
  createTaskPool,
  runTasks,
  defaultWorkerCount,
  MAX_WORKERS,
  type TaskPool,
  type TaskPoolOptions,
  type RunTasksOptions,
  type TaskRunOptions,
  type TaskProgress,
} from './parallel/pool.js';
export { closeSharedPool } from './parallel/shared-pool.js';

// experiments: edge-of-stability detectors on sharpness traces
export {
  progressiveSharpeningTime,
  eosCycles,
  type ProgressiveSharpeningTimeOptions,
  type EosCycle,
  type EosCyclesOptions,
} from './experiments/eos-detectors.js';

// experiments: [Scalar factorization]'s grid study. Importing this module also registers the 'grid-study/chunk' task handler,
// which worker threads need — so it must be reachable from src/index.ts.
export {
  gridStudy,
  gridStarts,
  edgeOfStabilityCriterion,
  GRID_SHAPES,
  GRID_STUDY_STATUSES,
  type GridOptions,
  type GridShape,
  type GridStarts,
  type GridStudyOptions,
  type GridStudyProgress,
  type GridStudyResult,
  type GridStudyRate,
  type GridStudyRateSummary,
  type GridStudyMaps,
  type GridStudyGradientFlow,
  type SaddleStartCounts,
  type EdgeOfStabilityCriterionOptions,
  type EdgeOfStabilityCriterionResult,
} from './experiments/grid-study/index.js';

// experiments: learning-rate sweeps [Conflicting biases, App. G]
export {
  lrSweep,
  learningRateSchedule,
  onwardLearningRate,
  type LrSweepOptions,
  type LrSweepScheduleOptions,
  type LrSweepFlowOptions,
  type LrSettleOptions,
  type LrSweepResult,
  type LrSweepRun,
  type LrSweepSettled,
  type LrSweepFlow,
  type LrSweepSchedule,
  type LrSweepProgress,
  type LrSweepRecordOptions,
  type LrSweepLayerNorms,
  type LrSweepNetworkMeasures,
  type LrScheduleOptions,
  type LearningRateSchedule,
  type LrGrid,
  type LrRegime,
  type SharpnessPair,
} from './experiments/lr-sweep/index.js';

// results: plain JSON and back, bit for bit; traces and tables as CSV
export {
  resultToJSON,
  resultFromJSON,
  stringifyResult,
  parseResult,
  RESULT_FORMAT,
  RESULT_FORMAT_VERSION,
  type ResultTypes,
  type ResultKind,
  type SerializedResult,
  type JsonValue,
} from './results/serialize.js';
export { traceToCsv, recordsToCsv } from './results/csv.js';
