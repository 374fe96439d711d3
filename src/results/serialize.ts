/**
 * Results as plain JSON and back, bit for bit: {@link resultToJSON} / {@link resultFromJSON} and the string forms
 * {@link stringifyResult} / {@link parseResult}.
 * @module
 */
import ndarray, { type NdArray } from 'ndarray';
import { EosLabError } from '../core/errors.js';
import type { GdResult } from '../dynamics/gd.js';
import type { GradientFlowResult } from '../dynamics/gradient-flow.js';
import type { EdgeOfStabilityCriterionResult, GridStarts, GridStudyResult } from '../experiments/grid-study/index.js';
import type { LearningRateSchedule, LrSweepResult } from '../experiments/lr-sweep/index.js';
import type { EosCycle } from '../experiments/eos-detectors.js';
import type { LanczosResult } from '../linalg/lanczos.js';
import type { PowerIterationResult } from '../linalg/power-iteration.js';
import type { SymmetricEigenResult } from '../linalg/symmetric-eigen.js';
import type { SharpnessEstimate } from '../sharpness/sharpness.js';

/**
 * The result types {@link resultToJSON} knows by name: the key is the `kind` stored in the JSON, the value the
 * type {@link resultFromJSON} returns for it. `'value'` takes any other value built from the same pieces (numbers,
 * strings, booleans, null, undefined, arrays, plain objects, typed arrays, ndarrays).
 *
 * @since 0.2.0
 */
export interface ResultTypes {
  gd: GdResult;
  gradientFlow: GradientFlowResult;
  lanczos: LanczosResult;
  powerIteration: PowerIterationResult;
  symmetricEigen: SymmetricEigenResult;
  sharpnessEstimate: SharpnessEstimate;
  gridStudy: GridStudyResult;
  gridStarts: GridStarts;
  edgeOfStabilityCriterion: EdgeOfStabilityCriterionResult;
  lrSweep: LrSweepResult;
  learningRateSchedule: LearningRateSchedule;
  eosCycles: readonly EosCycle[];
  value: unknown;
}

/**
 * The name of a result type in {@link ResultTypes}.
 *
 * @since 0.2.0
 */
export type ResultKind = keyof ResultTypes;

/**
 * A JSON value: what `JSON.parse` returns.
 *
 * @since 0.2.0
 */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/**
 * A result as plain JSON data (numbers, strings, booleans, null, arrays, objects), with the envelope that says what
 * it is. `JSON.stringify` of it and `JSON.parse` back give the same data.
 *
 * @since 0.2.0
 */
export interface SerializedResult<K extends ResultKind = ResultKind> {
  /** Always `'eos-lab/result'`. */
  readonly format: typeof RESULT_FORMAT;
  /** The encoding version, {@link RESULT_FORMAT_VERSION}. */
  readonly version: number;
  /** What the data is: a key of {@link ResultTypes}. */
  readonly kind: K;
  /** The encoded result. */
  readonly data: JsonValue;
}

/**
 * The `format` field of every {@link SerializedResult}.
 *
 * @since 0.2.0
 */
export const RESULT_FORMAT = 'eos-lab/result';

/**
 * The version of the encoding written by {@link resultToJSON}; {@link resultFromJSON} reads versions up to it.
 *
 * @since 0.2.0
 */
export const RESULT_FORMAT_VERSION = 1;

const KINDS: readonly ResultKind[] = [
  'gd', 'gradientFlow', 'lanczos', 'powerIteration', 'symmetricEigen', 'sharpnessEstimate', 'gridStudy', 'gridStarts',
  'edgeOfStabilityCriterion', 'lrSweep', 'learningRateSchedule', 'eosCycles', 'value',
];

/** The tag key of encoded non-JSON values; plain objects with this key cannot be encoded. */
const TAG = '$eos';

type TypedArray =
  | Float64Array | Float32Array | Int32Array | Uint32Array | Int16Array | Uint16Array | Int8Array | Uint8Array
  | Uint8ClampedArray;
