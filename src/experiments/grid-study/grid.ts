/**
 * The lattice of starts of [Scalar factorization]'s grid study and its masks (disk, square, diamond, annulus).
 *
 * @module
 */
import { EosLabError } from '../../core/errors.js';
import { integerInRange, oneOf, optionKeys, optionsObject, positiveFinite, rejectNonFinite } from '../../core/validate.js';

/**
 * The region of the start lattice kept by the mask.
 * - `'disk'`: x² + y² ≤ r² ([Scalar factorization]'s grid);
 * - `'square'`: |x|, |y| ≤ r (the whole lattice);
 * - `'diamond'`: |x| + |y| ≤ r;
 * - `'annulus'`: r_in² ≤ x² + y² ≤ r².
 *
 * @since 0.1.0
 */
export type GridShape = 'disk' | 'square' | 'diamond' | 'annulus';

/**
 * The grid shapes, in the order [Scalar factorization] compares them (the disk first, then square, diamond and annulus).
 *
 * @example
 * ```ts
 * import { GRID_SHAPES, gridStarts } from 'eos-lab';
 * for (const shape of GRID_SHAPES) console.log(shape, gridStarts({ shape, n: 11 }).count);
 * ```
 * @since 0.1.0
 */
export const GRID_SHAPES: readonly GridShape[] = Object.freeze(['disk', 'square', 'diamond', 'annulus'] as const);

/**
 * Options of {@link gridStarts} (and `options.grid` of `gridStudy`).
 *
 * @since 0.1.0
 */
export interface GridOptions {
  /**
   * The mask applied to the n × n lattice.
   * @defaultValue 'disk'
   */
  shape?: GridShape;
  /**
   * Lattice points per axis: an integer ≥ 2. [Scalar factorization] uses 141 (odd n puts a point at 0).
   * @defaultValue 141
   */
  n?: number;
  /**
   * Half-width r of the lattice [−r, r]² and outer radius of the mask: finite, > 0.
   * @defaultValue 3
   */
  radius?: number;
  /**
   * Inner radius r_in of the `'annulus'` (only with that shape), in [0, r). [Scalar factorization] does not state the one it used.
   * @defaultValue radius / 2
   */
  innerRadius?: number;
}

/**
 * The starts of a masked lattice, in row-major lattice order (x index outer, y index inner).
 *
 * @since 0.1.0
 */
export interface GridStarts {
  readonly shape: GridShape;
  readonly n: number;
  readonly radius: number;
  /** r_in for `'annulus'`, 0 for the other shapes. */
  readonly innerRadius: number;
  /** Number of starts kept by the mask. */
  readonly count: number;
  /** x₀ of each start. */
  readonly x: Float64Array;
  /** y₀ of each start. */
  readonly y: Float64Array;
  /** Lattice index a ∈ [0, n) of x₀ = lattice[a]: maps are indexed `map.get(ix[s], iy[s])`. */
  readonly ix: Int32Array;
  /** Lattice index b ∈ [0, n) of y₀ = lattice[b]. */
  readonly iy: Int32Array;
  /** The n lattice coordinates t_a = r·(2a − (n − 1))/(n − 1), a = 0, …, n − 1 (the same on both axes). */
  readonly lattice: Float64Array;
}

/** Validated grid options. @internal */
export interface ResolvedGrid {
  readonly shape: GridShape;
  readonly n: number;
  readonly radius: number;
  readonly innerRadius: number;
}

/** Validates grid options once (`path` names them in errors). @internal */
export function resolveGrid(fn: string, path: string, options: GridOptions | undefined): ResolvedGrid {
  const o = optionsObject(fn, options, optionKeys<GridOptions>({ shape: true, n: true, radius: true, innerRadius: true }), path);
  const shape = o.shape === undefined ? 'disk' : oneOf(fn, `${path}.shape`, o.shape, ['disk', 'square', 'diamond', 'annulus'] as const);
  const n = integerInRange(fn, `${path}.n`, o.n ?? 141, 2, 100_000);
  const radius = positiveFinite(fn, `${path}.radius`, o.radius ?? 3);
  let innerRadius = 0;
  if (shape === 'annulus') {
    innerRadius = o.innerRadius ?? radius / 2;
    rejectNonFinite(fn, `${path}.innerRadius`, innerRadius, `a finite number in [0, radius = ${radius})`);
    if (typeof innerRadius !== 'number' || !Number.isFinite(innerRadius) || innerRadius < 0 || innerRadius >= radius) {
      throw new EosLabError('E_BAD_OPTION', fn, {
        argument: `${path}.innerRadius`,
        value: innerRadius,
        expected: `a finite number in [0, radius = ${radius}) (the inner radius must be below the outer one)`,
      });
    }
  } else if (o.innerRadius !== undefined) {
    throw new EosLabError('E_BAD_OPTION', fn, {
      argument: `${path}.innerRadius`,
      value: o.innerRadius,
      expected: `undefined unless shape is 'annulus' (shape is '${shape}')`,
    });
  }
  return { shape, n, radius, innerRadius };
}

