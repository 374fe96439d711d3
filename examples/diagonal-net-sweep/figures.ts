/**
 * The figures of the `diagonal-net-sweep` example ([Conflicting biases, Fig. 15a/15b/15c and 16] in small): final sharpness,
 * ℓ1 norm and risk against the learning rate, and GD paths in the (w₁, w₂) plane over a sharpness map.
 */
import type { TopLevelSpec } from 'vega-lite';
import { concatPanels, lineChart, planePaths, type Series } from '../../src/plot/index.js';
import type { DiagonalSweepResult, PlanePath, SweepPoint } from './compute.js';

function fmt(v: number, digits = 3): string {
  return Number(v.toPrecision(digits)).toString();
}

type Layered = { layer: Record<string, unknown>[]; resolve?: unknown; width?: number; height?: number };

/** Adds a dashed vertical line x = value with a label at the top (e.g. η_c) to a lineChart spec. */
function withVerticalLine(spec: TopLevelSpec, value: number, label: string, color = '#e45756'): TopLevelSpec {
  const s = spec as unknown as Layered;
  s.layer.push({
    data: { values: [{ x: value }] },
    mark: { type: 'rule', strokeDash: [3, 3], strokeWidth: 1.2, color },
    encoding: { x: { field: 'x', type: 'quantitative' } },
  });
  s.layer.push({
    data: { values: [{ x: value, label }] },
    mark: { type: 'text', align: 'left', baseline: 'top', dx: 3, fontSize: 10, color },
    encoding: { x: { field: 'x', type: 'quantitative' }, y: { value: 3 }, text: { field: 'label', type: 'nominal' } },
  });
  return spec;
}

const stable = (p: SweepPoint): boolean => p.status === 'converged' && !p.unstableAtGoal;

/** A fine η grid over the sweep's range for theory curves. */
function etaGrid(r: DiagonalSweepResult, n = 240): number[] {
  const first = r.points[0].learningRate;
  const last = r.points[r.points.length - 1].learningRate;
  return Array.from({ length: n }, (_, i) => first + ((last - first) * i) / (n - 1));
}

/** (a) Fig. 15a: final λ_max against η, with 2/η, s_GF and η_c. */
export function sharpnessFigure(r: DiagonalSweepResult): TopLevelSpec {
  const conv = r.points.filter(stable);
  const passing = r.points.filter((p) => p.status === 'converged' && p.unstableAtGoal);
  const grid = etaGrid(r);
  const series: Series[] = [
    { name: 'final λ_max(∇²L) (GD, converged)', x: conv.map((p) => p.learningRate), y: conv.map((p) => p.lambdaMax as number), points: true },
    { name: 'max of max|λ| along the run', x: conv.map((p) => p.learningRate), y: conv.map((p) => p.maxSharpness as number), color: '#222222', dash: [2, 3] },
    // 2/η only where it is on the chart's scale (≤ 1.5·s_GF), so the axis stays readable.
    { name: '2/η', x: grid.filter((e) => 2 / e <= 1.5 * r.dense.flowSharpness), y: grid.filter((e) => 2 / e <= 1.5 * r.dense.flowSharpness).map((e) => 2 / e), color: '#4c78a8', dash: [6, 3] },
  ];
  if (passing.length > 0) {
    series.push({ name: 'reached ε in passing (λ_max > 2/η)', x: passing.map((p) => p.learningRate), y: passing.map((p) => p.lambdaMax as number), color: '#e45756', points: true });
  }
  const spec = lineChart(series, {
    title: '(a) final sharpness vs learning rate (Fig. 15a)',
    xTitle: 'learning rate η',
    yTitle: 'sharpness',
    referenceLines: [{ value: r.dense.flowSharpness, label: `s_GF = ${fmt(r.dense.flowSharpness, 4)}`, labelPosition: 'start' }],
    width: 380,
    height: 240,
  });
  return withVerticalLine(spec, r.dense.criticalLearningRate, `η_c = 2/s_GF = ${fmt(r.dense.criticalLearningRate)}`);
}

