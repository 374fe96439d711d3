/**
 * Traces and tables of results as CSV: {@link traceToCsv}, {@link recordsToCsv}.
 * @module
 */
import { EosLabError } from '../core/errors.js';

/** A number as CSV text that reads back as the same double (the shortest exact decimal; −0 keeps its sign). */
function formatNumber(x: number): string {
  return Object.is(x, -0) ? '-0' : String(x);
}

/** RFC 4180 quoting: a cell with a comma, quote or line break goes in double quotes, quotes doubled. */
function cell(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function isNumberArray(v: unknown): v is ArrayLike<number> {
  return ArrayBuffer.isView(v) && !(v instanceof DataView) && typeof (v as unknown as ArrayLike<unknown>)[0] !== 'bigint';
}

/**
 * A recorded trace (of {@link gd} or {@link gradientFlow}) as CSV text: one row per recorded step, one column per
 * recorded quantity.
 *
 * @remarks
 * Columns: `step`, then every typed-array field recorded at the same steps as `step` (for {@link gd}: `loss`,
 * `norm1`, `norm2`, `gradNorm`; {@link gradientFlow} adds `time`; since 0.2.0 a run recorded with `record.theta` adds
 * the iterate's coordinates `theta[0]`, `theta[1]`, …), then `sharpness`, which is recorded at its own
 * steps `sharpnessStep`. Rows are the union of both step lists in increasing order; a quantity not recorded at a row's
 * step is an empty cell. Numbers are written as the shortest decimal that reads back as the same double (`NaN`,
 * `Infinity`, `-Infinity` and `-0` spelled out), so `numpy.loadtxt`/`pandas.read_csv` and `Number()` recover them
 * exactly. Lines end with `\n`, and the text ends with one. Cost: one pass over the trace.
 * @param trace - a trace with an `Int32Array` (or other integer array) `step` and typed-array columns.
 * @returns the CSV text with a header line.
 * @throws EosLabError `E_BAD_OPTION` when `trace` has no `step` array, or `sharpness` and `sharpnessStep` differ in
 *   length.
 * @example
 * ```ts
 * import { gd, scalarFactorization, traceToCsv } from 'eos-lab';
 * const run = gd(scalarFactorization.create(), new Float64Array([2, 0.65]), {
 *   learningRate: 0.1, maxSteps: 20, record: { every: 10, sharpnessEvery: 20 },
 * });
 * console.log(traceToCsv(run.trace).split('\n')[0]); // step,loss,norm1,norm2,gradNorm,sharpness
 * ```
 * @since 0.2.0
 */
export function traceToCsv(trace: object): string {
  const fn = 'traceToCsv';
  const t = trace as Record<string, unknown>;
  if (trace === null || typeof trace !== 'object' || !isNumberArray(t.step)) {
    throw new EosLabError('E_BAD_OPTION', fn, { argument: 'trace', value: trace, expected: 'a trace object with a typed-array `step` (the `trace` of a gd or gradientFlow result)' });
  }
  const step = t.step;
  const columns: [string, ArrayLike<number>][] = [];
  for (const [key, v] of Object.entries(t)) {
    if (key === 'step' || key === 'sharpness' || key === 'sharpnessStep' || key === 'theta') continue;
    if (isNumberArray(v) && v.length === step.length) columns.push([key, v]);
  }
  // Recorded iterates (`record.theta`): dim values per recorded step, one column per coordinate.
  const theta = t.theta;
  if (isNumberArray(theta) && step.length > 0 && theta.length > 0 && theta.length % step.length === 0) {
    const dim = theta.length / step.length;
    for (let c = 0; c < dim; c++) {
      const col = new Float64Array(step.length);
      for (let r = 0; r < step.length; r++) col[r] = theta[r * dim + c];
      columns.push([`theta[${c}]`, col]);
    }
  }
  const sharp = isNumberArray(t.sharpness) ? t.sharpness : undefined;
  const sharpStep = isNumberArray(t.sharpnessStep) ? t.sharpnessStep : undefined;
  if (sharp !== undefined && (sharpStep === undefined || sharpStep.length !== sharp.length)) {
    throw new EosLabError('E_BAD_OPTION', fn, {
      argument: 'trace.sharpnessStep',
      value: sharpStep,
      expected: `an array of the steps of trace.sharpness (length ${sharp.length})`,
    });
  }
  const header = ['step', ...columns.map(([k]) => k), ...(sharp !== undefined ? ['sharpness'] : [])];
  const lines = [header.map(cell).join(',')];
  // Merge the two increasing step lists.
  let i = 0;
  let j = 0;
  const m = sharp === undefined ? 0 : sharp.length;
  while (i < step.length || j < m) {
    const si = i < step.length ? step[i] : Infinity;
    const sj = j < m ? sharpStep![j] : Infinity;
    const k = Math.min(si, sj);
    const row = [formatNumber(k)];
    for (const [, col] of columns) row.push(si === k ? formatNumber(col[i]) : '');
    if (sharp !== undefined) row.push(sj === k ? formatNumber(sharp[j]) : '');
    lines.push(row.join(','));
    if (si === k) i++;
    if (sj === k) j++;
  }
  return lines.join('\n') + '\n';
}

function flatten(prefix: string, v: unknown, out: Map<string, string>): void {
  if (v !== null && typeof v === 'object' && !Array.isArray(v) && !ArrayBuffer.isView(v) && Object.getPrototypeOf(v) === Object.prototype) {
    for (const [k, x] of Object.entries(v)) flatten(prefix === '' ? k : `${prefix}.${k}`, x, out);
    return;
  }
  let text: string;
  if (v === undefined || v === null) text = '';
  else if (typeof v === 'number') text = formatNumber(v);
  else if (typeof v === 'string') text = v;
  else if (typeof v === 'boolean') text = String(v);
  else if (Array.isArray(v) || isNumberArray(v)) text = Array.from(v as ArrayLike<unknown>, (x) => (typeof x === 'number' ? formatNumber(x) : String(x))).join(' ');
  else text = String(v);
  out.set(prefix, text);
}

/**
 * A list of records (plain objects, e.g. the `runs` of an {@link lrSweep} result or the per-rate summaries of a
 * {@link gridStudy}) as CSV text: one row per record, one column per field.
 *
 * @remarks
 * Nested plain objects become dotted columns (`finalSharpness.max`); arrays and typed arrays become one cell with
 * their items separated by spaces; `null` and `undefined` become empty cells. Columns appear in the order first seen.
 * Numbers are written exactly as in {@link traceToCsv}. Cost: one pass over the records.
 * @param records - the rows.
 * @returns the CSV text with a header line.
 * @throws EosLabError `E_BAD_OPTION` when `records` is not an array of objects.
 * @example
 * ```ts
 * import { recordsToCsv } from 'eos-lab';
 * console.log(recordsToCsv([{ eta: 0.1, s: { max: 2 } }, { eta: 0.2, s: { max: -0 }, note: 'a, b' }]));
 * // eta,s.max,note / 0.1,2, / 0.2,-0,"a, b"
 * ```
 * @since 0.2.0
 */
export function recordsToCsv(records: readonly object[]): string {
  const fn = 'recordsToCsv';
  if (!Array.isArray(records)) throw new EosLabError('E_BAD_OPTION', fn, { argument: 'records', value: records, expected: 'an array of objects' });
  const rows: Map<string, string>[] = [];
  const header: string[] = [];
  const seen = new Set<string>();
  records.forEach((r, i) => {
    if (r === null || typeof r !== 'object') {
      throw new EosLabError('E_BAD_OPTION', fn, { argument: `records[${i}]`, value: r, expected: 'an object' });
    }
    const row = new Map<string, string>();
    flatten('', r, row);
    for (const k of row.keys()) {
      if (!seen.has(k)) {
        seen.add(k);
        header.push(k);
      }
    }
    rows.push(row);
  });
  const lines = [header.map(cell).join(',')];
  for (const row of rows) lines.push(header.map((k) => cell(row.get(k) ?? '')).join(','));
  return lines.join('\n') + '\n';
}
