import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, type CliIo } from '../../src/cli/main.js';
import { parseShard, shardRange } from '../../src/cli/study.js';
import { createModel, diagonalNet, gridStudy, lrSweep, resultFromJSON, scalarFactorization } from '../../src/index.js';
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
