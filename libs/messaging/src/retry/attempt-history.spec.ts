import {
  appendAttempt,
  ATTEMPT_HISTORY_HEADER,
  formatAttemptHistory,
  MAX_ATTEMPT_HISTORY,
  MAX_ATTEMPT_HISTORY_CHARS,
  parseAttemptHistory,
} from './attempt-history';

const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString();

describe('attempt history header', () => {
  it('appends failures in order and reads them back', () => {
    let value = appendAttempt(undefined, { attempt: 1, at: at(1), code: 'DB_UNAVAILABLE' });
    value = appendAttempt({ [ATTEMPT_HISTORY_HEADER]: value }, { attempt: 2, at: at(3), code: 'HANDLER_TIMEOUT' });
    expect(parseAttemptHistory(value)).toEqual([
      { attempt: 1, at: at(1), code: 'DB_UNAVAILABLE' },
      { attempt: 2, at: at(3), code: 'HANDLER_TIMEOUT' },
    ]);
  });

  it('keeps only the last attempts, within the size bound', () => {
    let headers: Record<string, string> = {};
    for (let i = 1; i <= 20; i++) headers = { [ATTEMPT_HISTORY_HEADER]: appendAttempt(headers, { attempt: i, at: at(i), code: 'X'.repeat(60) }) };
    const history = parseAttemptHistory(headers[ATTEMPT_HISTORY_HEADER]);
    expect(history.length).toBeLessThanOrEqual(MAX_ATTEMPT_HISTORY);
    expect(history.at(-1)?.attempt).toBe(20);
    expect(headers[ATTEMPT_HISTORY_HEADER].length).toBeLessThanOrEqual(MAX_ATTEMPT_HISTORY_CHARS);
  });

  it('cleans error codes so they cannot break the format', () => {
    const value = appendAttempt(undefined, { attempt: 1, at: at(1), code: 'er;r@or code' });
    expect(parseAttemptHistory(value)).toEqual([{ attempt: 1, at: at(1), code: 'ER_R_OR_CODE' }]);
  });

  it.each([[undefined], [42], ['garbage'], ['1@yesterday@X'], ['x'.repeat(10_000)], [{ a: 1 }]])('drops a malformed value %p without throwing', (raw) => {
    expect(parseAttemptHistory(raw)).toEqual([]);
  });

  it('keeps the well-formed entries of a partly malformed value, and reads a Buffer', () => {
    const good = formatAttemptHistory([{ attempt: 3, at: at(5), code: 'A' }]);
    expect(parseAttemptHistory(Buffer.from(`junk;${good};1@${at(1)}@bad code`))).toEqual([{ attempt: 3, at: at(5), code: 'A' }]);
  });
});
