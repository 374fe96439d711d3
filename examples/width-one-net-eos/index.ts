/**
 * Example `width-one-net-eos` ([Minimalist EoS], "A Minimalist Example of Edge-of-Stability and Progressive Sharpening"):
 * GD with α-clipping on the two-layer width-one net L = ½λ₁α²β₁² + ½λ₂(αβ₂ − 1)² at three learning rates from one
 * start: progressive sharpening, repeated cycles of sharpening above 2/η and self-stabilization below it with loss
 * spikes (Fig. 1), Lemma 4.2, the limiting sharpness (Thm 4.1), the GFS sharpness along GD (Thm 5.2, Fig. 3), the
 * convergence-term rate against projected GD (Thm 4.6, 5.5, Fig. 7), the GD and gradient-flow paths (Fig. 5), the
 * unclipped dynamics (App. F), and a search over settings for repeated cycles.
 *
 * Writes `summary.json` (settings, claims per run, search table), `traces.json` (per-step traces at a stride, paths)
 * and the figures `loss.svg`, `sharpness.svg`, `parameters-eta-<η>.svg` (one per learning rate), `gfs-sharpness.svg`, `convergence-rate.svg`,
 * `unclipped.svg`, `path-alpha-beta1.svg`, `path-alpha-beta2.svg` and `figure.svg` (all panels).
 */
import type { Example } from '../types.js';
import { DEFAULT_SETTINGS, QUICK_SETTINGS, clipLabel, computeWidthOneNetEos, type RunTrace, type SearchRow } from './compute.js';
import {
  combinedFigure,
  gfsFigure,
  lossFigure,
  parametersFigure,
  pathAlphaBetaOneFigure,
  pathAlphaBetaTwoFigure,
  rateFigure,
  sharpnessFigure,
  unclippedFigure,
} from './figures.js';

function fmt(v: number, digits = 4): string {
  return Number(v.toPrecision(digits)).toString();
}

function pct(v: number): string {
  return `${(100 * v).toFixed(1)}%`;
}

/** Indices 0, stride, 2·stride, … of an array of length n, and the last. */
function strideIndex(n: number, stride: number): number[] {
  const idx: number[] = [];
  for (let k = 0; k < n; k += stride) idx.push(k);
  if (idx[idx.length - 1] !== n - 1) idx.push(n - 1);
  return idx;
}

/** Every `stride`-th entry of each trace array (and the last), with the step indices. */
function strideTrace(t: RunTrace, stride: number): Record<string, number[]> {
  const idx = strideIndex(t.alpha.length, stride);
  const out: Record<string, number[]> = { step: idx };
  for (const [key, arr] of Object.entries(t) as [string, ArrayLike<number>][]) out[key] = idx.map((k) => arr[k]);
  return out;
}

/** The App. F collapse in an unclipped trace: the first drop of α below a quarter of its running maximum. */
export function alphaCollapse(alpha: ArrayLike<number>): { fromStep: number; from: number; minStep: number; min: number } | null {
  let maxSoFar = -Infinity;
  let maxStep = 0;
  for (let k = 0; k < alpha.length; k++) {
    if (alpha[k] > maxSoFar) {
      maxSoFar = alpha[k];
      maxStep = k;
    }
    if (alpha[k] < 0.25 * maxSoFar) {
      let minStep = k;
      for (let j = k; j < Math.min(alpha.length, k + 100); j++) if (alpha[j] < alpha[minStep]) minStep = j;
      return { fromStep: maxStep, from: maxSoFar, minStep, min: alpha[minStep] };
    }
  }
  return null;
}

/** One line per clip kind of the search table. */
function searchLines(rows: SearchRow[], minCycles: number): string[] {
  const byClip = new Map<string, SearchRow[]>();
  for (const r of rows) byClip.set(r.clip, [...(byClip.get(r.clip) ?? []), r]);
  const lines: string[] = [];
  for (const [clip, rs] of byClip) {
    const ok = rs.filter((r) => r.status === 'completed');
    const repeated = ok.filter((r) => r.cycles >= minCycles);
    const cycles = ok.map((r) => r.cycles);
    const peaks = ok.map((r) => r.maxSharpnessOverThreshold);
    const underflow = rs.filter((r) => r.betaOneUnderflow).length;
    lines.push(
      `search, ${clip}: ${repeated.length}/${rs.length} settings show ≥ ${minCycles} cycles` +
        (ok.length > 0 ? ` (cycles ${Math.min(...cycles)}–${Math.max(...cycles)}, max λ_max/(2/η) ${fmt(Math.min(...peaks), 3)}–${fmt(Math.max(...peaks), 3)})` : '') +
        `; diverged ${rs.length - ok.length}/${rs.length}; β₁ underflowed to 0 in ${underflow}`,
    );
  }
  return lines;
}

