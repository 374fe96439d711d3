import ndarray from 'ndarray';
import { describe, expect, it } from 'vitest';
import {
  diagonalNet,
  edgeOfStabilityCriterion,
  eosCycles,
  gd,
  gradientFlow,
  gridStarts,
  gridStudy,
  lanczos,
  learningRateSchedule,
  lrSweep,
  matrixFromRows,
  parseResult,
  powerIteration,
  resultFromJSON,
  resultToJSON,
  scalarFactorization,
  sharpnessEstimate,
  stepSize,
  stringifyResult,
  symmetricEigen,
  type ResultKind,
  type ResultTypes,
} from '../../src/index.js';
import { errorCode, thrown } from '../helpers/errors.js';
import { bitwiseDifferences } from './bitwise.js';

/** Through the encoder, JSON text and back. */
function roundTrip<K extends ResultKind>(kind: K, result: ResultTypes[K]): ResultTypes[K] {
  const text = JSON.stringify(resultToJSON(kind, result));
  return resultFromJSON(JSON.parse(text), kind);
}

describe('every result round-trips through JSON text bit for bit', () => {
  const model = scalarFactorization.create();
  const theta0 = new Float64Array([2, 0.65]);

  it('gd (typed-array trace, sharpness recorded) and a diverged run', () => {
    const run = gd(model, theta0, { learningRate: 0.5, lossGoal: 1e-14, record: { every: 3, sharpnessEvery: 7 } });
    expect(run.trace.sharpness.length).toBeGreaterThan(1);
    const back = roundTrip('gd', run);
    expect(bitwiseDifferences(back, run)).toEqual([]);
    expect(back.theta).toBeInstanceOf(Float64Array);
    expect(back.trace.step).toBeInstanceOf(Int32Array);
    const diverged = gd(model, theta0, { learningRate: 3, maxSteps: 100 });
    expect(diverged.status).toBe('diverged');
    expect(bitwiseDifferences(roundTrip('gd', diverged), diverged)).toEqual([]);
  });

  it('gradientFlow (time column, s_0 and s_GF) and with sharpness off (null fields)', () => {
    const flow = gradientFlow(model, theta0, { step: stepSize.fixed(0.05), lossGoal: 1e-10 });
    expect(bitwiseDifferences(roundTrip('gradientFlow', flow), flow)).toEqual([]);
    const off = gradientFlow(model, theta0, { maxSteps: 5, record: { sharpnessEvery: 0 } });
    expect(off.maxSharpness).toBeNull();
    expect(bitwiseDifferences(roundTrip('gradientFlow', off), off)).toEqual([]);
  });

  it('lanczos, powerIteration, symmetricEigen (ndarray eigenvectors) and sharpnessEstimate', () => {
    const a = matrixFromRows([[4, 1, 0], [1, 3, 1], [0, 1, -5]]);
    const l = lanczos(a, { k: 2, which: 'magnitude' });
    expect(bitwiseDifferences(roundTrip('lanczos', l), l)).toEqual([]);
    const p = powerIteration(a);
    expect(bitwiseDifferences(roundTrip('powerIteration', p), p)).toEqual([]);
    const e = symmetricEigen(a);
    const eBack = roundTrip('symmetricEigen', e);
    expect(bitwiseDifferences(eBack, e)).toEqual([]);
    const s = sharpnessEstimate(model, theta0, { method: 'lanczos' });
    expect(bitwiseDifferences(roundTrip('sharpnessEstimate', s), s)).toEqual([]);
  });

  it('gridStudy (ndarray starts and maps, undefined fields), gridStarts and edgeOfStabilityCriterion', async () => {
    const study = await gridStudy(model, { grid: { n: 9 }, learningRates: [0.5, 0.99], maxSteps: 2000, workers: 0 });
    const back = roundTrip('gridStudy', study);
    expect(bitwiseDifferences(back, study)).toEqual([]);
    expect(back.starts.shape).toEqual(study.starts.shape);
    const grid = gridStarts({ n: 7, shape: 'annulus' });
    expect(bitwiseDifferences(roundTrip('gridStarts', grid), grid)).toEqual([]);
    const eos = edgeOfStabilityCriterion(new Float64Array([1, 0.5, 0.009, -0.004]), new Float64Array([3, 2.5, 2.1, 2]), 0.98);
    expect(bitwiseDifferences(roundTrip('edgeOfStabilityCriterion', eos), eos)).toEqual([]);
  });

  it('lrSweep (plain JSON with nested runs), learningRateSchedule and eosCycles', async () => {
    const net = diagonalNet.create({ inputs: [[1, 4]], targets: [2] });
    const sweep = await lrSweep(net, new Float64Array([0.01, 0.01]), { lossGoal: 1e-4, learningRates: [0.01, 0.05, 0.3], workers: 0 });
    expect(bitwiseDifferences(roundTrip('lrSweep', sweep), sweep)).toEqual([]);
    const schedule = learningRateSchedule(4, 16);
    expect(bitwiseDifferences(roundTrip('learningRateSchedule', schedule), schedule)).toEqual([]);
    const cycles = eosCycles(new Float64Array([1, 2.2, 1.5, 2.3, 1.6]), 1, { band: 0.05 });
    expect(bitwiseDifferences(roundTrip('eosCycles', cycles), cycles)).toEqual([]);
  });

  it('special doubles: −0, NaN, ±Infinity, subnormals and extremes, in typed arrays, ndarrays and fields', () => {
    const specials = [-0, 0, NaN, Infinity, -Infinity, 5e-324, -5e-324, Number.MAX_VALUE, Number.MIN_VALUE, 0.1, 1 / 3];
    const value = {
      f64: Float64Array.from(specials),
      f32: Float32Array.from(specials),
      i32: Int32Array.of(-(2 ** 31), 2 ** 31 - 1, 0),
      u8: Uint8Array.of(0, 255),
      nd: ndarray(Float64Array.from(specials.slice(0, 10)), [2, 5]).transpose(1, 0), // a strided view
      fields: specials,
      missing: undefined,
      nested: [{ x: -0 }, [NaN, [Infinity]]],
    };
    const back = roundTrip('value', value) as typeof value;
    expect(bitwiseDifferences(back, value)).toEqual([]);
    expect(Object.is(back.f64[0], -0)).toBe(true);
    expect('missing' in back).toBe(true);
  });

  it('the comparison sees what plain JSON.stringify loses (typed arrays, −0, NaN), so the checks above can fail', () => {
    const run = gd(model, theta0, { learningRate: 0.1, maxSteps: 5 });
    expect(bitwiseDifferences(JSON.parse(JSON.stringify(run)), run).length).toBeGreaterThan(0);
    expect(bitwiseDifferences({ x: 0 }, { x: -0 })).toEqual(['$.x: 0 vs 0']);
    expect(bitwiseDifferences(Float64Array.of(0), Float64Array.of(-0))).toHaveLength(1);
    expect(bitwiseDifferences({ a: undefined }, {})).toHaveLength(1);
  });

  it('string forms: stringifyResult / parseResult', () => {
    const s = sharpnessEstimate(model, new Float64Array([1, 1]));
    const back = parseResult(stringifyResult('sharpnessEstimate', s, 2), 'sharpnessEstimate');
    expect(bitwiseDifferences(back, s)).toEqual([]);
  });

  it('the encoded form is plain JSON data: JSON.parse(JSON.stringify(x)) equals x', () => {
    const run = gd(model, theta0, { learningRate: 0.1, maxSteps: 30 });
    const json = resultToJSON('gd', run);
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
    expect(json.kind).toBe('gd');
    expect(json.format).toBe('eos-lab/result');
  });
});

