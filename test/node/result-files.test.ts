import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ndarray from 'ndarray';
import { afterAll, describe, expect, it } from 'vitest';
import { gd, gridStudy, scalarFactorization, stringifyResult } from '../../src/index.js';
import { loadResult, saveResult } from '../../src/node/index.js';
import { bitwiseDifferences } from '../results/bitwise.js';

const dir = mkdtempSync(join(tmpdir(), 'eos-lab-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function rejection(p: Promise<unknown>): Promise<{ code?: string; message: string; details?: { argument: string } }> {
  try {
    await p;
  } catch (e) {
    return e as { code?: string; message: string; details?: { argument: string } };
  }
  throw new Error('expected a rejection');
}

describe('saveResult / loadResult', () => {
  it('round-trip a gd run bit for bit, and the file holds exactly stringifyResult', async () => {
    const run = gd(scalarFactorization.create(), new Float64Array([2, 0.65]), { learningRate: 0.5, lossGoal: 1e-12, record: { sharpnessEvery: 3 } });
    const file = join(dir, 'run.json');
    await saveResult(file, 'gd', run);
    expect(readFileSync(file, 'utf8')).toBe(stringifyResult('gd', run));
    const back = await loadResult(file, 'gd');
    expect(bitwiseDifferences(back, run)).toEqual([]);
    expect(back.theta).toBeInstanceOf(Float64Array);
    // The checker sees a one-ulp change.
    const other = { ...run, theta: Float64Array.from(run.theta) };
    other.theta[1] = other.theta[1] + Number.EPSILON * Math.abs(other.theta[1]);
    expect(other.theta[1]).not.toBe(run.theta[1]);
    expect(bitwiseDifferences(back, other).length).toBeGreaterThan(0);
  });

  it('keep −0, NaN, ±Infinity, subnormals and ndarray views of a value; space indents', async () => {
    const value = {
      a: new Float64Array([-0, NaN, Infinity, -Infinity, 5e-324, 0.1 + 0.2, -1.7976931348623157e308]),
      m: ndarray(new Float64Array([1, 2, 3, 4, 5, 6]), [2, 3]).transpose(1, 0),
      z: -0,
      u: undefined,
    };
    const file = join(dir, 'value.json');
    await saveResult(file, 'value', value, { space: 2 });
    expect(readFileSync(file, 'utf8')).toContain('\n  "kind": "value"');
    const back = (await loadResult(file, 'value')) as typeof value;
    expect(Object.is(back.z, -0)).toBe(true);
    expect(Object.is(back.a[0], -0)).toBe(true);
    expect(Number.isNaN(back.a[1])).toBe(true);
    expect(back.a[4]).toBe(5e-324);
    expect(back.m.get(2, 1)).toBe(6);
    expect('u' in back).toBe(true);
  });

  it('round-trip a gridStudy (typed arrays and ndarrays), stored kind accepted without kind', async () => {
    const study = await gridStudy(scalarFactorization.create().spec, { grid: { n: 5 }, learningRates: [0.5], workers: 0 });
    const file = join(dir, 'study.json');
    await saveResult(file, 'gridStudy', study);
    expect(bitwiseDifferences(await loadResult(file), study)).toEqual([]);
  });

  it('replace an existing file atomically and leave no temporary file', async () => {
    const file = join(dir, 'replace.json');
    await saveResult(file, 'value', [1, 2, 3]);
    await saveResult(file, 'value', [4]);
    expect(await loadResult(file, 'value')).toEqual([4]);
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
    // Concurrent saves of one process use distinct temporary files; the last rename wins and the file is whole.
    await Promise.all([saveResult(file, 'value', 'a'), saveResult(file, 'value', 'b'), saveResult(file, 'value', 'c')]);
    expect(['a', 'b', 'c']).toContain(await loadResult(file, 'value'));
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('an unencodable result or a failed write leaves the old file untouched', async () => {
    const file = join(dir, 'keep.json');
    await saveResult(file, 'value', { x: 1 });
    const before = readFileSync(file, 'utf8');
    const e = await rejection(saveResult(file, 'value', { f: () => 1 }));
    expect(e.code).toBe('E_NOT_SUPPORTED');
    expect(e.message).toMatch(/^saveResult: result\.f must be/);
    expect(readFileSync(file, 'utf8')).toBe(before);
    // A directory where the file should be: the rename fails, the temporary file is removed.
    const blocked = join(dir, 'a-directory');
    mkdirSync(blocked);
    const e2 = await rejection(saveResult(blocked, 'value', 1));
    expect(e2.code).toBe('E_BAD_OPTION');
    expect(e2.details?.argument).toBe('path');
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('bad paths are E_BAD_OPTION naming the path and the system code', async () => {
    const missingDir = join(dir, 'no-such-dir', 'run.json');
    const w = await rejection(saveResult(missingDir, 'value', 1));
    expect(w.code).toBe('E_BAD_OPTION');
    expect(w.message).toContain('ENOENT');
    expect(w.message).toContain('no-such-dir');
    const r = await rejection(loadResult(join(dir, 'missing.json')));
    expect(r.code).toBe('E_BAD_OPTION');
    expect(r.message).toMatch(/^loadResult: path must be a readable file \(ENOENT/);
    const d = await rejection(loadResult(dir));
    expect(d.code).toBe('E_BAD_OPTION');
    expect(d.message).toContain('EISDIR');
    for (const bad of ['', 3, undefined, 'a\0b']) {
      expect((await rejection(saveResult(bad as string, 'value', 1))).details?.argument).toBe('path');
      expect((await rejection(loadResult(bad as string))).details?.argument).toBe('path');
    }
    expect((await rejection(saveResult(join(dir, 'x.json'), 'value', 1, { space: 11 }))).code).toBe('E_BAD_OPTION');
    expect((await rejection(saveResult(join(dir, 'x.json'), 'value', 1, { spaces: 1 } as never))).code).toBe('E_BAD_OPTION');
    expect((await rejection(saveResult(join(dir, 'x.json'), 'nope' as 'value', 1))).code).toBe('E_BAD_OPTION');
    if (process.getuid?.() !== 0) {
      const locked = join(dir, 'locked.json');
      writeFileSync(locked, '{}');
      chmodSync(locked, 0o000);
      expect((await rejection(loadResult(locked))).message).toContain('EACCES');
    }
  });

  it('bad contents are E_BAD_OPTION naming the file and the bad entry', async () => {
    const notJson = join(dir, 'not.json');
    writeFileSync(notJson, '{"format": "eos-lab/result", ');
    const a = await rejection(loadResult(notJson, 'gd'));
    expect(a.code).toBe('E_BAD_OPTION');
    expect(a.details?.argument).toBe(`the contents of ${notJson}`);
    const other = join(dir, 'other.json');
    writeFileSync(other, '{"hello": 1}');
    const b = await rejection(loadResult(other, 'gd'));
    expect(b.code).toBe('E_BAD_OPTION');
    expect(b.message).toMatch(/^loadResult: .*other\.json: json\.format must be/);
    const file = join(dir, 'kind.json');
    await saveResult(file, 'value', 1);
    const c = await rejection(loadResult(file, 'gd'));
    expect(c.details?.argument).toBe(`${file}: json.kind`);
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, JSON.stringify({ format: 'eos-lab/result', version: 1, kind: 'value', data: { $eos: 'Float64Array', data: [1, 'x'] } }));
    expect((await rejection(loadResult(broken))).details?.argument).toBe(`${broken}: json.data.data[1]`);
  });
});
