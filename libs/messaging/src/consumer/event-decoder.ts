import { ConsumeMessage } from 'amqplib';
import { EventContract, envelopeSchema } from '@reliable-payments/contracts';
import { PermanentError } from '@reliable-payments/errors';
import { truncate } from '../retry/failure-headers';
import { verifyEventSignature } from '../signing/event-signature';

/**
 * Turns a delivery into a typed event or a PermanentError naming what is wrong. The size is
 * checked before `JSON.parse`, so a huge body costs nothing but its bytes. With `signatureKeys`
 * the signature is checked next, before anything in the body is read.
 */
export function decodeEvent<T>(contract: EventContract<T>, maxBytes: number, message: ConsumeMessage, signatureKeys?: ReadonlyMap<string, string>): T {
  if (message.content.length > maxBytes) {
    throw new PermanentError('MESSAGE_TOO_LARGE', `body of ${message.content.length} bytes exceeds ${maxBytes}`);
  }
  if (signatureKeys) verifyEventSignature(signatureKeys, message);
  const contentType = message.properties.contentType as string | undefined;
  if (!contentType || contentType.split(';')[0].trim().toLowerCase() !== 'application/json') {
    throw new PermanentError('UNSUPPORTED_CONTENT_TYPE', `content type "${contentType ?? ''}" is not application/json`);
  }
  let body: unknown;
  try {
    body = JSON.parse(message.content.toString('utf8'));
  } catch (error) {
    throw new PermanentError('INVALID_JSON', `body is not JSON: ${(error as Error).message}`);
  }
  const envelope = envelopeSchema.safeParse(body);
  if (!envelope.success) {
    throw new PermanentError('INVALID_ENVELOPE', truncate(summarize(envelope.error.issues)));
  }
  if (envelope.data.type !== contract.type) {
    throw new PermanentError('UNKNOWN_EVENT_TYPE', `event type "${truncate(envelope.data.type, 64)}" is not ${contract.type}`);
  }
  if (envelope.data.version !== contract.version) {
    throw new PermanentError('UNSUPPORTED_VERSION', `${contract.type} version ${envelope.data.version} is not supported (expected ${contract.version})`);
  }
  const messageId = message.properties.messageId as string | undefined;
  if (messageId !== undefined && messageId !== envelope.data.eventId) {
    throw new PermanentError('MESSAGE_ID_MISMATCH', `messageId ${truncate(String(messageId), 64)} differs from eventId ${envelope.data.eventId}`);
  }
  const parsed = contract.schema.safeParse(body);
  if (!parsed.success) throw new PermanentError('SCHEMA_INVALID', truncate(summarize(parsed.error.issues)));
  return parsed.data;
}

function summarize(issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>): string {
  return issues
    .slice(0, 5)
    .map((issue) => `${issue.path.map(String).join('.') || '(body)'}: ${issue.message}`)
    .join('; ');
}
