/**
 * Every public entry that takes an options object (or a model spec) is called twice with a bad value — once with a
 * misspelled key, once with NaN/Infinity in a numeric field — and the error's code, argument path and message prefix
 * are checked (issue 10, "Options and errors"): unknown keys are `E_BAD_OPTION` with the exact path and, when a
 * known key is near, a "did you mean"; a non-finite number is `E_NONFINITE` wherever it appears; the message names
 * the public function that was called.
 */
import ndarray from 'ndarray';
import { describe, expect, it } from 'vitest';
import * as api from '../../src/index.js';
import * as testing from '../../src/testing/index.js';
import * as plot from '../../src/plot/index.js';
import { EosLabError } from '../../src/core/errors.js';

const { scalarFactorization, diagonalNet, widthOneNet, mlp, datasets } = api;
const sf = scalarFactorization.create();
const t2 = Float64Array.of(1.5, 0.5);
const spd = api.matrixFromRows([[2, 1], [1, 2]]);
const riskModel = diagonalNet.risk.gaussian(2);

interface Entry {
  /** The function name the message must start with. */
  readonly fn: string;
  /** Calls the entry with `patch` merged into a valid options object (or spec). */
  readonly call: (patch: Record<string, unknown>) => unknown;
  /** The options path of the object patched (e.g. 'options', 'options.record', 'spec'). */
  readonly path: string;
  /** A numeric key of that object and a misspelling of some key with its correct form. */
  readonly numeric?: string;
  readonly typo: readonly [string, string];
}

const smallMlp = mlp.create({ layers: [1, 3, 1], inputs: [[0.5], [-1]], targets: [[1], [0]] });
const mlpTheta = mlp.init(smallMlp, { seed: 1 });
const smallCnn = () => ({ input: [1, 4, 4] as const, channels: [1], outputs: 1, inputs: [new Array(16).fill(0.5)], targets: [[1]] });

