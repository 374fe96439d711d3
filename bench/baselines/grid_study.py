"""Baseline for bench/grid-study.bench.ts: [Scalar factorization]'s grid study (docs/math.md §1) vectorized with numpy.

Run:  python3 bench/baselines/grid_study.py [n] [radius] [maxSteps] [eta ...]   (defaults: 141 3 20000, the post's
11 learning rates). Prints one JSON object like bench/baselines/grid_study.c: per learning rate the status counts,
the median final sharpness (proxy and exact), the number of converged runs near the EoS, the GD updates; the total
updates, the updates skipped at fixed points of the rounded map, the compute time and the peak RSS.

The same rules as eos-lab's kernels (src/experiments/grid-study/kernel-depth2.ts), all starts of one learning rate
advanced together, one numpy ufunc per operation (no fused multiply-add, so the iterates are bit-identical to C and
JavaScript), finished runs removed from the active set as they finish. The EoS criterion "median over the late
iterates of |eta*s - 2| < 0.1" is decided exactly without storing the late values: per run, count the late values
below the band and keep the largest value below it and the smallest at or above it; for n values with c below the
band the median is below the band iff c > n/2, or, when c = n/2 (n even), iff (largest below + smallest above)/2 is.
(eos-lab computes the median value itself by quickselect, which is more work than this test.)
"""
import json
import resource
import sys
import time

import numpy as np

C = 1.0
TOL = 1e-8
MAX_ABS = 1e6
LATE_FRACTION = 0.01
BAND = 0.1


def disk_starts(n, radius):
    m = n - 1
    I = 2 * np.arange(n) - m
    II, JJ = np.meshgrid(I, I, indexing='ij')
    keep = II * II + JJ * JJ <= m * m
    return (radius * II[keep].astype(np.float64)) / m, (radius * JJ[keep].astype(np.float64)) / m


def lambda_max(x, y):
    xx = x * x
    yy = y * y
    xy = x * y
    b = xy + (xy - C)
    h = 0.5 * (yy - xx)
    return 0.5 * (yy + xx) + np.sqrt(h * h + b * b)


def median(v):
    return float(np.median(v)) if v.size else float('nan')


def study(eta, x0, y0, max_steps):
    eta = np.float64(eta)
    x, y = x0.copy(), y0.copy()
    thr = LATE_FRACTION * np.abs(x * y - C)
    late = np.zeros(x.size, dtype=bool)
    n_late = np.zeros(x.size, dtype=np.int64)
    n_below = np.zeros(x.size, dtype=np.int64)
    max_below = np.full(x.size, -np.inf)
    min_above = np.full(x.size, np.inf)
    last_proxy = np.zeros(x.size)  # the last late values, repeated when a run sits at a fixed point
    last_exact = np.zeros(x.size)
    eos = {'proxy': [np.zeros(x.size, dtype=np.int64), np.zeros(x.size, dtype=np.int64), np.full(x.size, -np.inf), np.full(x.size, np.inf)],
           'exact': [np.zeros(x.size, dtype=np.int64), np.zeros(x.size, dtype=np.int64), np.full(x.size, -np.inf), np.full(x.size, np.inf)]}
    del n_late, n_below, max_below, min_above
    final_proxy, final_exact, near_proxy, near_exact = [], [], 0, 0
    counts = {'converged': 0, 'diverged': 0, 'maxSteps': 0}
    updates = 0
    skipped = 0

    def near(stats, idx):
        n, below, mb, ma = (a[idx] for a in stats)
        half = n // 2
        even_tie = (n % 2 == 0) & (below == half) & (n > 0)
        return (below > half) | (even_tie & (((mb + ma) / 2) < BAND))

    def keep(mask):
        nonlocal x, y, thr, late, last_proxy, last_exact
        x, y, thr, late, last_proxy, last_exact = x[mask], y[mask], thr[mask], late[mask], last_proxy[mask], last_exact[mask]
        for stats in eos.values():
            for i in range(4):
                stats[i] = stats[i][mask]

    def add(stats, values, where, times=1):
        n, below, mb, ma = stats
        is_below = values < BAND
        n += np.where(where, times, 0)
        below += np.where(where & is_below, times, 0)
        np.copyto(mb, np.maximum(mb, values), where=where & is_below)
        np.copyto(ma, np.minimum(ma, values), where=where & ~is_below)

    with np.errstate(over='ignore', invalid='ignore'):
        for k in range(max_steps + 1):
            if x.size == 0:
                break
            p = x * y - C
            ap = np.abs(p)
            late |= ap < thr
            if late.any():
                xx = x * x
                yy = y * y
                last_proxy = np.abs(eta * (xx + yy) - 2)
                h = 0.5 * (yy - xx)
                b = x * y + p
                last_exact = np.abs(eta * (0.5 * (yy + xx) + np.sqrt(h * h + b * b)) - 2)
                add(eos['proxy'], last_proxy, late)
                add(eos['exact'], last_exact, late)
            done = ap < TOL
            if done.any():
                idx = np.nonzero(done)[0]
                counts['converged'] += idx.size
                updates += k * idx.size
                final_proxy.append(x[idx] * x[idx] + y[idx] * y[idx])
                final_exact.append(lambda_max(x[idx], y[idx]))
                near_proxy += int(near(eos['proxy'], idx).sum())
                near_exact += int(near(eos['exact'], idx).sum())
                keep(~done)
                p = p[~done]
            if k == max_steps:
                counts['maxSteps'] += x.size
                updates += k * x.size
                break
            nx = x - eta * (y * p)
            ny = y - eta * (x * p)
            diverged = ~((np.abs(nx) < MAX_ABS) & (np.abs(ny) < MAX_ABS))
            fixed = ~diverged & (nx == x) & (ny == y)
            if diverged.any():
                counts['diverged'] += int(diverged.sum())
                updates += (k + 1) * int(diverged.sum())
            if fixed.any():
                # Every later iterate equals this one: max-steps now, this iterate's late values repeated.
                times = max_steps - k
                add(eos['proxy'], last_proxy, fixed & late, times)
                add(eos['exact'], last_exact, fixed & late, times)
                counts['maxSteps'] += int(fixed.sum())
                updates += max_steps * int(fixed.sum())
                skipped += times * int(fixed.sum())
            x, y = nx, ny
            if diverged.any() or fixed.any():
                keep(~(diverged | fixed))
    fp = np.concatenate(final_proxy) if final_proxy else np.zeros(0)
    fe = np.concatenate(final_exact) if final_exact else np.zeros(0)
    return {'learningRate': float(eta), **counts, 'medianSharpnessProxy': median(fp), 'medianSharpnessExact': median(fe),
            'eosProxy': near_proxy, 'eosExact': near_exact, 'updates': updates, 'skipped': skipped}


def main():
    args = sys.argv[1:]
    n = int(args[0]) if len(args) > 0 else 141
    radius = float(args[1]) if len(args) > 1 else 3.0
    max_steps = int(args[2]) if len(args) > 2 else 20000
    rates = [float(a) for a in args[3:]] or [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99]
    x0, y0 = disk_starts(n, radius)
    t0 = time.perf_counter()
    results = [study(eta, x0, y0, max_steps) for eta in rates]
    seconds = time.perf_counter() - t0
    skipped = sum(r.pop('skipped') for r in results)
    out = {'starts': int(x0.size), 'rates': results, 'updates': sum(r['updates'] for r in results), 'skippedUpdates': skipped,
           'seconds': seconds, 'maxRssKb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, 'numpy': np.__version__}
    print(json.dumps(out, allow_nan=True).replace('NaN', 'null'))


if __name__ == '__main__':
    main()