type TypedArrayName =
  | 'Float64Array' | 'Float32Array' | 'Int32Array' | 'Uint32Array' | 'Int16Array' | 'Uint16Array' | 'Int8Array'
  | 'Uint8Array' | 'Uint8ClampedArray';

const TYPED_ARRAYS: Record<TypedArrayName, new (length: number) => TypedArray> = {
  Float64Array, Float32Array, Int32Array, Uint32Array, Int16Array, Uint16Array, Int8Array, Uint8Array, Uint8ClampedArray,
};
const NDARRAY_DTYPES: Record<string, TypedArrayName> = {
  float64: 'Float64Array', float32: 'Float32Array', int32: 'Int32Array', uint32: 'Uint32Array', int16: 'Int16Array',
  uint16: 'Uint16Array', int8: 'Int8Array', uint8: 'Uint8Array', uint8_clamped: 'Uint8ClampedArray',
};

/** A double as JSON: itself when JSON keeps it exactly, else the name of the special value. */
function encodeNumberItem(x: number): number | string {
  if (Number.isFinite(x)) return Object.is(x, -0) ? '-0' : x;
  return Number.isNaN(x) ? 'NaN' : x > 0 ? 'Infinity' : '-Infinity';
}

function decodeNumberItem(fn: string, path: string, v: unknown): number {
  if (typeof v === 'number') return v;
  switch (v) {
    case 'NaN':
      return NaN;
    case 'Infinity':
      return Infinity;
    case '-Infinity':
      return -Infinity;
    case '-0':
      return -0;
    default:
      throw malformed(fn, path, v, "a number or one of 'NaN', 'Infinity', '-Infinity', '-0'");
  }
}

function malformed(fn: string, path: string, value: unknown, expected: string): EosLabError {
  return new EosLabError('E_BAD_OPTION', fn, { argument: path, value, expected });
}

function typedArrayName(v: unknown): TypedArrayName | undefined {
  for (const name of Object.keys(TYPED_ARRAYS) as TypedArrayName[]) if (v instanceof TYPED_ARRAYS[name]) return name;
  return undefined;
}

function isNdArray(v: object): v is NdArray<TypedArray> {
  const a = v as Partial<NdArray<TypedArray>>;
  return Array.isArray(a.shape) && Array.isArray(a.stride) && typeof a.offset === 'number' && a.data !== undefined &&
    typeof a.get === 'function' && typeof a.dtype === 'string';
}

function isPlainObject(v: object): boolean {
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

function encode(fn: string, path: string, v: unknown): JsonValue {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (v === undefined) return { [TAG]: 'undefined' };
  if (typeof v === 'number') {
    const item = encodeNumberItem(v);
    return typeof item === 'number' ? item : { [TAG]: 'number', value: item };
  }
  if (typeof v === 'object') {
    if (Array.isArray(v)) return v.map((x, i) => encode(fn, `${path}[${i}]`, x));
    const name = typedArrayName(v);
    if (name !== undefined) return { [TAG]: name, data: Array.from(v as TypedArray, encodeNumberItem) };
    if (isNdArray(v)) return encodeNdArray(fn, path, v);
    if (isPlainObject(v)) {
      const out: { [key: string]: JsonValue } = {};
      for (const [key, x] of Object.entries(v)) {
        if (key === TAG) throw new EosLabError('E_NOT_SUPPORTED', fn, { argument: `${path}.${key}`, value: x, expected: `absent: the key '${TAG}' is reserved for the encoding` });
        out[key] = encode(fn, `${path}.${key}`, x);
      }
      return out;
    }
  }
  throw new EosLabError('E_NOT_SUPPORTED', fn, {
    argument: path,
    value: v,
    expected: 'a number, string, boolean, null, undefined, array, plain object, typed array or ndarray (what results are made of)',
  });
}

function encodeNdArray(fn: string, path: string, a: NdArray<TypedArray>): JsonValue {
  const name = NDARRAY_DTYPES[a.dtype];
  if (name === undefined) {
    throw new EosLabError('E_NOT_SUPPORTED', fn, { argument: `${path}.dtype`, value: a.dtype, expected: `one of ${Object.keys(NDARRAY_DTYPES).join(', ')}` });
  }
  // Row-major copy through the view's strides and offset (views need not be contiguous).
  const shape = a.shape.slice();
  const size = shape.reduce((p, n) => p * n, 1);
  const data: (number | string)[] = new Array<number | string>(size);
  const index = new Array<number>(shape.length).fill(0);
  for (let flat = 0; flat < size; flat++) {
    let at = a.offset;
    for (let d = 0; d < shape.length; d++) at += index[d] * a.stride[d];
    data[flat] = encodeNumberItem(a.data[at]);
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++index[d] < shape[d]) break;
      index[d] = 0;
    }
  }
  return { [TAG]: 'ndarray', dtype: a.dtype, shape, data };
}

