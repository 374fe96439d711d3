"""numpy baseline for bench/mlp-hvp.bench.ts: the same exact Hessian-vector product of an MLP (Pearlmutter's
R-operator, forward-over-reverse, batched over examples) as eos-lab's src/models/mlp/network.ts, with numpy's
matrix products (BLAS).

Usage: python3 bench/baselines/mlp_hvp.py 784,200,200,10 49,32,32,10 [--examples 1000] [--seconds 2] [--calls N]
Prints one JSON object: numpy version, BLAS threads (as set by OPENBLAS_NUM_THREADS / OMP_NUM_THREADS, if any), and
for each architecture the median seconds per HVP (over exactly N calls after a warm-up call with --calls, the rule
bench/mlp-hvp.bench.ts applies to every implementation; otherwise over at least 5 calls and `seconds` of wall time) and the GFLOP/s-equivalent under the flop count the bench uses:
2n * (3 * n0*n1 + 8 * sum_{l>=2} n_{l-1}*n_l) for the matrix products (elementwise work not counted).

Conventions as in eos-lab: tanh hidden layers, linear output, MSE L = 1/(2n) sum_i ||f(x_i) - y_i||^2;
theta per layer W [out, in] row-major then b [out].
"""
import json
import os
import sys
import time

import numpy as np


def unpack(theta, layers):
    params = []
    off = 0
    for fan_in, fan_out in zip(layers[:-1], layers[1:]):
        W = theta[off:off + fan_out * fan_in].reshape(fan_out, fan_in)
        off += fan_out * fan_in
        b = theta[off:off + fan_out]
        off += fan_out
        params.append((W, b))
    return params


def hvp(theta, v, X, Y, layers):
    n = X.shape[0]
    P = unpack(theta, layers)
    V = unpack(v, layers)
    L = len(P)
    acts = [X]
    for l, (W, b) in enumerate(P):
        z = acts[-1] @ W.T + b
        acts.append(np.tanh(z) if l < L - 1 else z)
    ract = [None]
    for l in range(L):
        W, _ = P[l]
        VW, vb = V[l]
        rz = acts[l] @ VW.T + vb
        if l > 0:
            rz += ract[l] @ W.T
        if l < L - 1:
            rz *= 1 - acts[l + 1] ** 2
        ract.append(rz)
    delta = (acts[L] - Y) / n
    rdelta = ract[L] / n
    out = []
    for l in range(L - 1, -1, -1):
        W, _ = P[l]
        VW, _ = V[l]
        hW = rdelta.T @ acts[l]
        if l > 0:
            hW += delta.T @ ract[l]
        out.append(np.concatenate([hW.ravel(), rdelta.sum(axis=0)]))
        if l == 0:
            break
        g = delta @ W
        rg = rdelta @ W + delta @ VW
        a = acts[l]
        dsig = 1 - a * a
        rdelta = rg * dsig - 2 * g * a * ract[l]
        delta = g * dsig
    out.reverse()
    return np.concatenate(out)


def flops(layers, n):
    prods = [layers[l - 1] * layers[l] for l in range(1, len(layers))]
    return 2 * n * (3 * prods[0] + 8 * sum(prods[1:]))


def main():
    argv = sys.argv[1:]
    opts = {}
    args = []
    i = 0
    while i < len(argv):
        if argv[i].startswith('--'):
            opts[argv[i]] = argv[i + 1]
            i += 2
        else:
            args.append(argv[i])
            i += 1
    n = int(opts.get('--examples', 1000))
    seconds = float(opts.get('--seconds', 2))
    calls = int(opts['--calls']) if '--calls' in opts else None
    rng = np.random.default_rng(1)
    results = []
    for spec in args:
        layers = [int(x) for x in spec.split(',')]
        p = sum(o * (i + 1) for i, o in zip(layers[:-1], layers[1:]))
        X = rng.standard_normal((n, layers[0]))
        Y = rng.standard_normal((n, layers[-1]))
        theta = rng.uniform(-0.1, 0.1, p)
        v = rng.standard_normal(p)
        hvp(theta, v, X, Y, layers)  # warm-up
        times = []
        start = time.perf_counter()
        while (len(times) < calls) if calls is not None else (time.perf_counter() - start < seconds or len(times) < 5):
            t = time.perf_counter()
            hvp(theta, v, X, Y, layers)
            times.append(time.perf_counter() - t)
        med = float(np.median(times))
        results.append({'layers': layers, 'examples': n, 'params': p, 'runs': len(times), 'secondsPerHvp': med,
                        'gflops': flops(layers, n) / med / 1e9})
    threads = os.environ.get('OPENBLAS_NUM_THREADS') or os.environ.get('OMP_NUM_THREADS') or 'default'
    print(json.dumps({'numpy': np.__version__, 'threads': threads, 'results': results}))


if __name__ == '__main__':
    main()
