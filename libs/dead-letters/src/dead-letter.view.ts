import { FailureHeaders } from '@reliable-payments/messaging';
import { DeadLetter, DeadLetterStatus } from './dead-letter.entity';

/**
 * What the operator API shows of a letter. Headers are an allow-list of the project's own failure
 * headers: a stored message may carry anything upstream put in its headers (an `authorization`
 * header, personal data), and a listing must not become a way to read it. The payload has its own
 * route.
 */
export interface DeadLetterView {
  id: string;
  messageId: string | null;
  originalQueue: string;
  status: DeadLetterStatus;
  reason: string;
  errorCode: string;
  errorClass: string;
  errorMessage: string;
  attempts: number;
  firstFailedAt: string | null;
  lastFailedAt: string | null;
  deadLetteredAt: string;
  redrivenAt: string | null;
  discardedAt: string | null;
  /** The operator's comment on a discard. */
  comment: string | null;
  /** The failure group this letter belongs to (`GET /dead-letters/groups`). */
  fingerprint: string;
  /** False for a letter a plain bulk re-drive leaves alone (classified poison when stored). */
  exhausted: boolean;
  payloadBytes: number;
  /** False for a stub or a body stored truncated. */
  redrivable: boolean;
  headers: Record<string, string>;
  properties: Record<string, unknown>;
}

export interface DeadLetterPayloadView {
  id: string;
  messageId: string | null;
  payloadBytes: number;
  storedBytes: number;
  /** UTF-8 text when the body is valid UTF-8, else base64. */
  payload: string;
  payloadEncoding: 'utf8' | 'base64';
  /** The payload an operator sent instead (edit and re-drive), as UTF-8 JSON; null when not edited. */
  editedPayload: string | null;
}

const SHOWN_HEADERS = new Set<string>(Object.values(FailureHeaders));
const SHOWN_PROPERTIES = ['contentType', 'contentEncoding', 'type', 'timestamp', 'payloadBytes', 'stub'];

function parse(json: string): Record<string, unknown> {
  try {
    const value = JSON.parse(json) as unknown;
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** A row without its payload (listings never load payloads): `storedBytes` is the payload column's length. */
export type DeadLetterSummary = Omit<DeadLetter, 'payload'> & { storedBytes: number };

export function payloadBytesOf(letter: Pick<DeadLetterSummary, 'properties' | 'storedBytes'>): number {
  const declared = Number(parse(letter.properties).payloadBytes);
  return Number.isSafeInteger(declared) && declared >= 0 ? declared : letter.storedBytes;
}

/** Why a letter cannot be re-driven, or undefined when it can. */
export function notRedrivableReason(letter: Pick<DeadLetterSummary, 'properties' | 'storedBytes' | 'reason'>): string | undefined {
  if (letter.reason === 'unstorable' || parse(letter.properties).stub === true) return 'it was stored as a stub, without its payload';
  if (payloadBytesOf(letter) > letter.storedBytes) return 'its payload was stored truncated';
  return undefined;
}

export function summaryOf(letter: DeadLetter): DeadLetterSummary {
  const { payload, ...rest } = letter;
  return { ...rest, storedBytes: payload.length };
}

export function toView(letter: DeadLetterSummary): DeadLetterView {
  const headers = parse(letter.headers);
  const properties = parse(letter.properties);
  return {
    id: String(letter.id),
    messageId: letter.messageId,
    originalQueue: letter.originalQueue,
    status: letter.status,
    reason: letter.reason,
    errorCode: letter.errorCode,
    errorClass: letter.errorClass,
    errorMessage: letter.errorMessage,
    attempts: letter.attempts,
    firstFailedAt: letter.firstFailedAt?.toISOString() ?? null,
    lastFailedAt: letter.lastFailedAt?.toISOString() ?? null,
    deadLetteredAt: letter.deadLetteredAt.toISOString(),
    redrivenAt: letter.redrivenAt?.toISOString() ?? null,
    discardedAt: letter.discardedAt?.toISOString() ?? null,
    comment: letter.operatorComment,
    fingerprint: letter.fingerprint,
    exhausted: letter.redriveClass === 'exhausted',
    payloadBytes: payloadBytesOf(letter),
    redrivable: notRedrivableReason(letter) === undefined,
    headers: Object.fromEntries(
      Object.entries(headers).flatMap(([k, v]) => (SHOWN_HEADERS.has(k) && v !== null && v !== undefined ? [[k, String(v).slice(0, 512)]] : [])),
    ),
    properties: Object.fromEntries(SHOWN_PROPERTIES.flatMap((k) => (properties[k] === undefined ? [] : [[k, properties[k]]]))),
  };
}

export function toPayloadView(letter: Pick<DeadLetter, 'id' | 'messageId' | 'payload' | 'properties' | 'editedPayload'>): DeadLetterPayloadView {
  const text = letter.payload.toString('utf8');
  const isText = Buffer.from(text, 'utf8').equals(letter.payload);
  return {
    id: String(letter.id),
    messageId: letter.messageId,
    payloadBytes: payloadBytesOf({ properties: letter.properties, storedBytes: letter.payload.length }),
    storedBytes: letter.payload.length,
    payload: isText ? text : letter.payload.toString('base64'),
    payloadEncoding: isText ? 'utf8' : 'base64',
    editedPayload: letter.editedPayload ? letter.editedPayload.toString('utf8') : null,
  };
}
