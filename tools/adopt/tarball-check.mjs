// Opens a packed package and lists what would break outside this repository: a monorepo path
// (`@app/<name>`, `libs/`, `apps/`, a relative import or source map leaving the package), or an
// import of a package its package.json does not declare (dependencies or peerDependencies).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';

/** The workspace packages under libs/: name, folder, private. */
export function listPackages(root) {
  return fs
    .readdirSync(path.join(root, 'libs'))
    .filter((dir) => fs.existsSync(path.join(root, 'libs', dir, 'package.json')))
    .map((dir) => {
      const pkg = JSON.parse(fs.readFileSync(path.join(root, 'libs', dir, 'package.json'), 'utf8'));
      return { name: pkg.name, dir: `libs/${dir}`, private: pkg.private === true };
    });
}

const builtins = new Set(builtinModules);
const packageOf = (spec) =>
  spec
    .split('/')
    .slice(0, spec.startsWith('@') ? 2 : 1)
    .join('/');

function* walk(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(full);
    else yield full;
  }
}

/** Problems found in the tarball at `file` (unpacked under `scratch`); empty when it is clean. */
export function checkTarball(file, scratch) {
  const into = fs.mkdtempSync(path.join(scratch, 'unpacked-'));
  execFileSync('tar', ['-xzf', file, '-C', into]);
  const dir = path.join(into, 'package');
  const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
  const declared = new Set([
    pkg.name,
    ...Object.keys(pkg.dependencies ?? {}),
    ...Object.keys(pkg.peerDependencies ?? {}),
    ...Object.keys(pkg.optionalDependencies ?? {}),
  ]);
  const problems = [];
  const inside = (from, target) => path.resolve(path.dirname(from), target).startsWith(dir + path.sep);
  for (const [name, range] of Object.entries(pkg.dependencies ?? {})) {
    if (/^(file|link|workspace):|\.\.\//.test(range)) problems.push(`package.json: dependency ${name} is "${range}", a path on this machine`);
  }
  for (const [field, value] of [
    ['main', pkg.main],
    ['types', pkg.types],
  ]) {
    if (!value || !fs.existsSync(path.join(dir, value))) problems.push(`package.json: ${field} "${value}" is not in the tarball`);
  }
  if (!fs.existsSync(path.join(dir, 'README.md'))) problems.push('no README.md');
  if (!fs.existsSync(path.join(dir, 'CHANGELOG.md'))) problems.push('no CHANGELOG.md');
  for (const full of walk(dir)) {
    const rel = path.relative(dir, full);
    if (/\.(e2e-|rel-|cluster-)?spec\.(ts|js|d\.ts)$/.test(rel)) problems.push(`${rel}: a test in the package`);
    if (!/\.(js|d\.ts|map|json|ts)$/.test(rel)) continue;
    const text = fs.readFileSync(full, 'utf8');
    if (/@app\/[a-z]/.test(text)) problems.push(`${rel}: names the monorepo alias @app/`);
    if (rel.endsWith('.map')) {
      for (const source of JSON.parse(text).sources ?? [])
        if (!inside(full, source)) problems.push(`${rel}: source map points outside the package (${source})`);
      continue;
    }
    if (!/\.(js|d\.ts)$/.test(rel)) continue;
    const specs = [...text.matchAll(/(?:require\(|from\s+|import\(|import\s+)["']([^"']+)["']/g)].map((m) => m[1]);
    for (const spec of specs) {
      if (/(^|\/)(libs|apps)\//.test(spec)) problems.push(`${rel}: imports a monorepo path (${spec})`);
      else if (spec.startsWith('.')) {
        if (!inside(full, spec)) problems.push(`${rel}: relative import leaves the package (${spec})`);
      } else if (spec.startsWith('node:') || builtins.has(spec)) continue;
      else if (!declared.has(packageOf(spec))) problems.push(`${rel}: imports ${packageOf(spec)}, which package.json does not declare`);
    }
  }
  return [...new Set(problems)];
}
