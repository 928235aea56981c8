import { INestApplication, Logger } from '@nestjs/common';

/**
 * A service's `main`: start it, and on a configuration or start-up error log one clear line
 * (a ConfigError names the variable) and exit 1 instead of printing an unhandled rejection.
 */
export function runMain(name: string, start: () => Promise<INestApplication>): void {
  const fail = (error: Error) => {
    new Logger(name).error(error.message);
    process.exit(1);
  };
  try {
    start().catch(fail);
  } catch (error) {
    fail(error as Error);
  }
}
