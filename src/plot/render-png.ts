/**
 * {@link renderPng}: a vega-lite spec to PNG bytes, through {@link renderSvg} and the optional peer `@resvg/resvg-js`.
 * @module
 */
import type { TopLevelSpec } from 'vega-lite';
import { EosLabError } from '../core/errors.js';
import { isFunction, optionKeys, optionsObject, positiveFinite } from '../core/validate.js';
import { renderSvg } from './render.js';

/** The part of `@resvg/resvg-js` used here (declared locally: the package is optional, its types too). */
interface ResvgModule {
  Resvg: new (
    svg: string,
    options?: {
      fitTo?: { mode: 'zoom'; value: number };
      background?: string;
      font?: { loadSystemFonts?: boolean; fontFiles?: string[]; defaultFontFamily?: string };
    },
  ) => { render(): { asPng(): Uint8Array; width: number; height: number } };
}

const RESVG = '@resvg/resvg-js';

/**
 * Loads the optional peer `@resvg/resvg-js` on first use; `E_NOT_SUPPORTED` naming it when it is not installed.
 * @internal
 */
export async function loadResvg(fn: string, load: (id: string) => Promise<unknown> = (id) => import(id)): Promise<ResvgModule> {
  let mod: unknown;
  try {
    mod = await load(RESVG);
  } catch (e) {
    const code = (e as { code?: string }).code;
    if ((code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && String((e as Error).message).includes(RESVG)) {
      const err = new EosLabError('E_NOT_SUPPORTED', fn, {
        argument: `the package '${RESVG}'`,
        value: 'not installed',
        expected: `installed to render PNG: it is an optional peer dependency of eos-lab (npm install ${RESVG}); renderSvg works without it`,
      });
      (err as { cause?: unknown }).cause = e;
      throw err;
    }
    throw e;
  }
  // An ES import of the CommonJS package gives its exports as named exports or under `default`.
  const m = mod as Partial<ResvgModule> & { default?: Partial<ResvgModule> };
  const Resvg = m.Resvg ?? m.default?.Resvg;
  if (typeof Resvg !== 'function') {
    throw new EosLabError('E_NOT_SUPPORTED', fn, { argument: `the package '${RESVG}'`, value: 'without a Resvg class', expected: `a version 2 of ${RESVG}` });
  }
  return { Resvg };
}

/**
 * Options of {@link renderPng}.
 *
 * @since 0.2.0
 */
export interface RenderPngOptions {
  /**
   * Pixels per SVG unit: the PNG is `scale` times the figure's size in each direction (2 for sharp text on
   * high-density screens and in print).
   * @defaultValue 2
   */
  scale?: number;
  /**
   * CSS colour filling what the figure leaves transparent. vega-lite paints its own background (white unless the
   * spec sets `background`), so this shows only for a spec with `background: 'transparent'`; `'transparent'` here
   * too keeps the alpha channel.
   * @defaultValue `'white'`
   */
  background?: string;
  /**
   * Font files (TrueType/OpenType paths) to draw the text with, in addition to the system fonts; needed where the
   * system has no fonts (minimal containers), else the text is left out.
   * @defaultValue none (system fonts only)
   */
  fontFiles?: string[];
  /** As {@link RenderSvgOptions.onWarning}. @defaultValue writes to `console.warn`, prefixed with `renderSvg:` */
  onWarning?: (message: string) => void;
}

/**
 * Renders a vega-lite specification to a PNG image, headless: {@link renderSvg} writes the SVG, and resvg (the Rust
 * SVG renderer, through the optional peer `@resvg/resvg-js`) rasterizes it.
 *
 * @remarks
 * The image is `scale` × the SVG's width and height in pixels, on a white background by default. Text is drawn with
 * the system's fonts (vega asks for `sans-serif`: Arial, else DejaVu Sans, else any font found) plus `fontFiles`; on a
 * system without fonts the text is missing,
 * not an error. `@resvg/resvg-js` ships prebuilt binaries for Linux, macOS and Windows (x64 and arm64) and is loaded
 * on the first call; it runs in Node only (for browsers, draw the SVG). vega and vega-lite are needed as for
 * {@link renderSvg}. Cost: the SVG rendering plus rasterization, roughly linear in the number of pixels and marks.
 * @param spec - A vega-lite top-level specification.
 * @param options - See {@link RenderPngOptions}.
 * @returns the PNG file's bytes (write them with `fs.writeFileSync('figure.png', png)`).
 * @throws EosLabError `E_NOT_SUPPORTED` if `@resvg/resvg-js` (or vega, vega-lite) is not installed, naming it;
 *   `E_BAD_OPTION` for a `scale` not finite > 0 (at most 16), a non-string background, `fontFiles` not an array of
 *   strings, or an unknown option; as {@link renderSvg} for the spec. The errors are rejections of the promise.
 * @example
 * ```ts
 * import { lineChart, renderPng } from 'eos-lab/plot';
 * const png = await renderPng(lineChart([{ name: 'loss', x: [0, 1, 2], y: [1, 0.1, 0.01] }], { logY: true }));
 * console.log(png[1] === 0x50 && png[2] === 0x4e && png[3] === 0x47); // true: the PNG signature
 * ```
 * @since 0.2.0
 */
export async function renderPng(spec: TopLevelSpec, options?: RenderPngOptions): Promise<Uint8Array> {
  const fn = 'renderPng';
  const o = optionsObject(fn, options, optionKeys<RenderPngOptions>({ scale: true, background: true, fontFiles: true, onWarning: true }));
  const scale = positiveFinite(fn, 'options.scale', o.scale ?? 2);
  if (scale > 16) throw new EosLabError('E_BAD_OPTION', fn, { argument: 'options.scale', value: scale, expected: 'a number in (0, 16]' });
  const background = o.background ?? 'white';
  if (typeof background !== 'string') throw new EosLabError('E_BAD_OPTION', fn, { argument: 'options.background', value: background, expected: 'a CSS colour string' });
  const fontFiles = o.fontFiles ?? [];
  if (!Array.isArray(fontFiles) || !fontFiles.every((f) => typeof f === 'string')) {
    throw new EosLabError('E_BAD_OPTION', fn, { argument: 'options.fontFiles', value: fontFiles, expected: 'an array of font file paths' });
  }
  const onWarning = o.onWarning === undefined ? undefined : isFunction<(message: string) => void>(fn, 'options.onWarning', o.onWarning);
  const { Resvg } = await loadResvg(fn);
  const svg = await renderSvg(spec, onWarning === undefined ? {} : { onWarning });
  const image = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    ...(background === 'transparent' ? {} : { background }),
    // vega asks for 'sans-serif', which resvg maps to Arial; where Arial is missing (most Linux systems) resvg falls
    // back to the default family, which is then DejaVu Sans rather than the first font found (often a serif one).
    font: { loadSystemFonts: true, fontFiles, defaultFontFamily: 'DejaVu Sans' },
  }).render();
  const png = image.asPng();
  return new Uint8Array(png.buffer, png.byteOffset, png.byteLength);
}
