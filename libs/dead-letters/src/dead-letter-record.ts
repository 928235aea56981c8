import { ConsumeMessage } from 'amqplib';
import { createHash } from 'node:crypto';
import { FailureHeaders, PUBLISH_ID_HEADER } from '@reliable-payments/messaging';
import { DeadLetter } from './dead-letter.entity';
import { failureFingerprint } from './failure-fingerprint';
import { orderIdOfPayload } from './order-id-of-payload';
import { redriveClassOf } from './redrive-class';

/**
 * Turns a message from a dead-letter queue into a row. Every value read from a header is
 * untrusted input (anyone who can publish to the queue chooses it), so each is clamped or
 * truncated to its column here: an insert must never fail because of what a header says.
 */

/** Larger bodies can never be processed (the consumer limit is far lower); keep their head only. */
export const MAX_STORED_PAYLOAD_BYTES = 4 * 1024 * 1024;
/** Stored header and property tables larger than this keep only the project's own headers. */
export const MAX_STORED_HEADERS_CHARS = 64 * 1024;
const MAX_INT = 2_147_483_647;
/** DATETIME's range; outside it MySQL refuses the value. */
const MIN_DATE = Date.UTC(1000, 0, 1);
const MAX_DATE = Date.UTC(9999, 11, 31);

export type DeadLetterRow = Omit<DeadLetter, 'id' | 'editedPayload'>;

/** Printable text of at most `max` characters (code points), on one line. */
export function clampText(value: unknown, max: number): string {
  // Control characters (a header is any bytes a publisher chose) become spaces.
  const text = Array.from(String(value), (ch) => (ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f ? ' ' : ch))
    .join('')
    .trim();
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

export function clampAttempts(value: unknown): number {
  const n = typeof value === 'number' ? value : Number(String(value ?? '').trim());
  if (!Number.isFinite(n) || n < 0) return 0;
  return Math.min(Math.floor(n), MAX_INT);
}

export function clampDate(value: unknown): Date | null {
  if (value === undefined || value === null) return null;
  const ms = Date.parse(String(value));
  return Number.isFinite(ms) && ms >= MIN_DATE && ms <= MAX_DATE ? new Date(ms) : null;
}

function header(message: ConsumeMessage, name: string): unknown {
  const value = message.properties.headers?.[name];
  return value === null ? undefined : value;
}

function text(message: ConsumeMessage, name: string, max: number): string | undefined {
  const value = header(message, name);
  return value === undefined ? undefined : clampText(value, max);
}

/** The row's unique key: one per dead-lettering, so a redelivered dead letter is stored once. */
export function deadLetterKey(message: ConsumeMessage): string {
  const id = header(message, FailureHeaders.deadLetterId);
  // A message dead-lettered by the broker itself (the main queue's safety net) has no id of ours.
  const key =
    id !== undefined
      ? String(id)
      : createHash('sha256')
          .update(`${String(message.properties.messageId)}|${String(header(message, FailureHeaders.lastFailedAt))}|`)
          .update(message.content)
          .digest('hex');
  return createHash('sha256').update(key).digest('hex');
}

function boundedJson(value: Record<string, unknown>, fallback: () => Record<string, unknown>): string {
  const json = JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? String(v) : v));
  return json.length <= MAX_STORED_HEADERS_CHARS ? json : JSON.stringify({ ...fallback(), truncated: true });
}

export function letterFromMessage(message: ConsumeMessage, queue: string, now: Date): DeadLetterRow {
  const { headers = {}, ...properties } = message.properties;
  const messageId = message.properties.messageId ? clampText(message.properties.messageId, 128) : null;
  const xDeath = (headers['x-death'] as Array<{ reason?: unknown }> | undefined)?.[0];
  const ownHeaders = () =>
    Object.fromEntries(Object.values(FailureHeaders).flatMap((k) => (headers[k] === undefined ? [] : [[k, clampText(headers[k], 512)]])));
  const reason = text(message, FailureHeaders.deadLetterReason, 32) ?? (xDeath?.reason ? clampText(`broker-${String(xDeath.reason)}`, 32) : 'unknown');
  const errorCode = text(message, FailureHeaders.errorCode, 64) ?? 'UNKNOWN';
  const errorClass = text(message, FailureHeaders.errorClass, 16) ?? 'unknown';
  const errorMessage = text(message, FailureHeaders.errorMessage, 512) ?? 'no error recorded';
  const payload = message.content.subarray(0, MAX_STORED_PAYLOAD_BYTES);
  return {
    deadLetterKey: deadLetterKey(message),
    messageId,
    originalQueue: text(message, FailureHeaders.originalQueue, 255) ?? clampText(queue, 255),
    payload,
    properties: boundedJson({ ...properties, payloadBytes: message.content.length }, () => ({ payloadBytes: message.content.length })),
    headers: boundedJson({ ...headers, [PUBLISH_ID_HEADER]: undefined }, ownHeaders),
    reason,
    errorCode,
    errorClass,
    errorMessage,
    attempts: clampAttempts(header(message, FailureHeaders.attempts)),
    firstFailedAt: clampDate(header(message, FailureHeaders.firstFailedAt)),
    lastFailedAt: clampDate(header(message, FailureHeaders.lastFailedAt)),
    deadLetteredAt: now,
    status: 'PENDING',
    redrivenAt: null,
    redriveClass: redriveClassOf({ reason, errorClass }),
    fingerprint: failureFingerprint(errorCode, errorMessage),
    orderId: payload.length === message.content.length ? orderIdOfPayload(payload) : null,
    discardedAt: null,
    operatorComment: null,
  };
}

/**
 * What is kept of a letter the database refused whole: who it was, where, how big, and why it
 * could not be stored. No payload, so it cannot be re-driven; the alert still goes out.
 */
export function stubLetter(message: ConsumeMessage, queue: string, now: Date, error: unknown): DeadLetterRow {
  const asciiId = message.properties.messageId
    ? String(message.properties.messageId)
        .replace(/[^\x20-\x7e]/g, '?')
        .slice(0, 128)
    : null;
  return {
    deadLetterKey: deadLetterKey(message),
    messageId: asciiId,
    originalQueue: clampText(queue, 255).replace(/[^\x20-\x7e]/g, '?'),
    payload: Buffer.alloc(0),
    properties: JSON.stringify({ payloadBytes: message.content.length, stub: true }),
    headers: '{}',
    reason: 'unstorable',
    errorCode: 'UNSTORABLE',
    errorClass: 'permanent',
    errorMessage: clampText(`the letter could not be stored whole: ${(error as Error)?.message ?? String(error)}`, 512).replace(/[^\x20-\x7e]/g, '?'),
    attempts: clampAttempts(header(message, FailureHeaders.attempts)),
    firstFailedAt: null,
    lastFailedAt: null,
    deadLetteredAt: now,
    status: 'PENDING',
    redrivenAt: null,
    redriveClass: 'poison',
    fingerprint: failureFingerprint('UNSTORABLE', 'the letter could not be stored whole'),
    orderId: null,
    discardedAt: null,
    operatorComment: null,
  };
}
