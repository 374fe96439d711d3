/**
 * The figures of the `width-one-net-eos` example ([Minimalist EoS, Fig. 1, 3, 5, 7 and App. F]): loss, sharpness against 2/η,
 * the parameters over steps, the GFS sharpness along GD, GD vs projected GD on the convergence term with the predicted
 * rate, the (α, β₁, β₂) paths of GD and gradient flow in two projections, and clipped vs unclipped GD.
 */
import type { TopLevelSpec } from 'vega-lite';
import { SERIES_PALETTE, concatPanels, lineChart, planePaths, type Series } from '../../src/plot/index.js';
import type { WidthOneNetEosResult } from './compute.js';

/** Legend name of the clipped GD run at learning rate η (the same in every panel, so colours match). */
export function gdName(eta: number): string {
  return `GD η = ${eta}`;
}

function fmt(v: number, digits = 3): string {
  return Number(v.toPrecision(digits)).toString();
}

/** Indices 0, stride, 2·stride, … below `end` (and the last one). */
function strided(end: number, stride: number): number[] {
  const idx: number[] = [];
  for (let k = 0; k < end; k += stride) idx.push(k);
  if (idx[idx.length - 1] !== end - 1) idx.push(end - 1);
  return idx;
}

function series(name: string, y: ArrayLike<number>, end: number, stride: number, extra: Partial<Series> = {}): Series {
  const idx = strided(Math.min(end, y.length), stride);
  return { name, x: idx, y: idx.map((k) => y[k]), ...extra };
}

/** The step window of the cycle panels: up to shortly after the last cycle of any run. */
export function cycleWindow(r: WidthOneNetEosResult): number {
  let last = 0;
  for (const run of r.runs) last = Math.max(last, run.claims.cycles.lastDown ?? run.claims.firstEdgeStep ?? 0);
  return Math.min(r.settings.steps + 1, Math.ceil((last + 300) / 100) * 100);
}

/** (a) L(θ_k), log scale, all steps. */
export function lossFigure(r: WidthOneNetEosResult): TopLevelSpec {
  const s = r.settings.figureStride;
  return lineChart(
    r.runs.map((run) => series(gdName(run.learningRate), run.trace.loss, run.trace.loss.length, s)),
    { title: '(a) loss: non-monotone, with spikes during the cycles', xTitle: 'step k', yTitle: 'L(θ_k)', logY: true },
  );
}

/** (b) λ_max over the cycle window against 2/η. */
export function sharpnessFigure(r: WidthOneNetEosResult): TopLevelSpec {
  const end = cycleWindow(r);
  return lineChart(
    r.runs.map((run) => series(gdName(run.learningRate), run.trace.sharpness, end, 1)),
    {
      title: '(b) sharpness: progressive sharpening, then cycles around 2/η',
      xTitle: 'step k',
      yTitle: 'λ_max(∇²L(θ_k))',
      logY: true,
      referenceLines: r.runs.map((run) => ({ value: 2 / run.learningRate, label: `2/η = ${fmt(2 / run.learningRate)}`, labelPosition: 'outside' as const, series: gdName(run.learningRate) })),
    },
  );
}

/** (c) α, β₁, β₂ of run `index` (default: the main run) over the cycle window, with √(2/(ηλ₁)) and the clip floor. */
export function parametersFigure(r: WidthOneNetEosResult, index = 0): TopLevelSpec {
  const end = cycleWindow(r);
  const main = r.runs[index];
  const eta = main.learningRate;
  const edge = Math.sqrt(2 / (eta * r.settings.varianceIrrelevant));
  return lineChart(
    [
      series('α', main.trace.alpha, end, 1),
      series('β₁', main.trace.betaOne, end, 1),
      series('β₂', main.trace.betaTwo, end, 1),
    ],
    {
      title: `(c) parameters of GD η = ${eta}: β₁ oscillates, β₂ increases`,
      xTitle: 'step k',
      yTitle: 'value',
      legendTitle: null,
      referenceLines: [
        { value: edge, label: `√(2/(ηλ₁)) = ${fmt(edge)}`, labelPosition: 'outside', labelSide: 'above', series: 'α' },
        { value: main.claims.clipConstant, label: `clip floor C = ${fmt(main.claims.clipConstant)}`, labelPosition: 'outside', labelSide: 'below', series: 'α' },
      ],
    },
  );
}

