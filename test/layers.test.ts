import { readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

// DESIGN.md "Layout": within a domain, the repo holds the SQL, the service the use cases and the
// routes the HTTP; routes never reach SQL, and a domain reaches another only through its service or core.

const SRC = resolve(import.meta.dirname, '../src');

/**
 * Folders left out, each an adapter over the database by nature rather than a domain over a repo:
 * - storage/: the database itself, its migrations, revisions and change bus;
 * - counters/: the SQL implementation of shared counters, a storage adapter beside the Redis one;
 * - ops/: health and metrics report on the storage itself (its routes hold it), and cluster tasks
 *   lease their turn in one conditional update; no domain sits above them.
 */
const EXEMPT = new Set(['storage', 'counters', 'ops']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

const isRepo = (file: string) => /(^|-)repo\.ts$/.test(basename(file));
const isRoutes = (file: string) => /(^|-)routes\.ts$/.test(basename(file));
const domainOf = (file: string) => relative(SRC, file).split(sep)[0]!;

const IMPORT = /(?:^|\n)\s*(?:import|export)\s+(?:([^'";]*?)\s+from\s+)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;
/** Kysely calls that build a query on a database handle. */
const QUERY = /\.(selectFrom|insertInto|updateTable|deleteFrom|replaceInto|mergeInto|selectNoFrom)\(/;
/** A value import of Kysely's `sql` template tag. */
const SQL_TAG = /import\s+\{([^}]*)\}\s+from\s+['"]kysely['"]/g;

/** Every import of a file: what it says, the resolved file or package, and what it brings in. */
export function importsOf(file: string, text: string): { spec: string; target: string; clause: string }[] {
  return [...text.matchAll(IMPORT)].map((m) => {
    const spec = m[2] ?? m[3]!;
    return { spec, target: spec.startsWith('.') ? resolve(file, '..', spec) : spec, clause: m[1] ?? '' };
  });
}

/**
 * Whether an import reaches into a repo, rather than naming a shape of data it returns (a type-only import of
 * names that are not the repo class: a value type may still live beside the SQL that reads it).
 */
function reachesRepo(clause: string): boolean {
  const typeOnly = /^type\s/.test(clause);
  const names = (clause.match(/\{([^}]*)\}/)?.[1] ?? '').split(',').map((n) => n.trim()).filter(Boolean);
  if (!typeOnly && (names.length === 0 || names.some((n) => !/^type\s/.test(n)))) return true;
  return names.some((n) => /Repo\b/.test(n));
}

/** What a file breaks of the rules above, one line per break naming the file and what it does. */
export function layerBreaks(file: string, text: string): string[] {
  const name = relative(SRC, file);
  const domain = domainOf(file);
  const breaks: string[] = [];
  if (EXEMPT.has(domain)) return breaks;
  for (const { spec, target, clause } of importsOf(file, text)) {
    const toRepo = target.startsWith(SRC) && isRepo(target);
    // Row types (storage/schema.ts) describe data and reach nothing; any other storage module is the database.
    const toStorage = target.startsWith(join(SRC, 'storage') + sep) && basename(target) !== 'schema.ts';
    if (isRoutes(file) && (toRepo || spec === 'kysely' || toStorage)) breaks.push(`${name}: routes import ${spec} (routes call services only)`);
    if (toRepo && domain !== domainOf(target) && domain !== name && reachesRepo(clause)) {
      breaks.push(`${name}: imports another domain's repo ${spec} (use its service, or a port the composition root fills)`);
    }
  }
  if (isRepo(file)) return breaks;
  for (const m of text.matchAll(SQL_TAG)) {
    if (m[1]!.split(',').some((n) => n.trim() === 'sql')) breaks.push(`${name}: imports kysely's sql (SQL belongs in a repo)`);
  }
  const query = text.match(QUERY);
  if (query) breaks.push(`${name}: calls ${query[1]}() on a database (SQL belongs in a repo)`);
  return breaks;
}

describe('layers within a domain', () => {
  it('names each kind of break', () => {
    const at = (path: string) => join(SRC, path);
    expect(layerBreaks(at('a/routes.ts'), "import { XRepo } from './repo.ts';")).toEqual(['a/routes.ts: routes import ./repo.ts (routes call services only)']);
    expect(layerBreaks(at('a/routes.ts'), "import type { Kysely } from 'kysely';")).toEqual(["a/routes.ts: routes import kysely (routes call services only)"]);
    expect(layerBreaks(at('a/service.ts'), "import type { BRepo } from '../b/b-repo.ts';")).toEqual([
      "a/service.ts: imports another domain's repo ../b/b-repo.ts (use its service, or a port the composition root fills)",
    ]);
    expect(layerBreaks(at('a/service.ts'), "import { sql, type Kysely } from 'kysely';")).toEqual([
      "a/service.ts: imports kysely's sql (SQL belongs in a repo)",
    ]);
    expect(layerBreaks(at('a/service.ts'), 'await this.db.selectFrom("x").execute();')).toEqual([
      'a/service.ts: calls selectFrom() on a database (SQL belongs in a repo)',
    ]);
    expect(layerBreaks(at('a/repo.ts'), "import { sql } from 'kysely'; db.selectFrom('x');")).toEqual([]);
    expect(layerBreaks(at('a/service.ts'), "import type { XRepo } from './repo.ts'; import type { Transaction } from 'kysely';")).toEqual([]);
    expect(layerBreaks(at('a/service.ts'), "import type { StoredB } from '../b/repo.ts';")).toEqual([]);
    expect(layerBreaks(at('a/service.ts'), "import { type StoredB, bHelper } from '../b/repo.ts';")).toHaveLength(1);
    expect(layerBreaks(at('app.ts'), "import { XRepo } from './a/repo.ts';")).toEqual([]);
    expect(layerBreaks(at('storage/db.ts'), "import { sql } from 'kysely'; db.selectFrom('x');")).toEqual([]);
  });

  it('keeps SQL in repos, routes on services, and other domains out of a repo', () => {
    const breaks = sourceFiles(SRC).flatMap((file) => layerBreaks(file, readFileSync(file, 'utf8')));
    expect(breaks, breaks.join('\n')).toEqual([]);
  });
});