function decode(fn: string, path: string, v: unknown): unknown {
  if (v === null || typeof v === 'string' || typeof v === 'boolean' || typeof v === 'number') return v;
  if (Array.isArray(v)) return v.map((x, i) => decode(fn, `${path}[${i}]`, x));
  if (typeof v !== 'object') throw malformed(fn, path, v, 'JSON data');
  const o = v as Record<string, unknown>;
  if (!(TAG in o)) {
    const out: Record<string, unknown> = {};
    for (const [key, x] of Object.entries(o)) out[key] = decode(fn, `${path}.${key}`, x);
    return out;
  }
  const tag = o[TAG];
  if (tag === 'undefined') return undefined;
  if (tag === 'number') return decodeNumberItem(fn, `${path}.value`, o.value);
  if (tag === 'ndarray') {
    const name = typeof o.dtype === 'string' ? NDARRAY_DTYPES[o.dtype] : undefined;
    if (name === undefined) throw malformed(fn, `${path}.dtype`, o.dtype, `one of ${Object.keys(NDARRAY_DTYPES).join(', ')}`);
    const shape = o.shape;
    if (!Array.isArray(shape) || !shape.every((n) => Number.isInteger(n) && (n as number) >= 0)) {
      throw malformed(fn, `${path}.shape`, shape, 'an array of non-negative integers');
    }
    const data = decodeTypedArray(fn, path, name, o.data);
    const size = (shape as number[]).reduce((p, n) => p * n, 1);
    if (data.length !== size) throw malformed(fn, `${path}.data`, o.data, `an array of ${size} items (the product of the shape)`);
    return ndarray(data, shape as number[]);
  }
  if (typeof tag === 'string' && tag in TYPED_ARRAYS) return decodeTypedArray(fn, path, tag as TypedArrayName, o.data);
  throw malformed(fn, `${path}.${TAG}`, tag, "'undefined', 'number', 'ndarray' or a typed-array name");
}

function decodeTypedArray(fn: string, path: string, name: TypedArrayName, data: unknown): TypedArray {
  if (!Array.isArray(data)) throw malformed(fn, `${path}.data`, data, 'an array');
  const out = new TYPED_ARRAYS[name](data.length);
  for (let i = 0; i < data.length; i++) {
    const x = decodeNumberItem(fn, `${path}.data[${i}]`, data[i]);
    out[i] = x;
    // Integer arrays would silently wrap or truncate a value that does not fit: refuse instead.
    if (!Object.is(out[i], x) && !(Number.isNaN(x) && Number.isNaN(out[i])) && name !== 'Float32Array') {
      throw malformed(fn, `${path}.data[${i}]`, data[i], `a value a ${name} holds exactly`);
    }
  }
  return out;
}

function checkKind(fn: string, argument: string, kind: unknown): ResultKind {
  if (typeof kind !== 'string' || !(KINDS as readonly string[]).includes(kind)) {
    throw new EosLabError('E_BAD_OPTION', fn, { argument, value: kind, expected: `one of ${KINDS.map((k) => `'${k}'`).join(', ')}` });
  }
  return kind as ResultKind;
}

