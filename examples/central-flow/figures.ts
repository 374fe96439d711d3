/**
 * The figure of the `central-flow` example, in the spirit of the first figure of [Central flows]: per model, (a) the
 * loss of GD, its windowed mean, the central flow's predicted time-averaged loss and gradient flow's loss; (b) the
 * sharpness of GD, the central flow and gradient flow against 2/η; (c) the distance of GD's windowed mean to each flow.
 */
import type { TopLevelSpec } from 'vega-lite';
import { concatPanels, lineChart, type Series } from '../../src/plot/index.js';
import type { CaseResult } from './compute.js';

function positive(xs: number[], ys: number[]): { x: number[]; y: number[] } {
  const x: number[] = [];
  const y: number[] = [];
  for (let i = 0; i < xs.length; i++) {
    if (ys[i] > 0 && Number.isFinite(ys[i])) {
      x.push(xs[i]);
      y.push(ys[i]);
    }
  }
  return { x, y };
}

/** The three panels of one model. */
export function casePanels(r: CaseResult, label: string): TopLevelSpec[] {
  const loss: Series[] = [
    { name: 'GD', ...positive(r.step, r.gdLoss), color: '#bbbbbb' },
    { name: 'GD (window mean)', ...positive(r.step, r.gdLossMean), color: '#1f77b4' },
    { name: 'central flow: L + ½⟨Σ, H⟩', ...positive(r.step, r.cfPredictedLoss), color: '#d62728' },
    { name: 'gradient flow', ...positive(r.step, r.gfLoss), color: '#222222', dash: [5, 3] },
  ];
  const sharp: Series[] = [
    { name: 'GD', x: r.step, y: r.gdSharpness, color: '#1f77b4' },
    { name: 'central flow', x: r.step, y: r.cfSharpness, color: '#d62728' },
    { name: 'gradient flow', x: r.step, y: r.gfSharpness, color: '#222222', dash: [5, 3] },
  ];
  const dist: Series[] = [
    { name: '‖w̄_GD − w_CF‖', ...positive(r.step, r.distanceCentral), color: '#d62728' },
    { name: '‖w̄_GD − w_GF‖', ...positive(r.step, r.distanceGradient), color: '#222222', dash: [5, 3] },
  ];
  return [
    lineChart(loss, { title: `(${label}1) loss`, xTitle: 'GD step k', yTitle: 'loss', logY: true }),
    lineChart(sharp, { title: `(${label}2) sharpness`, xTitle: 'GD step k', yTitle: 'λ_max', referenceLines: [{ value: r.threshold, label: '2/η' }] }),
    lineChart(dist, { title: `(${label}3) distance to GD's window mean`, xTitle: 'GD step k', yTitle: 'distance', logY: true }),
  ];
}

/** Both models, one row each. */
export function centralFlowFigure(cases: readonly CaseResult[]): TopLevelSpec {
  const panels = cases.flatMap((c, i) => casePanels(c, String.fromCharCode(97 + i)));
  return concatPanels(panels, { columns: 3, title: cases.map((c) => `${c.name}, η = ${Number(c.learningRate.toPrecision(4))}`).join(' / ') });
}
