import { ConsumeMessage } from 'amqplib';

/** The trace id of a W3C `traceparent` header ("00-<32 hex>-<16 hex>-<2 hex>"), if it is one. */
export function traceIdOf(traceparent: unknown): string | undefined {
  if (typeof traceparent !== 'string') return undefined;
  const match = /^[\da-f]{2}-([\da-f]{32})-[\da-f]{16}-[\da-f]{2}$/.exec(traceparent.trim());
  return match && !/^0+$/.test(match[1]) ? match[1] : undefined;
}

/**
 * What a log line about a message carries (in JSON logs, fields of the record): its id, the queue,
 * the attempt, the trace id from its `traceparent` header, and the business keys the event's
 * contract names (e.g. orderId) when it could be decoded. Header values are untrusted: only a
 * well-formed trace id is taken, and the message id is truncated.
 */
export function messageLogFields(
  message: Pick<ConsumeMessage, 'properties'>,
  queue: string,
  attempt: number,
  describe?: () => Record<string, string> | undefined,
): Record<string, string | number> {
  const fields: Record<string, string | number> = { messageId: String(message.properties.messageId ?? '').slice(0, 128), queue, attempt };
  const traceId = traceIdOf(message.properties.headers?.traceparent);
  if (traceId) fields.traceId = traceId;
  try {
    Object.assign(fields, describe?.());
  } catch {
    // a log field is never worth failing a delivery over
  }
  return fields;
}
