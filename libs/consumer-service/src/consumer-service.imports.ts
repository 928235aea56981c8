import { DynamicModule } from '@nestjs/common';
import { ConsumerServiceConfig } from '@app/config';
import { PAYMENT_EVENTS_EXCHANGE } from '@app/contracts';
import { HealthModule } from '@app/http';
import { CreateInbox1763700000100 } from '@app/inbox';
import { MessagingModule } from '@app/messaging';
import { classifyMysqlError, DatabaseModule, probeDatabase } from '@app/persistence';
import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

export interface ConsumerServiceDefinition {
  /** Process name: shown in logs and as the broker connection name. */
  serviceName: string;
  /** Consumer key used by `@ConsumeEvent(..., { consumer })`. */
  consumer: string;
  /** Main queue name before the prefix, e.g. "coupon-service.payment-succeeded". */
  queue: string;
  entities: Function[];
  migrations: Function[];
}

/**
 * The infrastructure both consumer services share: their database (with the inbox table), the
 * messaging module with one consumer on the payment events exchange, and /health. Business
 * modules are added by each service.
 */
export function consumerServiceImports(config: ConsumerServiceConfig, definition: ConsumerServiceDefinition): DynamicModule[] {
  return [
    DatabaseModule.forRootAsync({
      useFactory: () => ({
        settings: config.database,
        poolSize: config.databasePoolSize,
        entities: definition.entities,
        migrations: [CreateInbox1763700000100, ...definition.migrations],
      }),
    }),
    MessagingModule.forRootAsync({
      inject: [getDataSourceToken()],
      useFactory: (dataSource: DataSource) => ({
        url: config.broker.url,
        connectionName: `${definition.serviceName}${config.broker.namePrefix ? ` (${config.broker.namePrefix})` : ''}`,
        namePrefix: config.broker.namePrefix,
        queueType: config.broker.queueType,
        confirmTimeoutMs: config.broker.confirmTimeoutMs,
        exchanges: [PAYMENT_EVENTS_EXCHANGE],
        classifyError: classifyMysqlError,
        consumers: {
          [definition.consumer]: {
            queue: definition.queue,
            exchange: PAYMENT_EVENTS_EXCHANGE,
            prefetch: config.consumer.prefetch,
            retryLadderMs: config.consumer.retryLadderMs,
            pauseOnDependencyDown: config.consumer.pauseOnDependencyDown,
            maxMessageBytes: config.consumer.maxMessageBytes,
            probe: () => probeDatabase(dataSource, 2_000),
          },
        },
      }),
    }),
    HealthModule.register(),
  ];
}
