/**
 * The level set {f = c} of a function of two variables as line segments, by marching squares — the background curves
 * of {@link pathsFigure} (e.g. the minimizer hyperbola xy = 1).
 * @module
 */

/** One segment (x, y)–(x2, y2) of a level set. @internal */
export interface LevelSegment {
  x: number;
  y: number;
  x2: number;
  y2: number;
}

/**
 * Segments of {f(x, y) = level} over the box xDomain × yDomain, by marching squares on a grid of `cells` × `cells`
 * cells: f is sampled at the grid nodes, each edge whose end values straddle the level gets the linearly interpolated
 * crossing, and the crossings of a cell are joined (two per cell; a saddle cell with four is resolved by the value
 * at its centre). Cells with a non-finite corner value are skipped. The points lie exactly on the level set wherever f
 * is affine along the grid lines (as xy − 1 is), otherwise within O(h²) of it (h the cell size). @internal
 */
export function levelSetSegments(
  f: (x: number, y: number) => number,
  level: number,
  xDomain: readonly [number, number],
  yDomain: readonly [number, number],
  cells: number,
): LevelSegment[] {
  const n = cells;
  const xs = Array.from({ length: n + 1 }, (_, i) => xDomain[0] + ((xDomain[1] - xDomain[0]) * i) / n);
  const ys = Array.from({ length: n + 1 }, (_, j) => yDomain[0] + ((yDomain[1] - yDomain[0]) * j) / n);
  const v = new Float64Array((n + 1) * (n + 1));
  for (let j = 0; j <= n; j++) for (let i = 0; i <= n; i++) v[j * (n + 1) + i] = f(xs[i], ys[j]) - level;
  const at = (i: number, j: number) => v[j * (n + 1) + i];
  const out: LevelSegment[] = [];
  const cross = (xa: number, ya: number, va: number, xb: number, yb: number, vb: number): [number, number] => {
    const t = va / (va - vb);
    return [xa + t * (xb - xa), ya + t * (yb - ya)];
  };
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      const v00 = at(i, j);
      const v10 = at(i + 1, j);
      const v11 = at(i + 1, j + 1);
      const v01 = at(i, j + 1);
      if (!(Number.isFinite(v00) && Number.isFinite(v10) && Number.isFinite(v11) && Number.isFinite(v01))) continue;
      const [x0, x1, y0, y1] = [xs[i], xs[i + 1], ys[j], ys[j + 1]];
      // Crossings in the order bottom, right, top, left (a corner exactly on the level counts as above it).
      const p: [number, number][] = [];
      if (v00 >= 0 !== v10 >= 0) p.push(cross(x0, y0, v00, x1, y0, v10));
      if (v10 >= 0 !== v11 >= 0) p.push(cross(x1, y0, v10, x1, y1, v11));
      if (v11 >= 0 !== v01 >= 0) p.push(cross(x1, y1, v11, x0, y1, v01));
      if (v01 >= 0 !== v00 >= 0) p.push(cross(x0, y1, v01, x0, y0, v00));
      if (p.length === 2) out.push({ x: p[0][0], y: p[0][1], x2: p[1][0], y2: p[1][1] });
      else if (p.length === 4) {
        // Saddle cell: the centre's side decides which crossings belong together.
        const centreAbove = f((x0 + x1) / 2, (y0 + y1) / 2) - level >= 0;
        const pairs = centreAbove === v00 >= 0 ? [[0, 1], [2, 3]] : [[0, 3], [1, 2]];
        for (const [a, b] of pairs) out.push({ x: p[a][0], y: p[a][1], x2: p[b][0], y2: p[b][1] });
      }
    }
  }
  return out;
}