/**
 * Encodes a result as plain JSON data that {@link resultFromJSON} turns back into the same result, bit for bit.
 *
 * Numbers stay JSON numbers: JavaScript writes the shortest decimal that reads back as the same double, so every
 * finite double survives `JSON.stringify` and `JSON.parse` exactly. The values JSON has no number for are written as
 * strings — `'NaN'`, `'Infinity'`, `'-Infinity'` and `'-0'` — inside typed arrays, and as `{ "$eos": "number",
 * "value": "-0" }` elsewhere. Typed arrays become `{ "$eos": "Float64Array", "data": [...] }` (any of the nine
 * number typed arrays), ndarray views `{ "$eos": "ndarray", "dtype": "float64", "shape": [...], "data": [...] }` in
 * row-major order (strided views are copied), `undefined` fields `{ "$eos": "undefined" }` so that every key comes
 * back.
 *
 * @remarks
 * Works for every result of eos-lab (see {@link ResultTypes}) and any value built from the same pieces. NaN payloads
 * are not kept (every NaN comes back as the canonical NaN); arrays backed by a `SharedArrayBuffer` come back on an
 * ordinary one; ndarrays come back contiguous. Cost: one pass over the result; the output is about as large as the
 * result's numbers written in decimal. The result is not modified.
 * @param kind - what the result is (a key of {@link ResultTypes}), stored in the envelope and checked on reading.
 * @param result - the result to encode.
 * @returns `{ format: 'eos-lab/result', version, kind, data }`, plain JSON data.
 * @throws EosLabError `E_BAD_OPTION` for an unknown `kind`; `E_NOT_SUPPORTED` for a value that is none of the pieces
 *   above (a function, a class instance, a bigint, a Map, …) or an object with the reserved key `$eos`, naming its
 *   path.
 * @example
 * ```ts
 * import { gd, resultFromJSON, resultToJSON, scalarFactorization } from 'eos-lab';
 * const run = gd(scalarFactorization.create(), new Float64Array([2, 0.65]), { learningRate: 0.1, lossGoal: 1e-12 });
 * const text = JSON.stringify(resultToJSON('gd', run)); // write it anywhere
 * const back = resultFromJSON(JSON.parse(text), 'gd'); // a GdResult again
 * console.log(back.theta instanceof Float64Array, back.theta[0] === run.theta[0], back.trace.loss.length); // true true …
 * ```
 * @since 0.2.0
 */
export function resultToJSON<K extends ResultKind>(kind: K, result: ResultTypes[K]): SerializedResult<K> {
  const fn = 'resultToJSON';
  checkKind(fn, 'kind', kind);
  return { format: RESULT_FORMAT, version: RESULT_FORMAT_VERSION, kind, data: encode(fn, 'result', result) };
}

/**
 * Decodes what {@link resultToJSON} wrote (as parsed JSON) back into the result: typed arrays, ndarrays, −0, NaN and
 * ±Infinity restored, every double bit for bit.
 *
 * @remarks
 * The envelope is checked: `format`, a `version` this library reads, and — when `kind` is given — that the stored
 * kind is that one, so that a file holding a grid study is not read as a GD run. The data inside is decoded
 * faithfully but not checked against the TypeScript type beyond that. Cost: one pass over the data.
 * @param json - the parsed JSON (`JSON.parse` of a file written from {@link resultToJSON}'s output).
 * @param kind - the kind expected; gives the return type. Omitted, the stored kind is accepted and the type is taken
 *   from `json`'s static type.
 * @returns the result, with new typed arrays and ndarrays (nothing aliases `json`).
 * @throws EosLabError `E_BAD_OPTION` when `json` is not an eos-lab result envelope, its version is newer than
 *   {@link RESULT_FORMAT_VERSION}, its kind differs from `kind`, or its data is malformed (naming the path, e.g.
 *   `json.data.theta.data[3]`, and what was expected there).
 * @example
 * ```ts
 * import { lanczos, matrixFromRows, resultFromJSON, resultToJSON } from 'eos-lab';
 * const top = lanczos(matrixFromRows([[2, 1], [1, 2]]), { k: 1 });
 * const back = resultFromJSON(resultToJSON('lanczos', top));
 * console.log(back.values[0], Object.is(back.values[0], top.values[0])); // 3 true
 * ```
 * @since 0.2.0
 */
