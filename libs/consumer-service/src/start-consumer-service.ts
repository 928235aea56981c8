import { DynamicModule, INestApplication, LoggerService } from '@nestjs/common';
import { ChaosOptions, FaultProxy } from '@reliable-payments/chaos';
import { ConsumerServiceConfig } from '@reliable-payments/config';
import { startServiceApp } from '@reliable-payments/http';
import { Tracing } from '@reliable-payments/tracing';

/**
 * Starts a consumer service. With CHAOS_ENABLED, its database traffic goes through an in-process
 * TCP fault proxy, so `POST /chaos/db` produces the failures a real outage does (ECONNRESET,
 * ECONNREFUSED, time-outs) in every part of the service, not a flag a repository checks.
 */
export async function startConsumerService(
  register: (config: ConsumerServiceConfig, chaos: ChaosOptions) => DynamicModule,
  config: ConsumerServiceConfig,
  /** The application's tracer (a library never makes one). */
  tracing: Tracing,
  logger?: LoggerService | false,
): Promise<INestApplication> {
  let effective = config;
  const chaos: ChaosOptions = { enabled: config.chaos.enabled };
  if (config.chaos.enabled) {
    chaos.databaseProxy = await new FaultProxy({ host: config.database.host, port: config.database.port }).start();
    effective = { ...config, database: { ...config.database, host: '127.0.0.1', port: chaos.databaseProxy.port } };
  }
  try {
    return await startServiceApp(register(effective, chaos), config, tracing, logger);
  } catch (error) {
    await chaos.databaseProxy?.stop();
    throw error;
  }
}
