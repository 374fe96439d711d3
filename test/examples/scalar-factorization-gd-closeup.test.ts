/**
 * The close-up panel (d) of `scalar-factorization-gd` keeps only the points a renderer needs inside its box: every
 * segment of a path that meets the box is kept as it is, and every chord that replaces dropped points misses the box
 * (checked by an independent Liang–Barsky segment–box test), on random walks and on the example's own runs.
 */
import { describe, expect, it } from 'vitest';
import { rng } from '../../src/core/rng.js';
import { clipPathToBox } from '../../examples/scalar-factorization-gd/figures.js';
import { QUICK_SETTINGS, computeScalarGd } from '../../examples/scalar-factorization-gd/compute.js';

/** Whether the segment p → q meets the closed box (Liang–Barsky parameter clipping). */
function segmentMeetsBox(px: number, py: number, qx: number, qy: number, xd: number[], yd: number[]): boolean {
  let t0 = 0;
  let t1 = 1;
  const dx = qx - px;
  const dy = qy - py;
  for (const [p, q] of [
    [-dx, px - xd[0]],
    [dx, xd[1] - px],
    [-dy, py - yd[0]],
    [dy, yd[1] - py],
  ]) {
    if (p === 0) {
      if (q < 0) return false;
    } else {
      const t = q / p;
      if (p < 0) t0 = Math.max(t0, t);
      else t1 = Math.min(t1, t);
      if (t0 > t1) return false;
    }
  }
  return true;
}

function checkClip(x: number[], y: number[], xd: [number, number], yd: [number, number]): number {
  const out = clipPathToBox({ name: 'p', x, y }, xd, yd);
  // Map the kept points back to their indices (they are kept in order, as the same objects' values).
  const kept: number[] = [];
  let j = 0;
  for (let i = 0; i < x.length && j < out.x.length; i++) {
    if (x[i] === out.x[j] && y[i] === out.y[j]) {
      kept.push(i);
      j++;
    }
  }
  expect(kept.length).toBe(out.x.length);
  expect(kept[0]).toBe(0);
  expect(kept[kept.length - 1]).toBe(x.length - 1);
  const keptSet = new Set(kept);
  for (let i = 0; i + 1 < x.length; i++) {
    if (segmentMeetsBox(x[i], y[i], x[i + 1], y[i + 1], xd, yd)) {
      expect(keptSet.has(i) && keptSet.has(i + 1), `segment ${i} meets the box`).toBe(true);
    }
  }
  for (let k = 0; k + 1 < kept.length; k++) {
    const [a, b] = [kept[k], kept[k + 1]];
    if (b > a + 1) expect(segmentMeetsBox(x[a], y[a], x[b], y[b], xd, yd), `chord ${a} → ${b}`).toBe(false);
  }
  return x.length - out.x.length;
}

describe('clipPathToBox (close-up panel of scalar-factorization-gd)', () => {
  it('keeps every segment that meets the box and replaces the rest by chords that miss it (random walks)', () => {
    const r = rng(20261204);
    let dropped = 0;
    for (let trial = 0; trial < 200; trial++) {
      const n = 2 + Math.floor(r.uniform() * 60);
      const x = [r.uniformIn(-3, 3)];
      const y = [r.uniformIn(-3, 3)];
      const step = r.uniformIn(0.05, 2);
      for (let i = 1; i < n; i++) {
        x.push(x[i - 1] + r.uniformIn(-step, step));
        y.push(y[i - 1] + r.uniformIn(-step, step));
      }
      dropped += checkClip(x, y, [-0.5, 0.7], [-0.4, 0.9]);
    }
    expect(dropped).toBeGreaterThan(0);
  });

  it("drops most of the example's far-away iterates and keeps what is visible", () => {
    const result = computeScalarGd(QUICK_SETTINGS);
    const [x0, y0] = result.summary.start;
    const gfs = result.summary.gradientFlowSolution.theta;
    const half = Math.max(0.5, 2 * Math.abs(x0 - gfs[0]), 2 * Math.abs(y0 - gfs[1]));
    const xd: [number, number] = [(x0 + gfs[0]) / 2 - half, (x0 + gfs[0]) / 2 + half];
    const yd: [number, number] = [(y0 + gfs[1]) / 2 - half, (y0 + gfs[1]) / 2 + half];
    let dropped = 0;
    for (const run of result.runs) dropped += checkClip(Array.from(run.x), Array.from(run.y), xd, yd);
    expect(dropped).toBeGreaterThan(0);
  });
});
