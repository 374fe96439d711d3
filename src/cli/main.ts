/**
 * The `eos-lab` command: `run` a grid study or learning-rate sweep described in JSON (optionally one shard of it),
 * `merge` shard outputs into the result one run gives, `plot` a saved result. Node-only.
 * @module
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { EosLabError } from '../core/errors.js';
import { createModel } from '../core/registry.js';
import { gridStudy, type GridStudyResult } from '../experiments/grid-study/index.js';
import { lrSweep, type LrSweepProgress, type LrSweepResult } from '../experiments/lr-sweep/index.js';
import { createTaskPool, type TaskPool } from '../parallel/pool.js';
import { gridStudyFigure, sweepFigure, traceFigure } from '../plot/result-figures.js';
import { pathsFigure } from '../plot/paths-figure.js';
import { renderSvg } from '../plot/render.js';
import { renderPng } from '../plot/render-png.js';
import { readResultFile } from '../node/result-files.js';
import { resultFromJSON, resultToJSON, type JsonValue, type SerializedResult } from '../results/serialize.js';
import {
  gridRates,
  mergeGridStudies,
  mergeSweeps,
  parseShard,
  parseStudy,
  shardRange,
  sweepRates,
  type LrSweepDescription,
  type Shard,
  type StudyDescription,
} from './study.js';

/** Where the command writes: lines of text, and whether stderr is a terminal (for the progress bar). */
export interface CliIo {
  readonly out: (line: string) => void;
  readonly err: (text: string) => void;
  readonly isTty: boolean;
}

const USAGE = `usage:
  eos-lab run <study.json> --out <dir> [--shard i/N] [--workers n]
      runs a gridStudy or lrSweep described in JSON; writes <dir>/result.json, or <dir>/shard-i-of-N.json for
      one shard (0 <= i < N; a shard whose file exists is skipped; an lrSweep needs explicit learningRates to shard)
  eos-lab merge <dir>... --out <file>
      merges the shard files found in the directories into the result one run gives
  eos-lab plot <result.json> --out <dir>
      writes the standard figure of a saved result as <dir>/figure.svg, figure.vl.json and, when the optional
      package @resvg/resvg-js is installed, figure.png; a gd or gradientFlow run that recorded its iterates
      (record.theta) also gets paths.svg, paths.vl.json (and paths.png) with its path in the plane of theta[0], theta[1]`;

/** The file a shard (or the whole study, without a shard) is written to. */
export function outputName(shard: Shard | undefined): string {
  return shard === undefined ? 'result.json' : `shard-${shard.index}-of-${shard.count}.json`;
}

/** A shard file: the study, which shard, the rates it ran and the result (null when it had no rates). */
interface ShardFile {
  readonly format: 'eos-lab/shard';
  readonly version: 1;
  readonly study: JsonValue;
  readonly shard: { readonly index: number; readonly count: number };
  readonly result: SerializedResult<'gridStudy'> | SerializedResult<'lrSweep'> | null;
}

function parseArgs(args: readonly string[]): { positional: string[]; flags: Map<string, string> } {
  const positional: string[] = [];
  const flags = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a.startsWith('--')) {
      const value = args[i + 1];
      if (value === undefined || value.startsWith('--')) throw usageError(`${a} needs a value`);
      flags.set(a, value);
      i++;
    } else positional.push(a);
  }
  return { positional, flags };
}

function usageError(message: string): EosLabError {
  return new EosLabError('E_BAD_OPTION', 'eos-lab', { argument: 'command line', value: message, expected: `valid arguments\n${USAGE}` });
}

function checkFlags(flags: Map<string, string>, allowed: readonly string[]): void {
  for (const f of flags.keys()) if (!allowed.includes(f)) throw usageError(`unknown option ${f}`);
}

