/**
 * Exact medians without sorting: quickselect in place on a scratch buffer (O(n) expected, no allocation), used by
 * the grid-study kernels for seed 000's EoS criterion.
 *
 * @module
 */

/**
 * Rearranges `a[lo..hi]` so that `a[k]` holds the value it would have if the range were sorted ascending, every
 * element before it is ≤ it and every element after it is ≥ it; returns `a[k]`. Hoare partition around the median
 * of three (first, middle, last); after 2·log₂(n) + 8 partitions without finishing (a pathological input) the rest
 * of the range is sorted instead, so the worst case is O(n log n). Values must not be NaN. @internal
 */
export function selectInPlace(a: Float64Array, lo: number, hi: number, k: number): number {
  let budget = 2 * Math.ceil(Math.log2(hi - lo + 2)) + 8;
  while (hi > lo) {
    if (budget-- === 0) {
      a.subarray(lo, hi + 1).sort();
      return a[k];
    }
    const mid = lo + ((hi - lo) >> 1);
    // Median of three: afterwards a[lo] ≤ a[mid] ≤ a[hi], which also bound the scans below.
    let t: number;
    if (a[mid] < a[lo]) {
      t = a[mid];
      a[mid] = a[lo];
      a[lo] = t;
    }
    if (a[hi] < a[lo]) {
      t = a[hi];
      a[hi] = a[lo];
      a[lo] = t;
    }
    if (a[hi] < a[mid]) {
      t = a[hi];
      a[hi] = a[mid];
      a[mid] = t;
    }
    const pivot = a[mid];
    let i = lo;
    let j = hi;
    while (i <= j) {
      // Elements are read once into locals (V8 then keeps the scans to one load and one compare per element).
      let ai = a[i];
      while (ai < pivot) ai = a[++i];
      let aj = a[j];
      while (aj > pivot) aj = a[--j];
      if (i <= j) {
        a[i] = aj;
        a[j] = ai;
        i++;
        j--;
      }
    }
    // Now a[lo..j] ≤ pivot ≤ a[i..hi] and every a[j+1..i−1] equals the pivot.
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k];
  }
  return a[k];
}

/**
 * The exact median of `a[0..count)`: the middle value for odd `count`, the mean (u + v)/2 of the two middle values
 * for even `count` (numpy's convention); NaN for `count` = 0. Reorders `a[0..count)` (a scratch buffer) and
 * allocates nothing. Expected O(count). Values must not be NaN. @internal
 */
export function medianInPlace(a: Float64Array, count: number): number {
  if (count <= 0) return NaN;
  const half = count >> 1;
  if (count % 2 === 1) return selectInPlace(a, 0, count - 1, half);
  const lower = selectInPlace(a, 0, count - 1, half - 1);
  // Everything after index half − 1 is ≥ lower; the upper middle value is the least of them.
  let upper = a[half];
  for (let i = half + 1; i < count; i++) if (a[i] < upper) upper = a[i];
  return (lower + upper) / 2;
}
