import { createHmac } from 'node:crypto';
import { PermanentError } from '@reliable-payments/errors';
import { SIGNATURE_HEADER, SIGNATURE_KEY_ID_HEADER, signatureHeaders, SignedMessage, verifyEventSignature } from './event-signature';

const OLD = { id: 'k2026-01', secret: 'old-secret-old-secret-old-secret-0' };
const NEW = { id: 'k2026-06', secret: 'new-secret-new-secret-new-secret-1' };
const MESSAGE_ID = '0b6f4a9e-7c1d-4e2f-9a3b-5c6d7e8f9a0b';
const BODY = Buffer.from('{"eventId":"0b6f4a9e-7c1d-4e2f-9a3b-5c6d7e8f9a0b","amount":"1.00"}');

const message = (headers: Record<string, unknown>, content = BODY, messageId: unknown = MESSAGE_ID): SignedMessage => ({
  content,
  properties: { messageId, headers },
});
const keys = (...held: Array<{ id: string; secret: string }>) => new Map(held.map((k) => [k.id, k.secret]));

/** The code verification fails with; fails the test when it passes or throws anything else. */
const codeOf = (verify: () => void): string => {
  try {
    verify();
  } catch (error) {
    if (error instanceof PermanentError) return error.code;
    throw error;
  }
  throw new Error('verified');
};

describe('signatureHeaders', () => {
  it('is HMAC-SHA256 in base64url over the message id, "\\n" and the body', () => {
    const expected = createHmac('sha256', NEW.secret).update(`${MESSAGE_ID}\n`).update(BODY).digest('base64url');
    expect(signatureHeaders(NEW, MESSAGE_ID, BODY)).toEqual({ [SIGNATURE_KEY_ID_HEADER]: NEW.id, [SIGNATURE_HEADER]: expected });
  });
});

describe('verifyEventSignature', () => {
  it('accepts an event signed with a held key', () => {
    expect(() => verifyEventSignature(keys(NEW), message(signatureHeaders(NEW, MESSAGE_ID, BODY)))).not.toThrow();
  });

  it('accepts both the old and the new key while a rotation overlaps', () => {
    const both = keys(OLD, NEW);
    expect(() => verifyEventSignature(both, message(signatureHeaders(OLD, MESSAGE_ID, BODY)))).not.toThrow();
    expect(() => verifyEventSignature(both, message(signatureHeaders(NEW, MESSAGE_ID, BODY)))).not.toThrow();
  });

  it('reads headers that arrive as buffers', () => {
    const signed = signatureHeaders(NEW, MESSAGE_ID, BODY);
    const asBuffers = Object.fromEntries(Object.entries(signed).map(([k, v]) => [k, Buffer.from(v)]));
    expect(() => verifyEventSignature(keys(NEW), message(asBuffers))).not.toThrow();
  });

  it('refuses a tampered body', () => {
    const tampered = Buffer.from(BODY.toString().replace('1.00', '9.00'));
    expect(codeOf(() => verifyEventSignature(keys(NEW), message(signatureHeaders(NEW, MESSAGE_ID, BODY), tampered)))).toBe('SIGNATURE_INVALID');
  });

  it('refuses a valid signature replayed under another message id', () => {
    const headers = signatureHeaders(NEW, MESSAGE_ID, BODY);
    expect(codeOf(() => verifyEventSignature(keys(NEW), message(headers, BODY, 'another-id')))).toBe('SIGNATURE_INVALID');
  });

  it('refuses a signature made with a retired key', () => {
    expect(codeOf(() => verifyEventSignature(keys(NEW), message(signatureHeaders(OLD, MESSAGE_ID, BODY))))).toBe('SIGNATURE_UNKNOWN_KEY');
  });

  it('refuses a known key id with a signature made by another secret', () => {
    const forged = signatureHeaders({ id: NEW.id, secret: OLD.secret }, MESSAGE_ID, BODY);
    expect(codeOf(() => verifyEventSignature(keys(NEW), message(forged)))).toBe('SIGNATURE_INVALID');
  });

  it('refuses a signature of the wrong length without comparing', () => {
    const short = { [SIGNATURE_KEY_ID_HEADER]: NEW.id, [SIGNATURE_HEADER]: 'abc' };
    expect(codeOf(() => verifyEventSignature(keys(NEW), message(short)))).toBe('SIGNATURE_INVALID');
  });

  it('refuses an event without either header, or without a message id', () => {
    const signed = signatureHeaders(NEW, MESSAGE_ID, BODY);
    expect(codeOf(() => verifyEventSignature(keys(NEW), message({})))).toBe('SIGNATURE_MISSING');
    expect(codeOf(() => verifyEventSignature(keys(NEW), message({ [SIGNATURE_HEADER]: signed[SIGNATURE_HEADER] })))).toBe('SIGNATURE_MISSING');
    expect(codeOf(() => verifyEventSignature(keys(NEW), message({ [SIGNATURE_KEY_ID_HEADER]: NEW.id })))).toBe('SIGNATURE_MISSING');
    expect(codeOf(() => verifyEventSignature(keys(NEW), message(signed, BODY, null)))).toBe('SIGNATURE_MISSING');
  });

  it('does not quote a malformed key id back', () => {
    const headers = { [SIGNATURE_KEY_ID_HEADER]: 'x'.repeat(500), [SIGNATURE_HEADER]: 'abc' };
    expect(() => verifyEventSignature(keys(NEW), message(headers))).toThrow(/\(malformed\)/);
  });
});
