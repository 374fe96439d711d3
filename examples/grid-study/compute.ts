/**
 * The computation behind the `grid-study` example: [Scalar factorization]'s grid study (GD on L(x, y) = ½(1 − xy)² from every
 * start of a 141 × 141 lattice masked to a disk, square, diamond or annulus, at η ∈ {0.1, …, 0.9, 0.95, 0.99}),
 * and the findings it supports, stated with numbers.
 */
import { GRID_SHAPES, type GridShape } from '../../src/experiments/grid-study/grid.js';
import { gridStudy, type GridStudyRateSummary, type GridStudyResult } from '../../src/experiments/grid-study/grid-study.js';
import { createTaskPool } from '../../src/parallel/pool.js';

/** Settings of one computation. */
export interface GridStudySettings {
  /** Lattice points per axis. */
  n: number;
  /** Half-width of the lattice and radius of the disk. */
  radius: number;
  /** The learning rates of the study. */
  learningRates: number[];
  /** The learning rates drawn as heat maps (a subset of learningRates). */
  mapRates: number[];
  /** Step budget per run. */
  maxSteps: number;
}

/** [Scalar factorization]'s study. */
export const DEFAULT_SETTINGS: GridStudySettings = {
  n: 141,
  radius: 3,
  learningRates: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99],
  mapRates: [0.3, 0.6, 0.9, 0.99],
  maxSteps: 20_000,
};

/** `--quick`: a 31 × 31 lattice (the same learning rates and budget). */
export const QUICK_SETTINGS: GridStudySettings = { ...DEFAULT_SETTINGS, n: 31 };

/** The study of every shape. */
export interface GridStudies {
  settings: GridStudySettings;
  studies: Record<GridShape, GridStudyResult>;
  /** Wall-clock seconds of all four studies (worker startup excluded) and the worker count. */
  seconds: number;
  workers: number;
}

/** Runs the four shapes on one pool of worker threads (all cores). */
export async function computeGridStudies(settings: GridStudySettings, progress: (line: string) => void): Promise<GridStudies> {
  const pool = createTaskPool();
  try {
    const spec = { kind: 'scalar-factorization', target: 1, depth: 2 };
    // Start the workers (and warm them) on a tiny study, so the timing below is the studies' own.
    await gridStudy(spec, { grid: { n: 5 }, learningRates: [0.5], pool });
    const studies = {} as Record<GridShape, GridStudyResult>;
    const t0 = performance.now();
    for (const shape of GRID_SHAPES) {
      const t = performance.now();
      studies[shape] = await gridStudy(spec, {
        grid: { shape, n: settings.n, radius: settings.radius },
        learningRates: settings.learningRates,
        maxSteps: settings.maxSteps,
        pool,
      });
      const s = studies[shape];
      progress(
        `${shape}: ${s.starts.shape[0]} starts × ${settings.learningRates.length} learning rates, ` +
          `${(s.gdUpdates / 1e6).toFixed(1)}M GD updates (${(s.gdUpdatesComputed / 1e6).toFixed(1)}M computed) in ${((performance.now() - t) / 1000).toFixed(2)} s`,
      );
    }
    return { settings, studies, seconds: (performance.now() - t0) / 1000, workers: pool.workers };
  } finally {
    await pool.close();
  }
}

/** A row of the summary table. */
export interface SummaryRow extends GridStudyRateSummary {
  shape: GridShape;
}

/** One summary row per shape and learning rate. */
export function summaryRows(r: GridStudies): SummaryRow[] {
  return GRID_SHAPES.flatMap((shape) => r.studies[shape].rates.map((rate) => ({ shape, ...rate.summary })));
}

/** What reproduces and what does not, as sentences with numbers. */
export interface Findings {
  lines: string[];
  /** Per shape: the smallest η from which the median final sharpness (proxy) stays within 5% of 2. */
  nearTwoFrom: Record<GridShape, number | null>;
  /** Per shape: the largest EoS fraction (proxy) over η < 0.9. */
  maxEosBelow09: Record<GridShape, number>;
  /** Per shape: the EoS fraction (proxy) at the largest η. */
  eosAtLargest: Record<GridShape, number>;
}

function fmt(v: number, digits = 3): string {
  return Number.isFinite(v) ? Number(v.toPrecision(digits)).toString() : String(v);
}

function pct(v: number): string {
  return `${(100 * v).toFixed(v < 0.01 && v > 0 ? 2 : 1)}%`;
}

