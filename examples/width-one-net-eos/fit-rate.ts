/** A log-linear rate fit, the measurement the `width-one-net-eos` example reports for the convergence term. */

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
