/**
 * Example `schedules` [Cohen et al. 2021, Sec. 6; EoS blog post]: on the Chebyshev MLP with full-batch GD,
 * (A) a linear warm-up lets a learning rate whose limit 2/η lies below λ_max(θ₀) train without the early loss spikes
 * of the same rate held constant; (B) after a step decay η₁ → η₂ the sharpness rises from 2/η₁ to the new, higher
 * 2/η₂ and hovers there. Every threshold of the verdicts is in the settings, printed before the runs.
 *
 * Writes `summary.json`, `traces.json`, `warmup-loss.svg`, `warmup-sharpness.svg`, `decay.svg` and `figure.svg`.
 */
import type { Example } from '../types.js';
import { DEFAULT_SETTINGS, QUICK_SETTINGS, computeSchedules } from './compute.js';
import { combinedFigure, decayFigure, warmupLossFigure, warmupSharpnessFigure } from './figures.js';

function fmt(v: number | null, digits = 3): string {
  return v === null || !Number.isFinite(v) ? '–' : Number(v.toPrecision(digits)).toString();
}

const verdict = (ok: boolean) => (ok ? 'reproduces' : 'does NOT reproduce');

export const schedulesExample: Example = {
  name: 'schedules',
  title: 'Warm-up and step decay at the edge of stability (Cohen et al. 2021; EoS blog post)',
  description:
    'GD on the Chebyshev MLP: a warm-up to a rate with 2/η < λ_max(θ₀) against the same rate held constant (early spikes), ' +
    'and a step decay after which λ_max climbs to the new 2/η.',
  async run(ctx) {
    const s = ctx.quick ? QUICK_SETTINGS : DEFAULT_SETTINGS;
    ctx.report(
      `claims decided by thresholds fixed before running: a spike = L(θ_k) > ${s.spikeFactor}·L(θ₀) for some k ≤ ${s.warmupSteps}; ` +
        `"trains" = final loss < L(θ₀)/${s.trainsBy}; "at the limit" = ≥ ${100 * s.minFractionInBand}% of samples within ±${100 * s.band}% of 2/η ` +
        `(last quarter of the phase); "rises to the new limit" = some sample after the decay ≥ 2/η₂`,
    );
    const result = computeSchedules(s, (m) => ctx.progress(m));
    const { decay: d } = result.summary;
    await ctx.writeJson('summary.json', result.summary);
    await ctx.writeJson('traces.json', { runs: result.runs });
    await ctx.writeSvg('warmup-loss.svg', warmupLossFigure(result));
    await ctx.writeSvg('warmup-sharpness.svg', warmupSharpnessFigure(result));
    await ctx.writeSvg('decay.svg', decayFigure(result));
    await ctx.writeSvg('figure.svg', combinedFigure(result));

    ctx.report(`${result.summary.model}; p = ${result.summary.dim}`);
    ctx.report(`(A) λ_max(θ₀) = ${fmt(result.summary.initialSharpness, 4)}; rates η = r·2/λ_max(θ₀) for r = ${s.warmupMultiples.join(', ')}; warm-up over ${s.warmupSteps} steps`);
    for (const w of result.summary.warmup) {
      ctx.report(
        `r = ${w.multiple}, η = ${w.learningRate} (2/η = ${fmt(w.peakLimit)}): constant: ${w.constant.status}, max L/L₀ over k ≤ ${s.warmupSteps} = ${fmt(w.constant.maxEarlyLossRatio)}, ` +
          `final ${fmt(w.constant.finalLoss)}; warm-up: ${w.warmup.status}, max L/L₀ = ${fmt(w.warmup.maxEarlyLossRatio)}, final ${fmt(w.warmup.finalLoss)} — ` +
          `warm-up lets η = ${w.learningRate} train without early spikes: ${verdict(w.reproduces.claim)} ` +
          `(constant spikes: ${w.reproduces.constantSpikes}; warm-up no spike: ${w.reproduces.warmupNoSpike}; warm-up trains: ${w.reproduces.warmupTrains})`,
      );
    }
    ctx.report(
      `(B) η ${s.decayInitial} → ${fmt(s.decayInitial * s.decayFactor)} at step ${s.decayAt}: limit ${fmt(d.limitBefore)} → ${fmt(d.limitAfter)}; ` +
        `before: median λ_max/(2/η₁) ${fmt(d.beforeMedianRatio)}, ${Math.round(100 * d.beforeFractionInBand)}% in band; ` +
        `after: ${d.reachedNewLimitAt === null ? `never reached 2/η₂ (max ${fmt(d.maxRatioAfter)}×)` : `reached 2/η₂ at step ${d.reachedNewLimitAt}`}, ` +
        `last quarter median ${fmt(d.afterMedianRatio)}×, ${Math.round(100 * d.afterFractionInBand)}% in band`,
    );
    ctx.report(`at the edge before the decay: ${verdict(d.reproduces.atEdgeBeforeDecay)}`);
    ctx.report(`after the decay the sharpness rises to the new 2/η: ${verdict(d.reproduces.risesToNewLimit)}`);
    ctx.report(`… and hovers there: ${verdict(d.reproduces.hoversAtNewLimit)}`);
  },
};
