/**
 * Exact medians without sorting, used by the grid-study kernels for [Scalar factorization]'s EoS criterion: quickselect in place
 * on a scratch buffer (O(n) expected), and a faster selection for late-phase values, which are made of a few
 * monotone runs (one O(n) scan, then O(log n)). Neither allocates.
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

/** Most monotone runs {@link medianOfRuns} merges (more: it falls back to quickselect). @internal */
export const MAX_RUNS = 8;

/**
 * Splits the even-indexed and the odd-indexed values of `a[0..count)`, greedily from the left, into monotone runs
 * (each nondecreasing or nonincreasing, ties allowed) and writes each run into `runs` as three numbers: its smallest
 * element's index, the index step to the next larger one (+2 for a nondecreasing run, −2 for a nonincreasing one,
 * read backwards), and its length. Returns the number of runs, or −1 as soon as there would be more than
 * `MAX_RUNS` (`runs` then holds garbage). `runs` has room for 3·MAX_RUNS numbers. @internal
 */
export function findRuns(a: Float64Array, count: number, runs: Int32Array): number {
  let n = 0;
  for (let parity = 0; parity < 2 && parity < count; parity++) {
    let first = parity;
    let i = first + 2;
    for (;;) {
      // A run starts at `first`: skip ties until it shows a direction, then extend it while it keeps it.
      while (i < count && a[i] === a[i - 2]) i += 2;
      let dir = 0;
      if (i < count) {
        dir = a[i] > a[i - 2] ? 1 : -1;
        i += 2;
        if (dir > 0) while (i < count && a[i] >= a[i - 2]) i += 2;
        else while (i < count && a[i] <= a[i - 2]) i += 2;
      }
      // The run is a[first], a[first + 2], …, a[i − 2]; the next one (if any) starts at i.
      if (n === MAX_RUNS) return -1;
      n = closeRun(runs, n, first, i - 2, dir);
      if (i >= count) break;
      first = i;
      i = first + 2;
    }
  }
  return n;
}

/** Writes the run a[first], a[first + 2], …, a[last] with direction `dir` as entry n of `runs`; returns n + 1. */
function closeRun(runs: Int32Array, n: number, first: number, last: number, dir: number): number {
  const r = 3 * n;
  if (dir < 0) {
    runs[r] = last;
    runs[r + 1] = -2;
  } else {
    runs[r] = first;
    runs[r + 1] = 2;
  }
  runs[r + 2] = ((last - first) >> 1) + 1;
  return n + 1;
}

/**
 * The `rank`-th smallest value (rank counted from 1) of the union of the `nRuns` nonempty sorted runs described in
 * `runs` (as {@link findRuns} writes them; consumed). If `upper` is true, returns the mean of it and the next one
 * (the (rank + 1)-th smallest, which must exist). Each round looks at the t-th element of every nonempty run,
 * t = max(1, ⌊rank / R⌋) (or the run's last, if shorter) and drops the run's first t elements whose t-th is least:
 * at most t − 1 elements of any other run are below that one, so all the dropped ones rank ≤ R(t − 1) + 1 ≤ rank
 * (ties broken in favour of the dropped run). A round costs O(R) and shrinks rank by a factor (1 − 1/R²) at least,
 * so the whole costs O(R² log count) — for the usual R = 2, log₂ count rounds.
 */
function selectFromRuns(a: Float64Array, runs: Int32Array, nRuns: number, rank: number, upper: boolean): number {
  let need = rank;
  let active = nRuns;
  while (active > 1 && need > 1) {
    const t = need < 2 * active ? 1 : Math.floor(need / active);
    let drop = -1;
    let dropValue = Infinity;
    let dropCount = 0;
    for (let r = 0; r < 3 * nRuns; r += 3) {
      const len = runs[r + 2];
      if (len === 0) continue;
      const take = len < t ? len : t;
      const v = a[runs[r] + runs[r + 1] * (take - 1)];
      if (drop < 0 || v < dropValue) {
        drop = r;
        dropValue = v;
        dropCount = take;
      }
    }
    runs[drop] += runs[drop + 1] * dropCount;
    runs[drop + 2] -= dropCount;
    if (runs[drop + 2] === 0) active--;
    need -= dropCount;
  }
  if (active === 1) {
    // One run left: its need-th element (and the next).
    let r = 0;
    while (runs[r + 2] === 0) r += 3;
    const at = runs[r] + runs[r + 1] * (need - 1);
    return upper ? (a[at] + a[at + runs[r + 1]]) / 2 : a[at];
  }
  // need = 1: the least head; with `upper`, also the least head once that one is taken.
  let best = -1;
  let bestValue = Infinity;
  for (let r = 0; r < 3 * nRuns; r += 3) {
    if (runs[r + 2] > 0 && (best < 0 || a[runs[r]] < bestValue)) {
      best = r;
      bestValue = a[runs[r]];
    }
  }
  if (!upper) return bestValue;
  runs[best] += runs[best + 1];
  runs[best + 2]--;
  let next = -1;
  for (let r = 0; r < 3 * nRuns; r += 3) if (runs[r + 2] > 0 && (next < 0 || a[runs[r]] < a[runs[next]])) next = r;
  return (bestValue + a[runs[next]]) / 2;
}

