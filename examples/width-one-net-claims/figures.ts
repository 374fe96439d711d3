/**
 * The figures of the `width-one-net-claims` example: λ_max and the sharpness of the gradient-flow solution from each
 * GD iterate against the step (every step: no subsampling that would hide the period-2 oscillation), and the depth-4
 * scalar network's loss and λ_max·η/2.
 */
import type { TopLevelSpec } from 'vega-lite';
import { concatPanels, lineChart } from '../../src/plot/index.js';
import type { GfsAlongGd, ScalarRun } from './compute.js';

/** A: λ_max(θ_k) and s_GFS(θ_k) with 2/η and the clip's floor. */
export function gfsFigure(a: GfsAlongGd, eta: number): TopLevelSpec {
  return lineChart(
    [
      { name: 'λ_max(θ_k)', x: a.step, y: a.sharpness },
      { name: 's_GFS(θ_k): gradient flow from θ_k', x: a.step, y: a.gfsSharpness, color: '#222222', dash: [5, 3] },
    ],
    {
      title: `Width-one net, clipped GD at η = ${eta}: where gradient flow from each iterate would end [Minimalist EoS, Fig. 4]`,
      xTitle: 'step k',
      yTitle: 'sharpness',
      logY: true,
      referenceLines: [
        // In the right margin, where no trace runs; the clip floor's label below its line, since the 2/η line is
        // closer above it than a line of text (checked by test/plot/label-overlap.test.ts).
        { value: a.edge, label: '2/η', labelPosition: 'outside' },
        { value: a.clipFloorOverEdge * a.edge, label: 'clip floor λ₁C²', labelPosition: 'start', labelSide: 'below' },
      ],
      width: 560,
    },
  );
}

/** B: the depth-4 scalar network. */
export function scalarFigure(runs: readonly ScalarRun[]): TopLevelSpec {
  const name = (r: ScalarRun) => `η = ${r.multiple}·2/s_GFS(θ₀)`;
  const loss = lineChart(
    runs.map((r) => ({ name: name(r), x: r.step, y: r.loss })),
    { title: 'loss', xTitle: 'step k', yTitle: 'L(θ_k)', logY: true, width: 320 },
  );
  const edge = lineChart(
    runs.map((r) => ({ name: name(r), x: r.step, y: r.sharpness.map((s) => (s * r.learningRate) / 2) })),
    { title: 'λ_max·η/2', xTitle: 'step k', yTitle: 'λ_max(θ_k)·η/2', referenceLines: [{ value: 1, label: 'λ_max = 2/η', labelPosition: 'outside' }], width: 320 },
  );
  const gfs = lineChart(
    runs.map((r) => ({ name: name(r), x: r.step, y: r.gfsSharpness.map((s) => (s * r.learningRate) / 2) })),
    { title: 's_GFS(θ_k)·η/2', xTitle: 'step k', yTitle: 's_GFS·η/2', referenceLines: [{ value: 1, label: '1', labelPosition: 'outside' }], width: 320 },
  );
  return concatPanels([loss, edge, gfs], { columns: 3, title: 'Depth-4 scalar network L = ½(1 − w₁w₂w₃w₄)² [Minimalist EoS, Figs. 10–11]' });
}
