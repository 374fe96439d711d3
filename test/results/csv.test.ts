import { describe, expect, it } from 'vitest';
import { gd, gradientFlow, lrSweep, diagonalNet, recordsToCsv, scalarFactorization, stepSize, traceToCsv } from '../../src/index.js';
import { errorCode, thrown } from '../helpers/errors.js';

/** A minimal RFC 4180 reader (quoted cells with doubled quotes), independent of the writer. */
function readCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') row.push(cell), (cell = '');
    else if (ch === '\n') row.push(cell), rows.push(row), (row = []), (cell = '');
    else cell += ch;
  }
  expect(cell).toBe(''); // the text ends with a line break
  return rows;
}

describe('traceToCsv', () => {
  const model = scalarFactorization.create();
  const theta0 = new Float64Array([2, 0.65]);

  it('gd: one row per recorded step (union with the sharpness steps), exact numbers, empty cells where not recorded', () => {
    const run = gd(model, theta0, { learningRate: 0.1, maxSteps: 20, record: { every: 4, sharpnessEvery: 6 } });
    const rows = readCsv(traceToCsv(run.trace));
    expect(rows[0]).toEqual(['step', 'loss', 'norm1', 'norm2', 'gradNorm', 'sharpness']);
    const steps = rows.slice(1).map((r) => Number(r[0]));
    expect(steps).toEqual([0, 4, 6, 8, 12, 16, 18, 20]); // multiples of 4 and of 6 up to 20
    for (const r of rows.slice(1)) {
      const k = Number(r[0]);
      const i = Array.from(run.trace.step).indexOf(k);
      const j = Array.from(run.trace.sharpnessStep).indexOf(k);
      expect(r[1] === '' ? -1 : Number(r[1])).toBe(i < 0 ? -1 : run.trace.loss[i]); // bit for bit through the text
      expect(r[4] === '' ? -1 : Number(r[4])).toBe(i < 0 ? -1 : run.trace.gradNorm[i]);
      expect(r[5] === '' ? -1 : Number(r[5])).toBe(j < 0 ? -1 : run.trace.sharpness[j]);
    }
  });

  it('gradientFlow adds the time column; special values are spelled out', () => {
    const flow = gradientFlow(model, theta0, { step: stepSize.fixed(0.1), maxSteps: 3, record: { sharpnessEvery: 0 } });
    const rows = readCsv(traceToCsv(flow.trace));
    expect(rows[0]).toEqual(['step', 'time', 'loss', 'norm1', 'norm2', 'gradNorm', 'sharpness']);
    expect(rows).toHaveLength(5);
    expect(rows.slice(1).map((r) => Number(r[1]))).toEqual(Array.from(flow.trace.time));
    const odd = { step: Int32Array.of(0, 1), loss: Float64Array.of(-0, NaN), sharpnessStep: Int32Array.of(1), sharpness: Float64Array.of(-Infinity) };
    expect(traceToCsv(odd)).toBe('step,loss,sharpness\n0,-0,\n1,NaN,-Infinity\n');
  });

  it('record.theta adds one column per coordinate, theta[c] of row r = trace.theta[r·dim + c] exactly', () => {
    const run = gd(scalarFactorization.create(), Float64Array.of(2, 0.65), { learningRate: 0.5, maxSteps: 40, record: { every: 4, theta: true, sharpnessEvery: 6 } });
    const [head, ...rows] = traceToCsv(run.trace).trimEnd().split('\n');
    const cols = head.split(',');
    expect(cols).toEqual(['step', 'loss', 'norm1', 'norm2', 'gradNorm', 'theta[0]', 'theta[1]', 'sharpness']);
    const t = run.trace.theta!;
    let r = 0;
    for (const line of rows) {
      const c = line.split(',');
      if (Number(c[0]) % 4 !== 0) {
        expect(c[5]).toBe(''); // a sharpness-only row
        continue;
      }
      expect([Number(c[5]), Number(c[6])]).toEqual([t[2 * r], t[2 * r + 1]]);
      r++;
    }
    expect(r).toBe(run.trace.step.length);
  });

  it('bad traces', () => {
    expect(thrown(() => traceToCsv({ loss: new Float64Array(2) })).details.argument).toBe('trace');
    expect(thrown(() => traceToCsv({ step: Int32Array.of(0), sharpness: Float64Array.of(1, 2), sharpnessStep: Int32Array.of(0) })).details.argument).toBe('trace.sharpnessStep');
  });
});

describe('recordsToCsv', () => {
  it('flattens nested objects into dotted columns, quotes commas and quotes, joins arrays with spaces', () => {
    const text = recordsToCsv([
      { eta: 0.1, s: { max: 2, abs: 3 }, note: 'a, "b"' },
      { eta: 0.2, s: { max: -0 }, theta: Float64Array.of(1, 0.5), extra: null },
    ]);
    expect(text).toBe('eta,s.max,s.abs,note,theta,extra\n0.1,2,3,"a, ""b""",,\n0.2,-0,,,1 0.5,\n');
    expect(readCsv(text)[1][3]).toBe('a, "b"');
  });

  it('an lrSweep: one row per run with the nested sharpness pair', async () => {
    const net = diagonalNet.create({ inputs: [[1, 4]], targets: [2] });
    const sweep = await lrSweep(net, new Float64Array([0.01, 0.01]), { lossGoal: 1e-4, learningRates: [0.01, 0.05], workers: 0 });
    const rows = readCsv(recordsToCsv(sweep.runs));
    expect(rows).toHaveLength(3);
    const col = rows[0].indexOf('finalSharpness.max');
    expect(col).toBeGreaterThan(0);
    expect(Number(rows[1][col])).toBe(sweep.runs[0].finalSharpness!.max);
  });

  it('bad input', () => {
    expect(errorCode(() => recordsToCsv('x' as unknown as object[]))).toBe('E_BAD_OPTION');
    expect(thrown(() => recordsToCsv([{}, 3 as unknown as object])).details.argument).toBe('records[1]');
  });
});
