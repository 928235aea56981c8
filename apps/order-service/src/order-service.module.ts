import { DynamicModule, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { OrderServiceConfig } from '@reliable-payments/config';
import { PAYMENT_EVENTS_EXCHANGE } from '@reliable-payments/contracts';
import { FaultsModule } from '@reliable-payments/faults';
import { HealthModule, OpenApiModule, OperatorAuthModule } from '@reliable-payments/http';
import { MessagingModule } from '@reliable-payments/messaging';
import { MetricsModule, OutboxMetrics } from '@reliable-payments/metrics';
import { OUTBOX_MIGRATIONS, OutboxModule } from '@reliable-payments/outbox';
import { classifyMysqlError, DatabaseModule } from '@reliable-payments/persistence';
import { CreateOrders1763700000200 } from './migrations/1763700000200-create-orders';
import { LedgerReadIndexes1763700000700 } from './migrations/1763700000700-ledger-read-indexes';
import { CreateIdempotencyKeys1765000000000 } from './migrations/1765000000000-create-idempotency-keys';
import { OrderLedgerModule } from './ledger/order-ledger.module';
import { Order } from './orders/order.entity';
import { OrdersModule } from './orders/orders.module';
import { OutboxHealth } from './outbox-health';

@Module({})
export class OrderServiceModule {
  static register(config: OrderServiceConfig): DynamicModule {
    return {
      module: OrderServiceModule,
      imports: [
        // Once per application: the outbox relay's safety-net poll runs on it.
        ScheduleModule.forRoot(),
        OperatorAuthModule.register({ operators: config.operators }),
        FaultsModule.register(config.faults),
        DatabaseModule.forService(config, {
          entities: [Order],
          migrations: [...OUTBOX_MIGRATIONS, CreateOrders1763700000200, LedgerReadIndexes1763700000700, CreateIdempotencyKeys1765000000000],
        }),
        MessagingModule.forRootAsync({
          useFactory: () => ({
            url: config.broker.url,
            connectionName: `order-service${config.broker.namePrefix ? ` (${config.broker.namePrefix})` : ''}`,
            namePrefix: config.broker.namePrefix,
            queueType: config.broker.queueType,
            confirmTimeoutMs: config.broker.confirmTimeoutMs,
            exchanges: [PAYMENT_EVENTS_EXCHANGE],
            classifyError: classifyMysqlError,
          }),
        }),
        OutboxModule.forRootAsync({ useFactory: () => config.outbox }),
        OrdersModule.register({
          batchSize: config.orderBatchSize,
          queueLimit: config.orderQueueLimit,
          idempotencyKeyRetentionMs: config.idempotencyKeyRetentionMs,
          cleanupIntervalMs: config.outbox.cleanupIntervalMs,
        }),
        HealthModule.register({ contributor: OutboxHealth }),
        OrderLedgerModule,
        OpenApiModule.register({
          title: 'order-service',
          version: '1',
          description: 'Creates and pays orders; publishes payment.succeeded through a transactional outbox.',
        }),
        ...(config.observability.metricsEnabled ? [MetricsModule.register({ service: config.observability.serviceName, exporters: [OutboxMetrics] })] : []),
      ],
    };
  }
}
