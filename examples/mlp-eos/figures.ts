/**
 * The figures of the `mlp-eos` example: (a) training loss per step, (b) λ_max per step against 2/η, (c) the same
 * sharpness in units of the stability limit, η·λ_max/2 (1 = the edge of stability).
 */
import type { TopLevelSpec } from 'vega-lite';
import { concatPanels, lineChart, type Series } from '../../src/plot/index.js';
import type { MlpEosResult } from './compute.js';

/** Legend name of the GD run at learning rate η (the same in every panel, so colours match). */
export function runName(eta: number): string {
  return `GD η = ${eta}`;
}

function fmt(v: number, digits = 3): string {
  return Number(v.toPrecision(digits)).toString();
}

/** (a) L(θ_k) against k (log scale; every step, so the spikes of the EoS phase are visible). */
export function lossFigure(r: MlpEosResult): TopLevelSpec {
  const series: Series[] = r.runs.map((run) => ({ name: runName(run.learningRate), x: run.step, y: run.loss }));
  return lineChart(series, { title: '(a) training loss', xTitle: 'step k', yTitle: 'L(θ_k)', logY: true, width: 420 });
}

/** (b) λ_max(∇²L(θ_k)) against k, with 2/η in each run's colour. */
export function sharpnessFigure(r: MlpEosResult): TopLevelSpec {
  const series: Series[] = r.runs.map((run) => ({ name: runName(run.learningRate), x: run.sharpnessStep, y: run.sharpness }));
  return lineChart(series, {
    title: '(b) sharpness λ_max against the stability limits 2/η',
    xTitle: 'step k',
    yTitle: 'λ_max(∇²L(θ_k))',
    width: 420,
    referenceLines: r.runs.map((run) => ({ value: 2 / run.learningRate, label: `2/η = ${fmt(2 / run.learningRate)}`, series: runName(run.learningRate) })),
  });
}

/** (c) η·λ_max/2 against k: progressive sharpening up to 1, then hovering at 1. */
export function normalizedFigure(r: MlpEosResult): TopLevelSpec {
  const series: Series[] = r.runs.map((run) => ({
    name: runName(run.learningRate),
    x: run.sharpnessStep,
    y: Array.from(run.sharpness, (s) => (s * run.learningRate) / 2),
  }));
  return lineChart(series, {
    title: '(c) sharpness in units of the stability limit',
    xTitle: 'step k',
    yTitle: 'η·λ_max / 2',
    width: 420,
    referenceLines: [{ value: 1, label: 'edge of stability: λ_max = 2/η' }],
  });
}

/** The three panels side by side. */
export function combinedFigure(r: MlpEosResult): TopLevelSpec {
  return concatPanels([lossFigure(r), sharpnessFigure(r), normalizedFigure(r)], {
    columns: 3,
    title: `Edge of stability: GD on a ${r.summary.settings.layers.join('-')} tanh MLP, Chebyshev T_${r.summary.settings.data.degree} on ${r.summary.settings.data.points} points (Cohen et al.)`,
  });
}
