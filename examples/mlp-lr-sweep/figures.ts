/**
 * The figures of the `mlp-lr-sweep` example ([Conflicting biases, Fig. 1] in small): final sharpness, ℓ1 and ℓ2 norms, and test
 * loss against the learning rate η, with the critical learning rate η_c = 2/s_GF marked and gradient flow's values
 * as references.
 */
import type { TopLevelSpec } from 'vega-lite';
import { concatPanels, lineChart, type Series } from '../../src/plot/index.js';
import type { MlpSweepSummary, SweepPoint } from './compute.js';

const ETA_C = 'η_c = 2/s_GF';
const GD = 'GD, final iterate';
const MARKER_COLOR = '#888888';

function fmt(v: number, digits = 3): string {
  return Number(v.toPrecision(digits)).toString();
}

/** The runs that ended at a finite iterate that reached the loss goal (the others are listed in the summary). */
function converged(s: MlpSweepSummary): SweepPoint[] {
  return s.points.filter((p) => p.status === 'converged');
}

/** A vertical dashed segment at η_c spanning [lo, hi]. */
function criticalMarker(s: MlpSweepSummary, lo: number, hi: number): Series {
  return { name: ETA_C, x: [s.criticalLearningRate, s.criticalLearningRate], y: [lo, hi], color: MARKER_COLOR, dash: [4, 3] };
}

function range(values: number[]): [number, number] {
  return [Math.min(...values), Math.max(...values)];
}

/** (a) S(θ_final) against η with the stability limit 2/η and η_c. */
export function sharpnessFigure(s: MlpSweepSummary): TopLevelSpec {
  const pts = converged(s);
  const [lo, hi] = range([...pts.map((p) => p.sharpness ?? NaN), s.flowSharpness]);
  const etaMin = Math.min(...s.points.map((p) => p.learningRate));
  const etaMax = Math.max(...pts.map((p) => p.learningRate));
  // 2/η drawn where it is within the panel's range (above 1.25·max it would flatten everything else)
  const from = Math.max(etaMin, 2 / (1.25 * hi));
  const curve = Array.from({ length: 120 }, (_, i) => from * Math.pow(etaMax / from, i / 119));
  return lineChart(
    [
      { name: GD, x: pts.map((p) => p.learningRate), y: pts.map((p) => p.sharpness ?? NaN), points: true },
      { name: '2/η', x: curve, y: curve.map((e) => 2 / e), color: '#e45756', dash: [6, 3] },
      criticalMarker(s, lo * 0.9, 1.25 * hi),
    ],
    {
      title: '(a) final sharpness S = max|λ(∇²L)|',
      xTitle: 'learning rate η',
      yTitle: 'S(θ_final)',
      width: 330,
      referenceLines: [{ value: s.flowSharpness, label: `s_GF = ${fmt(s.flowSharpness)}`, labelPosition: 'end' }],
    },
  );
}

function normFigure(s: MlpSweepSummary, which: 'norm1' | 'norm2', title: string, yTitle: string): TopLevelSpec {
  const pts = converged(s);
  const values = pts.map((p) => p[which]);
  const [lo, hi] = range([...values, s.flow[which]]);
  return lineChart([{ name: GD, x: pts.map((p) => p.learningRate), y: values, points: true }, criticalMarker(s, lo, hi)], {
    title,
    xTitle: 'learning rate η',
    yTitle,
    width: 330,
    referenceLines: [{ value: s.flow[which], label: `gradient flow: ${fmt(s.flow[which], 4)}`, labelPosition: 'start' }],
  });
}

/** (b) ‖θ_final‖₁ against η. */
export function norm1Figure(s: MlpSweepSummary): TopLevelSpec {
  return normFigure(s, 'norm1', '(b) ℓ1 norm of the final parameters', '‖θ_final‖₁');
}

/** (c) ‖θ_final‖₂ against η. */
export function norm2Figure(s: MlpSweepSummary): TopLevelSpec {
  return normFigure(s, 'norm2', '(c) ℓ2 norm of the final parameters', '‖θ_final‖₂');
}

/** (d) test loss against η. */
export function testLossFigure(s: MlpSweepSummary): TopLevelSpec {
  const pts = converged(s).filter((p) => p.testLoss !== null);
  const values = pts.map((p) => p.testLoss as number);
  const [lo, hi] = range([...values, s.flow.testLoss]);
  return lineChart([{ name: GD, x: pts.map((p) => p.learningRate), y: values, points: true }, criticalMarker(s, lo, hi)], {
    title: `(d) test loss (${s.testData.testPerClass} held-out images per class)`,
    xTitle: 'learning rate η',
    yTitle: 'test loss (same MSE)',
    width: 330,
    referenceLines: [{ value: s.flow.testLoss, label: `gradient flow: ${fmt(s.flow.testLoss)}`, labelPosition: 'start' }],
  });
}

/** The four panels in a 2 × 2 grid. */
export function combinedFigure(s: MlpSweepSummary): TopLevelSpec {
  return concatPanels([sharpnessFigure(s), norm1Figure(s), norm2Figure(s), testLossFigure(s)], {
    columns: 2,
    title: `Learning-rate sweep ([Conflicting biases, App. G]): ${s.model}, MNIST ${s.examples} images (${s.settings.mnist.resolution}×${s.settings.mnist.resolution}), ε = ${s.settings.lossGoal}`,
  });
}
