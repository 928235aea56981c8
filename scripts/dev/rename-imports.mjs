#!/usr/bin/env node
// Rewrites the old path aliases `@app/<name>` to the libraries' package names
// `@reliable-payments/<name>` in apps/, libs/, test/, tools/ and bench/, then drops the aliases from
// tsconfig.json and jest.config.js, so a stray `@app/` import no longer compiles.
//
// Re-runnable and idempotent: after merging a branch written against `@app/*`, run it again
// (`node scripts/dev/rename-imports.mjs`, or `--check` to only list what it would change, exit 1 if any).
// Only names of folders under libs/ are rewritten, so `@app/` in other strings is left alone.
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const SCOPE = '@reliable-payments';
const DIRS = ['apps', 'libs', 'test', 'tools', 'bench'];
const EXTENSIONS = /\.(ts|mts|cts|js|mjs|cjs)$/;
const check = process.argv.includes('--check');

const libs = fs
  .readdirSync(path.join(root, 'libs'), { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name);
// `@app/outbox` but not `@app/outboxes`; a deep path (`@app/messaging/src/x`) keeps its tail, and lint rejects it.
const alias = new RegExp(`@app/(${libs.map((n) => n.replace(/[-]/g, '\\-')).join('|')})(?![a-z0-9-])`, 'g');

function* walk(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist') continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(full);
    else if (EXTENSIONS.test(entry.name)) yield full;
  }
}

const changed = [];
function rewrite(file, transform) {
  const before = fs.readFileSync(file, 'utf8');
  const after = transform(before);
  if (after === before) return;
  changed.push(path.relative(root, file));
  if (!check) fs.writeFileSync(file, after);
}

for (const dir of DIRS) {
  if (!fs.existsSync(path.join(root, dir))) continue;
  for (const file of walk(path.join(root, dir))) rewrite(file, (text) => text.replace(alias, `${SCOPE}/$1`));
}

// tsconfig.json: the `@app/<name>` entries go; `@reliable-payments/*` (one wildcard entry) stays.
rewrite(path.join(root, 'tsconfig.json'), (text) =>
  text
    .split('\n')
    .filter((line) => !/^\s*"@app\/[a-z-]+": \[/.test(line))
    .join('\n'),
);
// jest.config.js: one name left in the mapper.
rewrite(path.join(root, 'jest.config.js'), (text) =>
  text
    // A function replacement: a string one would read the `$'` in the pattern as "text after the match".
    .replace(`'^@(?:app|${SCOPE.slice(1)})/([a-z-]+)$'`, () => `'^${SCOPE}/([a-z-]+)$'`)
    .replace(/ *\/\/ Both names of a library[^\n]*\n *\/\/ scripts\/dev\/rename-imports[^\n]*\n/, `  // A library's package name resolves to its sources.\n`),
);
rewrite(path.join(root, 'eslint.config.mjs'), (text) => text.replace(alias, `${SCOPE}/$1`).replace('@app/<name>', `${SCOPE}/<name>`));

for (const file of changed) console.log(`${check ? 'would rewrite' : 'rewrote'} ${file}`);
console.log(`${changed.length} file(s) ${check ? 'to rewrite' : 'rewritten'}`);
if (check && changed.length > 0) process.exitCode = 1;
