/**
 * Example `optimizers-eos` [Cohen et al. 2021; Cohen et al. 2022]: the Chebyshev MLP of `mlp-eos` trained with GD,
 * heavy-ball momentum (β = 0.9) and Adam (β₁ = 0.9). Claim: each optimizer's sharpness — λ_max(∇²L) for GD and heavy
 * ball, the preconditioned λ_max(P⁻¹∇²L) for Adam — rises to its own stability threshold (2/η, (2 + 2β)/η,
 * (2 + 2β₁)/((1 − β₁)η) = 38/η) and hovers there. The band and fractions that decide the claim are fixed in the
 * settings before the runs and printed first.
 *
 * Writes `summary.json`, `traces.json`, `loss.svg`, `sharpness-ratio.svg` and `figure.svg`.
 */
import type { Example } from '../types.js';
import { DEFAULT_SETTINGS, QUICK_SETTINGS, computeOptimizersEos } from './compute.js';
import { combinedFigure, lossFigure, ratioFigure } from './figures.js';

function fmt(v: number | null, digits = 3): string {
  return v === null || !Number.isFinite(v) ? '–' : Number(v.toPrecision(digits)).toString();
}

export const optimizersEos: Example = {
  name: 'optimizers-eos',
  title: 'GD, heavy ball and Adam each at their own edge of stability (Cohen et al. 2021, 2022)',
  description:
    'The Chebyshev MLP trained with GD, heavy-ball momentum β = 0.9 and Adam β₁ = 0.9: λ_max (or λ_max(P⁻¹H) for Adam) ' +
    'against 2/η, (2 + 2β)/η and 38/η.',
  async run(ctx) {
    const settings = ctx.quick ? QUICK_SETTINGS : DEFAULT_SETTINGS;
    ctx.report(
      `claims decided by thresholds fixed before running: "rises" = starts below 0.9× and some sample ≥ 1× its threshold; ` +
        `"hovers" = ≥ ${100 * settings.minFractionInBand}% of samples at k ≥ ${settings.lateFrom * settings.steps} within ±${100 * settings.band}% ` +
        `of the threshold and none above ${settings.maxLateRatio}×`,
    );
    const result = computeOptimizersEos(settings, (m) => ctx.progress(m));
    const { summary } = result;
    await ctx.writeJson('summary.json', summary);
    await ctx.writeJson('traces.json', { runs: result.runs });
    await ctx.writeSvg('loss.svg', lossFigure(result));
    await ctx.writeSvg('sharpness-ratio.svg', ratioFigure(result));
    await ctx.writeSvg('figure.svg', combinedFigure(result));
    ctx.report(`${summary.model}; p = ${summary.dim}; ${settings.steps} steps per run`);
    for (const r of summary.runs) {
      ctx.report(
        `${r.name}, η = ${r.learningRate}: ${r.status}; threshold ${fmt(r.threshold, 4)} for ${r.quantity}; start ${fmt(r.initialRatio, 2)}×; ` +
          (r.reachedAt === null ? `never reached (max ${fmt(r.maxRatio)}×); ` : `reached at step ${r.reachedAt}; `) +
          `late median ${fmt(r.lateMedianRatio)}×, range [${fmt(r.lateMinRatio)}, ${fmt(r.lateMaxRatio)}]×, ${Math.round(100 * r.lateFractionInBand)}% in band; ` +
          `loss ${fmt(r.initialLoss)} → ${fmt(r.finalLoss)}`,
      );
    }
    for (const [claim, key] of [
      ['rises to its own threshold', 'risesToThreshold'],
      ['hovers at its own threshold', 'hoversAtThreshold'],
    ] as const) {
      const yes = summary.runs.filter((r) => r.reproduces[key]).map((r) => r.name);
      const no = summary.runs.filter((r) => !r.reproduces[key]).map((r) => r.name);
      ctx.report(`${claim}: ${yes.length ? `reproduces for ${yes.join(', ')}` : 'does not reproduce'}${no.length ? `; does NOT reproduce for ${no.join(', ')}` : ''}`);
    }
  },
};
