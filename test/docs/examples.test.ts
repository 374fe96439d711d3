/**
 * Runs every `@example` code block of the TSDoc in src/ and every ```ts block of the guides in docs/ (as optax
 * runs its docstring examples): each snippet is written to a temporary module with `eos-lab` imports pointed
 * at the sources, then imported. A snippet that throws, or does not compile, fails its test.
 */
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, it, vi } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const scratch = join(root, 'test/.doc-examples');

function walk(dir: string, ext: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name), ext) : e.name.endsWith(ext) ? [join(dir, e.name)] : [],
  );
}

interface Snippet {
  name: string;
  code: string;
}

function tsdocExamples(file: string): Snippet[] {
  const text = readFileSync(file, 'utf8');
  const out: Snippet[] = [];
  const re = /@example\s*\n((?:\s*\*.*\n)*?)\s*\*\s*```ts\n((?:\s*\*.*\n)*?)\s*\*\s*```/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const line = text.slice(0, m.index).split('\n').length;
    const code = m[2]
      .split('\n')
      .map((l) => l.replace(/^\s*\* ?/, ''))
      .join('\n');
    out.push({ name: `${relative(root, file)}:${line}`, code });
  }
  return out;
}

function markdownExamples(file: string): Snippet[] {
  const text = readFileSync(file, 'utf8');
  const out: Snippet[] = [];
  const re = /```ts\n([\s\S]*?)```/g;
  let prelude = '';
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const line = text.slice(0, m.index).split('\n').length;
    const code = m[1];
    // A guide's blocks build on each other (like a notebook); interface listings are declarations only.
    if (/^\s*interface /.test(code)) continue;
    out.push({ name: `${relative(root, file)}:${line}`, code: prelude + '\n' + code });
    prelude += '\n' + code;
  }
  return out;
}

function rewriteImports(code: string, at: string): string {
  const rel = (p: string) => {
    const r = relative(dirname(at), join(root, p)).replace(/\\/g, '/');
    return r.startsWith('.') ? r : `./${r}`;
  };
  return code
    .replace(/from 'eos-lab'/g, `from '${rel('src/index.js')}'`)
    .replace(/from 'eos-lab\/testing'/g, `from '${rel('src/testing/index.js')}'`)
    .replace(/from 'eos-lab\/plot'/g, `from '${rel('src/plot/index.js')}'`)
    .replace(/from 'eos-lab\/node'/g, `from '${rel('src/node/index.js')}'`);
}

/** Merges the imports of a snippet per module (guide blocks re-import what earlier blocks imported). */
function mergeImports(code: string): string {
  const named = new Map<string, Set<string>>();
  const defaults = new Map<string, string>();
  const body = code.split('\n').filter((line) => {
    const m = /^import\s+(?:(\w+)\s*,?\s*)?(?:\{([^}]*)\})?\s*from\s*'([^']+)';?\s*$/.exec(line);
    if (!m) return true;
    const [, def, names, from] = m;
    if (def) defaults.set(from, def);
    const set = named.get(from) ?? new Set<string>();
    for (const n of (names ?? '').split(',').map((x) => x.trim()).filter(Boolean)) set.add(n);
    named.set(from, set);
    return false;
  });
  const imports = [...named.entries()].map(([from, names]) => {
    const def = defaults.get(from);
    const list = names.size ? `{ ${[...names].join(', ')} }` : '';
    return `import ${[def, list].filter(Boolean).join(', ')} from '${from}';`;
  });
  return [...imports, ...body].join('\n');
}

const snippets = [
  ...walk(join(root, 'src'), '.ts').flatMap(tsdocExamples),
  ...walk(join(root, 'docs'), '.md').flatMap(markdownExamples),
  ...markdownExamples(join(root, 'README.md')),
];

rmSync(scratch, { recursive: true, force: true });
mkdirSync(scratch, { recursive: true });
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('documentation examples run as written', () => {
  it('finds examples', () => {
    if (snippets.length < 10) throw new Error(`only ${snippets.length} examples found: the extraction is broken`);
  });
  snippets.forEach((s, i) => {
    it(s.name, async () => {
      const file = join(scratch, `example-${i}.ts`);
      writeFileSync(file, `${mergeImports(rewriteImports(s.code, file))}\nexport {};\n`);
      const log = vi.spyOn(console, 'log').mockImplementation(() => {});
      try {
        await import(pathToFileURL(file).href);
      } finally {
        log.mockRestore();
      }
    });
  });
});
