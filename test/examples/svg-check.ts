/**
 * A small well-formedness check for the SVG the renderer writes: one `<svg>` root, every element closed in
 * order, attribute values quoted, and only the five XML entities or numeric references in text.
 */
export interface SvgCheck {
  ok: boolean;
  problem?: string;
  elements: Map<string, number>;
  texts: string[];
}

export function checkSvg(svg: string): SvgCheck {
  const elements = new Map<string, number>();
  const texts: string[] = [];
  const stack: string[] = [];
  const fail = (problem: string): SvgCheck => ({ ok: false, problem, elements, texts });
  if (!svg.startsWith('<svg')) return fail('does not start with <svg');
  const tag = /<(\/?)([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/y;
  let i = 0;
  let textBuf = '';
  while (i < svg.length) {
    const lt = svg.indexOf('<', i);
    const chunk = svg.slice(i, lt < 0 ? svg.length : lt);
    if (/&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/.test(chunk)) return fail(`bad entity in text near ${i}`);
    if (chunk.includes('>')) return fail(`stray '>' near ${i}`);
    textBuf += chunk;
    if (lt < 0) break;
    if (stack.length === 0 && lt > 0 && elements.size > 0) return fail('content after the root element');
    tag.lastIndex = lt;
    const m = tag.exec(svg);
    if (!m) return fail(`malformed tag near ${lt}: ${svg.slice(lt, lt + 60)}`);
    const [, closing, name, , selfClosing] = m;
    if (closing) {
      const open = stack.pop();
      if (open !== name) return fail(`</${name}> closes <${open}>`);
      if (name === 'text') texts.push(textBuf);
    } else {
      if (stack.length === 0 && elements.size > 0) return fail('second root element');
      elements.set(name, (elements.get(name) ?? 0) + 1);
      if (!selfClosing) stack.push(name);
    }
    textBuf = '';
    i = tag.lastIndex;
  }
  if (stack.length > 0) return fail(`unclosed <${stack.join('><')}>`);
  if (elements.get('svg') === undefined) return fail('no svg element');
  return { ok: true, elements, texts };
}
