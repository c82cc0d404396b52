// The layering check: every import between files under src/ must point to the importer's own
// layer or one below it (docs/style.md, "Layers"; README, ARCHITECTURE). It reads the .ts
// sources (not dist/), finds `import … from '…'`, `export … from '…'`, `import '…'`,
// `import('…')` and workers started by `new URL('….js', import.meta.url)` with a regex,
// resolves the relative ones, and fails naming the file, the import and both layers.
import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

/** src/ of the checkout: this file runs as dist/src/architecture.test.js. */
const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

/**
 * Layers, bottom → top; a layer may import from itself and from any layer of a lower rank.
 * Layers of the same rank (features and traffic; eval, explain, eda) may not import each other.
 * A path ending in '/' is a folder (with everything under it), otherwise one file.
 */
const LAYERS: readonly { name: string; rank: number; paths: readonly string[] }[] = [
  // architecture.test.ts (this file) imports nothing from src/.
  { name: 'util', rank: 0, paths: ['util/', 'errors.ts', 'logger.ts', 'version.ts', 'architecture.test.ts'] },
  { name: 'data', rank: 1, paths: ['data/'] },
  { name: 'features', rank: 2, paths: ['features/'] },
  // packets → flows (pcap/pcapng reader, decoders, flow meter): beside features, below everything that scores
  { name: 'traffic', rank: 2, paths: ['traffic/'] },
  // with the worker pool (tree/parallel/)
  { name: 'tree', rank: 3, paths: ['tree/'] },
  { name: 'learners', rank: 4, paths: ['learners/'] },
  { name: 'eval', rank: 5, paths: ['eval/'] },
  { name: 'explain', rank: 5, paths: ['explain/'] },
  { name: 'eda', rank: 5, paths: ['eda/'] },
  { name: 'model', rank: 6, paths: ['model/'] },
  { name: 'app', rank: 7, paths: ['app/'] },
  { name: 'reports', rank: 8, paths: ['reports/'] },
  // the HTTP server (createServer): the CLI's `nadir serve` starts it, so it sits below cli
  { name: 'serve', rank: 9, paths: ['serve/'] },
  { name: 'cli', rank: 10, paths: ['cli/'] },
];

/** The library entry point re-exports from every layer. */
const ENTRY = 'index.ts';

/**
 * Imports between layers of the same rank that are allowed, as 'importer → imported'.
 * None is needed today: eval, explain and eda import nothing from each other.
 */
const SIBLINGS_ALLOWED: readonly string[] = [];

/**
 * Upward imports in today's tree, as 'importer → imported' (paths under src/): all of them
 * tests that borrow code from above. The reshape of issue 10 removes them (a helper under
 * testdata/, or the test moves up a layer) and then empties this list. Do not add to it: put
 * the code in the right layer instead. An entry that no longer occurs fails the last test, so
 * the list can only shrink.
 */
const KNOWN_VIOLATIONS: readonly string[] = [];

const SPECIFIER = [
  // import … from '…' / export … from '…' (also `import type`, multi-line lists)
  /^[ \t]*(?:import|export)\b[^;'"`]*?\bfrom\s*['"]([^'"]+)['"]/gm,
  // import '…' (side effects only)
  /^[ \t]*import\s*['"]([^'"]+)['"]/gm,
  // import('…'), in code or in a type
  /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
  // a worker or module started by URL
  /\bnew URL\(\s*['"](\.{1,2}\/[^'"]+\.js)['"]\s*,\s*import\.meta\.url\s*\)/g,
];

