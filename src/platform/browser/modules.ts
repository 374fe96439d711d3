/**
 * Loading modules at run time, in a browser (the browser build's replacement of `src/platform/node/modules.ts`):
 * `preload` modules are `import()`ed as given (URLs, or specifiers your bundler or import map resolves); there is
 * no synchronous `require`, so the dependencies Node loads on demand are imported statically instead
 * (`src/platform/browser/ml-matrix.ts`) or are not available (`mnist`).
 *
 * @module
 * @internal
 */
import { EosLabError } from '../../core/errors.js';

/** The specifier itself: a browser has no file paths to turn into URLs. @internal */
export function preloadSpecifier(m: string): string {
  return m;
}

/** `import()`s a `preload` module: a URL, or a specifier the page's import map resolves. @internal */
export function importModule(specifier: string): Promise<unknown> {
  return import(/* @vite-ignore */ /* webpackIgnore: true */ specifier);
}

/** A browser has no synchronous `require`: `E_NOT_SUPPORTED` naming the module. @internal */
export function requireModule(id: string): unknown {
  throw new EosLabError('E_NOT_SUPPORTED', 'eos-lab', {
    argument: `the module '${id}'`,
    value: 'loaded with require in a browser',
    expected: 'Node (eos-lab loads this module on demand with require, which browsers do not have)',
  });
}
