/**
 * Studies described in JSON for the command line (`eos-lab run`): validation, deterministic shards and the merge of
 * grid-study results. Node-only; not part of the `eos-lab` entry point.
 * @module
 */
import { createModel } from '../core/registry.js';
import type { ModelSpec } from '../core/loss-model.js';
import { EosLabError } from '../core/errors.js';
import type { GridStudyOptions, GridStudyResult } from '../experiments/grid-study/index.js';
import type { LrSweepOptions, LrSweepResult } from '../experiments/lr-sweep/index.js';

/** A grid study described in JSON: a model spec (or the default scalar factorization) and gridStudy's options. */
export interface GridStudyDescription {
  readonly study: 'gridStudy';
  readonly model?: ModelSpec;
  readonly options?: Omit<GridStudyOptions, 'workers' | 'pool' | 'preload' | 'starts'>;
}

/** A learning-rate sweep described in JSON: a model spec, the start θ₀ and lrSweep's options. */
export interface LrSweepDescription {
  readonly study: 'lrSweep';
  readonly model: ModelSpec;
  readonly theta0: readonly number[];
  readonly options: Omit<LrSweepOptions, 'workers' | 'pool' | 'preload' | 'onProgress'>;
}

/** What `eos-lab run` reads. */
export type StudyDescription = GridStudyDescription | LrSweepDescription;

/** The default learning rates of gridStudy (those of the scalar-factorization grid study). */
const DEFAULT_GRID_RATES = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99];

const bad = (argument: string, value: unknown, expected: string): EosLabError =>
  new EosLabError('E_BAD_OPTION', 'eos-lab run', { argument, value, expected });

/** Checks the shape of a study description (the study functions check the options themselves). */
export function parseStudy(json: unknown): StudyDescription {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw bad('study file', json, 'a JSON object');
  const d = json as Record<string, unknown>;
  const allowed = d.study === 'gridStudy' ? ['study', 'model', 'options'] : ['study', 'model', 'theta0', 'options'];
  if (d.study !== 'gridStudy' && d.study !== 'lrSweep') throw bad('study', d.study, "'gridStudy' or 'lrSweep'");
  for (const key of Object.keys(d)) if (!allowed.includes(key)) throw bad(key, d[key], `absent (a ${d.study} file has ${allowed.join(', ')})`);
  if (d.model !== undefined && (d.model === null || typeof d.model !== 'object' || typeof (d.model as { kind?: unknown }).kind !== 'string')) {
    throw bad('model', d.model, 'a model spec { kind, … } (the `spec` of a model)');
  }
  if (d.options !== undefined && (d.options === null || typeof d.options !== 'object' || Array.isArray(d.options))) {
    throw bad('options', d.options, 'an options object');
  }
  const opts = (d.options ?? {}) as Record<string, unknown>;
  for (const key of ['workers', 'pool', 'preload', 'onProgress', 'starts']) {
    if (key in opts) throw bad(`options.${key}`, opts[key], 'absent (the command line sets it: --workers)');
  }
  if (d.study === 'lrSweep') {
    if (d.model === undefined) throw bad('model', undefined, 'a model spec');
    if (!Array.isArray(d.theta0) || !d.theta0.every((x) => typeof x === 'number' && Number.isFinite(x))) {
      throw bad('theta0', d.theta0, 'an array of finite numbers');
    }
    createModel(d.model as ModelSpec); // fails early, with the registry's error, for an unknown kind
  }
  return d as unknown as StudyDescription;
}

/** A shard "i/N": the i-th (0-based) of N deterministic chunks. */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

/** Parses "--shard i/N" (0 ≤ i < N). */
export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text);
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!(count >= 1 && index >= 0 && index < count && Number.isSafeInteger(count))) {
    throw new EosLabError('E_BAD_OPTION', 'eos-lab run', { argument: '--shard', value: text, expected: 'i/N with integers 0 ≤ i < N (0-based, as Kubernetes JOB_COMPLETION_INDEX and Slurm --array=0-(N−1))' });
  }
  return { index, count };
}

