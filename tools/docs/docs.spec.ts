import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { configVariableNames } from './config-reference';
import { githubSlugs, markdownLinks, markdownTables, stripCode } from './markdown';

// The README and docs/ checked against the tree: links and anchors resolve, every variable the
// config reads is documented once, every test a guarantee names exists.
const ROOT = join(__dirname, '..', '..');
const SKIP = new Set(['node_modules', 'dist', '.git', 'results', 'coverage']);

function walk(dir: string, keep: (path: string) => boolean): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (SKIP.has(name)) return [];
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path, keep) : keep(path) ? [path] : [];
  });
}

const pages = [join(ROOT, 'README.md'), ...walk(join(ROOT, 'docs'), (p) => p.endsWith('.md'))];
const read = (path: string) => readFileSync(path, 'utf8');
const rel = (path: string) => relative(ROOT, path);

describe('the documentation', () => {
  it.each(pages.map((p) => [rel(p), p]))('%s: every relative link and #anchor resolves', (_name, page) => {
    const broken: string[] = [];
    for (const { target, line } of markdownLinks(read(page))) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // http:, https:, mailto:
      const [path, anchor] = target.split('#', 2) as [string, string | undefined];
      const file = path === '' ? page : resolve(dirname(page), decodeURI(path));
      if (!file.startsWith(ROOT)) broken.push(`line ${line}: ${target} leaves the repository`);
      else if (!existsSync(file)) broken.push(`line ${line}: ${target} (no such file)`);
      else if (anchor !== undefined) {
        if (!file.endsWith('.md')) broken.push(`line ${line}: ${target} (an anchor into a file that is not Markdown)`);
        else if (!githubSlugs(read(file)).has(anchor)) broken.push(`line ${line}: ${target} (no heading "#${anchor}" in ${rel(file)})`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('documents every variable the config reads exactly once in docs/configuration.md', () => {
    const documented = markdownTables(read(join(ROOT, 'docs', 'configuration.md'))).flatMap((table) =>
      table.rows.flatMap((row) => [...(row[0] ?? '').matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map((m) => m[1]!)),
    );
    const counts = new Map<string, number>();
    for (const name of documented) counts.set(name, (counts.get(name) ?? 0) + 1);
    const wrong = configVariableNames()
      .filter((name) => counts.get(name) !== 1)
      .map((name) => `${name}: documented ${counts.get(name) ?? 0} times`);
    expect(configVariableNames().length).toBeGreaterThan(50);
    expect(wrong).toEqual([]);
  });

  it('names only tests that exist in the guarantees tables', () => {
    const files = walk(ROOT, () => true).map(rel);
    const missing: string[] = [];
    let named = 0;
    for (const page of pages) {
      for (const table of markdownTables(read(page))) {
        const column = table.header.findIndex((h) => /^(test|proof)$/i.test(h.trim()));
        if (column < 0) continue;
        for (const row of table.rows) {
          for (const [, token] of (row[column] ?? '').matchAll(/`([^`\s]+)`/g)) {
            if (!/\.(spec|e2e-spec|rel-spec|cluster-spec|compose-spec)\.ts$|\/$|^\.ci\//.test(token!)) continue;
            named += 1;
            const found = token!.includes('/') ? existsSync(join(ROOT, token!)) : files.some((f) => f.endsWith(`/${token}`));
            if (!found) missing.push(`${rel(page)}: ${token}`);
          }
        }
      }
    }
    expect(named).toBeGreaterThan(80);
    expect(missing).toEqual([]);
  });

  it('reaches every page of docs/ from the README', () => {
    const reached = new Set<string>();
    const queue = [join(ROOT, 'README.md')];
    while (queue.length > 0) {
      const page = queue.shift()!;
      if (reached.has(page)) continue;
      reached.add(page);
      for (const { target } of markdownLinks(read(page))) {
        if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('#')) continue;
        const file = resolve(dirname(page), decodeURI(target.split('#')[0]!));
        if (file.endsWith('.md') && existsSync(file)) queue.push(file);
      }
    }
    expect(pages.filter((p) => !reached.has(p)).map(rel)).toEqual([]);
  });

  it('never points outside the repository for its facts', () => {
    const outside = pages.filter((p) => /\.\.\/shared\/|FACTS\.md/.test(stripCode(read(p)))).map(rel);
    expect(outside).toEqual([]);
  });
});
