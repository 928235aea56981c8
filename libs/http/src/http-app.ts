import { ConsoleLogger, DynamicModule, INestApplication, Logger, LoggerService, LogLevel, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { json } from 'express';
import { bodyParserErrors, requireJsonBody, UnhandledErrorFilter } from './http-errors';

export interface HttpAppOptions {
  port: number;
  /** Levels to print when no logger is given (LOG_LEVEL); debug lines on hot paths cost throughput. */
  logLevels?: LogLevel[];
  /** Largest JSON body accepted, in bytes. */
  bodyLimitBytes?: number;
  logger?: LoggerService | false;
}

/**
 * Creates and starts a service's HTTP app the same way for all three services: small JSON bodies
 * only, JSON errors, shutdown hooks (SIGTERM stops consumers and the relay before connections close).
 */
export async function startHttpApp(module: Type<unknown> | DynamicModule, options: HttpAppOptions): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(module, {
    bodyParser: false,
    logger: options.logger === undefined ? new ConsoleLogger({ logLevels: options.logLevels ?? ['fatal', 'error', 'warn', 'log'] }) : options.logger,
  });
  app.disable('x-powered-by');
  app.use(requireJsonBody);
  app.use(json({ limit: options.bodyLimitBytes ?? 16 * 1024, strict: true }));
  app.use(bodyParserErrors);
  app.useGlobalFilters(new UnhandledErrorFilter());
  app.enableShutdownHooks();
  await app.listen(options.port, '0.0.0.0');
  new Logger('Http').log(`listening on ${await app.getUrl()}`);
  return app;
}
