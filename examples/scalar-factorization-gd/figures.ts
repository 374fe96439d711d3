/**
 * The figures of the `scalar-factorization-gd` example: (a) loss over steps, (b) λ_max over steps against 2/η,
 * (c) GD and gradient-flow paths in the (x, y) plane over the hyperbola xy = 1, (d) a close-up of (c).
 */
import type { TopLevelSpec } from 'vega-lite';
import { concatPanels, lineChart, planePaths, type Series } from '../../src/plot/index.js';
import type { ScalarGdResult } from './compute.js';

/** Legend name of the GD run at learning rate η (the same in every panel, so colours match). */
export function gdName(eta: number): string {
  return `GD η = ${eta}`;
}

const FLOW_NAME = 'gradient flow';

function fmt(v: number, digits = 3): string {
  return Number(v.toPrecision(digits)).toString();
}

/** (a) L(θ_k) against k, log scale, with the loss goal. */
export function lossFigure(r: ScalarGdResult): TopLevelSpec {
  const series: Series[] = r.runs.map((run) => ({ name: gdName(run.learningRate), x: run.step, y: run.loss }));
  return lineChart(series, {
    title: '(a) loss',
    xTitle: 'step k',
    yTitle: 'L(θ_k) = ½(1 − x_k y_k)²',
    logY: true,
    referenceLines: [{ value: r.summary.settings.lossGoal, label: 'loss goal' }],
  });
}

/** (b) λ_max(∇²L(θ_k)) against k, with 2/η in each run's colour and the GFS sharpness in gray. */
export function sharpnessFigure(r: ScalarGdResult): TopLevelSpec {
  const series: Series[] = r.runs.map((run) => ({ name: gdName(run.learningRate), x: run.sharpnessStep, y: run.sharpness }));
  return lineChart(series, {
    title: '(b) sharpness against the stability limits 2/η',
    xTitle: 'step k',
    yTitle: 'λ_max(∇²L(θ_k))',
    logY: true,
    referenceLines: [
      ...r.runs.map((run) => ({
        value: 2 / run.learningRate,
        label: `2/η = ${fmt(2 / run.learningRate, 4)}`,
        series: gdName(run.learningRate),
      })),
      {
        value: r.summary.gradientFlowSolution.sharpness,
        label: `s_GFS = √(δ² + 4) = ${fmt(r.summary.gradientFlowSolution.sharpness, 4)}`,
        labelPosition: 'start' as const,
      },
    ],
  });
}

function planeSeries(r: ScalarGdResult): Series[] {
  const paths: Series[] = r.runs.map((run) => ({ name: gdName(run.learningRate), x: run.x, y: run.y, points: true }));
  paths.push({ name: FLOW_NAME, x: r.flow.x, y: r.flow.y, color: '#222222', dash: [5, 3] });
  return paths;
}

/** Both branches of xy = 1 inside the square window |x|, |y| ≤ extent (x geometrically spaced). */
function hyperbola(extent: number): { name: string; x: number[]; y: number[]; label?: string }[] {
  const n = 240;
  const xs = Array.from({ length: n }, (_, i) => (1 / extent) * Math.pow(extent * extent, i / (n - 1)));
  return [
    { name: 'xy = 1, x > 0', x: xs, y: xs.map((x) => 1 / x), label: 'xy = 1' },
    { name: 'xy = 1, x < 0', x: xs.map((x) => -x), y: xs.map((x) => -1 / x) },
  ];
}

/** (c) the paths in the plane over both branches of xy = 1, with θ₀ and the GFS marked. */
export function pathsFigure(r: ScalarGdResult): TopLevelSpec {
  const paths = planeSeries(r);
  // Symmetric square window holding every path, rounded up to a half unit.
  let extent = 2.5;
  for (const p of paths) {
    for (let i = 0; i < p.x.length; i++) extent = Math.max(extent, Math.abs(p.x[i]), Math.abs(p.y[i]));
  }
  extent = Math.ceil(extent * 2) / 2;
  return planePaths(paths, {
    title: '(c) paths in the (x, y) plane',
    xDomain: [-extent, extent],
    yDomain: [-extent, extent],
    width: 340,
    curves: hyperbola(extent),
    markers: [{ x: r.summary.start[0], y: r.summary.start[1], label: 'θ₀' }],
  });
}

/** Cohen–Sutherland outcode of (x, y) against the box: bit 1 left, 2 right, 4 below, 8 above; 0 inside. */
function outcode(x: number, y: number, xd: [number, number], yd: [number, number]): number {
  return (x < xd[0] ? 1 : 0) | (x > xd[1] ? 2 : 0) | (y < yd[0] ? 4 : 0) | (y > yd[1] ? 8 : 0);
}

/**
 * The points of `path` a renderer needs to draw it inside the box: a point outside is dropped when it, the previous
 * kept point, every point dropped since and the next point all lie beyond one common side of the box — then the
 * chord drawn in their place lies beyond that side too, so the visible picture is unchanged (the renderer still
 * clips the segments that cross the border). Without this the close-up holds every iterate of every run, hundreds
 * of them far outside the plot.
 */
export function clipPathToBox(path: Series, xd: [number, number], yd: [number, number]): Series {
  const n = path.x.length;
  const code = (i: number) => outcode(path.x[i], path.y[i], xd, yd);
  const x: number[] = [];
  const y: number[] = [];
  let common = 0; // outside sides shared by the last kept point and the points dropped since
  for (let i = 0; i < n; i++) {
    const c = code(i);
    const drop = i > 0 && i < n - 1 && (common & c & code(i + 1)) !== 0;
    if (drop) {
      common &= c;
    } else {
      x.push(path.x[i]);
      y.push(path.y[i]);
      common = c;
    }
  }
  return { ...path, x, y };
}

/** (d) a close-up of (c) around θ₀ and the GFS: GF and small-η GD end at the GFS, larger η flatter. */
export function pathsCloseUpFigure(r: ScalarGdResult): TopLevelSpec {
  const [x0, y0] = r.summary.start;
  const gfs = r.summary.gradientFlowSolution.theta;
  const cx = (x0 + gfs[0]) / 2;
  const cy = (y0 + gfs[1]) / 2;
  const half = Math.max(0.5, 2 * Math.abs(x0 - gfs[0]), 2 * Math.abs(y0 - gfs[1]));
  const round = (v: number) => Math.round(v * 20) / 20;
  const xDomain: [number, number] = [round(cx - half), round(cx + half)];
  const yDomain: [number, number] = [round(cy - half), round(cy + half)];
  return planePaths(
    planeSeries(r).map((p) => clipPathToBox(p, xDomain, yDomain)),
    {
      title: '(d) close-up around θ₀ and the gradient-flow solution',
      xDomain,
      yDomain,
      width: 340,
      curves: hyperbola(Math.max(Math.abs(cx), Math.abs(cy)) + 2 * half),
      markers: [
        { x: x0, y: y0, label: 'θ₀' },
        { x: gfs[0], y: gfs[1], label: 'GFS' },
      ],
    },
  );
}

/** The four panels in a 2 × 2 grid. */
export function combinedFigure(r: ScalarGdResult): TopLevelSpec {
  const [x0, y0] = r.summary.start;
  return concatPanels([lossFigure(r), sharpnessFigure(r), pathsFigure(r), pathsCloseUpFigure(r)], {
    columns: 2,
    title: `GD on L(x, y) = ½(1 − xy)² from (x₀, y₀) = (${x0}, ${y0}), δ = x₀² − y₀² = ${fmt(r.summary.imbalance, 5)}`,
  });
}
