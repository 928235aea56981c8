import { MessagePropertyHeaders } from 'amqplib';

/** The header carrying a message's recent failures, newest last: `level@iso-time@CODE;...`. */
export const ATTEMPT_HISTORY_HEADER = 'attempt-history';
/** Failures kept: enough to tell an order's story, few enough to keep the header small. */
export const MAX_ATTEMPT_HISTORY = 6;
/** Longest header value ever written or accepted (6 × ~60 characters). */
export const MAX_ATTEMPT_HISTORY_CHARS = 400;

export interface AttemptRecord {
  /** The failure's number (1 = first failure); the retry level it went to when it was retried. */
  attempt: number;
  at: string;
  code: string;
}

const ENTRY = /^(\d{1,6})@(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,3})?Z)@([A-Z0-9_]{1,40})$/;

/**
 * The attempt history read from untrusted headers: malformed entries are dropped, never thrown on,
 * and at most the last MAX_ATTEMPT_HISTORY are kept.
 */
export function parseAttemptHistory(raw: unknown): AttemptRecord[] {
  const text = Buffer.isBuffer(raw) ? raw.toString('utf8') : raw;
  if (typeof text !== 'string' || text.length > MAX_ATTEMPT_HISTORY_CHARS * 2) return [];
  const records: AttemptRecord[] = [];
  for (const entry of text.split(';')) {
    const match = ENTRY.exec(entry);
    if (match) records.push({ attempt: Number(match[1]), at: match[2], code: match[3] });
  }
  return records.slice(-MAX_ATTEMPT_HISTORY);
}

export function formatAttemptHistory(records: AttemptRecord[]): string {
  let kept = records.slice(-MAX_ATTEMPT_HISTORY);
  const format = (list: AttemptRecord[]) => list.map((r) => `${r.attempt}@${r.at}@${r.code}`).join(';');
  while (kept.length > 0 && format(kept).length > MAX_ATTEMPT_HISTORY_CHARS) kept = kept.slice(1);
  return format(kept);
}

/** Error codes as stored: upper-case letters, digits and `_`, at most 40 characters. */
export function historyCode(code: string): string {
  const cleaned = code
    .toUpperCase()
    .replace(/[^A-Z0-9_]/g, '_')
    .slice(0, 40);
  return cleaned || 'UNKNOWN';
}

/** The history with one more failure appended (the oldest dropped past the bound). */
export function appendAttempt(previous: MessagePropertyHeaders | undefined, record: AttemptRecord): string {
  const history = parseAttemptHistory(previous?.[ATTEMPT_HISTORY_HEADER]);
  return formatAttemptHistory([...history, { ...record, code: historyCode(record.code) }]);
}
