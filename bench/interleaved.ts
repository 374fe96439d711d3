/**
 * Timing rules shared by every bench in bench/ (all the tables `npm run bench` prints), the same for
 * every implementation: R rounds; in each round every implementation runs in turn (so load from other processes
 * hits all alike) and records the median of a few calls after one warm-up call; the table reports the median over
 * rounds with the spread (min–max over rounds), and ratios are taken round by round (both sides of a ratio timed in
 * the same round) before the median. Out-of-process baselines (numpy) run once per round with the same rule inside.
 */
import { availableParallelism, loadavg } from 'node:os';

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

/** Per-round seconds of each way, keyed by the way's name (insertion order kept). */
export type PerRound = Record<string, number[]>;

/**
 * The rule above for in-process implementations: `rounds` rounds; in each round every way runs in turn — the order
 * rotating from round to round, so that no way always runs first or after the same neighbour — and records the
 * median seconds of `calls` calls after one warm-up call.
 */
export function interleave(ways: Record<string, () => void>, rounds: number, calls: number): PerRound {
  const names = Object.keys(ways);
  const perRound: PerRound = Object.fromEntries(names.map((n) => [n, [] as number[]]));
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < names.length; i++) {
      const name = names[(i + r) % names.length];
      perRound[name].push(medianSecondsOf(ways[name], calls));
    }
  }
  return perRound;
}

/** {@link interleave} for asynchronous ways (each call awaited before the next starts). */
export async function interleaveAsync(ways: Record<string, () => Promise<unknown>>, rounds: number, calls: number): Promise<PerRound> {
  const names = Object.keys(ways);
  const perRound: PerRound = Object.fromEntries(names.map((n) => [n, [] as number[]]));
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < names.length; i++) {
      const name = names[(i + r) % names.length];
      const run = ways[name];
      await run();
      const times: number[] = [];
      for (let c = 0; c < calls; c++) {
        const t = performance.now();
        await run();
        times.push((performance.now() - t) / 1000);
      }
      perRound[name].push(median(times));
    }
  }
  return perRound;
}

/** "1.23 s", "4.56 ms", "789 µs" or "12 ns" (the unit chosen from the value). */
export function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return 'skipped';
  if (s >= 1) return `${s.toFixed(3)} s`;
  if (s >= 1e-3) return `${(s * 1e3).toFixed(2)} ms`;
  if (s >= 1e-6) return `${(s * 1e6).toFixed(1)} µs`;
  return `${(s * 1e9).toFixed(0)} ns`;
}

/** "1.23 ms [1.10 ms–1.52 ms]": the median over rounds with the spread, in a unit chosen from the median. */
export function formatSecondsSpread(perRound: readonly number[]): string {
  const s = spread(perRound);
  return Number.isFinite(s.median) ? `${formatSeconds(s.median)} [${formatSeconds(s.min)}–${formatSeconds(s.max)}]` : 'skipped';
}

/**
 * Prints the comparison table of {@link interleave}'s result: each way's seconds per call (median over rounds with
 * the spread) and its time relative to `baseline`'s, taken round by round (both timed in the same round) before
 * the median; a ratio above 1 means slower than the baseline. The title says the rounds and calls, the notes the
 * load average seen.
 */
export function printInterleaved(title: string, perRound: PerRound, baseline: string, calls: number, notes: string[] = []): void {
  const names = Object.keys(perRound);
  const rounds = perRound[baseline].length;
  const rows = [['', 'seconds per call, median [min–max] over rounds', `time / ${baseline}'s (per round)`]];
  for (const name of names) {
    rows.push([name, formatSecondsSpread(perRound[name]), name === baseline ? '1' : formatSpread(spread(ratios(perRound[name], perRound[baseline])), 2, '×')]);
  }
  printTable(`${title} — ${rounds} interleaved rounds (order rotating), each the median of ${calls} calls after a warm-up call`, rows, [...notes, `${loadLine()} on ${availableParallelism()} cores (above the core count the machine is contended)`]);
}
