import { Logger } from '@nestjs/common';
import type { Logger as TypeOrmLogger } from 'typeorm';

/**
 * TypeORM's logs through Nest's logger, without statement parameters: they carry user data, and
 * TypeORM's own logger prints every slow statement with them (it cannot be told not to, and a
 * query time-out makes every statement of a hung database a slow one). Query errors reach the
 * callers, which classify and log them (a duplicate key is often expected).
 */
export class DatabaseLogger implements TypeOrmLogger {
  private readonly logger = new Logger('Database');

  logQuery(): void {}

  logQueryError(): void {}

  logQuerySlow(time: number, query: string): void {
    this.logger.warn(`statement took ${time} ms: ${query.replace(/\s+/g, ' ').slice(0, 120)}`);
  }

  logSchemaBuild(): void {}

  logMigration(message: string): void {
    this.logger.log(message);
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') this.logger.warn(String(message));
  }
}