const entries: Entry[] = [
  { fn: 'lanczos', path: 'options', call: (p) => api.lanczos(spd, { ...p }), numeric: 'tol', typo: ['maxIteration', 'maxIterations'] },
  { fn: 'powerIteration', path: 'options', call: (p) => api.powerIteration(spd, { ...p }), numeric: 'tol', typo: ['Tol', 'tol'] },
  { fn: 'symmetricEigen', path: 'options', call: (p) => api.symmetricEigen(spd, { ...p }), numeric: 'symmetryTolerance', typo: ['symmetryTolerence', 'symmetryTolerance'] },
  { fn: 'denseOperator', path: 'options', call: (p) => api.denseOperator(spd, { ...p }), numeric: 'symmetryTolerance', typo: ['symmetrytolerance', 'symmetryTolerance'] },
  { fn: 'sharpness', path: 'options', call: (p) => api.sharpness(sf, t2, { ...p }), numeric: 'tol', typo: ['methd', 'method'] },
  { fn: 'sharpnessEstimate', path: 'options', call: (p) => api.sharpnessEstimate(sf, t2, { ...p }), numeric: 'tol', typo: ['wich', 'which'] },
  { fn: 'gd', path: 'options', call: (p) => api.gd(sf, t2, { learningRate: 0.1, maxSteps: 2, ...p }), numeric: 'learningRate', typo: ['lossgoal', 'lossGoal'] },
  { fn: 'gd', path: 'options.record', call: (p) => api.gd(sf, t2, { learningRate: 0.1, maxSteps: 2, record: { ...p } }), typo: ['sharpnessevery', 'sharpnessEvery'] },
  { fn: 'gd', path: 'options.record.sharpness', call: (p) => api.gd(sf, t2, { learningRate: 0.1, maxSteps: 2, record: { sharpnessEvery: 1, sharpness: { ...p } } }), numeric: 'tol', typo: ['metod', 'method'] },
  { fn: 'gd', path: 'options.divergence', call: (p) => api.gd(sf, t2, { learningRate: 0.1, maxSteps: 2, divergence: { ...p } }), numeric: 'maxAbs', typo: ['maxabs', 'maxAbs'] },
  { fn: 'gradientFlow', path: 'options', call: (p) => api.gradientFlow(sf, t2, { step: api.stepSize.fixed(0.01), maxSteps: 2, ...p }), numeric: 'maxTime', typo: ['maxstep', 'maxSteps'] },
  { fn: 'stepSize.sharpnessAdapted', path: 'options', call: (p) => api.stepSize.sharpnessAdapted({ maxStep: 1, ...p }), numeric: 'alpha', typo: ['maxstep', 'maxStep'] },
  { fn: 'clipCoordinates', path: 'options', call: (p) => api.clipCoordinates({ max: 1, ...p }), numeric: 'max', typo: ['indexes', 'indices'] },
  { fn: 'clipByGlobalNorm', path: 'options', call: (p) => api.clipByGlobalNorm({ maxNorm: 1, ...p }), numeric: 'maxNorm', typo: ['maxnorm', 'maxNorm'] },
  { fn: 'scalarFactorization.create', path: 'options', call: (p) => scalarFactorization.create({ ...p }), numeric: 'target', typo: ['depht', 'depth'] },
  { fn: 'createModel', path: 'spec', call: (p) => api.createModel({ kind: 'scalar-factorization', target: 1, depth: 2, ...p }), typo: ['depht', 'depth'] },
  { fn: 'createModel', path: 'spec', call: (p) => api.createModel({ kind: 'width-one-net', ...p }), typo: ['varianceRelevent', 'varianceRelevant'] },
  { fn: 'scalarFactorization.productGap', path: 'options', call: (p) => scalarFactorization.productGap(t2, { ...p }), numeric: 'target', typo: ['traget', 'target'] },
  { fn: 'scalarFactorization.gradientFlowSolution', path: 'options', call: (p) => scalarFactorization.gradientFlowSolution(t2, { ...p }), numeric: 'target', typo: ['Target', 'target'] },
  { fn: 'diagonalNet.create', path: 'options', call: (p) => diagonalNet.create({ inputs: [[1, 2]], targets: [1], ...p }), typo: ['dept', 'depth'] },
  { fn: 'diagonalNet.sharpnessOnManifold', path: 'options', call: (p) => diagonalNet.sharpnessOnManifold([1, 2], [0.5, 0.5], { ...p }), typo: ['dpth', 'depth'] },
  { fn: 'diagonalNet.minimizerConditions', path: 'options', call: (p) => diagonalNet.minimizerConditions([1, 2], 1, [0.5, 0.25], { ...p }), numeric: 'tol', typo: ['supporttol', 'supportTol'] },
  { fn: 'diagonalNet.risk.gaussian', path: 'options', call: (p) => diagonalNet.risk.gaussian(2, { ...p }), numeric: 'noise', typo: ['nois', 'noise'] },
  { fn: 'diagonalNet.monteCarloRisk', path: 'options', call: (p) => diagonalNet.monteCarloRisk(riskModel, [1, 1], { samples: 10, ...p }), numeric: 'samples', typo: ['sample', 'samples'] },
  { fn: 'diagonalNet.kktPoints', path: 'options', call: (p) => diagonalNet.kktPoints([1, 2], 1, 0.1, { ...p }), numeric: 'tol', typo: ['rsk', 'risk'] },
  { fn: 'diagonalNet.expectedRisk', path: 'options', call: (p) => diagonalNet.expectedRisk((() => new Float64Array(2)) as never, riskModel, { samples: 2, ...p }), numeric: 'samples', typo: ['sed', 'seed'] },
  { fn: 'widthOneNet.create', path: 'options', call: (p) => widthOneNet.create({ ...p }), numeric: 'varianceRelevant', typo: ['varianceRelevent', 'varianceRelevant'] },
  { fn: 'widthOneNet.oscillatoryLoss', path: 'options', call: (p) => widthOneNet.oscillatoryLoss(Float64Array.of(1, 1, 1), { ...p }), numeric: 'varianceIrrelevant', typo: ['varianceIrelevant', 'varianceIrrelevant'] },
  { fn: 'widthOneNet.inStableSet', path: 'options', call: (p) => widthOneNet.inStableSet(Float64Array.of(1, 1, 1), 0.1, { ...p }), numeric: 'betaTolerance', typo: ['betatolerance', 'betaTolerance'] },
  { fn: 'widthOneNet.clipAlpha', path: 'options', call: (p) => widthOneNet.clipAlpha({ constant: 1, ...p }), numeric: 'constant', typo: ['side', 'sides'] },
  { fn: 'widthOneNet.sampleData', path: 'options', call: (p) => widthOneNet.sampleData({ samples: 4, ...p }), numeric: 'varianceRelevant', typo: ['sampels', 'samples'] },
  { fn: 'mlp.create', path: 'options', call: (p) => mlp.create({ layers: [1, 2, 1], inputs: [[0.5]], targets: [1], ...p }), typo: ['activaton', 'activation'] },
  { fn: 'mlp.init', path: 'options', call: (p) => mlp.init({ layers: [1, 2, 1] }, { ...p }), numeric: 'scale', typo: ['sed', 'seed'] },
  { fn: 'datasets.chebyshev', path: 'options', call: (p) => datasets.chebyshev({ ...p }), numeric: 'points', typo: ['degre', 'degree'] },
  { fn: 'datasets.teacher', path: 'options', call: (p) => datasets.teacher({ points: 4, ...p }), numeric: 'noise', typo: ['poinst', 'points'] },
  { fn: 'datasets.loadDataset', path: 'descriptor', call: (p) => datasets.loadDataset({ dataset: 'chebyshev', points: 4, degree: 2, ...p } as never), typo: ['degre', 'degree'] },
  { fn: 'progressiveSharpeningTime', path: 'options', call: (p) => api.progressiveSharpeningTime([1, 2, 3], 0.5, { ...p }), typo: ['step', 'steps'] },
  { fn: 'eosCycles', path: 'options', call: (p) => api.eosCycles([1, 2, 3], 0.5, { ...p }), numeric: 'band', typo: ['bnd', 'band'] },
  { fn: 'edgeOfStabilityCriterion', path: 'options', call: (p) => api.edgeOfStabilityCriterion(Float64Array.of(1, 0.5, 0.25), Float64Array.of(1, 1, 1), 0.5, { ...p }), numeric: 'lateFraction', typo: ['eosband', 'eosBand'] },
  { fn: 'gridStarts', path: 'options', call: (p) => api.gridStarts({ n: 3, ...p }), numeric: 'radius', typo: ['radus', 'radius'] },
  { fn: 'learningRateSchedule', path: 'options', call: (p) => api.learningRateSchedule(1, 2, { ...p }), numeric: 'onwardStep', typo: ['onwardstep', 'onwardStep'] },
  { fn: 'lineChart', path: 'options', call: (p) => plot.lineChart([{ name: 'a', x: [0, 1], y: [1, 2] }], { ...p }), numeric: 'width', typo: ['logy', 'logY'] },
  { fn: 'lineChart', path: 'series[0]', call: (p) => plot.lineChart([{ name: 'a', x: [0, 1], y: [1, 2], ...p } as never]), typo: ['colour', 'color'] },
  { fn: 'planePaths', path: 'options', call: (p) => plot.planePaths([{ name: 'a', x: [0, 1], y: [1, 2] }], { ...p }), numeric: 'width', typo: ['xdomain', 'xDomain'] },
  { fn: 'checkGradient', path: 'options', call: (p) => testing.checkGradient(sf, t2, { ...p }), numeric: 'step', typo: ['rell', 'rel'] },
  { fn: 'finiteVector', path: 'options', call: (p) => testing.finiteVector({ ...p }), numeric: 'min', typo: ['dimm', 'dim'] },
  { fn: 'scalarFactorizationPoint', path: 'options', call: (p) => testing.scalarFactorizationPoint({ ...p }), numeric: 'minAbs', typo: ['onmanifold', 'onManifold'] },
  // entries added in 0.2.0
  { fn: 'topEigenpairs', path: 'options', call: (p) => api.topEigenpairs(sf, t2, { k: 1, ...p }), numeric: 'tol', typo: ['maxIteration', 'maxIterations'] },
  { fn: 'hessianTrace', path: 'options', call: (p) => api.hessianTrace(sf, t2, { probes: 2, ...p }), typo: ['probe', 'probes'] },
  { fn: 'spectralDensity', path: 'options', call: (p) => api.spectralDensity(sf, t2, { probes: 1, steps: 2, ...p }), numeric: 'broadening', typo: ['step', 'steps'] },
  { fn: 'sharpnessGradient', path: 'options', call: (p) => api.sharpnessGradient(sf, t2, { ...p }), numeric: 'gapTolerance', typo: ['gaptolerance', 'gapTolerance'] },
  { fn: 'centralFlow', path: 'options', call: (p) => api.centralFlow(sf, t2, { learningRate: 0.1, maxSteps: 2, ...p }), numeric: 'learningRate', typo: ['lossgoal', 'lossGoal'] },
  { fn: 'train', path: 'options', call: (p) => api.train(sf, t2, { learningRate: 0.1, maxSteps: 2, ...p }), numeric: 'learningRate', typo: ['optimiser', 'optimizer'] },
  { fn: 'optimizer.adam', path: 'options', call: (p) => api.optimizer.adam({ ...p }), numeric: 'beta1', typo: ['beta_1', 'beta1'] },
  { fn: 'lrSchedule.linearWarmup', path: 'options', call: (p) => api.lrSchedule.linearWarmup({ peak: 0.1, warmupSteps: 10, ...p }), numeric: 'peak', typo: ['warmupStep', 'warmupSteps'] },
  { fn: 'networkMeasures', path: 'options', call: (p) => api.networkMeasures(smallMlp, mlpTheta, { ...p }), typo: ['nuclar', 'nuclear'] },
  { fn: 'cnn.create', path: 'options', call: (p) => api.cnn.create({ ...smallCnn(), ...p }), numeric: 'outputs', typo: ['kernelsize', 'kernelSize'] },
  { fn: 'fromFunction', path: 'options', call: (p) => api.fromFunction(1, (w) => api.autodiff.sum(w), { ...p }), typo: ['spc', 'spec'] },
];

