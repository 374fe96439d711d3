/**
 * `eos-lab/node`: the Node-only helpers of eos-lab — results saved to and loaded from files ({@link saveResult},
 * {@link loadResult}). They use `node:fs/promises`, which the main entry `eos-lab` does not import: the main entry is
 * meant to become bundleable for browsers (its worker pools still load Node modules today). Outside Node, use
 * `stringifyResult` / `parseResult` and store the text yourself.
 *
 * @example
 * ```ts
 * import { mkdtempSync } from 'node:fs';
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * import { lanczos, matrixFromRows } from 'eos-lab';
 * import { loadResult, saveResult } from 'eos-lab/node';
 * const top = lanczos(matrixFromRows([[2, 1], [1, 2]]), { k: 1 });
 * const file = join(mkdtempSync(join(tmpdir(), 'eos-lab-')), 'top.json');
 * await saveResult(file, 'lanczos', top, { space: 1 });
 * console.log((await loadResult(file, 'lanczos')).values[0]); // 3
 * ```
 * @module
 */
export { saveResult, loadResult, type SaveResultOptions } from './result-files.js';