/**
 * The exact median of `a[0..count)`, the same value as {@link medianInPlace} (middle value, or the mean (u + v)/2
 * of the two middle values for an even count; NaN for `count` = 0), fast for late-phase values: near the edge of
 * stability GD oscillates with period 2, so |η·s_k − 2| over the late phase is two interleaved sequences (even and
 * odd k), each monotone or nearly so. The even- and odd-indexed values are split into monotone runs in one pass
 * ({@link findRuns}); with at most `MAX_RUNS` runs the median is selected from the sorted runs in
 * O(runs² · log count) without moving anything, otherwise by quickselect (which reorders `a`). Any exact method
 * gives the same two middle values, hence the same bits. `runs` is an Int32Array scratch of 3·MAX_RUNS entries.
 * Allocates nothing. Values must not be NaN. @internal
 */
export function medianOfRuns(a: Float64Array, count: number, runs: Int32Array): number {
  if (count <= 2) return count === 0 ? NaN : count === 1 ? a[0] : (a[0] + a[1]) / 2;
  const nRuns = findRuns(a, count, runs);
  if (nRuns < 0) return medianInPlace(a, count);
  const half = count >> 1;
  return count % 2 === 1 ? selectFromRuns(a, runs, nRuns, half + 1, false) : selectFromRuns(a, runs, nRuns, half, true);
}

/**
 * The exact median of the multiset a[0..count) plus `repeats` more copies of its last value a[count − 1] (and
 * `repeatsOfPrevious` more of a[count − 2]: a run caught in a 2-cycle alternates between them), without
 * storing the copies: what `medianOfRuns` gives on the values with the copies appended, bit for bit (same two
 * middle values, same (u + v)/2), in O(count) time and no memory beyond `a`. A run that stops at a fixed point of the
 * rounded GD map at step k repeats its last late value maxSteps − k times; this keeps its memory O(late values
 * computed), not O(maxSteps). Reorders `a[0..count)`. Values must not be NaN. @internal
 *
 * Sorted, the combined multiset is the sorted a[0..count) with the copies of a repeated value w inserted just
 * before the first stored value ≥ w (at rank ℓ = #{i : a[i] < w}): with one block, its rank-r element is a's
 * rank-r element for r < ℓ, w for ℓ ≤ r < ℓ + repeats, and a's rank-(r − repeats) element after that; with two
 * blocks (w_lo < w_hi) the same rule is applied to each in turn.
 */
export function medianWithRepeats(a: Float64Array, count: number, repeats: number, runs: Int32Array, repeatsOfPrevious = 0): number {
  if ((repeats <= 0 && repeatsOfPrevious <= 0) || count === 0) return medianOfRuns(a, count, runs);
  // The two repeated values and their extra counts, as blocks (lo < hi; one block when they are equal).
  let lo = a[count - 1];
  let loCount = repeats;
  let hi = count >= 2 ? a[count - 2] : lo;
  let hiCount = count >= 2 ? repeatsOfPrevious : 0;
  if (hi < lo) {
    [lo, hi] = [hi, lo];
    [loCount, hiCount] = [hiCount, loCount];
  } else if (hi === lo) {
    loCount += hiCount;
    hiCount = 0;
  }
  let belowLo = 0;
  let belowHi = 0;
  for (let i = 0; i < count; i++) {
    if (a[i] < lo) belowLo++;
    if (a[i] < hi) belowHi++;
  }
  const stored = (r: number): number => selectInPlace(a, 0, count - 1, r);
  const rank = (r: number): number => {
    if (r < belowLo) return stored(r);
    if (r < belowLo + loCount) return lo;
    if (r - loCount < belowHi) return stored(r - loCount);
    if (r - loCount < belowHi + hiCount) return hi;
    return stored(r - loCount - hiCount);
  };
  const total = count + loCount + hiCount;
  const half = Math.floor(total / 2);
  if (total % 2 === 1) return rank(half);
  return (rank(half - 1) + rank(half)) / 2;
}
