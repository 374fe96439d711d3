import type { TopLevelSpec } from 'vega-lite';
import { isFunction, optionKeys, optionsObject } from '../core/validate.js';
import { EosLabError } from '../core/errors.js';

type Vega = typeof import('vega');
type VegaLite = typeof import('vega-lite');

/**
 * Loads the optional peers vega and vega-lite on first use, so that the spec builders of `eos-lab/plot` work
 * without them. @internal
 */
export async function loadRenderer(fn: string, load: (id: string) => Promise<unknown> = (id) => import(id)): Promise<{ vega: Vega; vegaLite: VegaLite }> {
  const loadPeer = async (id: string): Promise<unknown> => {
    try {
      return await load(id);
    } catch (e) {
      const code = (e as { code?: string }).code;
      if ((code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && String((e as Error).message).includes(`'${id}'`)) {
        const err = new EosLabError('E_NOT_SUPPORTED', fn, {
          argument: `the package '${id}'`,
          value: 'not installed',
          expected: 'installed to render figures: vega and vega-lite are optional peer dependencies of eos-lab (npm install vega vega-lite); the spec builders work without them',
        });
        (err as { cause?: unknown }).cause = e;
        throw err;
      }
      throw e;
    }
  };
  const vega = (await loadPeer('vega')) as Vega;
  const vegaLite = (await loadPeer('vega-lite')) as VegaLite;
  return { vega, vegaLite };
}

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
 * vega and vega-lite are optional peer dependencies, loaded on the first call: the spec builders of
 * `eos-lab/plot` work without them, and so does writing the specs to JSON for the online vega editor.
 *
 * @param spec - A vega-lite top-level specification (unit, layer, concat or facet).
 * @param options - See {@link RenderSvgOptions}.
 * @returns The SVG document as a string, starting with `<svg`.
 * @throws EosLabError `E_BAD_OPTION` if `spec` is not an object or `options.onWarning` is not a function;
 *   `E_NOT_SUPPORTED` if vega or vega-lite is not installed; errors of the vega-lite compiler (invalid specs)
 *   propagate unchanged.
 * @example
 * ```ts
 * import { renderSvg } from 'eos-lab/plot';
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
  const { vega, vegaLite } = await loadRenderer(fn);
  const logger = vega.logger(vega.Warn, 'warn', (_method, _level, args) => {
    onWarning(args.map((a) => (a instanceof Error ? a.message : String(a))).join(' '));
  });
  const compiled = vegaLite.compile(spec, { logger });
  const view = new vega.View(vega.parse(compiled.spec), { renderer: 'none', logger });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
