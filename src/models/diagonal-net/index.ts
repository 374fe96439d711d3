/**
 * Diagonal linear networks ([Conflicting biases, Sec. 3 and App. C–E, H.13]; docs/math.md §2): the model factory `create` beside
 * its closed-form theory — the interpolating manifold (tangent space, eq. (10)–(11)), the norm and sharpness
 * minimizers of Prop. 3.2 and Lemma D.1, the risk of Lemma E.1 / eq. (21), the KKT points of the
 * sharpness-constrained risk minimization (12), and the idealized algorithms of Prop. E.2 — and `createClassifier`,
 * the same networks trained by the logistic or exponential loss for classification (App. F). Public as the
 * `diagonalNet` namespace of `eos-lab`.
 *
 * @example
 * ```ts
 * import { diagonalNet } from 'eos-lab';
 * const x = [1, 4];
 * const y = 2;
 * const model = diagonalNet.create({ inputs: [x], targets: [y] }); // L(w) = ½(⟨x, w^{⊙2}⟩ − y)²
 * const l1 = diagonalNet.l1Minimizers(x, y); // ‖w‖₂² = 0.5 at (0, √0.5), sharpness 32
 * const flat = diagonalNet.sharpnessMinimizers(x, y); // sharpness 4·y·x_min = 8 at (√2, 0)
 * const best = diagonalNet.bestKktPoint(x, y, 0.1); // least Lemma E.1 risk on M with S ≤ 2/η = 20
 * ```
 * @module
 */
export {
  create,
  type DiagonalNetOptions,
  type DiagonalNetSpec,
  type DiagonalNetModel,
  type DiagonalNetParametrization,
} from './model.js';
export {
  createClassifier,
  type ClassificationLoss,
  type DiagonalNetClassifierOptions,
  type DiagonalNetClassifierSpec,
  type DiagonalNetClassifierModel,
} from './classifier.js';
export {
  manifoldResidual,
  regressorL1Norm,
  sharpnessOnManifold,
  tangentBasis,
  scaleToManifold,
  type ManifoldOptions,
} from './manifold.js';
export {
  l1Minimizers,
  sharpnessMinimizers,
  minimizerConditions,
  constrainedL1Minimizer,
  type ManifoldMinimizers,
  type MinimizerConditions,
  type MinimizerConditionsOptions,
} from './minimizers.js';
export {
  risk,
  riskValue,
  gaussianRisk,
  drawDataPoint,
  monteCarloRisk,
  type RiskModel,
  type GaussianRiskOptions,
  type RiskMomentsOptions,
  type DrawDataPointOptions,
  type MonteCarloRiskOptions,
} from './risk.js';
export { kktPoints, bestKktPoint, type KktOptions, type KktPoint } from './kkt.js';
export {
  algorithms,
  expectedRisk,
  type TrainingAlgorithm,
  type OptimalAlgorithmOptions,
  type ExpectedRiskOptions,
} from './algorithms.js';
