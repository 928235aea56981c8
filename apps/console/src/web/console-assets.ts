import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where `npm run build` (scripts/build-console-assets.mjs) writes the bundle: dist/apps/console/assets. */
export const DEFAULT_ASSETS_DIR = join(__dirname, '../../assets');

/**
 * The page's script and stylesheet, bundled at build time from apps/console/web (TypeScript,
 * type-checked and linted with the rest) and read once at start. A console without them stops
 * with a clear message rather than serve a page that cannot work.
 */
export class ConsoleAssets {
  readonly script: string;
  readonly stylesheet: string;

  constructor(readonly dir: string = DEFAULT_ASSETS_DIR) {
    const script = join(dir, 'console.js');
    const stylesheet = join(dir, 'console.css');
    if (!existsSync(script) || !existsSync(stylesheet))
      throw new Error(`console assets not found in ${dir}: run npm run build (scripts/build-console-assets.mjs)`);
    this.script = readFileSync(script, 'utf8');
    this.stylesheet = readFileSync(stylesheet, 'utf8');
  }
}
