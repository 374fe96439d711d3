/**
 * Results in files: {@link saveResult} writes a result as JSON atomically, {@link loadResult} reads it back bit for
 * bit. Node-only (they use `node:fs`), hence in `eos-lab/node`, not in the main entry.
 * @module
 */
import { open, readFile, rename, rm } from 'node:fs/promises';
import { EosLabError } from '../core/errors.js';
import { integerInRange, optionKeys, optionsObject } from '../core/validate.js';
import { resultFromJSON, resultToJSON, type JsonValue, type ResultKind, type ResultTypes } from '../results/serialize.js';

/**
 * Options of {@link saveResult}.
 *
 * @since 0.2.0
 */
export interface SaveResultOptions {
  /**
   * Indentation of the JSON text (spaces per level, 0 to 10, as `JSON.stringify`'s `space`); 0 writes one line.
   * @defaultValue 0
   */
  space?: number;
}

function checkPath(fn: string, path: unknown): string {
  if (typeof path !== 'string' || path.length === 0 || path.includes('\0')) {
    throw new EosLabError('E_BAD_OPTION', fn, { argument: 'path', value: path, expected: 'a non-empty file path string' });
  }
  return path;
}

/** An `E_BAD_OPTION` naming the path and the file-system error (its code, e.g. ENOENT), with the error as `cause`. */
function fileError(fn: string, path: string, e: unknown, expected: string): EosLabError {
  const code = (e as { code?: unknown }).code;
  const err = new EosLabError('E_BAD_OPTION', fn, {
    argument: 'path',
    value: path,
    expected: `${expected} (${typeof code === 'string' ? `${code}: ` : ''}${e instanceof Error ? e.message : String(e)})`,
  });
  (err as { cause?: unknown }).cause = e;
  return err;
}

/** Makes the temporary files of concurrent saves of one process distinct (no randomness in src/). */
let saveCounter = 0;

/**
 * Writes a result to a JSON file that {@link loadResult} (or `parseResult` on its text) reads back bit for bit.
 *
 * The text is `stringifyResult(kind, result, space)`: the envelope `{ format: 'eos-lab/result', version, kind, data }`
 * with every double as the shortest decimal that reads back exactly and −0, NaN, ±Infinity spelled out (see
 * `resultToJSON`).
 *
 * @remarks
 * The write is atomic: the text goes to a temporary file beside `path` (`<path>.tmp-<pid>-<n>`), is flushed to disk
 * (`fsync`), and is then renamed over `path`; a reader sees the old file or the complete new one, never a partial
 * file, and a failed or interrupted save leaves `path` as it was (the temporary file is removed on failure). The
 * result is encoded before anything is written, so an unencodable result touches no file. The parent directory must
 * exist. Node-only. Cost: one pass over the result plus the file write.
 * @param path - the file to write (created or replaced).
 * @param kind - what the result is (a key of `ResultTypes`, e.g. `'gd'`), stored in the file and checked on loading.
 * @param result - the result.
 * @param options - See {@link SaveResultOptions}.
 * @returns a promise that resolves when the file is in place.
 * @throws EosLabError `E_BAD_OPTION` for a path that is not a non-empty string, a file that cannot be written there
 *   (missing directory, no permission, a directory at `path`; the message gives the system's code such as ENOENT),
 *   an unknown `kind`, or `space` out of range; `E_NOT_SUPPORTED` for a value `resultToJSON` cannot encode. The
 *   errors are rejections of the returned promise.
 * @example
 * ```ts
 * import { mkdtempSync } from 'node:fs';
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * import { gd, scalarFactorization } from 'eos-lab';
 * import { loadResult, saveResult } from 'eos-lab/node';
 * const run = gd(scalarFactorization.create(), new Float64Array([2, 0.65]), { learningRate: 0.1, lossGoal: 1e-12 });
 * const file = join(mkdtempSync(join(tmpdir(), 'eos-lab-')), 'run.json');
 * await saveResult(file, 'gd', run);
 * const back = await loadResult(file, 'gd'); // a GdResult, bit for bit
 * console.log(Object.is(back.theta[0], run.theta[0]), back.status); // true converged
 * ```
 * @since 0.2.0
 */
