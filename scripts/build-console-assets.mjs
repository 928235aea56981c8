// Bundles the console's browser code (apps/console/web, TypeScript) and its stylesheet into
// static assets: `node scripts/build-console-assets.mjs [outdir]`, by default
// dist/apps/console/assets, where the built console reads them (apps/console/src/web/console-assets.ts).
// Part of `npm run build` (so the Dockerfile's build stage produces it too); tests build into a
// directory of their own. esbuild reads apps/console/web/tsconfig.json's `paths` (@reliable-payments/contracts,
// and node:crypto mapped to the browser's Web Crypto).
import { build } from 'esbuild';
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = resolve(process.argv[2] ?? join(root, 'dist/apps/console/assets'));
mkdirSync(outdir, { recursive: true });

await build({
  absWorkingDir: root,
  entryPoints: [
    { in: 'apps/console/web/main.ts', out: 'console' },
    { in: 'apps/console/web/console.css', out: 'console' },
  ],
  outdir,
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: ['es2022'],
  tsconfig: 'apps/console/web/tsconfig.json',
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
});
console.log(`console assets written to ${outdir}`);
