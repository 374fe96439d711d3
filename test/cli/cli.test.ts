import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, writeFigure, type CliIo } from '../../src/cli/main.js';
import { EosLabError } from '../../src/core/errors.js';
import { saveResult } from '../../src/node/index.js';
import { lineChart } from '../../src/plot/index.js';
import { parseShard, shardRange } from '../../src/cli/study.js';
import { createModel, diagonalNet, gd, gridStudy, lrSweep, resultFromJSON, scalarFactorization } from '../../src/index.js';
import { bitwiseDifferences } from '../results/bitwise.js';

const dir = mkdtempSync(join(tmpdir(), 'eos-lab-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function io(): CliIo & { lines: string[]; errText: () => string } {
  const lines: string[] = [];
  let err = '';
  return { out: (l) => lines.push(l), err: (t) => (err += t), isTty: false, lines, errText: () => err };
}

const GRID = {
  study: 'gridStudy',
  model: scalarFactorization.create().spec,
  options: { grid: { n: 11 }, learningRates: [0.3, 0.5, 0.9, 0.99], maxSteps: 3000 },
};
const gridFile = join(dir, 'grid.json');
writeFileSync(gridFile, JSON.stringify(GRID));

describe('eos-lab run / merge: shards merge into the result one run gives, bit for bit', () => {
  it('3 shards (--workers 0 and 2) merged equal one gridStudy call with all rates; plain progress lines', async () => {
    const direct = await gridStudy(GRID.model, { ...GRID.options, workers: 0 });
    const out = join(dir, 'shards3');
    for (const i of [0, 1, 2]) {
      const c = io();
      expect(await runCli(['run', gridFile, '--out', out, '--shard', `${i}/3`, '--workers', i === 1 ? '2' : '0'], c)).toBe(0);
      expect(c.errText()).toMatch(/gridStudy shard \d\/3: \d\/\d\n/);
    }
    const c = io();
    expect(await runCli(['merge', out, '--out', join(dir, 'merged3.json')], c)).toBe(0);
    const merged = resultFromJSON(JSON.parse(readFileSync(join(dir, 'merged3.json'), 'utf8')), 'gridStudy');
    expect(bitwiseDifferences(merged, direct)).toEqual([]);
    // The checker is not blind: a different study differs.
    const other = await gridStudy(GRID.model, { ...GRID.options, maxSteps: 2999, workers: 0 });
    expect(bitwiseDifferences(merged, other).length).toBeGreaterThan(0);
  });

  it('more shards than rates (an empty shard) and the unsharded run give the same result', async () => {
    const direct = await gridStudy(GRID.model, { ...GRID.options, workers: 0 });
    const out = join(dir, 'shards5');
    for (let i = 0; i < 5; i++) expect(await runCli(['run', gridFile, '--out', out, '--shard', `${i}/5`, '--workers', '0'], io())).toBe(0);
    expect(await runCli(['merge', out, '--out', join(dir, 'merged5.json')], io())).toBe(0);
    const merged5 = resultFromJSON(JSON.parse(readFileSync(join(dir, 'merged5.json'), 'utf8')), 'gridStudy');
    expect(bitwiseDifferences(merged5, direct)).toEqual([]);
    expect(await runCli(['run', gridFile, '--out', join(dir, 'whole'), '--workers', '0'], io())).toBe(0);
    const whole = resultFromJSON(JSON.parse(readFileSync(join(dir, 'whole', 'result.json'), 'utf8')), 'gridStudy');
    expect(bitwiseDifferences(whole, direct)).toEqual([]);
  });

  it('a shard whose output exists is skipped (resumable); a missing shard stops the merge', async () => {
    const out = join(dir, 'resume');
    expect(await runCli(['run', gridFile, '--out', out, '--shard', '0/2', '--workers', '0'], io())).toBe(0);
    const file = join(out, 'shard-0-of-2.json');
    const before = statSync(file).mtimeMs;
    const again = io();
    expect(await runCli(['run', gridFile, '--out', out, '--shard', '0/2', '--workers', '0'], again)).toBe(0);
    expect(again.lines.join('\n')).toContain('skipped');
    expect(statSync(file).mtimeMs).toBe(before);
    const m = io();
    expect(await runCli(['merge', out, '--out', join(dir, 'nope.json')], m)).toBe(2);
    expect(m.errText()).toContain('shards missing: 1/2');
    expect(existsSync(join(dir, 'nope.json'))).toBe(false);
  });

  it('shards are contiguous blocks covering every item once', () => {
    for (const [n, count] of [[11, 3], [4, 5], [1, 1], [7, 7]]) {
      const seen: number[] = [];
      for (let i = 0; i < count; i++) {
        const [lo, hi] = shardRange(n, { index: i, count });
        for (let k = lo; k < hi; k++) seen.push(k);
      }
      expect(seen).toEqual(Array.from({ length: n }, (_, k) => k));
    }
    expect(parseShard('2/3')).toEqual({ index: 2, count: 3 });
    for (const bad of ['3/3', '-1/2', '1', 'a/b', '0/0']) expect(() => parseShard(bad)).toThrow(/--shard/);
  });
});

describe('eos-lab run (lrSweep) and plot', () => {
  const net = diagonalNet.create({ inputs: [[1, 4]], targets: [2] });
  const SWEEP = { study: 'lrSweep', model: net.spec, theta0: [0.01, 0.01], options: { lossGoal: 1e-4, learningRates: [0.02, 0.05, 0.09] } };
  const sweepFile = join(dir, 'sweep.json');
  writeFileSync(sweepFile, JSON.stringify(SWEEP));
  writeFileSync(join(dir, 'sched.json'), JSON.stringify({ ...SWEEP, options: { lossGoal: 1e-4 } }));

  it('an lrSweep file runs to the result of lrSweep itself', async () => {
    const c = io();
    expect(await runCli(['run', sweepFile, '--out', join(dir, 'sweep'), '--workers', '0'], c)).toBe(0);
    expect(c.errText()).toContain('lrSweep: ');
    const saved = resultFromJSON(JSON.parse(readFileSync(join(dir, 'sweep', 'result.json'), 'utf8')), 'lrSweep');
    const direct = await lrSweep(createModel(net.spec), Float64Array.from(SWEEP.theta0), { ...SWEEP.options, workers: 0 });
    expect(bitwiseDifferences(saved, direct)).toEqual([]);
  });

  it('an lrSweep with explicit rates in 3 shards merges into the result of one lrSweep, bit for bit (runs, notes, work)', async () => {
    // Rates given out of order, one that diverges and one met in passing: the merge must reproduce the sorted runs,
    // their notes after the flow's, and the work counts (flow once, every run once).
    const rates = [0.09, 0.02, 0.0626, 0.05, 0.3];
    const file = join(dir, 'sweep-shards.json');
    writeFileSync(file, JSON.stringify({ ...SWEEP, options: { ...SWEEP.options, learningRates: rates } }));
    const out = join(dir, 'sweep-shards');
    for (const i of [0, 1, 2]) expect(await runCli(['run', file, '--out', out, '--shard', `${i}/3`, '--workers', '0'], io())).toBe(0);
    expect(await runCli(['merge', out, '--out', join(dir, 'sweep-merged.json')], io())).toBe(0);
    const merged = resultFromJSON(JSON.parse(readFileSync(join(dir, 'sweep-merged.json'), 'utf8')), 'lrSweep');
    const direct = await lrSweep(createModel(net.spec), Float64Array.from(SWEEP.theta0), { ...SWEEP.options, learningRates: rates, workers: 0 });
    expect(direct.runs.some((r) => r.status === 'diverged')).toBe(true);
    expect(bitwiseDifferences(merged, direct)).toEqual([]);
    // Without explicit rates the schedule decides its onward points as it runs: sharding is refused.
    const s = io();
    expect(await runCli(['run', sweepFile.replace('sweep.json', 'sched.json'), '--out', join(dir, 'sweep2'), '--shard', '0/2'], s)).toBe(2);
  });

  it('plot writes the standard figure of a saved result as SVG and vega-lite JSON', async () => {
    const c = io();
    expect(await runCli(['plot', join(dir, 'sweep', 'result.json'), '--out', join(dir, 'fig')], c)).toBe(0);
    expect(readFileSync(join(dir, 'fig', 'figure.svg'), 'utf8').startsWith('<svg')).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, 'fig', 'figure.vl.json'), 'utf8')).concat).toHaveLength(2);
  });

  it('plot also writes figure.png (PNG signature, 2 × the SVG size) when @resvg/resvg-js is installed', async () => {
    const c = io();
    expect(await runCli(['plot', join(dir, 'sweep', 'result.json'), '--out', join(dir, 'fig-png')], c)).toBe(0);
    const png = readFileSync(join(dir, 'fig-png', 'figure.png'));
    expect(Array.from(png.subarray(0, 8))).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const svg = readFileSync(join(dir, 'fig-png', 'figure.svg'), 'utf8');
    const [, w, h] = /^<svg[^>]*\swidth="([\d.]+)"[^>]*\sheight="([\d.]+)"/.exec(svg)!;
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([Math.round(2 * Number(w)), Math.round(2 * Number(h))]);
    expect(c.lines.join('\n')).toContain('figure.png');
  });

  it('plot of a gd run that recorded its iterates also writes its path in the plane (paths.svg, .png)', async () => {
    const run = gd(scalarFactorization.create(), Float64Array.of(2, 0.65), { learningRate: 0.5, lossGoal: 1e-10, record: { theta: true, sharpnessEvery: 1 } });
    const file = join(dir, 'gd-run.json');
    await saveResult(file, 'gd', run);
    const c = io();
    expect(await runCli(['plot', file, '--out', join(dir, 'fig-gd')], c)).toBe(0);
    for (const f of ['figure.svg', 'figure.png', 'paths.svg', 'paths.png', 'paths.vl.json']) expect(existsSync(join(dir, 'fig-gd', f))).toBe(true);
    const spec = JSON.parse(readFileSync(join(dir, 'fig-gd', 'paths.vl.json'), 'utf8'));
    const rows = spec.layer.flatMap((l: { data?: { values: { series?: string; x: number }[] } }) => l.data?.values ?? []).filter((v: { series?: string }) => v.series === 'run');
    expect(rows.length).toBe(2 * run.trace.step.length); // the line and its dots
  });

  it('without a PNG renderer the figure is still written as SVG and stderr says why there is no PNG', async () => {
    const c = io();
    const out = join(dir, 'fig-nopng');
    mkdirSync(out, { recursive: true });
    const noPng = () => Promise.reject(new EosLabError('E_NOT_SUPPORTED', 'renderPng', { argument: "the package '@resvg/resvg-js'", value: 'not installed', expected: 'installed' }));
    const written = await writeFigure(lineChart([{ name: 'a', x: [0, 1], y: [1, 2] }]), out, 'figure', c, noPng);
    expect(written).toEqual(['figure.svg', 'figure.vl.json']);
    expect(existsSync(join(out, 'figure.png'))).toBe(false);
    expect(c.errText()).toContain("no figure.png: renderPng: the package '@resvg/resvg-js' must be installed");
  });

  it('plot of a missing or foreign file exits with 2 naming it', async () => {
    const c = io();
    expect(await runCli(['plot', join(dir, 'nope.json'), '--out', join(dir, 'z')], c)).toBe(2);
    expect(c.errText()).toContain('ENOENT');
    const foreign = join(dir, 'foreign.json');
    writeFileSync(foreign, '[1, 2]');
    const d = io();
    expect(await runCli(['plot', foreign, '--out', join(dir, 'z')], d)).toBe(2);
    expect(d.errText()).toContain('foreign.json');
  });

  it('bad command lines exit with 2 and say why', async () => {
    const c = io();
    expect(await runCli(['frobnicate'], c)).toBe(2);
    expect(c.errText()).toContain('usage:');
    const d = io();
    expect(await runCli(['run', gridFile, '--out', join(dir, 'x'), '--bogus', '1'], d)).toBe(2);
    expect(d.errText()).toContain('unknown option --bogus');
    const badStudy = join(dir, 'bad.json');
    writeFileSync(badStudy, JSON.stringify({ study: 'gridStudy', options: { workers: 4 } }));
    const e = io();
    expect(await runCli(['run', badStudy, '--out', join(dir, 'y')], e)).toBe(2);
    expect(e.errText()).toContain('options.workers');
    expect(await runCli([], io())).toBe(0);
  });
});