/** (b) Fig. 15b: ‖w‖₂² = ‖w^{⊙2}‖₁ against η, with the predicted line. */
export function normFigure(r: DiagonalSweepResult): TopLevelSpec {
  const conv = r.points.filter(stable);
  const grid = etaGrid(r);
  const { x, y } = r.settings;
  const predicted = grid.map((eta) => {
    // Least ‖w‖² on M with 4‖x ⊙ w‖² ≤ 2/η (d = 2, x > 0), by hand: the ℓ1 minimizer while feasible, then the
    // point of M on S = 2/η, until even the sharpness minimizer is too sharp.
    const cap = 1 / (2 * eta);
    const [a, b] = x[0] < x[1] ? [x[0], x[1]] : [x[1], x[0]];
    if (y * b <= cap) return y / b;
    if (y * a > cap) return NaN;
    const ub = (cap - y * a) / (b * (b - a));
    const ua = (y - b * ub) / a;
    return ua + ub;
  });
  const spec = lineChart(
    [
      { name: '‖w‖₂² = ‖w^{⊙2}‖₁ (GD, converged)', x: conv.map((p) => p.learningRate), y: conv.map((p) => p.l1), points: true },
      { name: 'predicted: least ‖w‖² on M with S ≤ 2/η', x: grid, y: predicted, color: '#222222', dash: [5, 3] },
    ],
    {
      title: '(b) ℓ1 norm of the regressor vs learning rate (Fig. 15b)',
      xTitle: 'learning rate η',
      yTitle: '‖w^{⊙2}‖₁',
      referenceLines: [
        { value: r.theory.l1Minimizer.l1, label: `ℓ1 minimizer: y/x_max = ${fmt(r.theory.l1Minimizer.l1)}`, labelPosition: 'start' },
        { value: r.theory.sharpnessMinimizer.l1, label: `sharpness minimizer: y/x_min = ${fmt(r.theory.sharpnessMinimizer.l1)}`, labelPosition: 'start' },
      ],
      width: 380,
      height: 240,
    },
  );
  return withVerticalLine(spec, r.dense.criticalLearningRate, 'η_c');
}

/** (c) Fig. 15c / 4d: Lemma E.1's risk of the GD limit against η — the U-shape. */
export function riskFigure(r: DiagonalSweepResult): TopLevelSpec {
  const conv = r.points.filter(stable);
  const withKkt = r.points.filter((p) => p.bestKkt !== null);
  const spec = lineChart(
    [
      { name: 'risk R(w_final) (GD, converged)', x: conv.map((p) => p.learningRate), y: conv.map((p) => p.risk), points: true },
      { name: 'least risk on M with S ≤ 2/η (best KKT point of (12))', x: withKkt.map((p) => p.learningRate), y: withKkt.map((p) => (p.bestKkt as { risk: number }).risk), color: '#222222', dash: [5, 3] },
    ],
    {
      title: '(c) risk vs learning rate (Fig. 15c, Lemma E.1)',
      xTitle: 'learning rate η',
      yTitle: 'R(w) = ½‖w‖₄⁴ − ‖w‖₂² + ½(d + 1)',
      referenceLines: [
        { value: r.theory.l1Minimizer.risk, label: `R(A_ℓ1) = ${fmt(r.theory.l1Minimizer.risk)}`, labelPosition: 'start' },
        { value: r.theory.riskMinimizer.risk, label: `R(A_opt) = ${fmt(r.theory.riskMinimizer.risk)}`, labelPosition: 'start' },
        { value: r.theory.sharpnessMinimizer.risk, label: `R(A_S) = ${fmt(r.theory.sharpnessMinimizer.risk)}`, labelPosition: 'start' },
      ],
      width: 380,
      height: 240,
    },
  );
  return withVerticalLine(spec, r.dense.criticalLearningRate, 'η_c');
}

/** The ellipse Σ cᵢwᵢ² = c₀ (c > 0) as one closed curve. */
function ellipse(c1: number, c2: number, level: number, n = 240): { x: number[]; y: number[] } {
  const a = Math.sqrt(level / c1);
  const b = Math.sqrt(level / c2);
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i <= n; i++) {
    const t = (2 * Math.PI * i) / n;
    xs.push(a * Math.cos(t));
    ys.push(b * Math.sin(t));
  }
  return { x: xs, y: ys };
}

