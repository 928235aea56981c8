import { createHmac, timingSafeEqual } from 'node:crypto';
import { MessagePropertyHeaders } from 'amqplib';
import { PermanentError } from '@reliable-payments/errors';

/** Which key signed the event: lets a consumer holding the old and the new key verify both during a rotation. */
export const SIGNATURE_KEY_ID_HEADER = 'signature-key-id';
/** HMAC-SHA256, base64url, over the message id, "\n", and the exact body bytes. */
export const SIGNATURE_HEADER = 'signature';

/** A key to sign with: `id` is sent, `secret` never is. */
export interface SignatureKey {
  id: string;
  secret: string;
}

/** What verification reads from a delivery: its message id, headers and the bytes as received. */
export interface SignedMessage {
  content: Buffer;
  properties: { messageId?: unknown; headers?: MessagePropertyHeaders };
}

// The message id is bound in, so a valid body cannot be replayed under another id (a fresh grant).
// "\n" cannot be ambiguous: the decoder later insists that the body's eventId equals the message id.
function mac(secret: string, messageId: string, body: Buffer): Buffer {
  return createHmac('sha256', secret).update(messageId, 'utf8').update('\n').update(body).digest();
}

/** The two headers that sign `body` (the exact bytes published) as message `messageId`. */
export function signatureHeaders(key: SignatureKey, messageId: string, body: Buffer): Record<string, string> {
  return { [SIGNATURE_KEY_ID_HEADER]: key.id, [SIGNATURE_HEADER]: mac(key.secret, messageId, body).toString('base64url') };
}

function headerText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  return undefined;
}

/**
 * Throws a PermanentError unless `message` carries a signature by one of `keys` over its own id
 * and body: SIGNATURE_MISSING, SIGNATURE_UNKNOWN_KEY or SIGNATURE_INVALID. Runs before the body is
 * parsed, so nothing unsigned is ever interpreted. The comparison is constant-time.
 */
export function verifyEventSignature(keys: ReadonlyMap<string, string>, message: SignedMessage): void {
  const headers = message.properties.headers ?? {};
  const keyId = headerText(headers[SIGNATURE_KEY_ID_HEADER]);
  const signature = headerText(headers[SIGNATURE_HEADER]);
  const messageId = message.properties.messageId;
  if (keyId === undefined || signature === undefined) {
    throw new PermanentError('SIGNATURE_MISSING', `no ${SIGNATURE_KEY_ID_HEADER} and ${SIGNATURE_HEADER} headers; this consumer requires signed events`);
  }
  if (typeof messageId !== 'string') throw new PermanentError('SIGNATURE_MISSING', 'a signed event needs a messageId to verify the signature over');
  const secret = keys.get(keyId);
  // The key id is untrusted text: quoted only when it has the shape of one.
  if (secret === undefined)
    throw new PermanentError(
      'SIGNATURE_UNKNOWN_KEY',
      `signature key id ${/^[a-z0-9-]{1,32}$/.test(keyId) ? `"${keyId}"` : '(malformed)'} is not one this consumer holds`,
    );
  const expected = mac(secret, messageId, message.content);
  const given = Buffer.from(signature, 'base64url');
  // timingSafeEqual needs equal lengths; the length of an HMAC is public, so refusing early leaks nothing.
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new PermanentError('SIGNATURE_INVALID', 'the signature does not match the message id and body');
  }
}