/**
 * Whether the lattice point with doubled offsets I = 2a − (n − 1), J = 2b − (n − 1) lies in the mask. The
 * disk, square and diamond tests are exact integer arithmetic; the annulus's inner circle compares
 * r²·(I² + J²) ≥ r_in²·(n − 1)² in floating point. @internal
 */
export function inMask(g: ResolvedGrid, I: number, J: number): boolean {
  const m = g.n - 1;
  const q = I * I + J * J;
  switch (g.shape) {
    case 'square':
      return true;
    case 'disk':
      return q <= m * m;
    case 'diamond':
      return Math.abs(I) + Math.abs(J) <= m;
    case 'annulus':
      return q <= m * m && g.radius * g.radius * q >= g.innerRadius * g.innerRadius * (m * m);
  }
}

/** The starts of validated grid options. @internal */
export function buildGrid(g: ResolvedGrid): GridStarts {
  const { n, radius } = g;
  const m = n - 1;
  const lattice = new Float64Array(n);
  // t_a = (r·I)/(n − 1) with the integer I = 2a − (n − 1): for n = 141, r = 3 this is 3i/70 exactly rounded (i = I/2),
  // [Scalar factorization]'s grid; symmetric points are exact negatives of each other (so starts on x = −y are exactly on it).
  for (let a = 0; a < n; a++) lattice[a] = (radius * (2 * a - m)) / m;
  let count = 0;
  for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) if (inMask(g, 2 * a - m, 2 * b - m)) count++;
  const x = new Float64Array(count);
  const y = new Float64Array(count);
  const ix = new Int32Array(count);
  const iy = new Int32Array(count);
  let s = 0;
  for (let a = 0; a < n; a++) {
    for (let b = 0; b < n; b++) {
      if (!inMask(g, 2 * a - m, 2 * b - m)) continue;
      x[s] = lattice[a];
      y[s] = lattice[b];
      ix[s] = a;
      iy[s] = b;
      s++;
    }
  }
  return { shape: g.shape, n, radius, innerRadius: g.innerRadius, count, x, y, ix, iy, lattice };
}

/**
 * The starts of [Scalar factorization]'s grid study: the n × n lattice of [−r, r]² masked to a disk (the post's), square,
 * diamond or annulus.
 *
 * Lattice: t_a = r·(2a − (n − 1))/(n − 1), a = 0, …, n − 1, on both axes; start (x₀, y₀) = (t_a, t_b). [Scalar factorization]
 * ("what we record"): n = 141, r = 3, disk x² + y² ≤ 9 — that is, integers i, j ∈ [−70, 70] with i² + j² ≤ 70²
 * and start (3i/70, 3j/70): 15,373 starts.
 *
 * @remarks
 * Mask tests use the integers I = 2a − (n − 1), J = 2b − (n − 1): disk I² + J² ≤ (n − 1)², diamond
 * |I| + |J| ≤ n − 1 (both exact, so boundary points are kept exactly when they lie on the circle or diamond),
 * square: every point; annulus: the disk test and r²(I² + J²) ≥ r_in²(n − 1)² in floating point. Starts are listed
 * with the x index outer: (t_0, t_0), (t_0, t_1), …. Cost O(n²); allocates the result.
 *
 * @param options - shape, n, radius, innerRadius.
 * @returns the starts with their lattice indices.
 * @throws EosLabError `E_BAD_OPTION` for an unknown shape, `n` not an integer in [2, 100000], a radius that is not
 *   finite and > 0, an inner radius outside [0, radius), or an inner radius with a shape other than `'annulus'`.
 * @example
 * ```ts
 * import { gridStarts } from 'eos-lab';
 * const disk = gridStarts(); // [Scalar factorization]'s grid
 * console.log(disk.count, disk.x[0], disk.y[0]); // 15373 starts; the first is (−3, 0)
 * console.log(gridStarts({ shape: 'square', n: 5 }).count); // 25
 * ```
 * @since 0.1.0
 */
export function gridStarts(options?: GridOptions): GridStarts {
  return buildGrid(resolveGrid('gridStarts', 'options', options));
}
