/**
 * Rebuilds a data set from its JSON descriptor.
 *
 * @module
 */
import { EosLabError } from '../core/errors.js';
import { chebyshev } from './chebyshev.js';
import type { Dataset, DatasetDescriptor } from './dataset.js';
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
  switch (descriptor.dataset) {
    case 'chebyshev':
      return chebyshev(descriptor);
    case 'teacher':
      return teacher(descriptor);
    case 'mnist': {
      const { split } = descriptor;
      if (split !== 'train' && split !== 'test') {
        throw new EosLabError('E_BAD_OPTION', fn, { argument: 'descriptor.split', value: split, expected: "'train' or 'test'" });
      }
      return loadMnist(descriptor)[split];
    }
    default:
      throw new EosLabError('E_BAD_OPTION', fn, {
        argument: 'descriptor.dataset',
        value: (descriptor as { dataset?: unknown }).dataset,
        expected: "one of 'chebyshev', 'teacher', 'mnist'",
      });
  }
}
