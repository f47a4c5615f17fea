import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// The house style keeps every line of TypeScript readable without side-scrolling.
const LIMIT = 160;
const ROOT = resolve(import.meta.dirname, '..');
const FOLDERS = ['src', 'test', 'bench'];

function typeScriptFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : typeScriptFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** "file:line (length)" for every line over the limit in the given folders. */
function longLines(folders: string[]): string[] {
  return folders.flatMap((folder) =>
    typeScriptFiles(join(ROOT, folder)).flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .flatMap((line, index) => (line.length > LIMIT ? [`${relative(ROOT, file)}:${index + 1} (${line.length})`] : [])),
    ),
  );
}

describe('line length', () => {
  it(`keeps every line of src/, test/ and bench/ within ${LIMIT} characters`, () => {
    expect(longLines(FOLDERS)).toEqual([]);
  });
});
