"""numpy baseline for bench/gemm.bench.ts: C = A @ B (float64, BLAS dgemm) for the shapes given as M,K,N.

Usage: python3 bench/baselines/gemm.py 200,200,1000 [--calls 5]
Prints one JSON object: numpy version, BLAS threads (as set by OPENBLAS_NUM_THREADS / OMP_NUM_THREADS, if any), and
for each shape the median seconds per product over `calls` calls after one warm-up call, and GFLOP/s = 2MKN / t.
The bench runs this once per round, interleaved with eos-lab's kernels.
"""
import json
import os
import sys
import time

import numpy as np


def main():
    argv = sys.argv[1:]
    calls = 5
    shapes = []
    i = 0
    while i < len(argv):
        if argv[i] == '--calls':
            calls = int(argv[i + 1])
            i += 2
        else:
            shapes.append([int(x) for x in argv[i].split(',')])
            i += 1
    rng = np.random.default_rng(1)
    results = []
    for m, k, n in shapes:
        a = rng.standard_normal((m, k))
        b = rng.standard_normal((k, n))
        c = np.empty((m, n))
        np.matmul(a, b, out=c)  # warm-up
        times = []
        for _ in range(calls):
            t = time.perf_counter()
            np.matmul(a, b, out=c)
            times.append(time.perf_counter() - t)
        med = float(np.median(times))
        results.append({'shape': [m, k, n], 'secondsPerProduct': med, 'gflops': 2 * m * k * n / med / 1e9})
    threads = os.environ.get('OPENBLAS_NUM_THREADS') or os.environ.get('OMP_NUM_THREADS') or 'default'
    print(json.dumps({'numpy': np.__version__, 'threads': threads, 'results': results}))


if __name__ == '__main__':
    main()
