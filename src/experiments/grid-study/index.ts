/**
 * [Scalar factorization]'s grid-of-starts study: {@link gridStudy} (GD from a masked lattice of starts at several learning
 * rates, with the post's statistics, on worker threads), its lattice {@link gridStarts}, and the post's
 * edge-of-stability criterion for a stored run, {@link edgeOfStabilityCriterion}.
 *
 * Loading this module registers the `'grid-study/chunk'` task handler.
 *
 * @module
 */
export { gridStarts, GRID_SHAPES, type GridOptions, type GridShape, type GridStarts } from './grid.js';
export { GRID_STUDY_STATUSES } from './kernel-common.js';
export {
  edgeOfStabilityCriterion,
  type EdgeOfStabilityCriterionOptions,
  type EdgeOfStabilityCriterionResult,
} from './eos-criterion.js';
export {
  gridStudy,
  type GridStudyOptions,
  type GridStudyProgress,
  type GridStudyResult,
  type GridStudyRate,
  type GridStudyRateSummary,
  type GridStudyMaps,
  type GridStudyGradientFlow,
  type SaddleStartCounts,
} from './grid-study.js';
import './chunk-task.js';
