/**
 * `eos-lab/plot`: figures of eos-lab results as vega-lite specifications — the standard figures of a run, a
 * learning-rate sweep and a grid study ({@link traceFigure}, {@link sweepFigure}, {@link gridStudyFigure},
 * {@link gridStudyHeatmap}), the paths of runs in a plane ({@link pathsFigure}), the
 * builders they are made of ({@link lineChart}, {@link planePaths}, {@link concatPanels}) and a headless SVG renderer
 * ({@link renderSvg}), and PNG images ({@link renderPng}, through the optional peer `@resvg/resvg-js`). The specs are plain JSON: write them to a file for any vega-lite viewer. Rendering needs the
 * optional peers `vega` and `vega-lite` (npm install vega vega-lite), loaded on the first {@link renderSvg} call;
 * the builders work without them (TypeScript users get their return type, vega-lite's `TopLevelSpec`, from
 * `vega-lite` too, or use `skipLibCheck`).
 *
 * @example
 * ```ts
 * import { gd, scalarFactorization } from 'eos-lab';
 * import { renderSvg, traceFigure } from 'eos-lab/plot';
 * const run = gd(scalarFactorization.create(), new Float64Array([2, 0.65]), { learningRate: 0.5, lossGoal: 1e-12, record: { sharpnessEvery: 1 } });
 * const svg = await renderSvg(traceFigure(run, { learningRate: 0.5 }));
 * console.log(svg.startsWith('<svg')); // true
 * ```
 * @module
 */
export { renderSvg, type RenderSvgOptions } from './render.js';
export { renderPng, type RenderPngOptions } from './render-png.js';
export { SERIES_PALETTE, type Series } from './series.js';
export { lineChart, type LineChartOptions, type ReferenceLine } from './line-chart.js';
export { planePaths, type PlanePathsOptions, type PlaneCurve, type PlaneMarker } from './plane-paths.js';
export { concatPanels, type ConcatPanelsOptions } from './panels.js';
export { pathsFigure, type PathsFigureOptions, type LevelSet } from './paths-figure.js';
export {
  traceFigure,
  sweepFigure,
  gridStudyFigure,
  gridStudyHeatmap,
  type TraceFigureOptions,
  type GridStudyHeatmapOptions,
  type SweepFigureOptions,
  type GridStudyFigureOptions,
} from './result-figures.js';