/** (d) GFS sharpness at every GD iterate (Thm 5.2). */
export function gfsFigure(r: WidthOneNetEosResult): TopLevelSpec {
  const end = cycleWindow(r);
  return lineChart(
    r.runs.map((run) => series(gdName(run.learningRate), run.trace.gfsSharpness, end, 1)),
    {
      title: '(d) GFS sharpness along GD decreases to 2/η (rises only on clipped steps)',
      xTitle: 'step k',
      yTitle: 'max{λ₁α∞², λ₂√(c² + 4)} at θ_k',
      logY: true,
      referenceLines: r.runs.map((run) => ({ value: 2 / run.learningRate, label: `2/η = ${fmt(2 / run.learningRate)}`, labelPosition: 'outside' as const, series: gdName(run.learningRate) })),
    },
  );
}

/** (e) convergence term of GD and projected GD, with the predicted rate (1 − 2λ₂/λ₁)² per step. */
export function rateFigure(r: WidthOneNetEosResult): TopLevelSpec {
  const s = r.settings.figureStride;
  const all: Series[] = [];
  for (const run of r.runs) all.push(series(gdName(run.learningRate), run.trace.convergence, run.trace.convergence.length, s));
  r.runs.forEach((run, i) => {
    all[i].color = SERIES_PALETTE[i];
    all.push(series(`projected GD η = ${run.learningRate}`, run.projected, run.projected.length, s, { color: SERIES_PALETTE[i], dash: [5, 3] }));
  });
  const main = r.runs[0];
  const from = main.claims.convergenceRate.from;
  const rho2 = main.claims.convergenceRate.predicted;
  const l0 = main.trace.convergence[from];
  const idx = strided(r.settings.steps + 1, s).filter((k) => k >= from);
  all.push({ name: `predicted ρᵏ, ρ = (1 − 2λ₂/λ₁)²`, x: idx, y: idx.map((k) => l0 * Math.pow(rho2, k - from)), color: '#222222', dash: [2, 2] });
  return lineChart(all, {
    title: '(e) convergence term ½λ₂(αβ₂ − 1)²: the same rate for every η, as projected GD',
    xTitle: 'step k',
    yTitle: 'L_c(θ_k)',
    logY: true,
    width: 420,
  });
}

function pathSeries(r: WidthOneNetEosResult, y: 'betaOne' | 'betaTwo'): Series[] {
  const main = r.runs[0];
  const end = main.trace.alpha.length;
  const idx = strided(end, 1);
  return [
    { name: gdName(main.learningRate), x: idx.map((k) => main.trace.alpha[k]), y: idx.map((k) => main.trace[y][k]) },
    { name: 'gradient flow', x: r.flow.alpha, y: r.flow[y], color: '#222222', dash: [5, 3] },
  ];
}

/** (f) the path projected to the (α, β₁) plane. */
export function pathAlphaBetaOneFigure(r: WidthOneNetEosResult): TopLevelSpec {
  const eta = r.runs[0].learningRate;
  const edge = Math.sqrt(2 / (eta * r.settings.varianceIrrelevant));
  const gfs = r.gfsAtStart.theta;
  return planePaths(pathSeries(r, 'betaOne'), {
    title: '(f) paths in the (α, β₁) plane',
    xTitle: 'α',
    yTitle: 'β₁',
    width: 320,
    height: 240,
    curves: [{ name: 'edge', x: [edge, edge], y: [Math.min(...r.runs[0].trace.betaOne), Math.max(...r.runs[0].trace.betaOne)], label: 'λ₁α² = 2/η' }],
    markers: [
      { x: r.settings.start[0], y: r.settings.start[1], label: 'θ₀', labelPlacement: 'above-left' },
      ...(gfs === null ? [] : [{ x: gfs[0], y: gfs[1], label: 'GFS' }]),
    ],
  });
}