export async function saveResult<K extends ResultKind>(path: string, kind: K, result: ResultTypes[K], options?: SaveResultOptions): Promise<void> {
  const fn = 'saveResult';
  const target = checkPath(fn, path);
  const opts = optionsObject(fn, options, optionKeys<SaveResultOptions>({ space: true }));
  const space = integerInRange(fn, 'options.space', opts.space ?? 0, 0, 10);
  // Encode first: a result that cannot be encoded must not touch the file system.
  let text: string;
  try {
    text = JSON.stringify(resultToJSON(kind, result), null, space === 0 ? undefined : space);
  } catch (e) {
    if (e instanceof EosLabError) throw renamed(fn, e);
    throw e;
  }
  const tmp = `${target}.tmp-${process.pid}-${saveCounter++}`;
  let handle;
  try {
    handle = await open(tmp, 'wx');
    await handle.writeFile(text, 'utf8');
    await handle.sync();
    await handle.close();
    handle = undefined;
    await rename(tmp, target);
  } catch (e) {
    await handle?.close().catch(() => undefined);
    await rm(tmp, { force: true }).catch(() => undefined);
    throw fileError(fn, target, e, 'a file path that can be written (its directory must exist)');
  }
}

/** The same error with `fn` as the function named in the message (the caller's, not the encoder's). */
function renamed(fn: string, e: EosLabError, prefix = ''): EosLabError {
  const err = new EosLabError(e.code, fn, { ...e.details, argument: `${prefix}${e.details.argument}` });
  (err as { cause?: unknown }).cause = e;
  return err;
}

/**
 * Reads a result written by {@link saveResult} (or any file holding `stringifyResult`'s text) and decodes it with
 * `resultFromJSON`: typed arrays, ndarrays, −0, NaN and ±Infinity restored, every double bit for bit.
 *
 * @remarks
 * With `kind` given, a file holding another kind of result is an error (a grid study is never read as a GD run).
 * Node-only. Cost: reading the file, `JSON.parse`, one pass over the data.
 * @param path - the file to read.
 * @param kind - the kind expected; gives the return type. Omitted, the stored kind is accepted.
 * @returns a promise of the result.
 * @throws EosLabError `E_BAD_OPTION` for a path that is not a non-empty string or a file that cannot be read
 *   (missing, a directory, no permission; the message gives the system's code such as ENOENT), for contents that are
 *   not JSON, not an eos-lab result envelope, of another `kind`, or malformed (the argument then starts with the
 *   file's path and gives the path of the bad entry inside it, e.g. `run.json: json.data.theta.data[3]`). The errors
 *   are rejections of the returned promise.
 * @example
 * ```ts
 * import { mkdtempSync, writeFileSync } from 'node:fs';
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * import { loadResult } from 'eos-lab/node';
 * const file = join(mkdtempSync(join(tmpdir(), 'eos-lab-')), 'not-a-result.json');
 * writeFileSync(file, '{"hello": 1}');
 * try {
 *   await loadResult(file, 'gd');
 * } catch (e) {
 *   console.log((e as { code: string }).code); // E_BAD_OPTION
 * }
 * ```
 * @since 0.2.0
 */
export async function loadResult<K extends ResultKind>(path: string, kind?: K): Promise<ResultTypes[K]> {
  return (await readResultFile<K>('loadResult', path, kind)).result;
}

/** {@link loadResult}, also returning the kind stored in the file (for callers that dispatch on it). @internal */
export async function readResultFile<K extends ResultKind>(fn: string, path: string, kind?: K): Promise<{ kind: K; result: ResultTypes[K] }> {
  const source = checkPath(fn, path);
  let text: string;
  try {
    text = await readFile(source, 'utf8');
  } catch (e) {
    throw fileError(fn, source, e, 'a readable file');
  }
  let json: JsonValue;
  try {
    json = JSON.parse(text) as JsonValue;
  } catch (e) {
    const err = new EosLabError('E_BAD_OPTION', fn, {
      argument: `the contents of ${source}`,
      value: text.slice(0, 80),
      expected: `JSON text written by saveResult (${(e as Error).message})`,
    });
    (err as { cause?: unknown }).cause = e;
    throw err;
  }
  try {
    const result = resultFromJSON<K>(json, kind);
    return { kind: (json as { kind: K }).kind, result };
  } catch (e) {
    if (e instanceof EosLabError) throw renamed(fn, e, `${source}: `);
    throw e;
  }
}
