/**
 * The figures of the `spectrum` example: (a) the SLQ spectral density at initialization, at the onset of the edge of
 * stability and at the end (log scale, common eigenvalue axis); (b) the top-k eigenvalues along training against
 * 2/η; (c) the Hessian trace along training (Hutchinson, ± 2 standard errors); (d) the loss; (e) the alignment of
 * each recorded step with the top eigenvector.
 */
import type { TopLevelSpec } from 'vega-lite';
import { concatPanels, lineChart, type Series } from '../../src/plot/index.js';
import type { SpectrumResult } from './compute.js';

/** Densities below this are drawn at it (the log axis cannot show 0; Gaussian tails underflow). */
const DENSITY_FLOOR = 1e-6;

function fmt(v: number, digits = 3): string {
  return Number(v.toPrecision(digits)).toString();
}

/** (a) φ_σ(t) at the three checkpoints. */
export function densityFigure(r: SpectrumResult): TopLevelSpec {
  const series: Series[] = r.checkpoints.map((c) => ({
    name: `${c.label} (step ${c.step})`,
    x: c.grid,
    y: Array.from(c.density, (d) => Math.max(d, DENSITY_FLOOR)),
  }));
  return lineChart(series, {
    title: '(a) Hessian spectral density (SLQ, Gaussian broadening)',
    xTitle: 'eigenvalue λ',
    yTitle: 'density φ_σ(λ)',
    logY: true,
    width: 420,
  });
}

/** (b) λ₁ … λ_k along training with 2/η. */
export function topKFigure(r: SpectrumResult): TopLevelSpec {
  const { k, step, values } = r.topK;
  const series: Series[] = Array.from({ length: k }, (_, i) => ({
    name: `λ${i + 1}`,
    x: step,
    y: Array.from(step, (_, j) => values[j * k + i]),
  }));
  return lineChart(series, {
    title: `(b) top-${k} Hessian eigenvalues (warm-started Lanczos)`,
    xTitle: 'step k',
    yTitle: 'λᵢ(∇²L(θ_k))',
    width: 420,
    referenceLines: [{ value: r.summary.stabilityLimit, label: `2/η = ${fmt(r.summary.stabilityLimit)}` }],
  });
}

/** (c) tr ∇²L along training, with ± 2 standard errors. */
export function traceFigure(r: SpectrumResult): TopLevelSpec {
  const t = r.trace;
  const series: Series[] = [
    { name: 'Hutchinson estimate', x: t.step, y: t.estimate },
    { name: '± 2 standard errors', x: t.step, y: t.estimate.map((e, i) => e + 2 * t.standardError[i]), dash: [4, 3], color: '#999999' },
    { name: '− 2 standard errors', x: t.step, y: t.estimate.map((e, i) => e - 2 * t.standardError[i]), dash: [4, 3], color: '#bbbbbb' },
  ];
  return lineChart(series, { title: '(c) Hessian trace along training', xTitle: 'step k', yTitle: 'tr ∇²L(θ_k)', width: 420 });
}

/** (e) |cos ∠(θ_{k+1} − θ_k, v₁(θ_k))| at the top-k records. */
export function alignmentFigure(r: SpectrumResult): TopLevelSpec {
  const a = r.alignment;
  const keep = Array.from(a.cosine.keys()).filter((j) => Number.isFinite(a.cosine[j]) && a.cosine[j] > 0);
  return lineChart([{ name: 'GD step', x: keep.map((j) => a.step[j]), y: keep.map((j) => a.cosine[j]) }], {
    title: '(e) alignment of the step with the top eigenvector',
    xTitle: 'step k',
    yTitle: '|cos ∠(θ_{k+1} − θ_k, v₁)|',
    logY: true,
    width: 420,
  });
}

/** (d) L(θ_k). */
export function lossFigure(r: SpectrumResult): TopLevelSpec {
  return lineChart([{ name: `GD η = ${r.summary.settings.learningRate}`, x: r.loss.step, y: r.loss.loss }], {
    title: '(d) training loss',
    xTitle: 'step k',
    yTitle: 'L(θ_k)',
    logY: true,
    width: 420,
  });
}

/** The five panels in a grid of two columns. */
export function combinedFigure(r: SpectrumResult): TopLevelSpec {
  return concatPanels([densityFigure(r), topKFigure(r), traceFigure(r), lossFigure(r), alignmentFigure(r)], {
    columns: 2,
    title: `Hessian spectrum of a ${r.summary.settings.layers.join('-')} tanh MLP along GD at η = ${r.summary.settings.learningRate} (p = ${r.summary.dim})`,
  });
}
