import { DynamicModule, Injectable } from '@nestjs/common';
import { ChaosModule, ChaosOptions } from '@app/chaos';
import { ConsumerServiceConfig } from '@app/config';
import { PAYMENT_EVENTS_EXCHANGE } from '@app/contracts';
import { CreateDeadLetters1763700000500, DeadLetter, DeadLetterAlerts, DeadLettersModule, DeadLettersService } from '@app/dead-letters';
import { HealthContributor, HealthModule } from '@app/http';
import { CreateInbox1763700000100, InboxModule } from '@app/inbox';
import { MessagingModule } from '@app/messaging';
import { classifyMysqlError, DatabaseModule, probeDatabase } from '@app/persistence';
import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** Adds dead-letter counts and alerts to /health. */
@Injectable()
class DeadLetterHealth implements HealthContributor {
  constructor(
    private readonly deadLetters: DeadLettersService,
    private readonly alerts: DeadLetterAlerts,
  ) {}

  async details() {
    return { deadLetters: { ...(await this.deadLetters.counts()), alertsRaised: this.alerts.raised, webhookFailures: this.alerts.webhookFailures } };
  }
}

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
export function consumerServiceImports(
  config: ConsumerServiceConfig,
  definition: ConsumerServiceDefinition,
  chaos: ChaosOptions = { enabled: false },
): DynamicModule[] {
  return [
    ChaosModule.register(chaos),
    DatabaseModule.forRootAsync({
      useFactory: () => ({
        settings: config.database,
        poolSize: config.databasePoolSize,
        ...config.databaseLimits,
        entities: [DeadLetter, ...definition.entities],
        migrations: [CreateInbox1763700000100, CreateDeadLetters1763700000500, ...definition.migrations],
      }),
    }),
    InboxModule.register({ batchSize: config.consumer.batchSize }),
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
            handlerTimeoutMs: config.consumer.handlerTimeoutMs,
            retryLadderMs: config.consumer.retryLadderMs,
            pauseOnDependencyDown: config.consumer.pauseOnDependencyDown,
            maxMessageBytes: config.consumer.maxMessageBytes,
            probe: () => probeDatabase(dataSource, 2_000),
          },
        },
      }),
    }),
    DeadLettersModule.register({ consumer: definition.consumer, ...config.deadLetters }),
    HealthModule.register({ contributor: DeadLetterHealth }),
  ];
}
