/**
 * The figures of the `diagonal-net-claims` example: s_GF, η_c and the distance of gradient flow's regressor to the ℓ1
 * minimizer against the initialization scale α, the final sharpness of GD in both regimes against α and against the
 * depth, and the Monte-Carlo estimates of Prop. E.2's expected risks against the sample size.
 */
import type { TopLevelSpec } from 'vega-lite';
import { concatPanels, lineChart } from '../../src/plot/index.js';
import type { DiagonalClaims } from './compute.js';

/** Part 1: against log₁₀ α. */
export function scaleFigure(r: DiagonalClaims): TopLevelSpec {
  const x = r.scales.map((s) => Math.log10(s.alpha));
  const sgf = lineChart(
    [
      { name: 's_GF', x, y: r.scales.map((s) => s.sGf), points: true },
      { name: 'GD final λ_max, η = 0.8·η_c', x, y: r.scales.map((s) => s.runs[0].finalSharpness), dash: [4, 3] },
      { name: 'GD final λ_max, η = 1.3·η_c', x, y: r.scales.map((s) => s.runs[1].finalSharpness), points: true },
    ],
    {
      title: 's_GF and GD’s final sharpness against α',
      xTitle: 'log₁₀ α',
      yTitle: 'sharpness',
      referenceLines: [{ value: r.l1Sharpness, label: `ℓ1 minimizer: 4·y·x₂ = ${r.l1Sharpness}`, labelPosition: 'start' }],
      width: 300,
    },
  );
  const dist = lineChart([{ name: '‖β_GF − β_ℓ1‖₁/‖β_ℓ1‖₁', x, y: r.scales.map((s) => s.l1Distance), points: true }], {
    title: 'gradient flow’s regressor vs the ℓ1 minimizer',
    xTitle: 'log₁₀ α',
    yTitle: 'relative ℓ1 distance',
    logY: true,
    width: 300,
  });
  return concatPanels([sgf, dist], { columns: 2, title: 'Diagonal net x = (1, 4), y = 2, w₀ = α·1: the initialization scale [Conflicting biases, Thm B.1]' });
}

/** Part 2: final sharpness over s_GF and over 2/η against the depth. */
export function depthFigure(r: DiagonalClaims): TopLevelSpec {
  const x = r.depths.map((d) => d.depth);
  return lineChart(
    [
      { name: 'η = 0.8·η_c: λ_max/s_GF', x, y: r.depths.map((d) => d.runs[0].overGf), points: true },
      { name: 'η = 1.3·η_c: λ_max/(2/η)', x, y: r.depths.map((d) => d.runs[1].overEdge), points: true },
    ],
    {
      title: `Both regimes at depth L, w₀ = ${r.depths[0]?.alpha}·1 (s_GF from sharpnessOnManifold at depth L)`,
      xTitle: 'depth L',
      yTitle: 'ratio',
      referenceLines: [{ value: 1, label: '1' }],
      width: 360,
    },
  );
}

/** Part 3: the running estimates against the sample size. */
export function riskFigure(r: DiagonalClaims): TopLevelSpec {
  const x = r.risks.map((k) => Math.log10(k.samples));
  return lineChart(
    [
      { name: 'A_ℓ1', x, y: r.risks.map((k) => k.l1.mean), points: true },
      { name: 'A_S', x, y: r.risks.map((k) => k.sharpness.mean), points: true },
    ],
    {
      title: 'Prop. E.2, folded Gaussian: Monte-Carlo E R(A) against the sample size (A_opt: exactly 0)',
      xTitle: 'log₁₀ samples',
      yTitle: 'estimated expected risk',
      logY: true,
      width: 360,
    },
  );
}

/** Part 4: mean excess risk over the draws against η/η_c, with ± one standard error. */
export function drawsFigure(r: DiagonalClaims): TopLevelSpec {
  const agg = r.draws.aggregate.filter((k) => k.converged > 0);
  const x = agg.map((k) => k.multiple);
  return lineChart(
    [
      { name: 'mean R(w_GD) − R(w_GF) over draws', x, y: agg.map((k) => k.meanExcessRisk), points: true },
      { name: '± one standard error', x, y: agg.map((k) => k.meanExcessRisk + k.standardError), color: '#999999', dash: [3, 3] },
      { name: '− one standard error', x, y: agg.map((k) => k.meanExcessRisk - k.standardError), color: '#999999', dash: [3, 3] },
    ],
    {
      title: 'Random draws of Lemma E.1’s model (x ≥ 0): excess risk of GD over gradient flow against η/η_c',
      xTitle: 'η/η_c',
      yTitle: 'excess risk',
      referenceLines: [{ value: 0, label: 'gradient flow' }],
      width: 420,
    },
  );
}