interface Edge {
  /** importing file, relative to src/ with '/' separators */
  from: string;
  /** the specifier as written */
  spec: string;
  /** imported file, relative to src/ */
  to: string;
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    if (e.isDirectory()) out.push(...sourceFiles(path));
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

const posix = (path: string): string => path.split(sep).join('/');

/** Every import of a file under src/ that names another file under src/ (relative specifiers). */
function edgesOf(file: string): { edges: Edge[]; unresolved: string[] } {
  const text = readFileSync(file, 'utf8');
  const from = posix(relative(SRC, file));
  const edges: Edge[] = [];
  const unresolved: string[] = [];
  for (const re of SPECIFIER) {
    for (const m of text.matchAll(re)) {
      const spec = m[1]!;
      if (!spec.startsWith('.')) continue; // node: built-ins and packages
      // sources import the compiled name ('./x.js'); the source beside it is './x.ts'
      const target = resolve(dirname(file), spec.replace(/\.js$/, '.ts'));
      const to = posix(relative(SRC, target));
      if (to.startsWith('../')) continue; // outside src/ (package.json, data/)
      if (!existsSync(target)) unresolved.push(`${from}: '${spec}'`);
      else edges.push({ from, spec, to });
    }
  }
  return { edges, unresolved };
}

function layerOf(path: string): (typeof LAYERS)[number] | undefined {
  return LAYERS.find((l) => l.paths.some((p) => (p.endsWith('/') ? path.startsWith(p) : path === p)));
}

const isTestCode = (path: string): boolean => path.endsWith('.test.ts') || path.split('/').includes('testdata');
const isTestHelper = (path: string): boolean => path.split('/').includes('testdata');
const ORDER = [...new Set(LAYERS.map((l) => l.rank))]
  .map((r) => LAYERS.filter((l) => l.rank === r).map((l) => l.name).join(' | '))
  .join(' → ');

/** Why `e` breaks the layering, or undefined when it does not. */
function violation(e: Edge): string | undefined {
  if (e.from === ENTRY) return undefined;
  const a = layerOf(e.from)!;
  const b = layerOf(e.to);
  if (b === undefined) return undefined; // reported by the "every file has a layer" test
  if (isTestCode(e.from) && isTestHelper(e.to)) return undefined;
  const where = `src/${e.from} imports '${e.spec}' (src/${e.to})`;
  if (e.to === ENTRY) return `${where}: only the library's users import the entry point (layer ${a.name})`;
  if (a.name === b.name || b.rank < a.rank) return undefined;
  if (b.rank === a.rank) {
    if (SIBLINGS_ALLOWED.includes(`${e.from} → ${e.to}`)) return undefined;
    return `${where}: layer ${a.name} may not import from layer ${b.name}, its sibling`;
  }
  return `${where}: layer ${a.name} may not import from layer ${b.name} above it`;
}

const files = sourceFiles(SRC).map((f) => ({ file: f, path: posix(relative(SRC, f)) }));
const graph = files.map((f) => edgesOf(f.file));
const edges = graph.flatMap((g) => g.edges);

test('architecture: every file under src/ belongs to a layer', () => {
  const orphans = files.map((f) => f.path).filter((p) => p !== ENTRY && layerOf(p) === undefined);
  if (orphans.length) assert.fail(`files in no layer (add their folder to LAYERS in src/architecture.test.ts):\n  ${orphans.join('\n  ')}`);
});

test('architecture: every relative import resolves to a file under src/', () => {
  assert.ok(edges.length > 300, `only ${edges.length} imports found under ${SRC}: is the regex still right?`);
  const unresolved = graph.flatMap((g) => g.unresolved);
  if (unresolved.length) assert.fail(`imports that name no source file:\n  ${unresolved.join('\n  ')}`);
});

test('architecture: no import points to a higher layer', () => {
  const found = edges
    .filter((e) => !KNOWN_VIOLATIONS.includes(`${e.from} → ${e.to}`))
    .map(violation)
    .filter((v): v is string => v !== undefined);
  if (found.length) assert.fail(`${found.length} upward import(s); layers, bottom → top: ${ORDER}\n  ${found.join('\n  ')}`);
});

test('architecture: every KNOWN_VIOLATIONS entry still occurs (remove the ones the reshape fixed)', () => {
  const occurring = new Set(edges.filter((e) => violation(e) !== undefined).map((e) => `${e.from} → ${e.to}`));
  const stale = KNOWN_VIOLATIONS.filter((v) => !occurring.has(v));
  if (stale.length) assert.fail(`no longer upward imports, remove them from KNOWN_VIOLATIONS in src/architecture.test.ts:\n  ${stale.join('\n  ')}`);
});
