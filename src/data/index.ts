/**
 * Data sets for the MLP experiments: Cohen et al.'s Chebyshev regression task, a seeded teacher network, and
 * deterministic MNIST slices from the optional `mnist` package — each with a JSON descriptor that rebuilds it
 * (`loadDataset`), so a model spec can carry its data by reference. Public as the `datasets` namespace of
 * `eos-lab`.
 *
 * @example
 * ```ts
 * import { datasets, mlp } from 'eos-lab';
 * const data = datasets.chebyshev({ points: 20, degree: 4 });
 * const model = mlp.create({ layers: [1, 32, 32, 1], activation: 'tanh', data });
 * console.log(model.spec.data); // { dataset: 'chebyshev', points: 20, degree: 4 }
 * ```
 * @module
 */
export type { Dataset, DatasetDescriptor, ChebyshevDescriptor, TeacherDescriptor, MnistDescriptor } from './dataset.js';
export { chebyshev, type ChebyshevOptions } from './chebyshev.js';
export { teacher, type TeacherOptions, type TeacherDataset } from './teacher.js';
export { loadMnist, type MnistOptions, type MnistSlices } from './mnist.js';
export { loadDataset } from './load.js';
