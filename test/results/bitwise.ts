import type { NdArray } from 'ndarray';

/**
 * Differences between two values, compared bit for bit: numbers by Object.is (so −0 ≠ 0, NaN = NaN), typed arrays by
 * class, length and the bytes of their elements, ndarrays by dtype, shape and every element (through their strides),
 * plain objects by their key lists (undefined-valued keys included). Written independently of the encoder.
 */
export function bitwiseDifferences(a: unknown, b: unknown, path = '$', out: string[] = []): string[] {
  if (out.length > 20) return out;
  if (typeof a === 'number' || typeof b === 'number') {
    if (!Object.is(a, b)) out.push(`${path}: ${String(a)} vs ${String(b)}`);
    return out;
  }
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') {
    if (a !== b) out.push(`${path}: ${String(a)} vs ${String(b)}`);
    return out;
  }
  if (ArrayBuffer.isView(a) || ArrayBuffer.isView(b)) {
    if (!ArrayBuffer.isView(a) || !ArrayBuffer.isView(b) || a.constructor !== b.constructor) {
      out.push(`${path}: ${a.constructor.name} vs ${b.constructor.name}`);
      return out;
    }
    const ba = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
    const bb = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
    // NaN payloads are not kept (documented): compare NaN entries as NaN, everything else by bytes.
    const fa = a as unknown as ArrayLike<number>;
    const fb = b as unknown as ArrayLike<number>;
    if (fa.length !== fb.length) out.push(`${path}: length ${fa.length} vs ${fb.length}`);
    else if (ba.length !== bb.length) out.push(`${path}: byte length`);
    else {
      const width = ba.length / Math.max(1, fa.length);
      for (let i = 0; i < fa.length; i++) {
        if (Number.isNaN(fa[i]) && Number.isNaN(fb[i])) continue;
        for (let j = 0; j < width; j++) {
          if (ba[i * width + j] !== bb[i * width + j]) {
            out.push(`${path}[${i}]: ${fa[i]} vs ${fb[i]} (bytes differ)`);
            break;
          }
        }
      }
    }
    return out;
  }
  const na = a as Partial<NdArray>;
  if (typeof na.get === 'function' && Array.isArray(na.shape)) {
    const nb = b as NdArray;
    if (typeof nb.get !== 'function' || na.dtype !== nb.dtype || JSON.stringify(na.shape) !== JSON.stringify(nb.shape)) {
      out.push(`${path}: ndarray ${na.dtype}${JSON.stringify(na.shape)} vs ${String(nb.dtype)}${JSON.stringify(nb.shape)}`);
      return out;
    }
    const shape = na.shape;
    const size = shape.reduce((p, n) => p * n, 1);
    const idx = shape.map(() => 0);
    for (let f = 0; f < size; f++) {
      const x = (na.get as (...i: number[]) => number)(...idx);
      const y = nb.get(...idx);
      if (!Object.is(x, y)) out.push(`${path}(${idx.join(',')}): ${x} vs ${y}`);
      for (let d = shape.length - 1; d >= 0; d--) {
        if (++idx[d] < shape[d]) break;
        idx[d] = 0;
      }
    }
    return out;
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) {
      out.push(`${path}: array shapes differ`);
      return out;
    }
    a.forEach((x, i) => bitwiseDifferences(x, b[i], `${path}[${i}]`, out));
    return out;
  }
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (JSON.stringify(ka) !== JSON.stringify(kb)) out.push(`${path}: keys ${ka.join(',')} vs ${kb.join(',')}`);
  for (const k of ka) bitwiseDifferences((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`, out);
  return out;
}
