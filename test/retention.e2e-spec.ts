import { DeadLettersRetention } from '@reliable-payments/dead-letters';
import { INBOX_CLEANUP_CHUNK, InboxRetention } from '@reliable-payments/inbox';
import { TestSystem } from './support/test-system';
import { waitFor } from './support/wait-for';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * INBOX_RETENTION and DEAD_LETTER_RETENTION on a running coupon service: rows past retention go,
 * in chunks, on the service's own interval; young rows stay, and PENDING dead letters stay
 * however old they are.
 */
describe('retention of inbox rows and dead letters', () => {
  const system = new TestSystem({ INBOX_RETENTION: '2h', DEAD_LETTER_RETENTION: '1d', RETENTION_CLEANUP_INTERVAL: '200ms' });
  afterAll(() => system.cleanup());

  const ago = (ms: number) => new Date(Date.now() - ms);
  const inboxRows = (ids: string[], at: Date) =>
    system.query(
      'coupon',
      `INSERT INTO inbox_messages (consumer, message_id, processed_at) VALUES ${ids.map(() => '(?, ?, ?)').join(', ')}`,
      ids.flatMap((id) => ['retention-test', id, at]),
    );
  const deadLetter = (key: string, status: 'PENDING' | 'REDRIVEN', deadLetteredAt: Date, redrivenAt: Date | null) =>
    system.query(
      'coupon',
      `INSERT INTO dead_letters (dead_letter_key, message_id, original_queue, payload, properties, headers, reason, error_code, error_class,
         error_message, attempts, dead_lettered_at, status, redriven_at)
       VALUES (SHA2(?, 256), ?, 'q', 'x', '{}', '{}', 'retries-exhausted', 'E', 'transient', 'e', 3, ?, ?, ?)`,
      [key, key, deadLetteredAt, status, redrivenAt],
    );
  const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);
  const inboxCount = (prefix: string) => system.count('coupon', 'inbox_messages', `consumer = 'retention-test' AND message_id LIKE ?`, [`${prefix}-%`]);
  const letterIds = async () => (await system.query('coupon', 'SELECT message_id AS id FROM dead_letters ORDER BY message_id')).map((r) => r.id as string);

  it('deletes old inbox rows and old re-driven letters, keeps young rows and every pending letter', async () => {
    const coupon = await system.start('coupon');
    const old = ids('old', INBOX_CLEANUP_CHUNK * 2 + 500); // three chunks
    const young = ids('young', 20);
    for (let i = 0; i < old.length; i += 500) await inboxRows(old.slice(i, i + 500), ago(3 * HOUR));
    await inboxRows(young, ago(HOUR));
    await deadLetter('redriven-old', 'REDRIVEN', ago(40 * DAY), ago(2 * DAY));
    await deadLetter('redriven-young', 'REDRIVEN', ago(40 * DAY), ago(HOUR));
    await deadLetter('pending-ancient', 'PENDING', ago(400 * DAY), null);
    await deadLetter('pending-young', 'PENDING', ago(HOUR), null);

    // The service's interval does it: no call from here.
    await waitFor(async () => (await inboxCount('old')) === 0, { timeoutMs: 30_000, message: 'old inbox rows deleted' });
    await waitFor(async () => !(await letterIds()).includes('redriven-old'), { timeoutMs: 30_000, message: 'old re-driven letter deleted' });

    expect(await inboxCount('young')).toBe(young.length);
    expect(await letterIds()).toEqual(['pending-ancient', 'pending-young', 'redriven-young']);
    // Once more, directly: nothing else is past retention, and the pending letters are still there.
    expect(await coupon.app.get(InboxRetention).cleanup()).toBe(0);
    expect(await coupon.app.get(DeadLettersRetention).cleanup()).toBe(0);
    expect(await letterIds()).toEqual(['pending-ancient', 'pending-young', 'redriven-young']);
  });
});
