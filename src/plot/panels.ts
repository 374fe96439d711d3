import type { TopLevelSpec } from 'vega-lite';
import { EosLabError } from '../core/errors.js';
import { integerInRange, optionKeys, optionsObject } from '../core/validate.js';

/**
 * Options of {@link concatPanels}.
 *
 * @since 0.1.0
 */
export interface ConcatPanelsOptions {
  /** Title over all panels. @defaultValue no title */
  title?: string;
  /**
   * Panels per row before wrapping; `1` stacks them vertically.
   *
   * @defaultValue all panels in one row
   */
  columns?: number;
  /** Gap between panels in pixels. @defaultValue 24 */
  spacing?: number;
}

/**
 * Places several chart specs (from {@link lineChart}, {@link planePaths} or hand-written) side by side in a
 * grid, as one figure: panels (a), (b), (c) of a paper figure.
 *
 * @remarks
 * Builds a vega-lite `concat` with `columns`. Every scale and legend is resolved independently per panel,
 * so each panel keeps its own axes, colours and legend (the builders colour series by their order, so equal
 * series lists still get equal colours). Top-level-only properties of the panels (`$schema`, `config`,
 * `background`, `padding`, `autosize`) are dropped. The inputs are not modified.
 *
 * @param panels - The panel specs, in reading order (at least one).
 * @param options - See {@link ConcatPanelsOptions}.
 * @returns A vega-lite concat spec.
 * @throws EosLabError `E_EMPTY` if `panels` is empty; `E_BAD_OPTION` for a panel that is not an object or
 *   `columns`/`spacing` out of range.
 * @example
 * ```ts
 * import { concatPanels, lineChart, renderSvg } from 'eos-lab/plot';
 * const a = lineChart([{ name: 'a', x: [0, 1], y: [1, 2] }], { title: '(a)' });
 * const b = lineChart([{ name: 'b', x: [0, 1], y: [2, 1] }], { title: '(b)' });
 * const svg = await renderSvg(concatPanels([a, b], { columns: 2 }));
 * ```
 * @since 0.1.0
 */
export function concatPanels(panels: readonly TopLevelSpec[], options?: ConcatPanelsOptions): TopLevelSpec {
  const fn = 'concatPanels';
  const opts = optionsObject(fn, options, optionKeys<ConcatPanelsOptions>({ title: true, columns: true, spacing: true }));
  if (!Array.isArray(panels) || panels.length === 0) {
    throw new EosLabError('E_EMPTY', fn, { argument: 'panels', value: panels, expected: 'a non-empty array of specs' });
  }
  const columns = integerInRange(fn, 'options.columns', opts.columns ?? panels.length, 1);
  const spacing = integerInRange(fn, 'options.spacing', opts.spacing ?? 24, 0);
  const inner = panels.map((p, k) => {
    if (typeof p !== 'object' || p === null || Array.isArray(p)) {
      throw new EosLabError('E_BAD_OPTION', fn, { argument: `panels[${k}]`, value: p, expected: 'a vega-lite spec object' });
    }
    const { $schema, config, background, padding, autosize, ...rest } = p as Record<string, unknown>;
    void $schema, void config, void background, void padding, void autosize;
    return rest;
  });
  const independent = 'independent';
  const spec: Record<string, unknown> = {
    concat: inner,
    columns,
    spacing,
    resolve: {
      scale: { x: independent, y: independent, color: independent, strokeDash: independent },
      legend: { color: independent, strokeDash: independent },
    },
  };
  if (opts.title !== undefined) spec.title = opts.title;
  return spec as unknown as TopLevelSpec;
}