const asyncEntries: Entry[] = [
  { fn: 'lrSweep', path: 'options', call: (p) => api.lrSweep(sf, t2, { lossGoal: 1e-3, learningRates: [0.1], maxSteps: 5, ...p }), numeric: 'lossGoal', typo: ['learningRate', 'learningRates'] },
  { fn: 'lrSweep', path: 'options.flow', call: (p) => api.lrSweep(sf, t2, { lossGoal: 1e-3, learningRates: [0.1], flow: { ...p } }), numeric: 'maxTime', typo: ['maxstep', 'maxSteps'] },
  { fn: 'lrSweep', path: 'options.schedule', call: (p) => api.lrSweep(sf, t2, { lossGoal: 1e-3, schedule: { ...p } }), numeric: 'onwardStep', typo: ['refin', 'refine'] },
  { fn: 'lrSweep', path: 'options.settle', call: (p) => api.lrSweep(sf, t2, { lossGoal: 1e-3, learningRates: [0.1], settle: { ...p } }), numeric: 'lossGoal', typo: ['maxstep', 'maxSteps'] },
  { fn: 'gridStudy', path: 'options', call: (p) => api.gridStudy(sf, { grid: { n: 3 }, learningRates: [0.1], maxSteps: 5, workers: 1, ...p }), numeric: 'tolerance', typo: ['learningRate', 'learningRates'] },
  { fn: 'gridStudy', path: 'options.grid', call: (p) => api.gridStudy(sf, { grid: { n: 3, ...p }, learningRates: [0.1], maxSteps: 5, workers: 1 }), numeric: 'radius', typo: ['shap', 'shape'] },
];

