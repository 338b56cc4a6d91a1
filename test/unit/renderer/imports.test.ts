import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// The renderer's bundle holds what its entry imports, and what that imports in turn, shared/
// included. zod is the main process's and the contract's: were one value import of the renderer
// to reach it (a schema file instead of shared/sale-sets.ts), the bundle would grow by its whole
// size. Type-only imports are erased by the build and bring nothing.

const ENTRY = resolve('renderer/src/main.ts');

/** The specifiers a module imports at run time (`import type` and `export type` left out). */
function valueImports(source: string): string[] {
  const out: string[] = [];
  const fromClause = /^\s*(import|export)\s+(type\s+)?([^'";]*?)\s+from\s+['"]([^'"]+)['"]/gm;
  for (const m of source.matchAll(fromClause)) {
    if (m[2] !== undefined) continue;
    out.push(m[4] ?? '');
  }
  for (const m of source.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm)) out.push(m[1] ?? '');
  for (const m of source.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) out.push(m[1] ?? '');
  return out;
}

function resolveLocal(from: string, specifier: string): string {
  const base = resolve(dirname(from), specifier);
  const found = [base, `${base}.ts`, `${base}/index.ts`].find((f) => existsSync(f) && statSync(f).isFile());
  if (found === undefined) throw new Error(`${relative('.', from)}: cannot resolve ${specifier}`);
  return found;
}

/** Every package the renderer's entry reaches, and every local file on the way. */
function reach(entry: string): { packages: Set<string>; files: Set<string> } {
  const packages = new Set<string>();
  const files = new Set<string>();
  const todo = [entry];
  for (let file = todo.pop(); file !== undefined; file = todo.pop()) {
    if (files.has(file)) continue;
    files.add(file);
    if (file.endsWith('.css')) continue;
    for (const specifier of valueImports(readFileSync(file, 'utf8'))) {
      if (specifier.startsWith('.')) todo.push(resolveLocal(file, specifier));
      else
        packages.add(
          specifier.startsWith('@')
            ? specifier.split('/').slice(0, 2).join('/')
            : (specifier.split('/')[0] ?? ''),
        );
    }
  }
  return { packages, files };
}

describe('what the renderer bundle reaches', () => {
  it('reads value imports and leaves type-only ones out', () => {
    const source = [
      "import { z } from 'zod';",
      "import type { Sale } from './sales';",
      "export type { Policy } from './sets';",
      "export { SALE_STATES } from './sale-sets';",
      "  import { mount } from 'svelte';",
      "import './styles.css';",
      "const lazy = () => import('./lazy');",
    ].join('\n');
    expect(valueImports(source)).toEqual(['zod', './sale-sets', 'svelte', './styles.css', './lazy']);
  });

  it('never reaches zod, and takes shared/ only from its zod-free files', () => {
    const { packages, files } = reach(ENTRY);
    expect(files.size).toBeGreaterThan(20);
    expect([...packages].sort()).not.toContain('zod');
    expect(packages).toContain('svelte');
    const shared = [...files].map((f) => relative('.', f)).filter((f) => f.startsWith('shared/'));
    expect(shared).toContain('shared/sale-sets.ts');
    expect(shared).not.toContain('shared/sale-states.ts');
  });
});