export function resultFromJSON<K extends ResultKind>(json: SerializedResult<K> | JsonValue, kind?: K): ResultTypes[K] {
  const fn = 'resultFromJSON';
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw malformed(fn, 'json', json, `an object { format: '${RESULT_FORMAT}', version, kind, data }`);
  }
  const env = json as Record<string, unknown>;
  if (env.format !== RESULT_FORMAT) throw malformed(fn, 'json.format', env.format, `'${RESULT_FORMAT}'`);
  if (!(Number.isInteger(env.version) && (env.version as number) >= 1 && (env.version as number) <= RESULT_FORMAT_VERSION)) {
    throw malformed(fn, 'json.version', env.version, `an integer in [1, ${RESULT_FORMAT_VERSION}] (written by a newer eos-lab?)`);
  }
  const stored = checkKind(fn, 'json.kind', env.kind);
  if (kind !== undefined && checkKind(fn, 'kind', kind) !== stored) {
    throw malformed(fn, 'json.kind', stored, `'${kind}' (the kind asked for)`);
  }
  if (!('data' in env)) throw malformed(fn, 'json.data', undefined, 'present');
  return decode(fn, 'json.data', env.data) as ResultTypes[K];
}

/**
 * {@link resultToJSON} written as a JSON string.
 *
 * @remarks Equal to `JSON.stringify(resultToJSON(kind, result), null, space)`.
 * @param kind - what the result is (a key of {@link ResultTypes}).
 * @param result - the result.
 * @param space - indentation passed to `JSON.stringify`.
 * @returns the JSON text.
 * @throws EosLabError as {@link resultToJSON}.
 * @example
 * ```ts
 * import { parseResult, sharpnessEstimate, scalarFactorization, stringifyResult } from 'eos-lab';
 * const est = sharpnessEstimate(scalarFactorization.create(), new Float64Array([1, 1]));
 * const text = stringifyResult('sharpnessEstimate', est);
 * console.log(parseResult(text, 'sharpnessEstimate').value); // 2
 * ```
 * @since 0.2.0
 */
export function stringifyResult<K extends ResultKind>(kind: K, result: ResultTypes[K], space?: number): string {
  return JSON.stringify(resultToJSON(kind, result), null, space);
}

/**
 * Parses the text {@link stringifyResult} wrote and decodes it with {@link resultFromJSON}.
 *
 * @remarks Equal to `resultFromJSON(JSON.parse(text), kind)`.
 * @param text - JSON text.
 * @param kind - the kind expected; gives the return type.
 * @returns the result.
 * @throws EosLabError `E_BAD_OPTION` for text that is not JSON, and as {@link resultFromJSON}.
 * @example
 * ```ts
 * import { learningRateSchedule, parseResult, stringifyResult } from 'eos-lab';
 * const schedule = learningRateSchedule(4, 16);
 * console.log(parseResult(stringifyResult('learningRateSchedule', schedule), 'learningRateSchedule').fine.length); // 12
 * ```
 * @since 0.2.0
 */
export function parseResult<K extends ResultKind>(text: string, kind: K): ResultTypes[K] {
  let json: JsonValue;
  try {
    json = JSON.parse(text) as JsonValue;
  } catch (e) {
    throw malformed('parseResult', 'text', typeof text === 'string' ? text.slice(0, 80) : text, `JSON text (${(e as Error).message})`);
  }
  return resultFromJSON<K>(json, kind);
}