/** Writes a file atomically (temporary file, then rename), so an interrupted run never leaves a partial shard. */
function writeAtomic(path: string, text: string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

/** Progress: a bar redrawn in place on a terminal, plain lines otherwise. */
function progress(io: CliIo, label: string): (done: number, total: number) => void {
  let last = -1;
  return (done, total) => {
    if (io.isTty) {
      const width = 30;
      const filled = total === 0 ? width : Math.round((width * done) / total);
      io.err(`\r${label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total}${done === total ? '\n' : ''}`);
    } else if (done !== last) {
      io.err(`${label}: ${done}/${total}\n`);
    }
    last = done;
  };
}

async function runGridStudy(study: StudyDescription & { study: 'gridStudy' }, shard: Shard | undefined, pool: TaskPool, io: CliIo): Promise<GridStudyResult | null> {
  const all = gridRates(study);
  const [lo, hi] = shard === undefined ? [0, all.length] : shardRange(all.length, shard);
  const rates = all.slice(lo, hi);
  if (rates.length === 0) return null;
  const show = progress(io, shard === undefined ? 'gridStudy' : `gridStudy shard ${shard.index}/${shard.count}`);
  // One learning rate per call, merged: the same result as one call with all of them (rates are independent).
  const parts: GridStudyResult[] = [];
  show(0, rates.length);
  for (const learningRate of rates) {
    parts.push(await gridStudy(study.model ?? createModel({ kind: 'scalar-factorization' }).spec, { ...study.options, learningRates: [learningRate], pool }));
    show(parts.length, rates.length);
  }
  return mergeGridStudies(parts);
}

async function runSweep(study: LrSweepDescription, shard: Shard | undefined, pool: TaskPool, io: CliIo): Promise<LrSweepResult | null> {
  let learningRates = study.options.learningRates;
  if (shard !== undefined) {
    const all = sweepRates(study);
    const [lo, hi] = shardRange(all.length, shard);
    learningRates = all.slice(lo, hi);
    if (learningRates.length === 0) return null;
  }
  const show = progress(io, shard === undefined ? 'lrSweep' : `lrSweep shard ${shard.index}/${shard.count}`);
  return lrSweep(createModel(study.model), Float64Array.from(study.theta0), {
    ...study.options,
    ...(learningRates === undefined ? {} : { learningRates }),
    pool,
    onProgress: (p: LrSweepProgress) => show(p.completed, Math.max(p.completed, p.scheduled)),
  });
}

async function commandRun(args: readonly string[], io: CliIo): Promise<number> {
  const { positional, flags } = parseArgs(args);
  checkFlags(flags, ['--out', '--shard', '--workers']);
  if (positional.length !== 1 || !flags.has('--out')) throw usageError('run needs <study.json> and --out <dir>');
  const study = parseStudy(JSON.parse(readFileSync(positional[0], 'utf8')));
  const shard = flags.has('--shard') ? parseShard(flags.get('--shard')!) : undefined;
  const workers = flags.has('--workers') ? Number(flags.get('--workers')) : undefined;
  if (workers !== undefined && !(Number.isInteger(workers) && workers >= 0)) throw usageError('--workers must be an integer >= 0');
  const outDir = flags.get('--out')!;
  mkdirSync(outDir, { recursive: true });
  const target = join(outDir, outputName(shard));
  if (existsSync(target)) {
    io.out(`${target} exists: skipped (delete it to run again)`);
    return 0;
  }
  const pool = createTaskPool(workers === undefined ? {} : { workers });
  try {
    if (study.study === 'gridStudy') {
      const result = await runGridStudy(study, shard, pool, io);
      if (shard === undefined) {
        writeAtomic(target, JSON.stringify(resultToJSON('gridStudy', result!)));
      } else {
        const file: ShardFile = {
          format: 'eos-lab/shard',
          version: 1,
          study: study as unknown as JsonValue,
          shard: { index: shard.index, count: shard.count },
          result: result === null ? null : resultToJSON('gridStudy', result),
        };
        writeAtomic(target, JSON.stringify(file));
      }
    } else {
      const result = await runSweep(study, shard, pool, io);
      if (shard === undefined) writeAtomic(target, JSON.stringify(resultToJSON('lrSweep', result!)));
      else {
        const file: ShardFile = {
          format: 'eos-lab/shard',
          version: 1,
          study: study as unknown as JsonValue,
          shard: { index: shard.index, count: shard.count },
          result: result === null ? null : resultToJSON('lrSweep', result),
        };
        writeAtomic(target, JSON.stringify(file));
      }
    }
  } finally {
    await pool.close();
  }
  io.out(`wrote ${target}`);
  return 0;
}

function readShards(dirs: readonly string[]): ShardFile[] {
  const files: ShardFile[] = [];
  for (const dir of dirs) {
    for (const name of readdirSync(dir).sort()) {
      if (!/^shard-\d+-of-\d+\.json$/.test(name)) continue;
      const f = JSON.parse(readFileSync(join(dir, name), 'utf8')) as ShardFile;
      if (f.format !== 'eos-lab/shard') throw usageError(`${join(dir, name)} is not a shard file`);
      files.push(f);
    }
  }
  return files;
}

async function commandMerge(args: readonly string[], io: CliIo): Promise<number> {
  const { positional, flags } = parseArgs(args);
  checkFlags(flags, ['--out']);
  if (positional.length === 0 || !flags.has('--out')) throw usageError('merge needs <dir>... and --out <file>');
  const shards = readShards(positional);
  if (shards.length === 0) throw usageError(`no shard files (shard-i-of-N.json) in ${positional.join(', ')}`);
  const count = shards[0].shard.count;
  const study = JSON.stringify(shards[0].study);
  const byIndex = new Map<number, ShardFile>();
  for (const s of shards) {
    if (s.shard.count !== count || JSON.stringify(s.study) !== study) throw usageError('the shard files come from different studies or shard counts');
    byIndex.set(s.shard.index, s);
  }
  const missing = Array.from({ length: count }, (_, i) => i).filter((i) => !byIndex.has(i));
  if (missing.length > 0) throw usageError(`shards missing: ${missing.map((i) => `${i}/${count}`).join(', ')}`);
  const results = Array.from({ length: count }, (_, i) => byIndex.get(i)!.result).filter((r) => r !== null);
  const kind = (shards[0].study as { study?: unknown }).study;
  const text =
    kind === 'lrSweep'
      ? JSON.stringify(resultToJSON('lrSweep', mergeSweeps(results.map((r) => resultFromJSON(r as SerializedResult<'lrSweep'>, 'lrSweep')))))
      : JSON.stringify(resultToJSON('gridStudy', mergeGridStudies(results.map((r) => resultFromJSON(r as SerializedResult<'gridStudy'>, 'gridStudy')))));
  writeAtomic(flags.get('--out')!, text);
  io.out(`merged ${count} shards into ${flags.get('--out')!}`);
  return 0;
}

/**
 * Writes `<name>.vl.json`, `<name>.svg` and, when `@resvg/resvg-js` is installed, `<name>.png` (else says on stderr
 * why there is no PNG). Returns the files written.
 */
export async function writeFigure(
  spec: Parameters<typeof renderSvg>[0],
  outDir: string,
  name: string,
  io: CliIo,
  png: typeof renderPng = renderPng,
): Promise<string[]> {
  const onWarning = (m: string) => io.err(`warning: ${m}\n`);
  writeAtomic(join(outDir, `${name}.vl.json`), JSON.stringify(spec, null, 1));
  writeAtomic(join(outDir, `${name}.svg`), await renderSvg(spec, { onWarning }));
  const written = [`${name}.svg`, `${name}.vl.json`];
  try {
    writeAtomicBytes(join(outDir, `${name}.png`), await png(spec, { onWarning }));
    written.push(`${name}.png`);
  } catch (e) {
    if (!(e instanceof EosLabError && e.code === 'E_NOT_SUPPORTED')) throw e;
    io.err(`no ${name}.png: ${e.message}\n`);
  }
  return written;
}

/** As {@link writeAtomic}, for bytes. */
function writeAtomicBytes(path: string, bytes: Uint8Array): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, bytes);
  renameSync(tmp, path);
}

