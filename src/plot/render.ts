import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { isFunction, optionKeys, optionsObject } from '../core/validate.js';
import { EosLabError } from '../core/errors.js';

/**
 * Options of {@link renderSvg}.
 *
 * @since 0.1.0
 */
export interface RenderSvgOptions {
  /**
   * Called with each warning of the vega-lite compiler or the vega runtime (e.g. a dropped encoding or a
   * non-positive value on a log scale).
   *
   * @defaultValue writes the warning to `console.warn`, prefixed with `renderSvg:`
   */
  onWarning?: (message: string) => void;
}

/**
 * Renders a vega-lite specification to an SVG document, headless (no browser, no DOM, no canvas).
 *
 * The spec is compiled by vega-lite's `compile`, parsed by `vega.parse` and run by a `vega.View` with
 * `renderer: 'none'`; `view.toSVG()` then writes the scene graph as SVG text.
 *
 * @remarks
 * Text widths are measured by vega's built-in estimate when the optional `canvas` package is absent (it
 * is not a dependency), so label layout can differ slightly from a browser's; the SVG itself is the same
 * markup a browser would get. Data must be inline (`data.values`): no loader is configured for URLs.
 * Cost: one vega dataflow per call; a few milliseconds for small charts, roughly linear in the number of
 * marks. The view is finalized before returning.
 *
 * This module is tooling for the examples (`npm run reproduce`): vega and vega-lite are devDependencies,
 * so `src/plot` is not part of the `eos-lab` entry point; import it by path.
 *
 * @param spec - A vega-lite top-level specification (unit, layer, concat or facet).
 * @param options - See {@link RenderSvgOptions}.
 * @returns The SVG document as a string, starting with `<svg`.
 * @throws EosLabError `E_BAD_OPTION` if `spec` is not an object or `options.onWarning` is not a function;
 *   errors of the vega-lite compiler (invalid specs) propagate unchanged.
 * @example
 * ```ts
 * // from a script in examples/<name>/index.ts
 * import { renderSvg } from '../../src/plot/index.js';
 * const svg = await renderSvg({
 *   data: { values: [{ x: 0, y: 1 }, { x: 1, y: 2 }] },
 *   mark: 'line',
 *   encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } },
 * });
 * console.log(svg.startsWith('<svg')); // true
 * ```
 * @since 0.1.0
 */
export async function renderSvg(spec: TopLevelSpec, options?: RenderSvgOptions): Promise<string> {
  const fn = 'renderSvg';
  const opts = optionsObject(fn, options, optionKeys<RenderSvgOptions>({ onWarning: true }));
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) {
    throw new EosLabError('E_BAD_OPTION', fn, { argument: 'spec', value: spec, expected: 'a vega-lite spec object' });
  }
  const onWarning =
    opts.onWarning === undefined
      ? (message: string) => console.warn(`renderSvg: ${message}`)
      : isFunction<(message: string) => void>(fn, 'options.onWarning', opts.onWarning);
  const logger = vega.logger(vega.Warn, 'warn', (_method, _level, args) => {
    onWarning(args.map((a) => (a instanceof Error ? a.message : String(a))).join(' '));
  });
  const compiled = compile(spec, { logger });
  const view = new vega.View(vega.parse(compiled.spec), { renderer: 'none', logger });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
