import { DynamicModule, Injectable, Module } from '@nestjs/common';
import { ChaosModule, ChaosOptions } from '@reliable-payments/chaos';
import { ConsumerServiceConfig } from '@reliable-payments/config';
import { ConsumerDescriptor, PAYMENT_EVENTS_EXCHANGE } from '@reliable-payments/contracts';
import { DEAD_LETTERS_ENTITIES, DEAD_LETTERS_MIGRATIONS, DeadLetterAlerts, DeadLettersModule, DeadLettersService } from '@reliable-payments/dead-letters';
import { FaultsModule } from '@reliable-payments/faults';
import {
  HealthContributor,
  HealthModule,
  HealthReport,
  OPERATOR_AUDIT_ENTITIES,
  OPERATOR_AUDIT_MIGRATIONS,
  OpenApiModule,
  OperatorAuditModule,
  OperatorAuthModule,
} from '@reliable-payments/http';
import { INBOX_MIGRATIONS, InboxModule } from '@reliable-payments/inbox';
import { consumerQueue, MessagingModule, retryPolicy } from '@reliable-payments/messaging';
import { ConsumerMetricsExporter, MetricsModule } from '@reliable-payments/metrics';
import { classifyMysqlError, DatabaseModule, probeDatabase } from '@reliable-payments/persistence';
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

/** A consumer service's `/health`: dead letters by status (lower-case) and the alert counters beside the checks. */
export type ConsumerServiceHealth = HealthReport<Awaited<ReturnType<DeadLetterHealth['details']>>>;

export interface ConsumerServiceDefinition {
  /**
   * The service's consumer. Its name is the service's (broker connection, OpenAPI title), the key
   * `@ConsumeEvent(..., { consumer })` and the inbox use, and the stem of its queues.
   */
  consumer: ConsumerDescriptor;
  entities: Function[];
  migrations: Function[];
}

/**
 * The infrastructure both consumer services share: their database (with the inbox table), the
 * messaging module with one consumer on the payment events exchange, dead letters, chaos, the
 * operator guard, metrics, OpenAPI and /health. Each service adds its business modules beside it.
 */
@Module({})
export class ConsumerServiceModule {
  static forRoot(config: ConsumerServiceConfig, definition: ConsumerServiceDefinition, chaos: ChaosOptions = { enabled: false }): DynamicModule {
    return { module: ConsumerServiceModule, imports: imports(config, definition, chaos) };
  }
}

function imports(
  config: ConsumerServiceConfig,
  definition: ConsumerServiceDefinition,
  chaos: ChaosOptions = { enabled: false },
): Array<DynamicModule | typeof OperatorAuditModule> {
  const name = definition.consumer.name;
  return [
    OperatorAuthModule.register({ operators: config.operators }),
    OperatorAuditModule,
    FaultsModule.register(config.faults),
    ChaosModule.register(chaos),
    DatabaseModule.forService(config, {
      entities: [...DEAD_LETTERS_ENTITIES, ...OPERATOR_AUDIT_ENTITIES, ...definition.entities],
      // Each library's own migrations (TypeORM runs them in timestamp order), then the service's.
      migrations: [...INBOX_MIGRATIONS, ...DEAD_LETTERS_MIGRATIONS, ...OPERATOR_AUDIT_MIGRATIONS, ...definition.migrations],
    }),
    InboxModule.forRoot({
      batchSize: config.consumer.batchSize,
      retentionMs: config.consumer.inboxRetentionMs,
      cleanupIntervalMs: config.consumer.retentionCleanupIntervalMs,
    }),
    MessagingModule.forRootAsync({
      inject: [getDataSourceToken()],
      useFactory: (dataSource: DataSource) => ({
        url: config.broker.url,
        connectionName: `${name}${config.broker.namePrefix ? ` (${config.broker.namePrefix})` : ''}`,
        namePrefix: config.broker.namePrefix,
        queueType: config.broker.queueType,
        confirmTimeoutMs: config.broker.confirmTimeoutMs,
        exchanges: [PAYMENT_EVENTS_EXCHANGE],
        classifyError: classifyMysqlError,
        consumers: {
          [name]: {
            queue: consumerQueue(definition.consumer),
            exchange: PAYMENT_EVENTS_EXCHANGE,
            prefetch: config.consumer.prefetch,
            handlerTimeoutMs: config.consumer.handlerTimeoutMs,
            retry: retryPolicy(config.consumer.retryLadderMs),
            pauseOnDependencyDown: config.consumer.pauseOnDependencyDown,
            maxMessageBytes: config.consumer.maxMessageBytes,
            signatureKeys: config.consumer.signatureKeys,
            probe: () => probeDatabase(dataSource, 2_000),
          },
        },
      }),
    }),
    DeadLettersModule.forRoot({ consumer: name, event: definition.consumer.event, ...config.deadLetters }),
    HealthModule.register({ contributor: DeadLetterHealth }),
    OpenApiModule.register({ title: name, version: '1', description: 'Consumes payment.succeeded idempotently; operator routes for dead letters and chaos.' }),
    ...(config.observability.metricsEnabled
      ? [MetricsModule.register({ service: config.observability.serviceName, exporters: [ConsumerMetricsExporter] })]
      : []),
  ];
}
