/**
 * The network configurations of the `nn-claims` example: MLPs on 7 × 7 MNIST varying width, depth, activation,
 * loss, initialization scale and parameterization, and a small CNN on 14 × 14 MNIST ([Conflicting biases, App. H]
 * uses CIFAR-10 for some of these; it is not available here, so every configuration uses MNIST slices).
 */
import type { LossModel } from '../../src/core/loss-model.js';
import { loadMnist } from '../../src/data/mnist.js';
import * as cnn from '../../src/models/cnn/index.js';
import * as mlp from '../../src/models/mlp/index.js';
import type { ProbeSettings } from './probe.js';

export interface DataSettings {
  perClass: number;
  testPerClass: number;
  classes: number[];
  /** CNN data set size per class (the CNN is slower per example). */
  cnnPerClass: number;
}

export interface Config {
  id: string;
  label: string;
  /** Overrides of the probe settings for this configuration. */
  probe?: Partial<ProbeSettings>;
  /** Use the `base` configuration's mean η_c as the unit of the learning-rate grid (base must run first). */
  baseLearningRates?: boolean;
  build(): { model: LossModel; test: LossModel | null; init(seed: number): Float64Array };
}

export function configs(data: DataSettings): Record<string, Config> {
  const k = data.classes.length;
  const slices = () => loadMnist({ perClass: data.perClass, testPerClass: data.testPerClass, classes: data.classes, resolution: 7 });
  const mlpConfig = (id: string, label: string, hidden: number[], extra: Partial<mlp.MlpOptions>, initOptions: mlp.MlpInitOptions = {}, probe?: Partial<ProbeSettings>): Config => ({
    id,
    label,
    probe,
    baseLearningRates: initOptions.scale !== undefined,
    build() {
      const s = slices();
      const options = { layers: [49, ...hidden, k], activation: 'relu' as const, loss: 'mse' as const, ...extra };
      const model = mlp.create({ ...options, data: s.train });
      const test = mlp.create({ ...options, data: s.test });
      return { model, test, init: (seed) => mlp.init(model, { ...initOptions, seed }) };
    },
  });
  const normal = { scheme: 'standard-normal' as const };
  return {
    // claim 1 continues the base flow to smaller loss goals (only here: those flows are the longest part)
    base: mlpConfig('base', 'ReLU MLP 49-16-16, MSE', [16, 16], {}, {}, { smallerGoals: [0.005, 0.002] }),
    wide: mlpConfig('wide', 'ReLU MLP 49-64-64, MSE', [64, 64], {}),
    shallow: mlpConfig('shallow', 'ReLU MLP 49-16 (one hidden layer), MSE', [16], {}),
    tanh: mlpConfig('tanh', 'tanh MLP 49-16-16, MSE', [16, 16], { activation: 'tanh' }),
    ce: mlpConfig('ce', 'ReLU MLP 49-16-16, cross-entropy', [16, 16], { loss: 'cross-entropy' }),
    // At ×5/×10 the sharpness at θ₀ is 10²–10³ times larger, so the flow's RK4 step α/S is tiny: its flow is cut at
    // 1,000 steps (s_GF is then the max along that part, which is s₀ when the sharpness is largest at init). Their GD
    // runs use the ×1 configuration's η grid (Fig. 6 compares scales on one η axis).
    scale5: mlpConfig('scale5', 'ReLU MLP 49-16-16, MSE, init ×5', [16, 16], {}, { scale: 5 }, { flowMaxSteps: 1000 }),
    scale10: mlpConfig('scale10', 'ReLU MLP 49-16-16, MSE, init ×10', [16, 16], {}, { scale: 10 }, { flowMaxSteps: 1000 }),
    mup16: mlpConfig('mup16', 'μP ReLU MLP 49-16-16, MSE', [16, 16], { parameterization: 'mup' }, normal),
    mup32: mlpConfig('mup32', 'μP ReLU MLP 49-32-32, MSE', [32, 32], { parameterization: 'mup' }, normal),
    mup64: mlpConfig('mup64', 'μP ReLU MLP 49-64-64, MSE', [64, 64], { parameterization: 'mup' }, normal),
    ntk16: mlpConfig('ntk16', 'NTK ReLU MLP 49-16-16, MSE', [16, 16], { parameterization: 'ntk' }, normal),
    ntk64: mlpConfig('ntk64', 'NTK ReLU MLP 49-64-64, MSE', [64, 64], { parameterization: 'ntk' }, normal),
    cnn: {
      id: 'cnn',
      label: 'ReLU CNN 14×14 → conv3×3 [2, 2] → pool → dense, MSE',
      build() {
        const s = loadMnist({ perClass: data.cnnPerClass, testPerClass: 0, classes: data.classes, resolution: 14 });
        const model = cnn.create({ input: [1, 14, 14], channels: [2, 2], outputs: k, activation: 'relu', loss: 'mse', data: s.train });
        return { model, test: null, init: (seed) => cnn.init(model, { seed }) };
      },
    },
  };
}