async function commandPlot(args: readonly string[], io: CliIo): Promise<number> {
  const { positional, flags } = parseArgs(args);
  checkFlags(flags, ['--out']);
  if (positional.length !== 1 || !flags.has('--out')) throw usageError('plot needs <result.json> and --out <dir>');
  const { kind, result } = await readResultFile('eos-lab plot', positional[0]);
  const figures: [string, Parameters<typeof renderSvg>[0]][] = [];
  if (kind === 'gridStudy') figures.push(['figure', gridStudyFigure(result as GridStudyResult)]);
  else if (kind === 'lrSweep') figures.push(['figure', sweepFigure(result as LrSweepResult)]);
  else if (kind === 'gd' || kind === 'gradientFlow') {
    figures.push(['figure', traceFigure(result as object)]);
    const run = result as { theta: Float64Array; trace: { theta?: Float64Array } };
    if (run.trace.theta !== undefined && run.trace.theta.length > 0 && run.theta.length >= 2) {
      figures.push(['paths', pathsFigure(run, { points: kind === 'gd' })]);
    }
  } else throw usageError(`plot draws gridStudy, lrSweep, gd and gradientFlow results, not '${String(kind)}'`);
  const outDir = flags.get('--out')!;
  mkdirSync(outDir, { recursive: true });
  const written: string[] = [];
  for (const [name, spec] of figures) written.push(...(await writeFigure(spec, outDir, name, io)));
  io.out(`wrote ${written.map((f) => join(outDir, f)).join(', ')}`);
  return 0;
}

/** Runs the command line `args` (without `node` and the script); returns the exit code. */
export async function runCli(args: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = args;
  try {
    if (command === 'run') return await commandRun(rest, io);
    if (command === 'merge') return await commandMerge(rest, io);
    if (command === 'plot') return await commandPlot(rest, io);
    io.err(`${USAGE}\n`);
    return command === undefined || command === '--help' || command === 'help' ? 0 : 2;
  } catch (e) {
    io.err(`eos-lab ${command}: ${e instanceof Error ? e.message : String(e)}\n`);
    return e instanceof EosLabError || e instanceof SyntaxError ? 2 : 1;
  }
}
