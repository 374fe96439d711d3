/**
 * The `mnist` package in a browser (the browser build's replacement of `src/platform/node/mnist.ts`): not
 * available. The package reads its 10,000 digits through Node's `require` of JSON files, which a page cannot do;
 * `datasets.loadMnist` (and a model spec that names an MNIST slice) fails with `E_NOT_SUPPORTED` saying how to pass
 * the images instead.
 *
 * @module
 * @internal
 */
import { EosLabError } from '../../core/errors.js';

/** `E_NOT_SUPPORTED`: the MNIST loader is Node only; pass the data yourself. @internal */
export function requireMnistPackage(): unknown {
  throw new EosLabError('E_NOT_SUPPORTED', 'datasets.loadMnist', {
    argument: "the package 'mnist'",
    value: 'loaded in a browser',
    expected:
      'Node (the mnist package reads its files with require). In a browser, fetch the images yourself and pass them as ' +
      'data: mlp.create({ layers, inputs, targets }) or cnn.create({ …, inputs, targets }) with rows of pixels and ' +
      'one-hot targets (or compute datasets.loadMnist in Node and send its arrays to the page)',
  });
}
