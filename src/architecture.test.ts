/**
 * The house rule, checked: imports run one way — core ← workers ← runtime ← app ← components (content is
 * presentation data beside the app: it imports only the core) — none back up, and no file imports itself
 * round a cycle. Type-only imports count too: a component that names a worker's type is coupled to it.
 * (Which globals each realm may use is checked by `npm run check`: tsconfig.core.json has no DOM, no
 * worker and no WebCrypto types; tsconfig.workers.json has no DOM.)
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

type Realm = 'core' | 'workers' | 'runtime' | 'content' | 'app' | 'components' | 'bench' | 'other';

/** What each realm may import (besides itself). */
const ALLOWED: Record<Realm, readonly Realm[]> = {
  core: [],
  workers: ['core'],
  runtime: ['core', 'workers'],
  content: ['core'],
  app: ['core', 'workers', 'runtime', 'content'],
  components: ['core', 'content', 'app'],
  bench: ['core', 'workers', 'runtime', 'app', 'content'],
  other: ['core', 'workers', 'runtime', 'content', 'app', 'components'],
};

function realmOf(file: string): Realm {
  const r = relative(ROOT, file).replaceAll('\\', '/');
  if (r.startsWith('src/core/')) return 'core';
  if (r.startsWith('workers/')) return 'workers';
  if (r.startsWith('src/runtime/')) return 'runtime';
  if (r.startsWith('src/content/')) return 'content';
  if (r.startsWith('src/app/')) return 'app';
  if (r.startsWith('src/components/') || r === 'src/App.svelte') return 'components';
  if (r.startsWith('bench/')) return 'bench';
  return 'other';
}

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (/\.(ts|svelte)$/.test(name) && !/\.test\.ts$|\.d\.ts$/.test(name)) out.push(p);
  }
  return out;
}

const FILES = [...walk(join(ROOT, 'src')), ...walk(join(ROOT, 'workers')), ...walk(join(ROOT, 'bench'))];
const IMPORT = /^\s*(?:import|export)\s+(type\s+)?(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/gm;

interface Edge {
  to: string;
  /** `import type`: erased when compiled, so it cannot close a cycle at run time (it still obeys the layers). */
  typeOnly: boolean;
}

function importsOf(file: string): Edge[] {
  let text = readFileSync(file, 'utf8');
  if (file.endsWith('.svelte')) text = [...text.matchAll(/<script[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]).join('\n');
  const out: Edge[] = [];
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[2]!;
    if (!spec.startsWith('.')) continue;
    const base = resolve(dirname(file), spec.replace(/\?raw$/, ''));
    const hit = [base, `${base}.ts`, `${base}/index.ts`].find((c) => { try { return statSync(c).isFile(); } catch { return false; } });
    if (hit) out.push({ to: hit, typeOnly: Boolean(m[1]) });
  }
  return out;
}

const GRAPH = new Map(FILES.map((f) => [f, importsOf(f)]));

describe('the house rule', () => {
  it('should find the files and their imports', () => {
    expect(FILES.length).toBeGreaterThan(80);
    expect([...GRAPH.values()].flat().length).toBeGreaterThan(200);
    expect([...GRAPH.values()].flat().some((e) => e.typeOnly)).toBe(true);
  });

  it('should import only down the layers', () => {
    const bad: string[] = [];
    for (const [file, deps] of GRAPH) {
      const from = realmOf(file);
      for (const { to: d } of deps) {
        const to = realmOf(d);
        if (to !== from && !ALLOWED[from].includes(to)) bad.push(`${relative(ROOT, file)} (${from}) imports ${relative(ROOT, d)} (${to})`);
      }
    }
    expect(bad).toEqual([]);
  });

  // A component may render itself (a nested field group): that recursion is not a cycle between modules.
  it('should have no import cycles among the modules that run', () => {
    const state = new Map<string, 1 | 2>();
    const cycles: string[] = [];
    const visit = (f: string, path: string[]): void => {
      state.set(f, 1);
      for (const { to: d, typeOnly } of GRAPH.get(f) ?? []) {
        if (typeOnly || d === f) continue;
        if (state.get(d) === 1) cycles.push([...path.slice(path.indexOf(d)), d].map((x) => relative(ROOT, x)).join(' → '));
        else if (!state.has(d)) visit(d, [...path, d]);
      }
      state.set(f, 2);
    };
    for (const f of FILES) if (!state.has(f)) visit(f, [f]);
    expect(cycles).toEqual([]);
  });
});