export const widthOneNetEos: Example = {
  name: 'width-one-net-eos',
  title: 'Width-one net: progressive sharpening and edge-of-stability cycles under α-clipped GD [Minimalist EoS]',
  description:
    'GD with α-clipping on L = ½λ₁α²β₁² + ½λ₂(αβ₂ − 1)² (λ₁ = 1, λ₂ = 10⁻³) from (0.45, 0.01, 0) at η = 8, 6, 12: ' +
    'sharpness rises to 2/η and then cycles above and below it with loss spikes; Lemma 4.2, limiting sharpness, GFS ' +
    'sharpness along GD, convergence-term rate vs projected GD, GD vs gradient-flow paths, unclipped GD, and a search ' +
    'over settings for repeated cycles.',
  async run(ctx) {
    const settings = ctx.quick ? QUICK_SETTINGS : DEFAULT_SETTINGS;
    const r = computeWidthOneNetEos(settings, (m) => ctx.progress(m));
    const collapse = alphaCollapse(r.unclipped.trace.alpha);
    const unTrace = r.unclipped.trace;
    const unTau = 2 / r.unclipped.learningRate;
    let unFirstEdge = unTrace.sharpness.findIndex((s) => s >= unTau);
    if (unFirstEdge < 0) unFirstEdge = unTrace.sharpness.length;
    let unAlphaDecreases = 0;
    for (let k = 0; k + 1 < unFirstEdge; k++) if (unTrace.alpha[k + 1] < unTrace.alpha[k]) unAlphaDecreases++;
    let unMinSharpness = Infinity;
    if (collapse) for (let k = collapse.fromStep; k < Math.min(unTrace.sharpness.length, collapse.minStep + 100); k++) unMinSharpness = Math.min(unMinSharpness, unTrace.sharpness[k] / unTau);

    const runs = r.runs.map((run) => run.claims);
    const summary = {
      model: 'L(α, β₁, β₂) = ½λ₁α²β₁² + ½λ₂(αβ₂ − 1)²',
      seed: '003',
      reconstructed:
        'The α-clip (target value, |α| ≥ C), the stable set and projected GD are reconstructions: the copy of the paper this project worked from lost its formulas (docs/math.md §3).',
      settings,
      clip: clipLabel(settings.clip),
      cycleDefinition:
        'a cycle is an up-crossing of (1 + b)·2/η by λ_max followed by the next down-crossing of (1 − b)·2/η, b = cycleBand',
      gradientFlowSolution: { ...r.gfsAtStart, formula: 'α∞² = (c + √(c² + 4))/2, sharpness = max{λ₁α∞², λ₂√(c² + 4)}' },
      gradientFlow: { status: r.flow.status, message: r.flow.message, distanceToSolution: r.flow.distanceToSolution },
      replayGap: r.replayGap,
      runs,
      unclipped: {
        learningRate: r.unclipped.learningRate,
        status: r.unclipped.gdStatus,
        message: r.unclipped.gdMessage,
        alphaCollapse: collapse,
        minSharpnessOverThresholdAfterCollapse: Number.isFinite(unMinSharpness) ? unMinSharpness : null,
        firstEdgeStep: unFirstEdge < unTrace.sharpness.length ? unFirstEdge : null,
        alphaDecreasesBeforeEdge: unAlphaDecreases,
      },
      search: r.searchRows,
    };
    await ctx.writeJson('summary.json', summary);
    const stride = settings.figureStride;
    await ctx.writeJson('traces.json', {
      stride,
      runs: r.runs.map((run) => ({ learningRate: run.learningRate, trace: strideTrace(run.trace, stride), projectedConvergence: strideIndex(run.projected.length, stride).map((k) => run.projected[k]) })),
      unclipped: { learningRate: r.unclipped.learningRate, trace: strideTrace(r.unclipped.trace, 1) },
      gradientFlow: r.flow,
    });
    await ctx.writeSvg('loss.svg', lossFigure(r));
    await ctx.writeSvg('sharpness.svg', sharpnessFigure(r));
    for (let i = 0; i < r.runs.length; i++) await ctx.writeSvg(`parameters-eta-${r.runs[i].learningRate}.svg`, parametersFigure(r, i));
    await ctx.writeSvg('gfs-sharpness.svg', gfsFigure(r));
    await ctx.writeSvg('convergence-rate.svg', rateFigure(r));
    await ctx.writeSvg('unclipped.svg', unclippedFigure(r));
    await ctx.writeSvg('path-alpha-beta1.svg', pathAlphaBetaOneFigure(r));
    await ctx.writeSvg('path-alpha-beta2.svg', pathAlphaBetaTwoFigure(r));
    await ctx.writeSvg('figure.svg', combinedFigure(r));

    const s = settings;
    ctx.report(
      `setting: λ₁ = ${s.varianceIrrelevant}, λ₂ = ${s.varianceRelevant}, θ₀ = (${s.start.join(', ')}), clip ${clipLabel(s.clip)} ` +
        `(reconstructed), ${s.steps} steps; GFS of θ₀: α∞² = ${fmt(r.gfsAtStart.alphaSquared)}, sharpness ${fmt(r.gfsAtStart.sharpness)} ` +
        `(RK4 flow ends ${r.flow.distanceToSolution.toExponential(1)} from it)`,
    );
    for (const c of runs) {
      const cyc = c.cycles;
      const verdict = cyc.count >= s.minCycles ? 'REPRODUCED' : 'NOT reproduced';
      ctx.report(
        `η = ${c.learningRate} (2/η = ${fmt(c.threshold)}): λ_max reaches 2/η at step ${c.firstEdgeStep ?? 'never'}; ` +
          `repeated cycles ${verdict}: ${cyc.count} cycles (band ±${pct(cyc.band)}) until step ${cyc.lastDown ?? '-'}, ` +
          `peak λ_max/(2/η) median ${cyc.medianPeak === null ? '-' : fmt(cyc.medianPeak, 3)}, max ${cyc.maxPeak === null ? '-' : fmt(cyc.maxPeak, 3)}; ` +
          `median loss spike ×${cyc.medianLossSpike === null ? '-' : fmt(cyc.medianLossSpike, 3)}; clip active on ${c.clippedSteps} steps`,
      );
      ctx.report(
        `  Lemma 4.2: (i) (λ_max − λ₁α²)/λ_max ≤ 1% at ${pct(c.lemma42i.fractionGapBelow1Percent)} of steps (max ${fmt(c.lemma42i.maxGap, 3)}, never < ${fmt(c.lemma42i.minGap, 2)}); ` +
          `(ii) |⟨v_max, e_β₁⟩| ≥ 0.99 at ${pct(c.lemma42ii.fractionAligned99)} of steps (${pct(c.lemma42ii.fractionAligned99AtEdge)} where λ₁α² ≥ 2/η); ` +
          `(iii) β₂ failed to increase on ${c.lemma42iii.nonIncreasingSteps} steps, max αβ₂ = ${fmt(c.lemma42iii.maxAlphaBetaTwo, 8)}`,
      );
      const rate = c.convergenceRate;
      ctx.report(
        `  Thm 4.1: final ηλ_max/2 = ${fmt(c.limitingSharpness.final, 6)}, max over the last ${pct(s.limitTail)} of steps ${fmt(c.limitingSharpness.tailMax, 6)} (δ = ${fmt(c.limitingSharpness.delta, 2)}); ` +
          `Thm 5.2: GFS sharpness ${fmt(c.gfs.start)} → ${fmt(c.gfs.end)} (total log-decrease ${fmt(c.gfs.totalDecrease, 3)}; rises on ${c.gfs.increasingSteps} steps, ` +
          `log-rise ${fmt(c.gfs.increaseOnClippedSteps, 3)} on clipped steps vs ${fmt(c.gfs.increaseOnUnclippedSteps, 3)} on unclipped ones); ` +
          `Thm 4.6/5.5: L_c factor per step GD ${fmt(rate.gd, 7)}, projected GD ${fmt(rate.projected, 7)}, predicted (1 − 2λ₂/λ₁)² = ${fmt(rate.predicted, 7)} ` +
          `(steps ${rate.from}–${rate.to}; PGD stays in S: ${rate.projectedStaysInStableSet})`,
      );
    }
    const rates = runs.map((c) => -Math.log(c.convergenceRate.gd));
    ctx.report(
      `convergence-term rate independent of η: −ln(factor) = ${rates.map((x) => fmt(x, 4)).join(', ')} for η = ${runs.map((c) => c.learningRate).join(', ')} ` +
        `(spread ${pct((Math.max(...rates) - Math.min(...rates)) / Math.min(...rates))}; predicted ${fmt(-Math.log(runs[0].convergenceRate.predicted), 4)})`,
    );
    ctx.report(
      `unclipped GD η = ${r.unclipped.learningRate} (App. F): ` +
        (collapse
          ? `α collapses from ${fmt(collapse.from)} (step ${collapse.fromStep}) to ${fmt(collapse.min)} (step ${collapse.minStep}), λ_max falls to ${fmt(unMinSharpness, 3)}·2/η; `
          : 'no collapse of α; ') +
        `${r.unclipped.gdMessage}`,
    );
    for (const line of searchLines(r.searchRows, s.minCycles)) ctx.report(line);
    if (r.replayGap !== 0) throw new Error(`the recorded GD replay differs from gd() by ${r.replayGap}`);
  },
};