describe('bad input', () => {
  const run = gd(scalarFactorization.create(), new Float64Array([2, 0.65]), { learningRate: 0.1, maxSteps: 3 });
  const json = resultToJSON('gd', run);

  it('unknown kinds, a wrong kind, a foreign envelope and a newer version are E_BAD_OPTION naming the field', () => {
    expect(thrown(() => resultToJSON('nope' as 'gd', run)).details.argument).toBe('kind');
    expect(thrown(() => resultFromJSON(json, 'lanczos')).details.argument).toBe('json.kind');
    expect(thrown(() => resultFromJSON({ ...json, format: 'other' })).details.argument).toBe('json.format');
    expect(thrown(() => resultFromJSON({ ...json, version: 2 })).details.argument).toBe('json.version');
    expect(thrown(() => resultFromJSON([1, 2])).details.argument).toBe('json');
    expect(errorCode(() => parseResult('{not json', 'gd'))).toBe('E_BAD_OPTION');
  });

  it('malformed data names its path', () => {
    const bad = JSON.parse(JSON.stringify(json));
    bad.data.theta.data[1] = 'nan';
    const e = thrown(() => resultFromJSON(bad, 'gd'));
    expect(e.code).toBe('E_BAD_OPTION');
    expect(e.details.argument).toBe('json.data.theta.data[1]');
    const wrap = JSON.parse(JSON.stringify(json));
    wrap.data.trace.step.data[0] = 2 ** 31; // does not fit an Int32Array
    expect(thrown(() => resultFromJSON(wrap, 'gd')).details.argument).toBe('json.data.trace.step.data[0]');
    const nd = resultToJSON('value', ndarray(new Float64Array(6), [2, 3]));
    (nd.data as { shape: number[] }).shape = [4, 4];
    expect(thrown(() => resultFromJSON(nd)).details.argument).toBe('json.data.data');
  });

  it('values that are not result pieces are E_NOT_SUPPORTED naming their path', () => {
    const e = thrown(() => resultToJSON('value', { a: [1, { f: () => 1 }] }));
    expect(e.code).toBe('E_NOT_SUPPORTED');
    expect(e.details.argument).toBe('result.a[1].f');
    expect(errorCode(() => resultToJSON('value', new Map()))).toBe('E_NOT_SUPPORTED');
    expect(errorCode(() => resultToJSON('value', { $eos: 1 }))).toBe('E_NOT_SUPPORTED');
    expect(errorCode(() => resultToJSON('value', 1n))).toBe('E_NOT_SUPPORTED');
  });
});
