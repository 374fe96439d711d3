/**
 * A minimal PNG encoder (8-bit RGBA, no interlacing, filter 0, zlib from node:zlib), so a heat map of 141 × 141
 * cells can be embedded in an SVG figure as one small image instead of 20,000 rectangles.
 */
import { crc32, deflateSync } from 'node:zlib';

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body) >>> 0);
  return Buffer.concat([length, body, crc]);
}

/**
 * Encodes `rgba` (row-major, top row first, 4 bytes per pixel) as a PNG file (PNG spec §11: IHDR, IDAT, IEND).
 */
export function encodePng(width: number, height: number, rgba: Uint8Array): Buffer {
  if (rgba.length !== 4 * width * height) throw new Error(`encodePng: expected ${4 * width * height} bytes, got ${rgba.length}`);
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // colour type RGBA
  // compression 0, filter method 0, no interlace: already zero
  const stride = 4 * width;
  const raw = Buffer.alloc((stride + 1) * height); // each scanline: filter byte 0 (none), then the pixels
  for (let y = 0; y < height; y++) raw.set(rgba.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A `data:` URL of the PNG, for a vega-lite image mark. */
export function pngDataUrl(width: number, height: number, rgba: Uint8Array): string {
  return `data:image/png;base64,${encodePng(width, height, rgba).toString('base64')}`;
}
