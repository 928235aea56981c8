import { z } from 'zod';
import { bool, ConfigError, namePrefix, parseEnv, port, positiveInt } from './env';

const schema = z.object({ APP_PORT: port(3000), BATCH: positiveInt(10, 100), VERBOSE: bool(false), PREFIX: namePrefix });

describe('parseEnv', () => {
  it('applies defaults to unset and empty variables, and ignores variables outside the schema', () => {
    expect(parseEnv(schema, { APP_PORT: '', OTHER: 'x' })).toEqual({ APP_PORT: 3000, BATCH: 10, VERBOSE: false, PREFIX: '' });
  });

  it('coerces numbers and reads every spelling of a boolean', () => {
    expect(parseEnv(schema, { APP_PORT: '0', BATCH: '100', VERBOSE: '1', PREFIX: 'ci-7.a_b' })).toEqual({
      APP_PORT: 0,
      BATCH: 100,
      VERBOSE: true,
      PREFIX: 'ci-7.a_b',
    });
    expect(parseEnv(schema, { VERBOSE: 'yes' }).VERBOSE).toBe(true);
    expect(parseEnv(schema, { VERBOSE: 'no' }).VERBOSE).toBe(false);
  });

  it('throws one ConfigError listing every bad variable by name', () => {
    let caught: unknown;
    try {
      parseEnv(schema, { APP_PORT: '65536', BATCH: '0', VERBOSE: 'TRUE', PREFIX: 'has space' });
    } catch (error) {
      caught = error;
    }

    expect(caught).toBeInstanceOf(ConfigError);
    const { problems, code, message } = caught as ConfigError;
    expect(code).toBe('CONFIG_INVALID');
    expect(problems.map((problem) => problem.split(':')[0])).toEqual(['APP_PORT', 'BATCH', 'VERBOSE', 'PREFIX']);
    expect(problems[2]).toBe('VERBOSE: must be true or false');
    expect(message).toBe(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  });
});
