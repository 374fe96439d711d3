/**
 * A seeded teacher–student regression task: targets are the outputs of a randomly initialized MLP.
 *
 * @module
 */
import ndarray from 'ndarray';
import { rng } from '../core/rng.js';
import { integerInRange, nonNegativeFinite, oneOf, optionKeys, optionsObject } from '../core/validate.js';
import { fillPytorchDefault } from '../models/mlp/init.js';
import { layerSlots, validateLayers } from '../models/mlp/layout.js';
import { createNetwork, type MlpActivation } from '../models/mlp/network.js';
import type { Dataset, TeacherDescriptor } from './dataset.js';

/**
 * Options of {@link teacher}.
 *
 * @since 0.1.0
 */
export interface TeacherOptions {
  /**
   * Widths of the teacher network [d, h₁, …, k].
   * @defaultValue [2, 16, 1]
   */
  layers?: readonly number[];
  /**
   * Hidden activation of the teacher.
   * @defaultValue 'tanh'
   */
  activation?: MlpActivation;
  /**
   * Number of examples n.
   * @defaultValue 64
   */
  points?: number;
  /**
   * Seed of the teacher's weights, the inputs and the noise (one `rng(seed)` stream, in that order).
   * @defaultValue 0
   */
  seed?: number;
  /**
   * Standard deviation σ of independent Gaussian noise added to every target (0: noiseless).
   * @defaultValue 0
   */
  noise?: number;
}

/**
 * A data set labelled by a teacher network, with the teacher's parameters.
 *
 * @since 0.1.0
 */
export interface TeacherDataset extends Dataset {
  readonly descriptor: TeacherDescriptor;
  /** The teacher's parameter vector θ* (layout of `mlp.views`). */
  readonly teacherTheta: Float64Array;
}

/**
 * A regression data set from a seeded teacher MLP: xᵢ ~ N(0, I_d), yᵢ = f(xᵢ; θ*) + σ εᵢ with εᵢ ~ N(0, I_k),
 * where θ* has the pytorch-default initialization [Conflicting biases, App. G] — a realizable task whose global minimum
 * (σ = 0) is known: a student with the teacher's widths reaches loss 0 at θ*.
 *
 * @remarks
 * Draws from one `rng(seed)` stream in this order: θ* (layer by layer, W row-major then b, as `mlp.init`), then
 * the inputs row by row, then (only when σ > 0) the noise row by row. The teacher's hidden layers use
 * `activation`; its output layer is linear, as in `mlp.create`. Cost: one forward pass; allocates the arrays.
 *
 * @param options - widths, activation, number of examples, seed and noise level.
 * @returns inputs [n, d], targets [n, k], the teacher's θ*, and the descriptor that rebuilds the set.
 * @throws EosLabError `E_BAD_OPTION` for bad widths, activation, `points` (an integer ≥ 1), `seed` (32-bit integer)
 *   or `noise` (finite ≥ 0).
 * @example
 * ```ts
 * import { datasets, mlp } from 'eos-lab';
 * const data = datasets.teacher({ layers: [2, 8, 1], points: 32, seed: 3 });
 * const student = mlp.create({ layers: [2, 8, 1], data });
 * console.log(student.loss(data.teacherTheta)); // 0: the teacher fits its own outputs
 * ```
 * @since 0.1.0
 */
export function teacher(options?: TeacherOptions): TeacherDataset {
  const fn = 'datasets.teacher';
  const o = optionsObject(fn, options, optionKeys<TeacherOptions>({ layers: true, activation: true, points: true, seed: true, noise: true }));
  const layers = o.layers === undefined ? Object.freeze([2, 16, 1]) : validateLayers(fn, 'options.layers', o.layers);
  const activation = o.activation === undefined ? 'tanh' : oneOf(fn, 'options.activation', o.activation, ['tanh', 'relu', 'identity'] as const);
  const points = o.points === undefined ? 64 : integerInRange(fn, 'options.points', o.points, 1, 1e7);
  const seed = o.seed === undefined ? 0 : integerInRange(fn, 'options.seed', o.seed, -0x80000000, 0x7fffffff);
  const noise = o.noise === undefined ? 0 : nonNegativeFinite(fn, 'options.noise', o.noise);
  const d = layers[0];
  const k = layers[layers.length - 1];
  const r = rng(seed);
  const teacherTheta = fillPytorchDefault(layers, r, 1, new Float64Array(layerSlots(layers).dim));
  const x = r.fillNormal(new Float64Array(points * d));
  const y = new Float64Array(points * k);
  createNetwork(layers, activation, 'mse', x, new Float64Array(points * k), points).outputs(teacherTheta, y);
  if (noise > 0) for (let i = 0; i < y.length; i++) y[i] += noise * r.normal();
  return {
    inputs: ndarray(x, [points, d]),
    targets: ndarray(y, [points, k]),
    teacherTheta,
    descriptor: Object.freeze({ dataset: 'teacher', layers, activation, points, seed, noise }),
  };
}
