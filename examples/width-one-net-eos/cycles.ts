/**
 * Edge-of-stability cycles in a sharpness trace, and a log-linear rate fit: the two measurements the
 * `width-one-net-eos` example reports.
 */

/** One cycle of sharpening above 2/η and self-stabilization below it. */
export interface EosCycle {
  /** First step k with s_k > (1 + band)·2/η (the up-crossing). */
  up: number;
  /** First step after `up` with s_k < (1 − band)·2/η (the down-crossing that closes the cycle). */
  down: number;
  /** max s_k/(2/η) over [up, down]. */
  peak: number;
  /** Step of the peak. */
  peakStep: number;
  /** max L over [up, down] divided by L at `up`: the loss spike of the cycle. */
  lossSpike: number;
}

/**
 * Counts cycles with hysteresis: a cycle is an up-crossing of (1 + band)·τ (τ = 2/η) followed by the next
 * down-crossing of (1 − band)·τ; the next cycle can only start after that down-crossing. The band keeps the
 * small period-two wiggles of a run that hovers at τ from counting as cycles. An excursion above (1 + band)·τ that
 * has not come back below (1 − band)·τ by the end of the trace is not counted.
 */
export function countCycles(sharpness: ArrayLike<number>, loss: ArrayLike<number>, threshold: number, band: number): EosCycle[] {
  const hi = (1 + band) * threshold;
  const lo = (1 - band) * threshold;
  const cycles: EosCycle[] = [];
  let up = -1;
  let peak = 0;
  let peakStep = -1;
  let maxLoss = 0;
  for (let k = 0; k < sharpness.length; k++) {
    const s = sharpness[k];
    if (up < 0) {
      if (s > hi) {
        up = k;
        peak = s;
        peakStep = k;
        maxLoss = loss[k];
      }
    } else {
      if (s > peak) {
        peak = s;
        peakStep = k;
      }
      if (loss[k] > maxLoss) maxLoss = loss[k];
      if (s < lo) {
        cycles.push({ up, down: k, peak: peak / threshold, peakStep, lossSpike: maxLoss / loss[up] });
        up = -1;
      }
    }
  }
  return cycles;
}

/**
 * The per-step factor ρ of a least-squares fit ln y_k ≈ a + k·ln ρ over k ∈ [from, to) (entries ≤ 0 skipped), or
 * NaN with fewer than two usable points.
 */
export function fitRate(y: ArrayLike<number>, from: number, to: number): number {
  let n = 0;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  for (let k = from; k < to; k++) {
    if (!(y[k] > 0)) continue;
    const ly = Math.log(y[k]);
    n++;
    sx += k;
    sy += ly;
    sxx += k * k;
    sxy += k * ly;
  }
  if (n < 2) return NaN;
  return Math.exp((n * sxy - sx * sy) / (n * sxx - sx * sx));
}
