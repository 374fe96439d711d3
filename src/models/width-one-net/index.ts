/**
 * The two-layer width-one linear network on a 2-d input of [Minimalist EoS], "A Minimalist Example of Edge-of-Stability and
 * Progressive Sharpening" (docs/math.md §3): f(x; θ) = α(β₁x₁ + β₂x₂) with x ~ N(0, diag(λ₁, λ₂)), y = x₂, and its population
 * loss L(θ) = ½λ₁α²β₁² + ½λ₂(αβ₂ − 1)². The factories (`create`, `createEmpirical`, `sampleData`) beside the theory
 * (`oscillatoryLoss`, `convergenceLoss`, `balance`, `gradientFlowSolution`, `minimizerEigenvalues`), the stable set and
 * projected GD of Sec. 5.2 (`inStableSet`, `projectedGdStep`), and the α-clipping of Sec. 3 / App. F as a gradient
 * transform (`clipAlpha`). Public as the `widthOneNet` namespace of `eos-lab`.
 *
 * The copy of the paper this project worked from lost its inline math: the stable set, the projected step and the clipping are reconstructions and
 * say so in their docs (see the guide "The width-one net").
 *
 * @example
 * ```ts
 * import { gd, sharpness, widthOneNet } from 'eos-lab';
 * const model = widthOneNet.create({ varianceIrrelevant: 1, varianceRelevant: 0.001 });
 * const eta = 8; // 2/η = 0.25
 * const run = gd(model, new Float64Array([0.45, 0.01, 0]), {
 *   learningRate: eta, maxSteps: 3000, transform: widthOneNet.clipAlpha({ constant: 0.45 }),
 * });
 * console.log(sharpness(model, run.theta), widthOneNet.gradientFlowSolution(run.theta).sharpness); // both ≈ 2/η
 * ```
 * @module
 */
export {
  create,
  type WidthOneNetOptions,
  type WidthOneNetSpec,
  type WidthOneNetModel,
  type WidthOneNetPopulationModel,
} from './model.js';
export {
  createEmpirical,
  sampleData,
  type WidthOneNetSampleOptions,
  type WidthOneNetSample,
  type WidthOneNetEmpiricalSpec,
  type WidthOneNetEmpiricalModel,
} from './empirical.js';
export {
  oscillatoryLoss,
  convergenceLoss,
  balance,
  gradientFlowSolution,
  minimizerEigenvalues,
  type OscillatoryLossOptions,
  type ConvergenceLossOptions,
  type GradientFlowSolutionOptions,
  type GradientFlowSolution,
  type MinimizerEigenvaluesOptions,
  type MinimizerEigenvalues,
} from './theory.js';
export { inStableSet, projectedGdStep, type InStableSetOptions } from './stable-set.js';
export { clipAlpha, type ClipAlphaOptions, type ClipAlphaState } from './clipping.js';
