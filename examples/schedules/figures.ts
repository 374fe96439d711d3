/**
 * Figures of `schedules`: (a) loss of the constant-rate and warm-up runs, (b) their λ_max against the per-step limit
 * 2/η_k, (c) the step-decay run's λ_max against its 2/η_k.
 */
import type { TopLevelSpec } from 'vega-lite';
import { concatPanels, lineChart, type Series } from '../../src/plot/index.js';
import type { ScheduleRunTrace, SchedulesResult } from './compute.js';

function sharpnessSeries(t: ScheduleRunTrace): Series[] {
  return [
    { name: `${t.name}: λ_max`, x: t.sharpnessStep, y: t.sharpness },
    { name: `${t.name}: 2/η_k`, x: t.step, y: t.stabilityLimit },
  ];
}

export function warmupLossFigure(r: SchedulesResult): TopLevelSpec {
  const series: Series[] = r.runs.slice(0, -1).map((t) => ({ name: t.name, x: t.step, y: t.loss }));
  return lineChart(series, { title: '(a) warm-up: training loss', xTitle: 'step k', yTitle: 'L(θ_k)', logY: true, width: 380 });
}

export function warmupSharpnessFigure(r: SchedulesResult): TopLevelSpec {
  return lineChart(r.runs.slice(0, -1).flatMap(sharpnessSeries), {
    title: '(b) warm-up: λ_max and the per-step limit 2/η_k',
    xTitle: 'step k',
    yTitle: 'λ_max(∇²L(θ_k)), 2/η_k',
    logY: true,
    width: 380,
  });
}

export function decayFigure(r: SchedulesResult): TopLevelSpec {
  return lineChart(sharpnessSeries(r.runs[r.runs.length - 1]), {
    title: '(c) step decay: λ_max rises to the new 2/η',
    xTitle: 'step k',
    yTitle: 'λ_max(∇²L(θ_k)), 2/η_k',
    width: 380,
  });
}

export function combinedFigure(r: SchedulesResult): TopLevelSpec {
  return concatPanels([warmupLossFigure(r), warmupSharpnessFigure(r), decayFigure(r)], {
    columns: 3,
    title: `Learning-rate schedules at the edge of stability: ${r.summary.settings.layers.join('-')} tanh MLP`,
  });
}