/** One panel of Fig. 16: a GD path over the sharpness map, with M, the curve S = 2/η on M's plane and the KKT points. */
export function pathPanel(r: DiagonalSweepResult, path: PlanePath, width = 300): TopLevelSpec {
  const { x, y } = r.settings;
  const eta = path.learningRate;
  const m = ellipse(x[0], x[1], y);
  // S = 4‖x ⊙ w‖² = 2/η ⇔ x₁²w₁² + x₂²w₂² = 1/(2η): the sharpness bound on M (S = 4‖x⊙w‖² holds on M only).
  const bound = ellipse(x[0] * x[0], x[1] * x[1], 1 / (2 * eta));
  const markers = path.kkt.flatMap((p, k) =>
    [
      [1, 1],
      [1, -1],
      [-1, 1],
      [-1, -1],
    ].map(([s1, s2], j) => ({ x: s1 * p.w[0], y: s2 * p.w[1], label: j === 0 && k === 0 ? 'KKT' : undefined })),
  );
  const spec = planePaths(
    [
      { name: `GD η = ${fmt(path.relative)}·η_c (${path.status})`, x: path.w1, y: path.w2, color: '#f58518', points: true },
      { name: 'gradient flow', x: r.flowPath.w1, y: r.flowPath.w2, color: '#222222', dash: [4, 3] },
    ],
    {
      title: `η = ${fmt(eta, 4)} = ${fmt(path.relative)}·η_c`,
      xTitle: 'w₁',
      yTitle: 'w₂',
      xDomain: r.domain.w1,
      yDomain: r.domain.w2,
      width,
      curves: [
        { name: 'M', x: m.x, y: m.y, label: 'M', color: '#c9a800' },
        { name: 'S = 2/η', x: bound.x, y: bound.y, label: 'S = 2/η', color: '#1f5fa8' },
      ],
      markers: markers.map((mk) => ({ x: mk.x, y: mk.y, label: mk.label })),
      legendTitle: null,
    },
  );
  // The sharpness map beneath everything: λ_max(∇²L(w)) from white (low) to blue (high).
  const h = r.heatmap;
  const rows = h.w1.map((a, i) => ({ x: a - h.step1 / 2, x2: a + h.step1 / 2, y: h.w2[i] - h.step2 / 2, y2: h.w2[i] + h.step2 / 2, s: h.lambdaMax[i] }));
  const s = spec as unknown as Layered;
  s.layer.unshift({
    data: { values: rows },
    mark: { type: 'rect', clip: true, opacity: 0.85 },
    encoding: {
      x: { field: 'x', type: 'quantitative', scale: { domain: r.domain.w1, nice: false } },
      x2: { field: 'x2' },
      y: { field: 'y', type: 'quantitative', scale: { domain: r.domain.w2, nice: false } },
      y2: { field: 'y2' },
      // `fill`, not `color`: its own scale and legend, apart from the paths' colour legend.
      fill: { field: 's', type: 'quantitative', title: 'λ_max(∇²L)', scale: { scheme: 'blues', domain: [0, 80], clamp: true }, legend: { orient: 'bottom', gradientLength: 120 } },
    },
  });
  return spec;
}

/** Fig. 16: one panel per selected learning rate. */
export function pathsFigure(r: DiagonalSweepResult): TopLevelSpec {
  return concatPanels(
    r.paths.map((p) => pathPanel(r, p, 280)),
    { columns: 3, title: 'GD paths over the sharpness map λ_max(∇²L), the manifold M (yellow), S = 2/η (blue), KKT points of (12) (Fig. 16)' },
  );
}

/** Fig. 15 as one figure. */
export function sweepFigure(r: DiagonalSweepResult): TopLevelSpec {
  return concatPanels([sharpnessFigure(r), normFigure(r), riskFigure(r)], {
    columns: 3,
    title: `Diagonal network, x = (${r.settings.x.join(', ')}), y = ${r.settings.y}, w₀ = ${r.settings.alpha}·1, ε = ${r.settings.lossGoal} (Fig. 15)`,
  });
}
