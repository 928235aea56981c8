import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { configVariables, consoleConfigVariables } from '@reliable-payments/config';
import { z } from 'zod';
import { configVariableNames, describeField, renderConfigReference } from './config-reference';

const ROOT = join(__dirname, '..', '..');

describe('the generated configuration reference', () => {
  it('is the committed docs/configuration.md (run `npm run docs:config` after changing libs/config)', () => {
    expect(readFileSync(join(ROOT, 'docs', 'configuration.md'), 'utf8')).toBe(renderConfigReference());
  });

  it('covers exactly the variables the services and the console say they read', () => {
    const declared = new Set([...configVariables('order'), ...configVariables('coupon'), ...configVariables('red-packet'), ...consoleConfigVariables()]);
    expect(configVariableNames()).toEqual([...declared].sort());
  });

  it('reads defaults as written in the environment, and the values a field accepts', () => {
    expect(
      describeField(
        z
          .string()
          .default('10s')
          .transform((v) => v.length),
      ),
    ).toEqual({ fallback: '10s', accepts: undefined });
    expect(describeField(z.coerce.number().int().min(1).max(10_000).default(64))).toEqual({ fallback: '64', accepts: '1–10,000' });
    expect(describeField(z.enum(['classic', 'quorum']).default('classic'))).toEqual({ fallback: 'classic', accepts: '`classic`, `quorum`' });
    expect(describeField(z.string().optional())).toEqual({ fallback: undefined, accepts: undefined });
    expect(describeField(z.string().min(16).max(256).optional())).toEqual({ fallback: undefined, accepts: '16–256 characters' });
    expect(
      describeField(
        z
          .string()
          .default('1s')
          .transform((v) => v.length)
          .describe('a duration')
          .optional(),
      ),
    ).toEqual({ fallback: '1s', accepts: 'a duration' });
  });
});
