/**
 * Figures for the examples: vega-lite spec builders and a headless SVG renderer. vega and vega-lite are
 * devDependencies, so this module is not part of the `eos-lab` entry point; scripts in `examples/` import it
 * by path.
 *
 * @module
 */
export { renderSvg, type RenderSvgOptions } from './render.js';
export { SERIES_PALETTE, type Series } from './series.js';
export { lineChart, type LineChartOptions, type ReferenceLine } from './line-chart.js';
export { planePaths, type PlanePathsOptions, type PlaneCurve, type PlaneMarker } from './plane-paths.js';
export { concatPanels, type ConcatPanelsOptions } from './panels.js';
