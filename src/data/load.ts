/**
 * Rebuilds a data set from its JSON descriptor.
 *
 * @module
 */
import { EosLabError } from '../core/errors.js';
import { chebyshev } from './chebyshev.js';
import { optionKeys, rejectUnknownKeys } from '../core/validate.js';
import type { ChebyshevDescriptor, Dataset, DatasetDescriptor, MnistDescriptor, TeacherDescriptor } from './dataset.js';
import { loadMnist } from './mnist.js';
import { teacher } from './teacher.js';

/**
 * The data set a descriptor describes: `{ dataset: 'chebyshev', … }` → {@link chebyshev},
 * `{ dataset: 'teacher', … }` → {@link teacher}, `{ dataset: 'mnist', split, … }` → that split of
 * {@link loadMnist}. The other fields are the loader's options; every loader is deterministic, so the arrays are
 * identical, bit for bit, wherever the descriptor is loaded.
 *
 * @remarks
 * Every built-in data set carries its `descriptor`, with all defaults filled in. An MLP spec stores the
 * descriptor rather than the arrays, which is how `createModel(spec)` rebuilds an MNIST model in a worker thread
 * from a few bytes. Cost: that of the loader.
 *
 * @param descriptor - the recipe.
 * @returns the data set (with its descriptor).
 * @throws EosLabError `E_BAD_OPTION` for an unknown `dataset` or a bad field (as the loader reports it);
 *   `E_NOT_SUPPORTED` for MNIST without the `mnist` package.
 * @example
 * ```ts
 * import { datasets } from 'eos-lab';
 * const a = datasets.teacher({ points: 10, seed: 7 });
 * const b = datasets.loadDataset(JSON.parse(JSON.stringify(a.descriptor)));
 * console.log(b.targets.data.every((y, i) => y === a.targets.data[i])); // true
 * ```
 * @since 0.1.0
 */
export function loadDataset(descriptor: DatasetDescriptor): Dataset {
  const fn = 'datasets.loadDataset';
  if (descriptor === null || typeof descriptor !== 'object') {
    throw new EosLabError('E_BAD_OPTION', fn, { argument: 'descriptor', value: descriptor, expected: "an object { dataset: 'chebyshev' | 'teacher' | 'mnist', … }" });
  }
  // Each loader rejects keys it does not know; the descriptor's own `dataset` (and `split`) are checked here and
  // removed, so a misspelled field is reported against `descriptor`, never ignored.
  switch (descriptor.dataset) {
    case 'chebyshev': {
      rejectUnknownKeys(fn, 'descriptor', descriptor, optionKeys<ChebyshevDescriptor>({ dataset: true, points: true, degree: true }));
      const { dataset: _dataset, ...options } = descriptor;
      return chebyshev(options);
    }
    case 'teacher': {
      rejectUnknownKeys(fn, 'descriptor', descriptor, optionKeys<TeacherDescriptor>({ dataset: true, layers: true, activation: true, points: true, seed: true, noise: true }));
      const { dataset: _dataset, ...options } = descriptor;
      return teacher(options);
    }
    case 'mnist': {
      rejectUnknownKeys(
        fn,
        'descriptor',
        descriptor,
        optionKeys<MnistDescriptor>({ dataset: true, split: true, perClass: true, testPerClass: true, classes: true, resolution: true, standardize: true }),
      );
      const { dataset: _dataset, split, ...options } = descriptor;
      if (split !== 'train' && split !== 'test') {
        throw new EosLabError('E_BAD_OPTION', fn, { argument: 'descriptor.split', value: split, expected: "'train' or 'test'" });
      }
      return loadMnist(options)[split];
    }
    default:
      throw new EosLabError('E_BAD_OPTION', fn, {
        argument: 'descriptor.dataset',
        value: (descriptor as { dataset?: unknown }).dataset,
        expected: "one of 'chebyshev', 'teacher', 'mnist'",
      });
  }
}
