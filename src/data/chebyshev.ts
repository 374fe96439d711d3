/**
 * Cohen et al.'s Chebyshev regression task: fit T_k on evenly spaced points of [−1, 1].
 *
 * @module
 */
import ndarray from 'ndarray';
import { integerInRange, optionKeys, optionsObject } from '../core/validate.js';
import type { ChebyshevDescriptor, Dataset } from './dataset.js';

/**
 * Options of {@link chebyshev}.
 *
 * @since 0.1.0
 */
export interface ChebyshevOptions {
  /**
   * Number of points n ≥ 2 (Cohen et al. use 20).
   * @defaultValue 20
   */
  points?: number;
  /**
   * Degree k of the target Chebyshev polynomial T_k, an integer in [0, 64] (Cohen et al. use 3, 4 and 5).
   * @defaultValue 4
   */
  degree?: number;
}

/**
 * The 1-d regression task of Cohen et al. (2021; the edge-of-stability paper discussed in [EoS blog post]): n points
 * evenly spaced on [−1, 1], each labelled by the Chebyshev polynomial of the first kind T_k.
 *
 * xᵢ = −1 + 2i/(n − 1) (i = 0, …, n − 1), yᵢ = T_k(xᵢ), with T₀ = 1, T₁ = x, T_{j+1} = 2x T_j − T_{j−1}
 * (equivalently T_k(cos φ) = cos kφ).
 *
 * @remarks
 * Cohen et al.'s code names these sets `chebyshev-k-20` (k = 3, 4, 5; n = 20) and uses the same set for training
 * and testing. The points are computed as `-1 + (2 * i) / (n - 1)` (so x₀ = −1 and x_{n−1} = 1 exactly), T_k by
 * the three-term recurrence (stable on [−1, 1]). Cost: O(nk); allocates the arrays.
 *
 * @param options - number of points and degree.
 * @returns inputs [n, 1], targets [n, 1], and the descriptor `{ dataset: 'chebyshev', points, degree }`.
 * @throws EosLabError `E_BAD_OPTION` if `points` is not an integer ≥ 2 or `degree` not an integer in [0, 64].
 * @example
 * ```ts
 * import { datasets } from 'eos-lab';
 * const data = datasets.chebyshev({ points: 5, degree: 2 }); // T₂(x) = 2x² − 1
 * console.log(data.inputs.data, data.targets.data); // [-1, -0.5, 0, 0.5, 1] [1, -0.5, -1, -0.5, 1]
 * ```
 * @since 0.1.0
 */
export function chebyshev(options?: ChebyshevOptions): Dataset & { readonly descriptor: ChebyshevDescriptor } {
  const fn = 'datasets.chebyshev';
  const o = optionsObject(fn, options, optionKeys<ChebyshevOptions>({ points: true, degree: true }));
  const points = o.points === undefined ? 20 : integerInRange(fn, 'options.points', o.points, 2, 1e7);
  const degree = o.degree === undefined ? 4 : integerInRange(fn, 'options.degree', o.degree, 0, 64);
  const x = new Float64Array(points);
  const y = new Float64Array(points);
  for (let i = 0; i < points; i++) {
    const xi = -1 + (2 * i) / (points - 1);
    x[i] = xi;
    let prev = 1; // T₀
    let cur = xi; // T₁
    if (degree === 0) cur = 1;
    for (let j = 1; j < degree; j++) {
      const next = 2 * xi * cur - prev;
      prev = cur;
      cur = next;
    }
    y[i] = cur;
  }
  return {
    inputs: ndarray(x, [points, 1]),
    targets: ndarray(y, [points, 1]),
    descriptor: Object.freeze({ dataset: 'chebyshev', points, degree }),
  };
}
