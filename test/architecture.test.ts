import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { codeSchemas } from '../src/code-types.ts';

// DESIGN.md "Layers point down only": no value-import cycle between the top-level folders of src/.
// Type-only imports are left out: a port may be defined by its consumer and named by its provider.

const SRC = resolve(import.meta.dirname, '../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** A top-level folder of src/, or the file itself for files directly in src/ (the composition root). */
function unitOf(file: string): string {
  return relative(SRC, file).split(sep)[0]!;
}

const STATEMENT = /(?:^|\n)\s*(import|export)\s+([^'";]*?)\s*from\s*['"]([^'"]+)['"]|(?:^|\n)\s*import\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

/** Whether an import/export clause brings in a value, not only types. */
function carriesValue(clause: string): boolean {
  if (/^type\s/.test(clause)) return false;
  const braces = clause.match(/\{([^}]*)\}/);
  const outside = clause.replace(/\{[^}]*\}/, '').replace(/,/g, '').trim();
  if (outside !== '') return true; // a default or namespace import, or `export *`
  if (!braces) return true;
  const names = braces[1]!.split(',').map((n) => n.trim()).filter(Boolean);
  return names.length === 0 || names.some((n) => !/^type\s/.test(n));
}

/** Value imports of one file, as resolved paths of other source files. */
export function valueImports(file: string, text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(STATEMENT)) {
    const spec = m[3] ?? m[4] ?? m[5]!;
    if (!spec.startsWith('.')) continue;
    if (m[3] !== undefined && !carriesValue(m[2]!)) continue;
    found.push(resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
  }
  return found;
}

type Edges = Map<string, Map<string, Set<string>>>; // from unit → to unit → "file → file" reasons

function folderGraph(): Edges {
  const edges: Edges = new Map();
  for (const file of sourceFiles(SRC)) {
    const from = unitOf(file);
    for (const target of valueImports(file, readFileSync(file, 'utf8'))) {
      const to = unitOf(target);
      if (to === from) continue;
      const byTarget = edges.get(from) ?? new Map<string, Set<string>>();
      edges.set(from, byTarget);
      const reasons = byTarget.get(to) ?? new Set<string>();
      byTarget.set(to, reasons);
      reasons.add(`${relative(SRC, file)} → ${relative(SRC, target)}`);
    }
  }
  return edges;
}

/** Cycles met by a depth-first search (at least one per tangle), each once, rotated to start at its least unit. */
export function cyclesOf(edges: Edges): string[][] {
  const cycles = new Map<string, string[]>();
  const path: string[] = [];
  const onPath = new Set<string>();
  const done = new Set<string>();
  const visit = (unit: string): void => {
    path.push(unit);
    onPath.add(unit);
    for (const next of edges.get(unit)?.keys() ?? []) {
      if (onPath.has(next)) {
        const cycle = path.slice(path.indexOf(next));
        const start = cycle.indexOf([...cycle].sort()[0]!);
        const rotated = [...cycle.slice(start), ...cycle.slice(0, start)];
        cycles.set(rotated.join('>'), rotated);
      } else if (!done.has(next)) {
        visit(next);
      }
    }
    path.pop();
    onPath.delete(unit);
    done.add(unit);
  };
  for (const unit of [...edges.keys()].sort()) if (!done.has(unit)) visit(unit);
  return [...cycles.values()];
}

function describeCycle(cycle: string[], edges: Edges): string {
  return cycle
    .map((from, i) => {
      const to = cycle[(i + 1) % cycle.length]!;
      const reasons = [...edges.get(from)!.get(to)!].map((r) => `      ${r}`).join('\n');
      return `  ${from} → ${to}\n${reasons}`;
    })
    .join('\n');
}

describe('architecture', () => {
  it('reads type-only imports as no edge', () => {
    const file = join(SRC, 'a', 'x.ts');
    const text = [
      "import type { A } from '../b/a.js';",
      "import { type B, type C } from '../c/b.js';",
      "export type { D } from '../d/d.js';",
      "import { type E, f } from '../e/e.js';",
      "import g from '../g/g.js';",
      "export * from '../h/h.js';",
      "import '../i/i.js';",
    ].join('\n');
    expect(valueImports(file, text).map((t) => relative(SRC, t).split(sep)[0])).toEqual(['e', 'g', 'h', 'i']);
  });

  it('finds a cycle and names it once', () => {
    const edges: Edges = new Map([
      ['a', new Map([['b', new Set(['a/x.ts → b/y.ts'])]])],
      ['b', new Map([['c', new Set(['b/y.ts → c/z.ts'])]])],
      ['c', new Map([['a', new Set(['c/z.ts → a/x.ts'])]])],
    ]);
    expect(cyclesOf(edges)).toEqual([['a', 'b', 'c']]);
  });

  it('has no value-import cycle between the top-level folders of src/', () => {
    const edges = folderGraph();
    const cycles = cyclesOf(edges);
    const report = cycles.map((c) => `cycle ${c.join(' → ')} → ${c[0]}\n${describeCycle(c, edges)}`).join('\n\n');
    expect(cycles.length, report).toBe(0);
  });
});

// DESIGN.md "A code type is a plug-in": what differs by type lives in the type's plug-in, so a
// new type touches its own folder and the registry. A branch on a code's type anywhere else fails.

const REGISTRY = join(SRC, 'code-types.ts');
/** A file that defines a type's plug-in or schema (e.g. `class StaffCodes implements CodeTypePlugin<'staff'>`). */
const DEFINES_A_TYPE = /implements\s+CodeTypePlugin<|:\s*CodeTypePlugin<'|:\s*CodeTypeSchema<'/;

/** Lines comparing something's `type` with one of these type names, or switching on them. */
export function typeBranches(text: string, types: readonly string[]): string[] {
  const name = `['"](?:${types.join('|')})['"]`;
  const branch = new RegExp(`\\btype\\s*[!=]==?\\s*${name}|${name}\\s*[!=]==?\\s*[\\w.?!]*\\btype\\b|\\bcase\\s+${name}\\s*:`);
  return text.split('\n').filter((line) => branch.test(line));
}

describe('code types', () => {
  const types = codeSchemas.types.map((t) => t.type);

  it('recognises a branch on a code type', () => {
    const text = [
      "if (config.type === 'staff') route();",
      "const x = 'region' !== code.config.type;",
      "  case 'url':",
      "if (reply.type === 'json') {}",
      "const kind = 'staff';",
    ].join('\n');
    expect(typeBranches(text, types)).toHaveLength(3);
  });

  it('branches on a code type only in the plug-ins and the registry', () => {
    const offenders = sourceFiles(SRC).flatMap((file) => {
      const text = readFileSync(file, 'utf8');
      if (file === REGISTRY || DEFINES_A_TYPE.test(text)) return [];
      return typeBranches(text, types).map((line) => `${relative(SRC, file)}: ${line.trim()}`);
    });
    expect(offenders, 'move the branch into the type\'s plug-in (src/codes/code-type.ts)').toEqual([]);
  });
});
