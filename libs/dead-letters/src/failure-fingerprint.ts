import { createHash } from 'node:crypto';

/**
 * A stable name for "the same failure": the error code plus the message with what varies between
 * letters taken out (UUIDs, hex ids, numbers, quoted values). Letters whose only difference is the
 * order or the attempt fall in one group; a different code or a different wording does not.
 * The stored message is a header (`last-error`, ≤ 300 characters), so no stack frame is available;
 * the normalised message stands in for it.
 */
export function normaliseErrorMessage(message: string): string {
  return message
    .toLowerCase()
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<id>')
    .replace(/\b[0-9a-f]{16,}\b/g, '<id>')
    .replace(/'[^']*'|"[^"]*"|`[^`]*`/g, '<value>')
    .replace(/\d+(\.\d+)?/g, '<n>')
    .replace(/\s+/g, ' ')
    .trim();
}

/** 16 hex characters (64 bits) of SHA-256 over code and normalised message. */
export function failureFingerprint(errorCode: string, errorMessage: string): string {
  return createHash('sha256')
    .update(`${errorCode}\n${normaliseErrorMessage(errorMessage)}`)
    .digest('hex')
    .slice(0, 16);
}

export const FINGERPRINT_PATTERN = /^[0-9a-f]{16}$/;
