import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lineChart } from '../../src/plot/index.js';
import { UsageError, formatJson, parseReproduceArgs, runExamples, selectExamples } from '../../examples/runner.js';
import type { Example } from '../../examples/types.js';
import { checkSvg } from './svg-check.js';

const tmp = mkdtempSync(join(tmpdir(), 'eos-lab-runner-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const writer: Example = {
  name: 'writer',
  title: 'writes one JSON and one SVG',
  description: 'test double',
  async run(ctx) {
    ctx.progress(`quick = ${ctx.quick}`);
    await ctx.writeJson('data', { quick: ctx.quick, values: new Float64Array([1, 0.5]), bad: Number.NaN });
    await ctx.writeSvg('figure.svg', lineChart([{ name: 's', x: [0, 1], y: [1, 0.5] }], { title: 'double' }));
    ctx.report('all good');
  },
};
const thrower: Example = {
  name: 'thrower',
  title: 'throws',
  description: 'test double',
  async run() {
    throw new Error('deliberate failure');
  },
};
const escaper: Example = {
  name: 'escaper',
  title: 'tries to write outside its folder',
  description: 'test double',
  async run(ctx) {
    await ctx.writeJson('../evil', {});
  },
};

describe('runExamples', () => {
  it('runs every example, keeps going after a failure, and reports which failed', async () => {
    const lines: string[] = [];
    const summary = await runExamples({ examples: [thrower, writer, escaper], outDir: tmp, quick: true, log: (l) => lines.push(l) });
    expect(summary.ok).toBe(false);
    expect(summary.results.map((r) => [r.name, r.ok])).toEqual([
      ['thrower', false],
      ['writer', true],
      ['escaper', false],
    ]);
    expect(existsSync(join(tmp, 'evil.json'))).toBe(false);
    const w = summary.results[1];
    expect(w.files).toEqual([join(tmp, 'writer', 'data.json'), join(tmp, 'writer', 'figure.svg')]);
    expect(w.report).toEqual(['all good']);
    expect(w.warnings).toEqual([]);
    expect(JSON.parse(readFileSync(w.files[0], 'utf8'))).toEqual({ quick: true, values: [1, 0.5], bad: null });
    expect(checkSvg(readFileSync(w.files[1], 'utf8')).ok).toBe(true);
    const out = lines.join('\n');
    expect(out).toContain('[2/3] writer');
    expect(out).toContain('quick = true');
    expect(out).toContain('deliberate failure');
    expect(out).toMatch(/1 of 3 example\(s\) succeeded, 2 file\(s\) written; failed: thrower, escaper/);
  });

  it('runs only the selected examples and rejects unknown names with the list of valid ones', async () => {
    const summary = await runExamples({ examples: [thrower, writer], only: ['writer'], outDir: tmp, log: () => {} });
    expect(summary.ok).toBe(true);
    expect(summary.results.map((r) => r.name)).toEqual(['writer']);
    await expect(runExamples({ examples: [thrower, writer], only: ['nope'], outDir: tmp, log: () => {} })).rejects.toThrow(
      /unknown example 'nope'\. Available: thrower, writer\./,
    );
    expect(() => selectExamples([writer], ['writer', 'x', 'y'])).toThrow(UsageError);
  });
});

describe('parseReproduceArgs', () => {
  it('accepts repeated and comma-separated --only, --quick, --out and --list', () => {
    expect(parseReproduceArgs(['--only', 'a,b', '--only', ' c ', '--quick', '--out', 'dir'])).toEqual({
      only: ['a', 'b', 'c'],
      quick: true,
      outDir: 'dir',
      list: false,
      help: false,
    });
    expect(parseReproduceArgs([])).toEqual({ only: [], quick: false, outDir: 'out', list: false, help: false });
    expect(parseReproduceArgs(['--list']).list).toBe(true);
  });

  it('rejects unknown flags and stray arguments', () => {
    expect(() => parseReproduceArgs(['--fast'])).toThrow(UsageError);
    expect(() => parseReproduceArgs(['name'])).toThrow(UsageError);
    expect(() => parseReproduceArgs(['--out'])).toThrow(UsageError);
  });
});

describe('formatJson', () => {
  it('round-trips through JSON.parse with typed arrays as arrays and non-finite numbers as null', () => {
    const data = {
      a: new Int32Array([1, -2]),
      b: [Number.POSITIVE_INFINITY, 0.1, 'text, with [brackets]'],
      c: { nested: [{ x: 1 }, [2, 3]], skip: undefined },
      d: [],
      e: {},
    };
    const text = formatJson(data);
    expect(JSON.parse(text)).toEqual({
      a: [1, -2],
      b: [null, 0.1, 'text, with [brackets]'],
      c: { nested: [{ x: 1 }, [2, 3]] },
      d: [],
      e: {},
    });
    // Plain arrays stay on one line; objects are indented.
    expect(text).toContain('"a": [1, -2]');
    expect(text.split('\n').length).toBeGreaterThan(5);
  });

  it('writes numbers exactly (shortest round-trip form)', () => {
    const x = [0.1 + 0.2, 1e-300, -5e-324, 2 ** 53 + 2];
    expect(JSON.parse(formatJson(x))).toEqual(x);
  });
});
