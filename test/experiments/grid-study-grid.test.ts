/**
 * The start lattice and its masks: counts per shape from independent integer counts, [Scalar factorization]'s exact grid, and
 * coded errors for bad grid options.
 */
import { describe, expect, it } from 'vitest';
import { EosLabError } from '../../src/core/errors.js';
import { gridStarts } from '../../src/experiments/grid-study/grid.js';

/** Integer pairs (i, j) ∈ [−h, h]² with pred(i, j), counted by brute force. */
function countPairs(h: number, pred: (i: number, j: number) => boolean): number {
  let c = 0;
  for (let i = -h; i <= h; i++) for (let j = -h; j <= h; j++) if (pred(i, j)) c++;
  return c;
}

describe('gridStarts', () => {
  it("is [Scalar factorization]'s grid by default: (3i/70, 3j/70) for i² + j² ≤ 70², 15,373 starts", () => {
    const g = gridStarts();
    expect(g.count).toBe(15373);
    expect(g.count).toBe(countPairs(70, (i, j) => i * i + j * j <= 4900));
    // Every start is exactly (3i/70, 3j/70) with i² + j² ≤ 70², in lattice order.
    let s = 0;
    for (let i = -70; i <= 70; i++) {
      for (let j = -70; j <= 70; j++) {
        if (i * i + j * j > 4900) continue;
        if (!Object.is(g.x[s], (3 * i) / 70) || !Object.is(g.y[s], (3 * j) / 70)) {
          throw new Error(`start ${s}: (${g.x[s]}, ${g.y[s]}) ≠ (3·${i}/70, 3·${j}/70)`);
        }
        expect(g.ix[s]).toBe(i + 70);
        expect(g.iy[s]).toBe(j + 70);
        s++;
      }
    }
    expect(s).toBe(g.count);
    expect([g.x[0], g.y[0]]).toEqual([-3, 0]);
    expect(g.lattice[0]).toBe(-3);
    expect(g.lattice[140]).toBe(3);
    expect(Object.is(g.lattice[70], 0)).toBe(true);
  });

  it('counts the square, diamond and annulus masks as the integer definitions do', () => {
    expect(gridStarts({ shape: 'square' }).count).toBe(141 * 141);
    // |i| + |j| ≤ h has 2h² + 2h + 1 lattice points.
    expect(gridStarts({ shape: 'diamond' }).count).toBe(2 * 70 * 70 + 2 * 70 + 1);
    // Default inner radius r/2 = 1.5: 9(i² + j²)/4900 ≥ 2.25 ⇔ i² + j² ≥ 35²; the points on both circles are kept.
    expect(gridStarts({ shape: 'annulus' }).count).toBe(countPairs(70, (i, j) => i * i + j * j >= 1225 && i * i + j * j <= 4900));
    expect(gridStarts({ shape: 'annulus', innerRadius: 0 }).count).toBe(15373);
    const small = gridStarts({ shape: 'annulus', n: 31, radius: 2, innerRadius: 1 });
    expect(small.count).toBe(countPairs(15, (i, j) => i * i + j * j >= 7.5 * 7.5 && i * i + j * j <= 225));
    for (let s = 0; s < small.count; s++) {
      const q = small.x[s] ** 2 + small.y[s] ** 2;
      expect(q).toBeGreaterThanOrEqual(1 - 1e-12);
      expect(q).toBeLessThanOrEqual(4 + 1e-12);
    }
  });

  it('handles even n (no point at 0) and n = 2', () => {
    const g = gridStarts({ shape: 'square', n: 4, radius: 3 });
    expect(Array.from(g.lattice)).toEqual([-3, -1, 1, 3]);
    expect(g.count).toBe(16);
    // Disk with n = 4: (±1, ±1), (±1, ±3)… only I² + J² ≤ 9 with I, J ∈ {±1, ±3}: the four (±1, ±1).
    expect(gridStarts({ shape: 'disk', n: 4 }).count).toBe(4);
    const two = gridStarts({ shape: 'square', n: 2, radius: 1 });
    expect(Array.from(two.x)).toEqual([-1, -1, 1, 1]);
    expect(Array.from(two.y)).toEqual([-1, 1, -1, 1]);
  });

  it('puts symmetric starts at exact negatives, so x = −y starts lie exactly on the line', () => {
    const g = gridStarts({ n: 41 });
    let onLine = 0;
    for (let s = 0; s < g.count; s++) if (g.x[s] === -g.y[s]) onLine++;
    // x = −y within the disk: |i| ≤ 20/√2, i.e. |i| ≤ 14 → 29 starts.
    expect(onLine).toBe(29);
  });

  it('rejects bad options with coded errors naming the option', () => {
    const cases: [unknown, string][] = [
      [{ n: 1 }, 'options.n'],
      [{ n: 2.5 }, 'options.n'],
      [{ radius: -3 }, 'options.radius'],
      [{ radius: 0 }, 'options.radius'],
      [{ shape: 'annulus', innerRadius: 3 }, 'options.innerRadius'],
      [{ shape: 'annulus', innerRadius: 4, radius: 3 }, 'options.innerRadius'],
      [{ shape: 'annulus', innerRadius: -1 }, 'options.innerRadius'],
      [{ shape: 'disk', innerRadius: 1 }, 'options.innerRadius'],
      [{ shape: 'circle' }, 'options.shape'],
    ];
    for (const [options, argument] of cases) {
      let error: unknown;
      try {
        gridStarts(options as never);
      } catch (e) {
        error = e;
      }
      expect(error, JSON.stringify(options)).toBeInstanceOf(EosLabError);
      expect((error as EosLabError).code).toBe('E_BAD_OPTION');
      expect((error as EosLabError).details.argument).toBe(argument);
    }
  });
});
