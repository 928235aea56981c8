import { INestApplication, LoggerService } from '@nestjs/common';
import { ConsumerServiceConfig, Env, loadConsumerServiceConfig } from '@reliable-payments/config';
import { startConsumerService } from '@reliable-payments/consumer-service';
import { RED_PACKET_CONSUMER } from '@reliable-payments/contracts';
import { SpanExporter, Tracing } from '@reliable-payments/tracing';
import { RedPacketServiceModule } from './red-packet-service.module';

export const loadRedPacketServiceConfig = (env?: Env) =>
  loadConsumerServiceConfig('RED_PACKET', { port: 3002, database: 'red_packet_service', serviceName: RED_PACKET_CONSUMER.name }, env);

/** Starts the red-packet service; used by main.ts and by tests that run it in-process. */
export function startRedPacketService(config: ConsumerServiceConfig, logger?: LoggerService | false, spanExporter?: SpanExporter): Promise<INestApplication> {
  return startConsumerService((c, chaos) => RedPacketServiceModule.register(c, chaos), config, new Tracing(config.observability, spanExporter), logger);
}
