/**
 * Timing rules shared by the matrix-product benches (bench/gemm.bench.ts, bench/mlp-hvp.bench.ts), the same for
 * every implementation: R rounds; in each round every implementation runs in turn (so load from other processes
 * hits all alike) and records the median of a few calls after one warm-up call; the table reports the median over
 * rounds with the spread (min–max over rounds), and ratios are taken round by round (both sides of a ratio timed in
 * the same round) before the median. Out-of-process baselines (numpy) run once per round with the same rule inside.
 */
import { loadavg } from 'node:os';

/** Median of a list of numbers (the list is sorted in place). */
export function median(xs: number[]): number {
  xs.sort((a, b) => a - b);
  const h = xs.length >> 1;
  return xs.length % 2 === 1 ? xs[h] : 0.5 * (xs[h - 1] + xs[h]);
}

/** Median seconds per call over `calls` calls, after one warm-up call. */
export function medianSecondsOf(f: () => void, calls: number): number {
  f();
  const times: number[] = [];
  for (let i = 0; i < calls; i++) {
    const t = performance.now();
    f();
    times.push((performance.now() - t) / 1000);
  }
  return median(times);
}

/** One value per round, summarized as "median [min–max]". */
export interface Spread {
  median: number;
  min: number;
  max: number;
}

export function spread(perRound: readonly number[]): Spread {
  const xs = [...perRound].filter((x) => Number.isFinite(x));
  if (xs.length === 0) return { median: NaN, min: NaN, max: NaN };
  return { median: median([...xs]), min: Math.min(...xs), max: Math.max(...xs) };
}

/** "12.3 [11.8–12.9]" (or "skipped" when there is no value). */
export function formatSpread(s: Spread, digits = 2, suffix = ''): string {
  if (!Number.isFinite(s.median)) return 'skipped';
  return `${s.median.toFixed(digits)}${suffix} [${s.min.toFixed(digits)}–${s.max.toFixed(digits)}]`;
}

/** Per-round ratios a[r] / b[r]. */
export function ratios(a: readonly number[], b: readonly number[]): number[] {
  return a.map((x, r) => x / b[r]);
}

/** The 1-, 5- and 15-minute load averages and the core count, for the table's caveat line. */
export function loadLine(): string {
  const [l1, l5, l15] = loadavg();
  return `load average ${l1.toFixed(2)} / ${l5.toFixed(2)} / ${l15.toFixed(2)} (1 / 5 / 15 min)`;
}

/** Prints rows as an aligned table. */
export function printTable(title: string, rows: string[][], notes: string[]): void {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const lines = [`\n${title}`, ...rows.map((r) => '  ' + r.map((cell, c) => cell.padEnd(widths[c])).join('  │  ')), ...notes.map((n) => `  ${n}`)];
  console.log(lines.join('\n') + '\n'); // one write, so that vitest does not interleave it with other output
}
