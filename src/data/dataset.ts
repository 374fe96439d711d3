/**
 * The data-set type shared by the loaders, and the JSON descriptors that rebuild a data set anywhere (a worker
 * thread, a later session): `loadDataset(descriptor)` gives the same arrays, bit for bit.
 *
 * @module
 */
import type { NdArray } from 'ndarray';
import type { MlpActivation } from '../models/mlp/network.js';

/**
 * A supervised data set: n examples with d input features and k target values each.
 *
 * @since 0.1.0
 */
export interface Dataset {
  /** Inputs X, shape [n, d], row-major over a contiguous `Float64Array` (example i is row i). */
  readonly inputs: NdArray<Float64Array>;
  /** Targets Y, shape [n, k]: regression values, or one-hot rows for classification. */
  readonly targets: NdArray<Float64Array>;
  /** Classification only: the class index of each example (the column of its one-hot row). */
  readonly labels?: Int32Array;
  /** The JSON recipe that rebuilds this data set with `loadDataset` (present for the built-in data sets). */
  readonly descriptor?: DatasetDescriptor;
}

/**
 * Recipe of {@link chebyshev}'s data set.
 *
 * @since 0.1.0
 */
export interface ChebyshevDescriptor {
  readonly dataset: 'chebyshev';
  /** Number of points n. */
  readonly points: number;
  /** Degree k of the target polynomial T_k. */
  readonly degree: number;
}

/**
 * Recipe of {@link teacher}'s data set.
 *
 * @since 0.1.0
 */
export interface TeacherDescriptor {
  readonly dataset: 'teacher';
  /** Widths of the teacher network [d, h₁, …, k]. */
  readonly layers: readonly number[];
  /** Hidden activation of the teacher. */
  readonly activation: MlpActivation;
  /** Number of examples n. */
  readonly points: number;
  /** Seed of the teacher's weights, the inputs and the noise. */
  readonly seed: number;
  /** Standard deviation of the Gaussian noise added to the teacher's outputs. */
  readonly noise: number;
}

/**
 * Recipe of one split of {@link loadMnist}'s data.
 *
 * @since 0.1.0
 */
export interface MnistDescriptor {
  readonly dataset: 'mnist';
  /** Which slice: the first `perClass` images of each class, or the next `testPerClass`. */
  readonly split: 'train' | 'test';
  readonly perClass: number;
  readonly testPerClass: number;
  /** The digits used, in this order (class index c ↔ digit classes[c]). */
  readonly classes: readonly number[];
  /** Side length of the images in pixels after average pooling. */
  readonly resolution: 28 | 14 | 7;
  /** Input standardization (statistics from the training slice). */
  readonly standardize: 'global' | 'per-pixel' | 'none';
}

/**
 * Any data-set recipe: `{ dataset: 'chebyshev' | 'teacher' | 'mnist', …options }`. JSON-serializable; an MLP
 * spec stores one instead of the arrays, so `createModel(spec)` rebuilds the data in a worker.
 *
 * @since 0.1.0
 */
export type DatasetDescriptor = ChebyshevDescriptor | TeacherDescriptor | MnistDescriptor;