async function caught(f: () => unknown): Promise<EosLabError> {
  try {
    await f();
  } catch (e) {
    if (e instanceof EosLabError) return e;
    throw e;
  }
  throw new Error('expected an EosLabError, nothing was thrown');
}

describe('every public entry: unknown keys and non-finite numbers', () => {
  for (const e of [...entries, ...asyncEntries]) {
    it(`${e.fn} ${e.path}: "${e.typo[0]}" is E_BAD_OPTION with "did you mean ${e.typo[1]}"`, async () => {
      const err = await caught(() => e.call({ [e.typo[0]]: 1 }));
      expect(err.code).toBe('E_BAD_OPTION');
      expect(err.details.argument).toBe(`${e.path}.${e.typo[0]}`);
      expect(err.message.startsWith(`${e.fn}: ${e.path}.${e.typo[0]} must be a known option — did you mean "${e.typo[1]}"?`)).toBe(true);
    });
    if (e.numeric !== undefined) {
      for (const bad of [NaN, Infinity, -Infinity]) {
        if (bad === Infinity && ['maxTime', 'maxAbs'].includes(e.numeric)) continue; // Infinity is a valid value there
        it(`${e.fn} ${e.path}.${e.numeric} = ${bad} is E_NONFINITE`, async () => {
          const err = await caught(() => e.call({ [e.numeric as string]: bad }));
          expect(err.code).toBe('E_NONFINITE');
          expect(err.details.argument).toBe(`${e.path}.${e.numeric}`);
          expect(err.message.startsWith(`${e.fn}: ${e.path}.${e.numeric} must be`)).toBe(true);
        });
      }
    }
  }

  it('an unknown key without a near known one gets no suggestion but lists the known options', () => {
    const err = (() => {
      try {
        api.gd(sf, t2, { learningRate: 0.1, zzzzzz: 1 } as never);
      } catch (e) {
        return e as EosLabError;
      }
      throw new Error('no error');
    })();
    expect(err.message).not.toContain('did you mean');
    expect(err.message).toContain('"learningRate"');
  });
});

