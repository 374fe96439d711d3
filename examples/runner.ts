/**
 * The engine of `npm run reproduce` (CLI entry: `examples/reproduce.ts`): selects examples, runs them one
 * after another with progress output, writes their files and summarizes. Exported for the smoke test, which
 * calls {@link runExamples} directly.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { renderSvg } from '../src/plot/index.js';
import { examples as registeredExamples } from './registry.js';
import type { Example, ExampleContext } from './types.js';

/** Options of {@link runExamples}. */
export interface RunExamplesOptions {
  /** Names of the examples to run, in registry order. Default: all. */
  only?: readonly string[];
  /** Reduced sizes. Default: false. */
  quick?: boolean;
  /** Output root; each example writes to `<outDir>/<name>/`. Default: `out`. */
  outDir?: string;
  /** The examples to choose from. Default: the registry. */
  examples?: readonly Example[];
  /** Where output lines go. Default: `console.log`. */
  log?: (line: string) => void;
}

/** The outcome of one example. */
export interface ExampleResult {
  name: string;
  title: string;
  ok: boolean;
  seconds: number;
  /** Absolute paths of the files written, in order. */
  files: string[];
  /** The example's `report` lines. */
  report: string[];
  /** Warnings of the SVG renderer (a correct figure has none). */
  warnings: string[];
  /** The error thrown, when `ok` is false. */
  error?: unknown;
}

/** The outcome of a run. */
export interface RunSummary {
  ok: boolean;
  outDir: string;
  results: ExampleResult[];
}

/** Thrown for a bad command line or an unknown example name; the CLI prints its message and exits with 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

const SAFE_FILE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

function formatSeconds(s: number): string {
  return s < 10 ? `${s.toFixed(2)}s` : s < 600 ? `${s.toFixed(1)}s` : `${Math.floor(s / 60)}m${Math.round(s % 60)}s`;
}

/**
 * JSON text of `value`: objects indented by two spaces, arrays of plain values (numbers, strings, booleans)
 * kept on one line so long traces stay readable; typed arrays become arrays; NaN/±Infinity become `null`
 * (as in `JSON.stringify`); `toJSON` is honoured and `undefined` members are left out.
 */
export function formatJson(value: unknown): string {
  const scalar = (v: unknown): string | undefined => {
    if (v === null) return 'null';
    if (typeof v === 'number') return Number.isFinite(v) ? JSON.stringify(v) : 'null';
    if (typeof v === 'bigint') return String(v);
    if (typeof v === 'string' || typeof v === 'boolean') return JSON.stringify(v);
    return undefined;
  };
  const write = (v: unknown, pad: string): string | undefined => {
    if (v !== null && typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON === 'function') {
      v = (v as { toJSON: () => unknown }).toJSON();
    }
    if (ArrayBuffer.isView(v) && !(v instanceof DataView)) v = Array.from(v as unknown as ArrayLike<number>);
    const s = scalar(v);
    if (s !== undefined) return s;
    if (v === undefined || typeof v === 'function' || typeof v === 'symbol') return undefined;
    const inner = `${pad}  `;
    if (Array.isArray(v)) {
      if (v.length === 0) return '[]';
      const flat = v.map(scalar);
      if (flat.every((x) => x !== undefined)) return `[${flat.join(', ')}]`;
      return `[\n${v.map((x) => `${inner}${write(x, inner) ?? 'null'}`).join(',\n')}\n${pad}]`;
    }
    const entries = Object.entries(v as Record<string, unknown>)
      .map(([k, x]) => [k, write(x, inner)] as const)
      .filter(([, x]) => x !== undefined);
    if (entries.length === 0) return '{}';
    return `{\n${entries.map(([k, x]) => `${inner}${JSON.stringify(k)}: ${x}`).join(',\n')}\n${pad}}`;
  };
  return write(value, '') ?? 'null';
}

/** A path for display: relative to the working directory when inside it, else absolute. */
function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel !== '' && !rel.startsWith('..') ? rel : path;
}

/** Resolves `only` against the example names; unknown names are a {@link UsageError} listing the valid ones. */
export function selectExamples(all: readonly Example[], only: readonly string[] | undefined): Example[] {
  if (only === undefined || only.length === 0) return [...all];
  const names = all.map((e) => e.name);
  const unknown = only.filter((n) => !names.includes(n));
  if (unknown.length > 0) {
    throw new UsageError(
      `unknown example${unknown.length > 1 ? 's' : ''} ${unknown.map((n) => `'${n}'`).join(', ')}. ` +
        `Available: ${names.join(', ')}.`,
    );
  }
  return all.filter((e) => only.includes(e.name));
}

/**
 * Runs the selected examples one after another (a failing example does not stop the others) and prints
 * progress and a final summary. Resolves with the results; `ok` is false when any example threw.
 *
 * @throws UsageError for an unknown name in `only`.
 */
