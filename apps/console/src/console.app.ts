import { INestApplication, LoggerService } from '@nestjs/common';
import { ConsoleConfig } from '@reliable-payments/config';
import { startHttpApp } from '@reliable-payments/http';
import { ConsoleModule } from './console.module';

/** Starts the console; used by main.ts and by tests that run it in-process. */
export function startConsole(config: ConsoleConfig, logger?: LoggerService | false): Promise<INestApplication> {
  return startHttpApp(ConsoleModule.register(config), { port: config.port, http: config.http, logger, logLevels: config.logLevels, service: 'console', forms: true });
}
