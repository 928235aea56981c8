import { z } from 'zod';

/** Thrown when the environment holds a value the service cannot start with. */
export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

export type Env = Record<string, string | undefined>;

/**
 * Parses `env` against a zod object schema whose keys are variable names.
 * Every problem names its variable. URL values are never echoed (they carry credentials); a
 * duration or ladder problem may quote the offending text, which holds no secret.
 */
export function parseEnv<S extends z.ZodObject>(schema: S, env: Env, prefix = ''): z.infer<S> {
  const relevant: Record<string, string | undefined> = {};
  for (const key of Object.keys(schema.shape)) {
    const value = env[`${prefix}${key}`];
    relevant[key] = value === '' ? undefined : value;
  }
  const result = schema.safeParse(relevant);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((issue) => `${prefix}${issue.path.join('.')}: ${issue.message}`));
  }
  return result.data;
}

/** Runs every part and reports all their problems in one ConfigError (none is hidden behind the first). */
export function parseAll<T extends unknown[]>(...parts: { [K in keyof T]: () => T[K] }): T {
  const problems: string[] = [];
  const results = parts.map((part) => {
    try {
      return part();
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(...error.problems);
      return undefined;
    }
  });
  if (problems.length > 0) throw new ConfigError(problems);
  return results as T;
}

/**
 * A string variable turned into a value by `parse` (from `fallback` when unset); whatever `parse`
 * throws becomes the variable's problem. The one way the schemas turn text into values.
 */
export function parsedWith<T>(parse: (text: string) => T, fallback?: string) {
  const transform = (value: string, ctx: z.RefinementCtx) => {
    try {
      return parse(value);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message });
      return z.NEVER;
    }
  };
  return fallback === undefined ? z.string().transform(transform) : z.string().default(fallback).transform(transform);
}

export const port = (fallback: number) =>
  z.coerce
    .number({ message: 'must be a port number (0-65535)' })
    .int('must be a port number (0-65535)')
    .min(0, 'must be a port number (0-65535)')
    .max(65535, 'must be a port number (0-65535)')
    .default(fallback);

export const positiveInt = (fallback: number, max = Number.MAX_SAFE_INTEGER) =>
  z.coerce
    .number({ message: `must be a whole number from 1 to ${max}` })
    .int(`must be a whole number from 1 to ${max}`)
    .min(1, `must be a whole number from 1 to ${max}`)
    .max(max, `must be a whole number from 1 to ${max}`)
    .default(fallback);

export const bool = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
    .default(fallback ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** One amqp(s) URL, or several separated by commas (the nodes of a cluster, tried in turn). */
export const amqpUrl = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .refine((v) => v.split(',').every((part) => /^amqps?:\/\/[^\s,]+$/.test(part.trim()) && URL.canParse(part.trim())), {
      message: 'must be an amqp:// or amqps:// URL, or several separated by commas',
    })
    .describe('amqp:// or amqps:// URLs, comma-separated');

/** Resource names (exchanges, queues) are prefixed so that test runs never touch the demo's. */
export const namePrefix = z
  .string()
  .regex(/^[a-zA-Z0-9._-]*$/, { message: 'may only hold letters, digits, ".", "_" and "-"' })
  .max(64)
  .default('');

export const queueType = z.enum(['classic', 'quorum']).default('classic');

/** Runs a cross-variable check; its message already names the variable. */
export function checked<T>(check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError([(error as Error).message]);
  }
}
