import { mkdirSync, writeFileSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { gd, scalarFactorization } from '../../src/index.js';
import { lineChart, pathsFigure, renderPng, renderSvg } from '../../src/plot/index.js';
import { loadResvg } from '../../src/plot/render-png.js';

/** The PNG's IHDR fields, read independently of the renderer (PNG spec: signature, then the IHDR chunk). */
function pngHeader(png: Uint8Array): { width: number; height: number; bitDepth: number; colorType: number } {
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  expect(Array.from(png.subarray(0, 8))).toEqual(signature);
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  expect(String.fromCharCode(...png.subarray(12, 16))).toBe('IHDR');
  return { width: view.getUint32(16), height: view.getUint32(20), bitDepth: png[24], colorType: png[25] };
}

/** Concatenated, inflated IDAT data → RGBA rows (colour type 6, 8 bits, filter bytes undone). */
function pixels(png: Uint8Array, width: number, height: number): Uint8Array {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const parts: Uint8Array[] = [];
  for (let at = 8; at < png.length; ) {
    const len = view.getUint32(at);
    const type = String.fromCharCode(...png.subarray(at + 4, at + 8));
    if (type === 'IDAT') parts.push(png.subarray(at + 8, at + 8 + len));
    at += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(parts));
  const stride = width * 4;
  const out = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    for (let x = 0; x < stride; x++) {
      const v = raw[y * (stride + 1) + 1 + x];
      const a = x >= 4 ? out[y * stride + x - 4] : 0;
      const b = y > 0 ? out[(y - 1) * stride + x] : 0;
      const c = x >= 4 && y > 0 ? out[(y - 1) * stride + x - 4] : 0;
      const p = a + b - c;
      const pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
      const pred = [0, a, b, (a + b) >> 1, pa <= pb && pa <= pc ? a : pb <= pc ? b : c][filter];
      out[y * stride + x] = (v + pred) & 0xff;
    }
  }
  return out;
}

function svgSize(svg: string): [number, number] {
  const m = /^<svg[^>]*\swidth="([\d.]+)"[^>]*\sheight="([\d.]+)"/.exec(svg)!;
  return [Number(m[1]), Number(m[2])];
}

const chart = lineChart([{ name: 'loss', x: [0, 1, 2, 3], y: [1, 0.3, 0.1, 0.01] }], { logY: true, title: 'loss' });

describe('renderPng', () => {
  it('writes a PNG (signature, IHDR) scale × the SVG size, RGBA 8-bit, white background with drawn marks', async () => {
    const [w, h] = svgSize(await renderSvg(chart));
    for (const scale of [1, 2]) {
      const png = await renderPng(chart, { scale });
      const head = pngHeader(png);
      expect(head).toEqual({ width: Math.round(w * scale), height: Math.round(h * scale), bitDepth: 8, colorType: 6 });
      const px = pixels(png, head.width, head.height);
      let white = 0;
      let dark = 0;
      for (let i = 0; i < px.length; i += 4) {
        if (px[i] === 255 && px[i + 1] === 255 && px[i + 2] === 255 && px[i + 3] === 255) white++;
        if (px[i] < 100 && px[i + 1] < 130 && px[i + 3] === 255) dark++;
      }
      const n = px.length / 4;
      // Mostly background, and some ink (axes, text, the line): thresholds stated before running.
      expect(white / n).toBeGreaterThan(0.6);
      expect(dark).toBeGreaterThan(100);
    }
  });

  it('the background fills what the figure leaves transparent; both transparent keeps alpha 0 outside the marks', async () => {
    const clear = { ...chart, background: 'transparent' } as typeof chart;
    const png = await renderPng(clear, { scale: 1, background: 'transparent' });
    const head = pngHeader(png);
    expect(pixels(png, head.width, head.height)[3]).toBe(0); // top-left corner: padding
    const filled = await renderPng(clear, { scale: 1 });
    expect(Array.from(pixels(filled, head.width, head.height).subarray(0, 4))).toEqual([255, 255, 255, 255]);
    const red = await renderPng(clear, { scale: 1, background: '#ff0000' });
    expect(Array.from(pixels(red, head.width, head.height).subarray(0, 4))).toEqual([255, 0, 0, 255]);
  });

  it('renders a paths figure (written to out/plot-test/paths.png for a look)', async () => {
    const model = scalarFactorization.create();
    const runs = [0.1, 0.9].map((learningRate) => gd(model, Float64Array.of(2, 0.65), { learningRate, lossGoal: 1e-10, record: { theta: true } }));
    const png = await renderPng(pathsFigure(runs, {
      names: ['η = 0.1', 'η = 0.9'], xTitle: 'x', yTitle: 'y', xDomain: [0, 2.5], yDomain: [0, 2.5],
      levelSets: [{ f: (x, y) => x * y, level: 1, label: 'xy = 1' }], title: 'GD on ½(1 − xy)²',
    }));
    expect(pngHeader(png).width).toBeGreaterThan(600);
    mkdirSync('out/plot-test', { recursive: true });
    writeFileSync('out/plot-test/paths.png', png);
  });

  it('bad options are coded; a missing @resvg/resvg-js is E_NOT_SUPPORTED naming it; other load errors pass through', async () => {
    for (const [options, argument] of [[{ scale: 0 }, 'options.scale'], [{ scale: 17 }, 'options.scale'], [{ background: 3 }, 'options.background'], [{ fontFiles: 'a.ttf' }, 'options.fontFiles'], [{ dpi: 2 }, 'options.dpi']] as const) {
      const e = (await renderPng(chart, options as never).catch((x: unknown) => x)) as { code: string; details: { argument: string } };
      expect(e.code).toBe('E_BAD_OPTION');
      expect(e.details.argument).toBe(argument);
    }
    const missing = (id: string): Promise<unknown> => {
      const e = new Error(`Cannot find package '${id}' imported from x`) as Error & { code: string };
      e.code = 'ERR_MODULE_NOT_FOUND';
      return Promise.reject(e);
    };
    const err = (await loadResvg('renderPng', missing).catch((e: unknown) => e)) as { code: string; message: string };
    expect(err.code).toBe('E_NOT_SUPPORTED');
    expect(err.message).toContain('@resvg/resvg-js');
    expect(err.message).toContain('npm install @resvg/resvg-js');
    const boom = new Error('broken');
    await expect(loadResvg('renderPng', () => Promise.reject(boom))).rejects.toBe(boom);
    // The CommonJS exports under `default` (an ES import of the package) are found too.
    class Fake {}
    expect((await loadResvg('renderPng', async () => ({ default: { Resvg: Fake } }))).Resvg).toBe(Fake);
  });
});
