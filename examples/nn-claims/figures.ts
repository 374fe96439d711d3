/**
 * The paper-style figures of the `nn-claims` example ([Conflicting biases, App. I] conventions): per configuration a
 * 2 × 2 grid — final sharpness (top) and ‖θ‖₁ (bottom) against η, on the fine grid around η_c (left) and the whole
 * coarse grid (right) — with the seed mean and ± one standard deviation over seeds as error bars (the norm as
 * ‖θ‖₁ − ‖θ_GF‖₁, paired with each seed's own gradient-flow solution), the 2/η curve,
 * the s_GF line, η_c and the 1/s₀ heuristic. η is in units of the configuration's learning-rate unit (its own η_c,
 * or the ×1 net's for the init-scale configurations), so runs of different seeds share an abscissa.
 */
import type { TopLevelSpec } from 'vega-lite';
import { concatPanels, lineChart, SERIES_PALETTE, type Series } from '../../src/plot/index.js';
import { meanSd, type ConfigResult, type NnClaimsSummary } from './compute.js';

/** Ratios up to this value form the fine panels (the flow-aligned side and the transition). */
export const FINE_MAX_RATIO = 1.5;

interface ErrorBar {
  x: number;
  lo: number;
  hi: number;
}

/**
 * Adds vertical error bars (a rule from `lo` to `hi` at each `x`) in `color` to a {@link lineChart} spec, on the
 * chart's own x and y scales (the encodings of its first layer). Bars with a non-finite end are left out.
 */
export function withErrorBars(spec: TopLevelSpec, bars: ErrorBar[], color: string): TopLevelSpec {
  const s = spec as unknown as { layer: { encoding?: { x?: Record<string, unknown>; y?: Record<string, unknown> } }[] };
  const enc = s.layer[0].encoding ?? {};
  const values = bars.filter((b) => Number.isFinite(b.lo) && Number.isFinite(b.hi));
  if (values.length === 0) return spec;
  s.layer.push({
    data: { values },
    mark: { type: 'rule', strokeWidth: 1.3, color },
    encoding: { x: enc.x, y: { ...enc.y, field: 'lo' }, y2: { field: 'hi' } },
  } as never);
  return spec;
}

interface Column {
  ratio: number;
  sharpness: ReturnType<typeof meanSd>;
  norm1: ReturnType<typeof meanSd>;
  limit: number;
}

function columns(r: ConfigResult): Column[] {
  return r.probes[0].runs.map((run, i) => {
    const conv = r.probes.map((p) => p.runs[i]).filter((x) => x.status === 'converged');
    return {
      ratio: run.ratio,
      sharpness: meanSd(conv.map((x) => x.sharpness as number)),
      // paired with each seed's own flow: the seeds' ‖θ‖₁ differ by more than the η trend, their rises do not
      norm1: meanSd(r.probes.filter((p) => p.runs[i].status === 'converged').map((p) => p.runs[i].norm1 - p.flow.norm1)),
      limit: meanSd(r.probes.map((p) => 2 / p.runs[i].learningRate)).mean,
    };
  });
}

function vertical(name: string, x: number, ys: number[], color: string, dash: number[]): Series | null {
  const finite = ys.filter(Number.isFinite);
  if (!Number.isFinite(x) || finite.length === 0) return null;
  return { name, x: [x, x], y: [Math.min(...finite), Math.max(...finite)], color, dash };
}