export async function runExamples(options: RunExamplesOptions = {}): Promise<RunSummary> {
  const log = options.log ?? ((line: string) => console.log(line));
  const all = options.examples ?? registeredExamples;
  const names = new Set<string>();
  for (const e of all) {
    if (!SAFE_FILE.test(e.name) || names.has(e.name)) throw new UsageError(`invalid or duplicate example name '${e.name}'`);
    names.add(e.name);
  }
  const selected = selectExamples(all, options.only);
  const quick = options.quick === true;
  const outRoot = resolve(options.outDir ?? 'out');
  const results: ExampleResult[] = [];
  const runStart = performance.now();

  log(`Running ${selected.length} example${selected.length === 1 ? '' : 's'}${quick ? ' (quick)' : ''} into ${outRoot}`);
  for (const [index, example] of selected.entries()) {
    const outDir = join(outRoot, example.name);
    const result: ExampleResult = {
      name: example.name,
      title: example.title,
      ok: false,
      seconds: 0,
      files: [],
      report: [],
      warnings: [],
    };
    results.push(result);
    const start = performance.now();
    const elapsed = () => (performance.now() - start) / 1000;
    const prefix = `[${index + 1}/${selected.length}]`;
    const indent = ' '.repeat(prefix.length + 1);
    log(`${prefix} ${example.name}: ${example.title}`);

    const target = (file: string, ext: string): string => {
      const name = file.endsWith(ext) ? file : `${file}${ext}`;
      if (!SAFE_FILE.test(name)) {
        throw new Error(`${example.name}: file name '${file}' must be a plain name (letters, digits, '.', '_', '-')`);
      }
      return join(outDir, name);
    };
    const record = (path: string) => {
      if (!result.files.includes(path)) result.files.push(path);
      log(`${indent}${formatSeconds(elapsed()).padStart(7)}  wrote ${displayPath(path)}`);
      return path;
    };
    const ctx: ExampleContext = {
      quick,
      outDir,
      async writeJson(file, data) {
        const path = target(file, '.json');
        await writeFile(path, `${formatJson(data)}\n`);
        return record(path);
      },
      async writeSvg(file, spec) {
        const path = target(file, '.svg');
        const svg = await renderSvg(spec, {
          onWarning: (message) => {
            result.warnings.push(`${file}: ${message}`);
            log(`${indent}${formatSeconds(elapsed()).padStart(7)}  warning (${file}): ${message}`);
          },
        });
        await writeFile(path, svg);
        return record(path);
      },
      progress(message) {
        log(`${indent}${formatSeconds(elapsed()).padStart(7)}  ${message}`);
      },
      report(line) {
        result.report.push(line);
        log(`${indent}${formatSeconds(elapsed()).padStart(7)}  ${line}`);
      },
    };

    try {
      await mkdir(outDir, { recursive: true });
      await example.run(ctx);
      result.ok = true;
    } catch (error) {
      result.error = error;
    }
    result.seconds = elapsed();
    if (result.ok) {
      log(`${indent}done in ${formatSeconds(result.seconds)}, ${result.files.length} file(s)`);
    } else {
      const e = result.error;
      log(`${indent}FAILED after ${formatSeconds(result.seconds)}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    }
  }

  const failed = results.filter((r) => !r.ok);
  const fileCount = results.reduce((n, r) => n + r.files.length, 0);
  log('');
  log(`Summary (${formatSeconds((performance.now() - runStart) / 1000)} in all):`);
  for (const r of results) {
    log(`  ${r.ok ? 'ok    ' : 'FAILED'} ${r.name} (${formatSeconds(r.seconds)})`);
    for (const line of r.report) log(`           ${line}`);
    for (const f of r.files) log(`           -> ${displayPath(f)}`);
    if (!r.ok) log(`           error: ${r.error instanceof Error ? r.error.message : String(r.error)}`);
  }
  log(
    `${results.length - failed.length} of ${results.length} example(s) succeeded, ${fileCount} file(s) written` +
      (failed.length > 0 ? `; failed: ${failed.map((r) => r.name).join(', ')}` : ''),
  );
  return { ok: failed.length === 0, outDir: outRoot, results };
}

const USAGE = `Usage: npm run reproduce -- [options]

Runs the registered examples and writes out/<example>/*.json and *.svg.

Options:
  --only <name>   run only this example (repeatable, or a comma-separated list)
  --quick         reduced sizes (smoke test)
  --out <dir>     output root (default: out)
  --list          list the examples and exit
  --help          show this text`;

/** Parsed command line of `reproduce`. */
export interface ReproduceArgs {
  only: string[];
  quick: boolean;
  outDir: string;
  list: boolean;
  help: boolean;
}

/** Parses the command-line arguments (without `node` and the script); throws {@link UsageError} on bad input. */
export function parseReproduceArgs(argv: readonly string[]): ReproduceArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        only: { type: 'string', multiple: true },
        quick: { type: 'boolean', default: false },
        out: { type: 'string', default: 'out' },
        list: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
  const only = (values.only ?? [])
    .flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (values.out === '') throw new UsageError('--out needs a directory');
  return { only, quick: values.quick === true, outDir: values.out ?? 'out', list: values.list === true, help: values.help === true };
}

/** The CLI: returns the process exit code (0 success, 1 an example failed, 2 usage error). */
export async function main(argv: readonly string[], log: (line: string) => void = (l) => console.log(l)): Promise<number> {
  try {
    const args = parseReproduceArgs(argv);
    if (args.help) {
      log(USAGE);
      return 0;
    }
    if (args.list) {
      for (const e of selectExamples(registeredExamples, args.only)) log(`${e.name}\n    ${e.title}\n    ${e.description}`);
      return 0;
    }
    const summary = await runExamples({ only: args.only, quick: args.quick, outDir: args.outDir, log });
    return summary.ok ? 0 : 1;
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`reproduce: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    throw e;
  }
}
