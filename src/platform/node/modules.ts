/**
 * Loading modules at run time, in Node: `import()` of a `preload` module (an absolute path becomes a `file:` URL)
 * and a synchronous `require` relative to this module, for the dependencies eos-lab loads on demand (`ml-matrix`,
 * the optional peer `mnist`). The browser build uses `src/platform/browser/modules.ts` instead (see the `imports`
 * field of package.json: `#platform/*` resolves to the browser folder under the `browser` condition).
 *
 * @module
 * @internal
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

/** A `file:` URL for absolute paths, the specifier itself otherwise (URLs, package names). @internal */
export function preloadSpecifier(m: string): string {
  return m.startsWith('/') || /^[A-Za-z]:[\\/]/.test(m) ? pathToFileURL(m).href : m;
}

/** `import()`s a `preload` module: an absolute path, a `file:` URL or a package name. @internal */
export function importModule(specifier: string): Promise<unknown> {
  return import(preloadSpecifier(specifier));
}

let requireHere: NodeJS.Require | undefined;

/**
 * `require(id)` relative to this module: `import.meta.url` in the ESM build and the sources, `__filename` in the
 * CommonJS build (which has an empty `import.meta`). Throws Node's `MODULE_NOT_FOUND` error for a missing package.
 * @internal
 */
export function requireModule(id: string): unknown {
  requireHere ??= createRequire(typeof __filename === 'string' ? __filename : import.meta.url);
  return requireHere(id);
}