function panel(r: ConfigResult, cols: Column[], what: 'sharpness' | 'norm1', fine: boolean): TopLevelSpec {
  const c = cols.filter((k) => !fine || k.ratio <= FINE_MAX_RATIO);
  const x = c.map((k) => k.ratio);
  const mean = c.map((k) => k[what].mean);
  const unit = meanSd(r.probes.map((p) => p.learningRateUnit)).mean;
  const etaC = meanSd(r.probes.map((p) => p.criticalLearningRate / p.learningRateUnit)).mean;
  const invS0 = meanSd(r.probes.map((p) => 1 / (p.initialSharpness * p.learningRateUnit))).mean;
  const sGf = meanSd(r.probes.map((p) => p.flowSharpness)).mean;
  const lo = Math.min(...x);
  const hi = Math.max(...x);
  const main: Series = { name: what === 'sharpness' ? 'final sharpness (seed mean ± sd)' : '‖θ‖₁ − ‖θ_GF‖₁ (seed mean ± sd)', x, y: mean, points: true, color: SERIES_PALETTE[0] };
  // the vertical marks span everything drawn in the panel (the 2/η curve included)
  const span = what === 'sharpness' ? [...mean, sGf, ...c.map((k) => k.limit)] : [...mean, 0];
  const series: Series[] = [main];
  if (what === 'sharpness') series.push({ name: '2/η (seed mean)', x, y: c.map((k) => k.limit), color: SERIES_PALETTE[1], dash: [6, 3] });
  const marks = [
    etaC >= lo && etaC <= hi ? vertical('η_c = 2/s_GF', etaC, span, SERIES_PALETTE[2], [2, 2]) : null,
    invS0 >= lo && invS0 <= hi ? vertical('1/s₀', invS0, span, SERIES_PALETTE[4], [8, 3]) : null,
  ].filter((m): m is Series => m !== null);
  series.push(...marks);
  const spec = lineChart(series, {
    title: `${fine ? 'fine' : 'coarse'}: ${what === 'sharpness' ? 'final sharpness' : 'ℓ1 norm'}`,
    xTitle: `η / ${fmtUnit(r, unit)}`,
    yTitle: what === 'sharpness' ? 'max|λ| at the end point' : '‖θ‖₁ − ‖θ_GF‖₁ at the end point',
    referenceLines: [what === 'sharpness' ? { value: sGf, label: 's_GF (seed mean)' } : { value: 0, label: 'gradient flow' }],
    legendTitle: null,
    width: 260,
    height: 170,
  });
  return withErrorBars(spec, c.map((k) => ({ x: k.ratio, lo: k[what].mean - k[what].sd, hi: k[what].mean + k[what].sd })), SERIES_PALETTE[0]);
}

function fmtUnit(r: ConfigResult, unit: number): string {
  const own = r.probes.every((p) => p.learningRateUnit === p.criticalLearningRate);
  return own ? 'η_c' : `η_c of the ×1 net (${unit.toPrecision(3)})`;
}

/** The 2 × 2 grid of one configuration (null when no run converged: nothing to draw). */
export function configurationFigure(r: ConfigResult): TopLevelSpec | null {
  if (!r.probes.some((p) => p.runs.some((x) => x.status === 'converged'))) return null;
  const cols = columns(r);
  return concatPanels([panel(r, cols, 'sharpness', true), panel(r, cols, 'sharpness', false), panel(r, cols, 'norm1', true), panel(r, cols, 'norm1', false)], {
    columns: 2,
    title: `${r.label} (p = ${r.dim}, ${r.examples} images, ${r.probes.length} seeds): final sharpness and ℓ1 norm against η`,
  });
}

/**
 * Claim 3a ([Conflicting biases, Fig. 13]): S_k·η/2 along the cross-entropy runs at η = m/s₀ above η_c, one panel
 * per seed (1 is the edge 2/η); null when the CE runs were not made.
 */
export function crossEntropyFigure(s: NnClaimsSummary): TopLevelSpec | null {
  if (!s.crossEntropy.length) return null;
  const every = s.settings.crossEntropyRuns.sharpnessEvery;
  const panels = s.crossEntropy.map((c) => {
    const runs = c.ce.filter((r) => r.learningRate > c.criticalLearningRate && r.trace.length > 0);
    const series: Series[] = runs.length
      ? runs.map((r) => ({ name: `η = ${r.multiple}/s₀ (${r.status})`, x: r.trace.map((_, k) => k * every), y: r.trace }))
      : [{ name: 'no CE run above η_c', x: [0], y: [1] }];
    return lineChart(series, {
      title: `seed ${c.seed}: η_c = ${c.criticalLearningRate.toPrecision(3)}, 1/s₀ = ${(1 / c.s0).toPrecision(3)}`,
      xTitle: 'GD step',
      yTitle: 'S·η/2 (1 = the edge 2/η)',
      logY: true,
      referenceLines: [{ value: 1, label: '2/η' }],
      width: 300,
      height: 180,
    });
  });
  return concatPanels(panels, { columns: 2, title: 'Cross-entropy above η_c: sharpness along GD relative to 2/η (claim 3a)' });
}

