import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { guideFiles, guideInstalls } from './guide.mjs';
import { checkTarball } from './tarball-check.mjs';

describe('test:adopt reads the app from the guide', () => {
  const guide = [
    '```bash',
    'npm install @reliable-payments/outbox zod@^4 --save',
    '```',
    '```ts',
    '// file: src/a.ts',
    'export const a = 1;',
    '```',
    '```ts',
    'const notAFile = 2;',
    '```',
  ].join('\n');

  it('takes the blocks that name a file, and the packages of npm install lines', () => {
    expect([...guideFiles(guide)]).toEqual([['src/a.ts', '// file: src/a.ts\nexport const a = 1;\n']]);
    expect(guideInstalls(guide)).toEqual(['@reliable-payments/outbox', 'zod@^4']);
  });

  it('refuses two blocks for one file', () => {
    expect(() => guideFiles(`${guide}\n\`\`\`ts\n// file: src/a.ts\n\`\`\`\n`)).toThrow('two blocks write src/a.ts');
  });
});

describe('test:adopt fails a package that leaks the monorepo', () => {
  let scratch: string;
  beforeEach(() => (scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'adopt-spec-'))));
  afterEach(() => fs.rmSync(scratch, { recursive: true, force: true }));

  const pack = (files: Record<string, string>, pkg: Record<string, unknown> = {}) => {
    const dir = path.join(scratch, 'src', 'package');
    fs.mkdirSync(path.join(dir, 'dist'), { recursive: true });
    const manifest = {
      name: '@reliable-payments/x',
      version: '0.1.0',
      main: './dist/index.js',
      types: './dist/index.d.ts',
      dependencies: { zod: '^4' },
      ...pkg,
    };
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(manifest));
    for (const [name, text] of Object.entries({ 'README.md': '#', 'CHANGELOG.md': '#', 'dist/index.d.ts': '', ...files })) {
      fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      fs.writeFileSync(path.join(dir, name), text);
    }
    const file = path.join(scratch, 'x.tgz');
    execFileSync('tar', ['-czf', file, '-C', path.join(scratch, 'src'), 'package']);
    return checkTarball(file, scratch);
  };

  it('passes a clean package', () => {
    expect(pack({ 'dist/index.js': 'require("zod"); require("node:fs"); require("./b");', 'dist/b.js': '' })).toEqual([]);
  });

  it.each([
    // Spelled in two pieces, so scripts/dev/rename-imports.mjs leaves this fixture alone.
    ['the old alias', `require("${'@app'}/messaging")`, 'monorepo alias @app/'],
    ['a path into libs/', 'require("../../libs/outbox/src")', 'monorepo path'],
    ['a relative import out of the package', 'require("../../outside")', 'leaves the package'],
    ['an undeclared package', 'require("amqplib")', 'imports amqplib, which package.json does not declare'],
  ])('fails %s', (_what, code, problem) => {
    expect(pack({ 'dist/index.js': code })).toContainEqual(expect.stringContaining(problem));
  });

  it('fails a dependency on a path of this machine, and a source map out of the package', () => {
    expect(
      pack(
        { 'dist/index.js': '', 'dist/index.js.map': JSON.stringify({ sources: ['../../../libs/x/src/index.ts'] }) },
        { dependencies: { '@reliable-payments/y': 'file:../y' } },
      ),
    ).toEqual([expect.stringContaining('a path on this machine'), expect.stringContaining('source map points outside the package')]);
  });
});
