/**
 * The contract between `npm run reproduce` and an example. An example is a module (`examples/<name>/index.ts`
 * or `examples/<name>.ts`) whose default or named export is an {@link Example}, listed in `examples/registry.ts`.
 */
import type { TopLevelSpec } from 'vega-lite';

/** What the runner hands to {@link Example.run}. */
export interface ExampleContext {
  /** Reduced sizes (fewer steps, coarser grids), for the CI smoke test; the figures must still be drawn. */
  readonly quick: boolean;
  /** Absolute path of this example's output folder `<out>/<name>/` (created before `run`). */
  readonly outDir: string;
  /**
   * Writes `data` as pretty JSON to `<outDir>/<file>` (`.json` appended when missing). Typed arrays become
   * plain arrays; non-finite numbers become `null`. Returns the path written.
   */
  writeJson(file: string, data: unknown): Promise<string>;
  /**
   * Renders a vega-lite spec headless and writes the SVG to `<outDir>/<file>` (`.svg` appended when
   * missing). Returns the path written.
   */
  writeSvg(file: string, spec: TopLevelSpec): Promise<string>;
  /** A progress line (printed at once with the elapsed time). */
  progress(message: string): void;
  /** A result line: printed at once and again in the runner's final summary. */
  report(line: string): void;
}

/** One reproducible example: a figure (or a few) of a paper, with its data as JSON. */
export interface Example {
  /** Folder-safe identifier, e.g. `scalar-factorization-gd`; the output goes to `<out>/<name>/`. */
  readonly name: string;
  /** One-line title. */
  readonly title: string;
  /** What the example shows and which seed/figure it reproduces. */
  readonly description: string;
  /** Computes, writes its files through `ctx`, and throws on failure. */
  run(ctx: ExampleContext): Promise<void>;
}
