/**
 * Figures of `optimizers-eos`: (a) the loss of each run, (b) each run's sharpness in units of its own threshold
 * (1 = the edge of stability of that optimizer).
 */
import type { TopLevelSpec } from 'vega-lite';
import { concatPanels, lineChart, type Series } from '../../src/plot/index.js';
import type { OptimizersEosResult } from './compute.js';

export function lossFigure(r: OptimizersEosResult): TopLevelSpec {
  const series: Series[] = r.runs.map((run) => ({ name: `${run.name}, η = ${run.learningRate}`, x: run.step, y: run.loss }));
  return lineChart(series, { title: '(a) training loss', xTitle: 'step k', yTitle: 'L(θ_k)', logY: true, width: 420 });
}

export function ratioFigure(r: OptimizersEosResult): TopLevelSpec {
  const series: Series[] = r.runs.map((run) => ({
    name: `${run.name}, η = ${run.learningRate}`,
    x: run.sharpnessStep,
    y: Array.from(run.sharpness, (s) => s / run.threshold),
  }));
  return lineChart(series, {
    title: '(b) sharpness / own threshold: λ_max(H)·η/2, λ_max(H)·η/(2+2β), λ_max(P⁻¹H)·η(1−β₁)/(2+2β₁)',
    xTitle: 'step k',
    yTitle: 'sharpness / threshold',
    width: 420,
    referenceLines: [{ value: 1, label: 'threshold' }],
  });
}

export function combinedFigure(r: OptimizersEosResult): TopLevelSpec {
  return concatPanels([lossFigure(r), ratioFigure(r)], {
    columns: 2,
    title: `GD, heavy ball and Adam at their own edges of stability: ${r.summary.settings.layers.join('-')} tanh MLP on Chebyshev data`,
  });
}
