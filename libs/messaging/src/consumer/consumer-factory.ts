import { Tracer } from '@opentelemetry/api';
import { ConsumeMessage } from 'amqplib';
import { FaultHooks } from '@reliable-payments/faults';
import { ConsumeMetadata } from '../consume.decorator';
import { MessagingError } from '@reliable-payments/errors';
import { ConsumerSettings } from '../messaging.options';
import { ConfirmedPublisher } from '../publishing/confirmed-publisher';
import { HOLD } from '../retry/retry-policy';
import { ConsumerRoutes } from '../topology/topology';
import { decodeEvent } from './event-decoder';
import { DeliveryContext, HandleOutcome, MessageConsumer } from './message-consumer';

export interface ConsumerDependencies {
  publisher: ConfirmedPublisher;
  classify?: (error: unknown) => MessagingError | undefined;
  tracer: Tracer;
  faults: FaultHooks;
}

/**
 * The consumer for one declared handler: an event handler consumes its consumer's main queue and
 * fails along the consumer's retry policy; a dead-letter handler consumes the DLQ and holds what it
 * cannot handle (the end of the line). Returns the queue it consumes and the consumer.
 */
export function createConsumer(
  meta: ConsumeMetadata,
  handler: (value: unknown, context: DeliveryContext) => Promise<HandleOutcome>,
  settings: ConsumerSettings,
  routes: ConsumerRoutes,
  deps: ConsumerDependencies,
): { queue: string; consumer: MessageConsumer<unknown> } {
  const shared = { handlerTimeoutMs: settings.handlerTimeoutMs, probe: settings.probe, ...deps };
  if (meta.kind === 'event') {
    const contract = meta.contract;
    return {
      queue: routes.queue,
      consumer: new MessageConsumer({
        ...shared,
        name: meta.consumer,
        routes,
        prefetch: settings.prefetch,
        maxBodyBytes: settings.maxMessageBytes,
        decode: (message) => decodeEvent(contract, settings.maxMessageBytes, message, settings.signatureKeys),
        describe: (value) => contract.logFields?.(value) ?? {},
        handle: handler,
        policy: settings.retry,
        pauseOnDependencyDown: settings.pauseOnDependencyDown,
      }),
    };
  }
  const queue = routes.deadLetterQueue;
  return {
    queue,
    consumer: new MessageConsumer<ConsumeMessage>({
      ...shared,
      name: `${meta.consumer}.dead-letters`,
      routes: { queue, retryQueues: [], retryDelaysMs: [], deadLetterQueue: queue, moveExchange: routes.moveExchange },
      prefetch: Math.min(settings.prefetch, 16),
      decode: (message) => message,
      handle: handler,
      // The end of the line: a letter that cannot be stored is held, never moved on.
      policy: HOLD,
      pauseOnDependencyDown: true,
    }) as MessageConsumer<unknown>,
  };
}