describe('rng and zerosMatrix validate their arguments', () => {
  const r = api.rng(1);
  const cases: [string, () => unknown, string, string][] = [
    ['rng.int', () => r.int(-5), 'E_BAD_OPTION', 'n'],
    ['rng.int', () => r.int(2.5), 'E_BAD_OPTION', 'n'],
    ['rng.int', () => r.int(NaN), 'E_NONFINITE', 'n'],
    ['rng.uniformIn', () => r.uniformIn(0, Infinity), 'E_NONFINITE', 'b'],
    ['rng.uniformIn', () => r.uniformIn(2, 1), 'E_BAD_OPTION', 'b'],
    ['rng.fillNormal', () => r.fillNormal([1, 2] as never), 'E_BAD_OPTION', 'out'],
    ['rng.fillUniform', () => r.fillUniform(new Float64Array(2), NaN, 1), 'E_NONFINITE', 'a'],
    ['zerosMatrix', () => api.zerosMatrix(-1, 2), 'E_BAD_OPTION', 'rows'],
    ['zerosMatrix', () => api.zerosMatrix(2, 1.5), 'E_BAD_OPTION', 'cols'],
    ['zerosMatrix', () => api.zerosMatrix(2, NaN), 'E_NONFINITE', 'cols'],
  ];
  for (const [fn, f, code, argument] of cases) {
    it(`${fn}: bad ${argument} is ${code}`, async () => {
      const err = await caught(f);
      expect(err.code).toBe(code);
      expect(err.details.argument).toBe(argument);
      expect(err.message.startsWith(`${fn}: ${argument} must be`)).toBe(true);
    });
  }
  it('valid calls still work (int(n) in [0, n), an empty-free 2×3 matrix of zeros)', () => {
    for (let i = 0; i < 100; i++) {
      const k = r.int(3);
      expect(k >= 0 && k < 3 && Number.isInteger(k)).toBe(true);
    }
    const z = api.zerosMatrix(2, 3);
    expect(z.shape).toEqual([2, 3]);
    expect(ndarray(new Float64Array(6), [2, 3]).data).toEqual(z.data);
  });
});
