/**
 * Where the labels of a rendered figure end up: compiles a vega-lite spec, runs a headless vega view (as
 * `renderSvg` does) and walks the scene graph, collecting every text item's bounding box and every drawn trace (line
 * segments, point symbols, rules) in absolute pixel coordinates. Text boxes come from vega's own layout, whose widths
 * use vega's built-in estimate when no canvas is installed — the same numbers the SVG is laid out with.
 */
import * as vega from 'vega';
import * as vegaLite from 'vega-lite';
import type { TopLevelSpec } from 'vega-lite';

export interface Box {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

export interface TextBox extends Box {
  text: string;
  /** The scene-graph role: 'mark' for text layers of the chart (reference-line labels), 'axis-label', 'legend-label', 'title-text', … */
  role: string;
  /** The sub-chart it belongs to: 0 for a single chart, 1, 2, … for the panels of a concat in scene order. */
  panel: number;
}

export interface Segment {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  kind: 'line' | 'rule' | 'symbol';
  panel: number;
}

export interface Layout {
  texts: TextBox[];
  traces: Segment[];
}

interface SceneItem {
  x?: number;
  y?: number;
  x2?: number;
  y2?: number;
  text?: string | string[];
  bounds?: Box;
  items?: SceneMark[];
}

interface SceneMark {
  marktype: string;
  role: string;
  name?: string;
  items: SceneItem[];
}

export async function layoutOf(spec: TopLevelSpec): Promise<Layout> {
  const compiled = vegaLite.compile(spec);
  const view = new vega.View(vega.parse(compiled.spec), { renderer: 'none' });
  await view.runAsync();
  const texts: TextBox[] = [];
  const traces: Segment[] = [];
  let panels = 0;
  // Walks a mark whose items sit in a group at offset (ox, oy); `panel` is the unit chart the mark belongs to.
  const walkMark = (mark: SceneMark, ox: number, oy: number, panel: number): void => {
    if (mark.marktype === 'group') {
      for (const g of mark.items) {
        // vega-lite names the sub-charts of a concat 'concat_<k>_group': each starts a panel; other groups (the facets
        // of coloured lines, guides) belong to the panel they sit in.
        const p = /^concat_\d+_group$/.test(mark.name ?? '') ? ++panels : panel;
        for (const m of g.items ?? []) walkMark(m, ox + (g.x ?? 0), oy + (g.y ?? 0), p);
      }
      return;
    }
    if (mark.marktype === 'text') {
      for (const t of mark.items) {
        const b = t.bounds;
        if (b === undefined || !(b.x2 > b.x1)) continue;
        // Item bounds are in the coordinates of the enclosing group.
        texts.push({ x1: b.x1 + ox, y1: b.y1 + oy, x2: b.x2 + ox, y2: b.y2 + oy, text: Array.isArray(t.text) ? t.text.join(' ') : String(t.text ?? ''), role: mark.role, panel });
      }
      return;
    }
    if (mark.role !== 'mark') return; // axis ticks, grid lines, legend symbols are not data
    if (mark.marktype === 'line') {
      for (let i = 1; i < mark.items.length; i++) {
        const a = mark.items[i - 1];
        const b = mark.items[i];
        traces.push({ x1: (a.x ?? 0) + ox, y1: (a.y ?? 0) + oy, x2: (b.x ?? 0) + ox, y2: (b.y ?? 0) + oy, kind: 'line', panel });
      }
    } else if (mark.marktype === 'rule') {
      for (const r of mark.items) traces.push({ x1: (r.x ?? 0) + ox, y1: (r.y ?? 0) + oy, x2: (r.x2 ?? r.x ?? 0) + ox, y2: (r.y2 ?? r.y ?? 0) + oy, kind: 'rule', panel });
    } else if (mark.marktype === 'symbol') {
      for (const s of mark.items) {
        const b = s.bounds;
        if (b !== undefined) traces.push({ x1: b.x1 + ox, y1: b.y1 + oy, x2: b.x2 + ox, y2: b.y2 + oy, kind: 'symbol', panel });
      }
    }
  };
  const root = (view.scenegraph() as unknown as { root: SceneMark }).root;
  walkMark(root, 0, 0, 0);
  view.finalize();
  return { texts, traces };
}

export function boxesOverlap(a: Box, b: Box): boolean {
  return a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2;
}

/** Whether the segment (or, for symbols, the box) meets the open rectangle `r` (Liang–Barsky clipping). */
export function segmentMeetsBox(s: Segment, r: Box): boolean {
  if (s.kind === 'symbol') return boxesOverlap(s, r);
  const dx = s.x2 - s.x1;
  const dy = s.y2 - s.y1;
  let t0 = 0;
  let t1 = 1;
  const clip = (p: number, q: number): boolean => {
    if (p === 0) return q > 0;
    const t = q / p;
    if (p < 0) {
      if (t > t1) return false;
      if (t > t0) t0 = t;
    } else {
      if (t < t0) return false;
      if (t < t1) t1 = t;
    }
    return true;
  };
  return clip(-dx, s.x1 - r.x1) && clip(dx, r.x2 - s.x1) && clip(-dy, s.y1 - r.y1) && clip(dy, r.y2 - s.y1) && t0 < t1;
}

/** Problems of a layout: chart labels (role 'mark') overlapping each other, any trace (lines, points, rules), or any other text. */
export function labelProblems(layout: Layout): string[] {
  const problems: string[] = [];
  const labels = layout.texts.filter((t) => t.role === 'mark');
  const others = layout.texts.filter((t) => t.role !== 'mark');
  for (const [i, a] of labels.entries()) {
    for (const b of labels.slice(i + 1)) if (boxesOverlap(a, b)) problems.push(`label '${a.text}' overlaps label '${b.text}'`);
    for (const o of others) if (boxesOverlap(a, o)) problems.push(`label '${a.text}' overlaps ${o.role} '${o.text}'`);
    // A reference label sits 2 px above or below its own rule (or beside the plot), so any rule meeting its box is a trace through it.
    const hits = layout.traces.filter((s) => s.panel === a.panel && segmentMeetsBox(s, a));
    const kinds = [...new Set(hits.map((h) => h.kind))];
    if (hits.length > 0) problems.push(`label '${a.text}' (panel ${a.panel}) meets ${hits.length} trace segment(s) (${kinds.join(', ')})`);
  }
  return problems;
}