/** The learning rates of a grid study description, in order. */
export function gridRates(d: GridStudyDescription): readonly number[] {
  return d.options?.learningRates ?? DEFAULT_GRID_RATES;
}

/** The indices of the items of shard `s` among n items: the contiguous block [⌊i·n/N⌋, ⌊(i+1)·n/N⌋). */
export function shardRange(n: number, s: Shard): [number, number] {
  return [Math.floor((s.index * n) / s.count), Math.floor(((s.index + 1) * n) / s.count)];
}

/**
 * Joins grid-study results over disjoint, consecutive blocks of learning rates (in order) into the result one call
 * with all the rates gives: the same per-rate entries, the full rate list, and the update counts summed in rate
 * order as gridStudy sums them.
 */
export function mergeGridStudies(parts: readonly GridStudyResult[]): GridStudyResult {
  if (parts.length === 0) throw new EosLabError('E_EMPTY', 'eos-lab merge', { argument: 'shards', value: 0, expected: 'at least one shard with learning rates' });
  const first = parts[0];
  const rates = parts.flatMap((p) => p.rates);
  let gdUpdates = 0;
  let gdUpdatesComputed = 0;
  for (const rate of rates) {
    gdUpdates += rate.summary.gdUpdates;
    gdUpdatesComputed += rate.summary.gdUpdatesComputed;
  }
  return {
    ...first,
    settings: { ...first.settings, learningRates: rates.map((r) => r.learningRate) },
    rates,
    gdUpdates,
    gdUpdatesComputed,
  };
}

/** The learning rates of a sharded lrSweep: its explicit `learningRates`, ascending (the order of its runs). */
export function sweepRates(d: LrSweepDescription): readonly number[] {
  const rates = d.options.learningRates;
  if (rates === undefined) {
    throw new EosLabError('E_NOT_SUPPORTED', 'eos-lab run', {
      argument: 'options.learningRates',
      value: undefined,
      expected: "explicit learning rates to shard an lrSweep (App. G's schedule decides its onward points as it runs, so it runs whole)",
    });
  }
  return [...rates].sort((a, b) => a - b);
}

/** The notes an lrSweep adds for its runs (after its flow notes): one per run met at the goal while unstable, one per run with underflow. */
function runNoteCount(r: LrSweepResult): number {
  let n = 0;
  for (const run of r.runs) n += (run.unstableAtGoal ? 1 : 0) + (run.underflowedCoordinates > 0 ? 1 : 0);
  return n;
}

/**
 * Joins lrSweep results over disjoint, consecutive blocks of the same explicit learning rates (ascending) into the
 * result one call with all of them gives: the flow part (s_0, s_GF, the flow and its notes) is the same in every
 * part; the runs and their notes are concatenated; the work counts are the flow's plus every run's.
 */
export function mergeSweeps(parts: readonly LrSweepResult[]): LrSweepResult {
  if (parts.length === 0) throw new EosLabError('E_EMPTY', 'eos-lab merge', { argument: 'shards', value: 0, expected: 'at least one shard with learning rates' });
  const first = parts[0];
  const flowNotes = first.notes.slice(0, first.notes.length - runNoteCount(first));
  let flowGrad = first.stats.gradEvals;
  let flowHvps = first.stats.hvps;
  for (const run of first.runs) {
    flowGrad -= run.stats.gradEvals;
    flowHvps -= run.stats.hvps;
  }
  const runs = parts.flatMap((p) => p.runs);
  let gradEvals = flowGrad;
  let hvps = flowHvps;
  for (const run of runs) {
    gradEvals += run.stats.gradEvals;
    hvps += run.stats.hvps;
  }
  const notes = [...flowNotes, ...parts.flatMap((p) => p.notes.slice(p.notes.length - runNoteCount(p)))];
  return { ...first, runs, notes, stats: { gradEvals, hvps } };
}