/** (g) the path projected to the (α, β₂) plane, over the minimizer curve αβ₂ = 1. */
export function pathAlphaBetaTwoFigure(r: WidthOneNetEosResult): TopLevelSpec {
  const eta = r.runs[0].learningRate;
  const edge = Math.sqrt(2 / (eta * r.settings.varianceIrrelevant));
  const gfs = r.gfsAtStart.theta;
  const paths = pathSeries(r, 'betaTwo');
  // Window: the paths' range, padded by 10%.
  let [a0, a1, b0, b1] = [Infinity, -Infinity, Infinity, -Infinity];
  for (const p of paths) {
    for (let i = 0; i < p.x.length; i++) {
      a0 = Math.min(a0, p.x[i]);
      a1 = Math.max(a1, p.x[i]);
      b0 = Math.min(b0, p.y[i]);
      b1 = Math.max(b1, p.y[i]);
    }
  }
  const pad = (lo: number, hi: number): [number, number] => [lo - 0.1 * (hi - lo), hi + 0.1 * (hi - lo)];
  const xDomain = pad(a0, a1);
  const yDomain = pad(b0, b1);
  const xs = Array.from({ length: 160 }, (_, i) => Math.max(xDomain[0], 1 / yDomain[1]) + (i * (xDomain[1] - Math.max(xDomain[0], 1 / yDomain[1]))) / 159);
  return planePaths(paths, {
    title: '(g) paths in the (α, β₂) plane: GD ends flatter than the flow',
    xTitle: 'α',
    yTitle: 'β₂',
    width: 320,
    height: 240,
    xDomain,
    yDomain,
    curves: [
      // Labels placed where no trace runs (checked by test/plot/label-overlap.test.ts): below-left of the hyperbola's
      // top-left end (a decreasing convex curve never enters that quadrant), and at the top of the vertical edge line.
      { name: 'αβ₂ = 1', x: xs, y: xs.map((x) => 1 / x), label: 'αβ₂ = 1', labelPlacement: 'below-left' },
      { name: 'edge', x: [edge, edge], y: [yDomain[1], yDomain[0]], label: 'λ₁α² = 2/η' },
    ],
    markers: [
      { x: r.settings.start[0], y: r.settings.start[2], label: 'θ₀', labelPlacement: 'below-left' },
      ...(gfs === null ? [] : [{ x: gfs[0], y: gfs[2], label: 'GFS' }]),
    ],
  });
}

/** (h) α of clipped and unclipped GD at the main learning rate (App. F): the unclipped α collapses. */
export function unclippedFigure(r: WidthOneNetEosResult): TopLevelSpec {
  const main = r.runs[0];
  const un = r.unclipped.trace;
  const end = Math.min(main.trace.alpha.length, un.alpha.length + 100);
  // The unclipped α is drawn until it first leaves [−1.5, 1.5] (it then runs off to divergence).
  let shown = un.alpha.findIndex((a) => Math.abs(a) > 1.5);
  if (shown < 0) shown = un.alpha.length;
  const diverged = r.unclipped.end.status === 'diverged';
  return lineChart(
    [
      series(`${gdName(main.learningRate)}, clipped`, main.trace.alpha, end, 1),
      series(`GD η = ${main.learningRate}, no clip`, un.alpha, shown, 1, { color: '#e45756' }),
    ],
    {
      title: `(h) α with and without the clip${diverged ? ` (no clip: diverges at step ${r.unclipped.end.lastStep + 1}, off scale)` : ''}`,
      xTitle: 'step k',
      yTitle: 'α_k',
      referenceLines: [{ value: 0, label: 'α = 0' }],
    },
  );
}

/** All panels. */
export function combinedFigure(r: WidthOneNetEosResult): TopLevelSpec {
  const s = r.settings;
  return concatPanels(
    // In the order of their letters (a)–(h).
    [lossFigure(r), sharpnessFigure(r), parametersFigure(r), gfsFigure(r), rateFigure(r), pathAlphaBetaOneFigure(r), pathAlphaBetaTwoFigure(r), unclippedFigure(r)],
    {
      columns: 2,
      title: `Width-one net ([Minimalist EoS]): λ₁ = ${s.varianceIrrelevant}, λ₂ = ${s.varianceRelevant}, θ₀ = (${s.start.join(', ')}), clipped GD`,
    },
  );
}