/** Claim 4b: ‖θ‖₁ at the end of the ×10-initialization runs against η·s₀/2, one line per seed (converged runs). */
export function largeInitFigure(s: NnClaimsSummary): TopLevelSpec | null {
  if (!s.largeInit.length) return null;
  const series: Series[] = s.largeInit.map((c) => {
    const conv = c.runs.filter((r) => r.status === 'converged');
    return { name: `seed ${c.seed} (${conv.length}/${c.runs.length} converged)`, x: conv.map((r) => r.multiple), y: conv.map((r) => r.norm1), points: true };
  });
  return lineChart(series, {
    title: `Init ×10: final ℓ1 norm against η (ε = ${s.settings.largeInitRuns.lossGoal}; claim 4b)`,
    xTitle: 'η / (2/s₀)',
    yTitle: '‖θ‖₁ at the end point',
    width: 360,
  });
}

/**
 * Claims 6 and 8 for one configuration ([Conflicting biases, Figs. 3, 9, 11–12]), a 2 × 2 grid against η/η_c with
 * ± one sd over seeds: the test loss minus the flow solution's (paired per seed), Σ_ℓ ‖W_ℓ‖_* minus its value at the
 * smallest η (paired, Fig. 14's normalization), ‖θ − θ_GF‖₁, and ‖θ − θ₀‖₁ beside ‖θ‖₁ − ‖θ₀‖₁. Null when no run
 * converged.
 */
export function measuresFigure(r: ConfigResult): TopLevelSpec | null {
  const ratios = r.probes[0].runs.map((x) => x.ratio);
  const cols = ratios.map((_, i) => r.probes.filter((p) => p.runs[i].status === 'converged').map((p) => ({ p, x: p.runs[i] })));
  if (!cols.some((c) => c.length > 0)) return null;
  const sum = (v: readonly number[]) => v.reduce((a, b) => a + b, 0);
  const stat = (f: (p: (typeof r.probes)[number], x: (typeof r.probes)[number]['runs'][number]) => number) => cols.map((c) => meanSd(c.map(({ p, x }) => f(p, x))));
  const chart = (name: string, m: ReturnType<typeof meanSd>[], title: string, yTitle: string, zeroLabel: string) =>
    withErrorBars(
      lineChart([{ name, x: ratios, y: m.map((k) => k.mean), points: true, color: SERIES_PALETTE[0] }], {
        title,
        xTitle: 'η / η_c',
        yTitle,
        referenceLines: [{ value: 0, label: zeroLabel }],
        width: 260,
        height: 170,
      }),
      ratios.map((x, i) => ({ x, lo: m[i].mean - m[i].sd, hi: m[i].mean + m[i].sd })),
      SERIES_PALETTE[0],
    );
  const testLoss = stat((p, x) => (x.testLoss ?? NaN) - (p.flow.testLoss ?? NaN));
  const nuclear = stat((p, x) => {
    const first = p.runs.find((y) => y.status === 'converged');
    return first ? sum(x.layerNuclear) - sum(first.layerNuclear) : NaN;
  });
  const toFlow = stat((_, x) => x.distanceToFlow1);
  const toInit = stat((_, x) => x.distanceToInit1);
  const panels = [
    chart('L_test − L_test(θ_GF)', testLoss, 'test loss (Fig. 3)', 'L_test − L_test(θ_GF)', 'gradient flow'),
    chart('Σ_ℓ ‖W_ℓ‖_* (shifted)', nuclear, 'nuclear norm (Figs. 3, 9)', 'Σ_ℓ ‖W_ℓ‖_* − at the smallest η', 'smallest η'),
    chart('‖θ − θ_GF‖₁', toFlow, 'ℓ1 distance to the flow solution (Fig. 11)', '‖θ − θ_GF‖₁', 'θ_GF'),
    chart('‖θ − θ₀‖₁', toInit, 'ℓ1 distance to the initialization (Fig. 12)', '‖θ − θ₀‖₁', '0'),
  ];
  if (r.probes.every((p) => p.flow.testLoss === null)) panels.shift();
  return concatPanels(panels, { columns: 2, title: `${r.label}: test loss, nuclear norm and distances against η (mean ± sd over ${r.probes.length} seeds)` });
}