/** Checks [Scalar factorization]'s claims against the numbers. */
export function findings(r: GridStudies): Findings {
  const lines: string[] = [];
  const nearTwoFrom = {} as Record<GridShape, number | null>;
  const maxEosBelow09 = {} as Record<GridShape, number>;
  const eosAtLargest = {} as Record<GridShape, number>;
  let worstProxyExactGap = 0;
  let worstFractionGap = 0;
  for (const shape of GRID_SHAPES) {
    const rates = r.studies[shape].rates.map((x) => x.summary);
    let from: number | null = null;
    for (let i = rates.length - 1; i >= 0 && Math.abs(rates[i].medianSharpnessProxy - 2) <= 0.1; i--) from = rates[i].learningRate;
    nearTwoFrom[shape] = from;
    maxEosBelow09[shape] = Math.max(...rates.filter((x) => x.learningRate < 0.9).map((x) => x.eosFractionProxy));
    eosAtLargest[shape] = rates[rates.length - 1].eosFractionProxy;
    for (const x of rates) {
      worstProxyExactGap = Math.max(worstProxyExactGap, Math.abs(x.medianSharpnessProxy - x.medianSharpnessExact) / x.medianSharpnessExact);
      worstFractionGap = Math.max(worstFractionGap, Math.abs(x.eosFractionProxy - x.eosFractionExact));
    }
    const first = rates[0];
    lines.push(
      `${shape}: median final s = ${fmt(first.medianSharpnessProxy)} at η = ${first.learningRate} (gradient flow from the same starts: ` +
        `${fmt(first.medianGfsSharpness)}), ${from === null ? 'never within 5% of 2' : `within 5% of 2 for η ≥ ${from}`}; ` +
        `EoS fraction ≤ ${pct(maxEosBelow09[shape])} for η < 0.9, ${pct(eosAtLargest[shape])} at η = ${rates[rates.length - 1].learningRate}.`,
    );
  }
  const disk = r.studies.disk.rates.map((x) => x.summary);
  const small = disk[0];
  lines.push(
    `Claim "the median final sharpness stays near 2 for all stable η": ${
      nearTwoFrom.disk !== null && nearTwoFrom.disk <= disk[0].learningRate ? 'reproduced' : 'reproduced only for the larger η'
    } — on the disk the median is ${fmt(small.medianSharpnessProxy)} at η = ${small.learningRate} and ${fmt(disk[2].medianSharpnessProxy)} at η = ${disk[2].learningRate}, ` +
      `already below gradient flow's ${fmt(small.medianGfsSharpness)} (GD drifts toward balance), and within 5% of 2 from η = ${nearTwoFrom.disk ?? '—'} on; ` +
      `the post itself notes that small η, being closer to gradient flow, shows less of this bias.`,
  );
  const eosOk = GRID_SHAPES.every((s) => maxEosBelow09[s] < 0.05 && eosAtLargest[s] > 0.9);
  lines.push(
    `Claim "EoS fraction ≈ 0 for η < 0.9, rising to ≈ 1 as η → 1": ${eosOk ? 'reproduced on all four shapes' : 'not reproduced on every shape'} ` +
      `(largest fraction below η = 0.9: ${pct(Math.max(...GRID_SHAPES.map((s) => maxEosBelow09[s])))}; at η = 0.9 on the disk: ${pct(disk[8]?.eosFractionProxy ?? NaN)}, ` +
      `at 0.95: ${pct(disk[9]?.eosFractionProxy ?? NaN)}).`,
  );
  lines.push(
    `Claim "exact sharpness gives the same picture": reproduced — medians of the proxy x² + y² and of λ_max differ by at most ` +
      `${worstProxyExactGap.toExponential(1)} (relative), EoS fractions by at most ${pct(worstFractionGap)}.`,
  );
  const shapesMedians = GRID_SHAPES.map((s) => fmt(r.studies[s].rates[r.studies[s].rates.length - 1].summary.medianSharpnessProxy, 4));
  lines.push(
    `Claim "other shapes give the same qualitative picture": medians at η = 0.99 are ${GRID_SHAPES.map((s, i) => `${s} ${shapesMedians[i]}`).join(', ')}; ` +
      `the small-η medians differ by shape (${GRID_SHAPES.map((s) => `${s} ${fmt(r.studies[s].rates[0].summary.medianSharpnessProxy)}`).join(', ')} at η = 0.1).`,
  );
  const saddle = disk.map((x) => x.saddleStarts!);
  lines.push(
    `Starts on x = −y (gradient flow goes to the saddle): ${saddle[0].count} on the disk, kept and reported under their status — ` +
      `${saddle[0].maxSteps} max-steps at η = ${disk[0].learningRate}, ${saddle[saddle.length - 1].diverged} diverged and ${saddle[saddle.length - 1].maxSteps} max-steps at η = ${disk[disk.length - 1].learningRate}.`,
  );
  const noDivergence = disk.filter((x) => x.diverged === 0 && x.maxSteps === x.saddleStarts!.maxSteps).map((x) => x.learningRate);
  lines.push(
    `Not converged (gray in the maps): on the disk ${disk.map((x) => `${fmt(1 - x.converged / x.starts, 2)}`).join(', ')} of the starts for η = ${disk.map((x) => x.learningRate).join(', ')}; ` +
      `${noDivergence.length > 0 ? `for η ≤ ${Math.max(...noDivergence)} only saddle-line starts ('max-steps'), ` : ''}` +
      `at η = ${disk[disk.length - 1].learningRate} ${disk[disk.length - 1].diverged} of ${disk[disk.length - 1].starts - disk[disk.length - 1].converged} diverged (unbalanced starts, all of whose nearby minimizers are too sharp for η).`,
  );
  return { lines, nearTwoFrom, maxEosBelow09, eosAtLargest };
}
