import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '..');

/** Runs the project's lint on `files`; resolves with its exit code and output. */
function lint(files: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile('npx', ['eslint', '--no-warn-ignored', ...files], { cwd: root, timeout: 120_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, output: `${stdout}${stderr}` });
    });
  });
}

/**
 * `npm run lint` enforces the architecture: planted violations (a library importing a library
 * above it, an app importing another app) fail it, with a message that says which rule.
 */
describe('architecture boundaries in npm run lint', () => {
  it('fails on planted violations and names them', async () => {
    const tag = randomBytes(4).toString('hex');
    const planted = {
      [`libs/messaging/src/planted-${tag}.ts`]: "import { DeadLetterStore } from '@reliable-payments/dead-letters';\nexport const planted = DeadLetterStore;\n",
      [`apps/coupon-service/src/planted-${tag}.ts`]: "import { Order } from '../../order-service/src/orders/order.entity';\nexport const planted = Order;\n",
    };
    try {
      for (const [file, text] of Object.entries(planted)) writeFileSync(path.join(root, file), text);
      const result = await lint(Object.keys(planted));
      expect(result.code).toBe(1);
      expect(result.output).toContain('libs/messaging may not import @reliable-payments/dead-letters');
      expect(result.output).toContain('apps never import other apps');
      expect(result.output).not.toContain('Parsing error');
    } finally {
      for (const file of Object.keys(planted)) rmSync(path.join(root, file), { force: true });
    }
  });
});
