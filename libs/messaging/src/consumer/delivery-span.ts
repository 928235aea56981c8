import { Context, Span, SpanKind, trace, Tracer } from '@opentelemetry/api';
import { ConsumeMessage } from 'amqplib';
import { contextFromTraceparent } from '@reliable-payments/tracing';

/**
 * Every delivery (first, retried, re-driven, or the dead-letter store) is a CONSUMER span in the
 * trace of the message's `traceparent`, which retries and re-drives keep unchanged. A no-op when
 * tracing is off.
 */
export function startDeliverySpan(tracer: Tracer | undefined, queue: string, message: ConsumeMessage, attempt: number): { span: Span; context: Context } {
  const parent = contextFromTraceparent(message.properties.headers?.traceparent);
  const span = (tracer ?? trace.getTracer('noop')).startSpan(
    `${queue} process`,
    {
      kind: SpanKind.CONSUMER,
      attributes: {
        'messaging.system': 'rabbitmq',
        'messaging.destination.name': queue,
        'messaging.message.id': String(message.properties.messageId ?? ''),
        'messaging.attempt': attempt,
      },
    },
    parent,
  );
  return { span, context: trace.setSpan(parent, span) };
}
