/**
 * Example `nn-claims`: the neural-network claims of [Conflicting biases, App. H] at laptop scale. For each
 * configuration (MLPs on 7 × 7 MNIST varying width, depth, activation, loss, init scale and parameterization; a small
 * CNN on 14 × 14 MNIST) and each of several initialization seeds: gradient flow to the loss goal gives s_GF and
 * η_c = 2/s_GF; GD from the same θ₀ runs at η = r·η_c for a fixed grid of ratios r; every end point is measured
 * (sharpness, ℓ1/ℓ2 norms, per-layer Frobenius and nuclear norms, distances to θ_GF and θ₀, steps × η, test loss).
 * Claims 1–10 (and 2b, 3a, 3b, 4b, 5b, 7b) are judged with thresholds fixed in `compute.ts` before running; each verdict is printed
 * with its numbers (mean ± sd over seeds).
 *
 * Writes `summary.json` (settings, thresholds, every probe, the phase table, the verdicts), `phase.svg`, and per
 * configuration with a converged run `eta-<id>.svg`: the paper's fine and coarse panels of final sharpness and ℓ1
 * norm against η with ± one sd over seeds ([Conflicting biases, App. I]); `cross-entropy.svg` (the sharpness along
 * the CE runs above η_c, claim 3a) and `init-x10.svg` (claim 4b) when those runs are made; `measures-base.svg`
 * (claims 6 and 8: test loss, nuclear norm, distances to θ_GF and θ₀ against η).
 */
import type { TopLevelSpec } from 'vega-lite';
import type { Example } from '../types.js';
import { DEFAULT_SETTINGS, QUICK_SETTINGS, THRESHOLDS, computeNnClaims, fmt, type NnClaimsSummary } from './compute.js';
import { configurationFigure, crossEntropyFigure, largeInitFigure, measuresFigure } from './figures.js';

/** Claim 9's phase diagram: configuration × η/η_c, coloured by the seed-mean S/(2/η), labelled with the regimes. */
export function phaseFigure(s: NnClaimsSummary): TopLevelSpec {
  const abbreviation: Record<string, string> = { 'flow-aligned': 'F', eos: 'E', diverged: 'D', 'not-converged': 'N' };
  const values = s.phase.map((p) => ({
    config: p.config,
    ratio: String(p.ratio),
    ratioValue: p.ratio,
    value: Number.isFinite(p.sharpnessOverLimit.mean) ? p.sharpnessOverLimit.mean : null,
    label: `${p.regimes.map((r) => abbreviation[r] ?? '?').join('')} ${Number.isFinite(p.sharpnessOverLimit.mean) ? fmt(p.sharpnessOverLimit.mean, 2) : '–'}`,
  }));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: { text: 'Phase diagram: S_final/(2/η), seed mean', subtitle: 'cell text: regime per seed (F flow-aligned, E EoS, D diverged, N not converged) and the mean ratio' },
    data: { values },
    width: 70 * s.settings.probe.ratios.length,
    height: 24 * s.results.length,
    encoding: {
      x: { field: 'ratio', type: 'ordinal', title: 'η / η_c', sort: { field: 'ratioValue' } },
      y: { field: 'config', type: 'nominal', title: 'configuration', sort: s.results.map((r) => r.id) },
    },
    layer: [
      { mark: 'rect', encoding: { color: { field: 'value', type: 'quantitative', title: 'S/(2/η)', scale: { domain: [0, 1.5], scheme: 'viridis' } } } },
      { mark: { type: 'text', fontSize: 10 }, encoding: { text: { field: 'label' }, color: { value: 'white' } } },
    ],
  } as TopLevelSpec;
}

export const nnClaims: Example = {
  name: 'nn-claims',
  title: 'Conflicting biases App. H at laptop scale: widths, depths, activations, losses, init, μP/NTK, a CNN',
  description:
    'Gradient flow and GD at η = r·η_c for several configurations and seeds on MNIST slices; claims 1–10 (with 2b, 3a, 3b, 4b, 5b, 7b) of the ' +
    'neural-network appendix judged with thresholds fixed in advance, with mean ± sd over seeds.',
  async run(ctx) {
    const settings = ctx.quick ? QUICK_SETTINGS : DEFAULT_SETTINGS;
    ctx.progress(`thresholds (fixed before running): ${JSON.stringify(THRESHOLDS)}`);
    const s = computeNnClaims(settings, (m) => ctx.progress(m));
    await ctx.writeJson('summary.json', s);
    await ctx.writeSvg('phase.svg', phaseFigure(s));
    for (const r of s.results) {
      const figure = configurationFigure(r);
      if (figure) await ctx.writeSvg(`eta-${r.id}.svg`, figure);
      else ctx.progress(`${r.id}: no converged run on its η grid, no figure`);
    }
    const base = s.results.find((r) => r.id === 'base');
    const measures = base ? measuresFigure(base) : null;
    if (measures) await ctx.writeSvg('measures-base.svg', measures);
    const ce = crossEntropyFigure(s);
    if (ce) await ctx.writeSvg('cross-entropy.svg', ce);
    const large = largeInitFigure(s);
    if (large) await ctx.writeSvg('init-x10.svg', large);
    ctx.report(
      `MNIST slices (CIFAR-10 of the paper not available): ${settings.data.classes.length} digits × ${settings.data.perClass} images (7×7 MLPs), × ${settings.data.cnnPerClass} (14×14 CNN); ` +
        `ε = ${settings.probe.lossGoal}; ${settings.seeds.length} seeds; η/η_c ∈ {${settings.probe.ratios.join(', ')}}; configurations: ${s.results.map((r) => `${r.id} (p = ${r.dim})`).join(', ')}`,
    );
    for (const v of s.verdicts) ctx.report(`${v.claim}: ${v.status.toUpperCase()} — ${v.numbers}`);
  },
};
