import { Pool } from 'mysql2/promise';

/**
 * Grown tables, filled the fast way: `INSERT ... SELECT` from MariaDB's SEQUENCE engine
 * (`seq_1_to_N`), a chunk of rows per statement (each its own autocommit transaction, so undo and
 * locks stay bounded), never a row at a time from the client. Returns the seconds it took.
 */
const CHUNK = 250_000;

async function chunked(count: number, fill: (from: number, to: number) => Promise<unknown>): Promise<number> {
  const started = Date.now();
  for (let from = 1; from <= count; from += CHUNK) await fill(from, Math.min(count, from + CHUNK - 1));
  return (Date.now() - started) / 1000;
}

/**
 * `count` processed message ids of `consumer`, spread over the last 29 days (inside the 30-day
 * INBOX_RETENTION: rows a sweep would keep). Random ids, as message ids are: inserts land all over
 * the primary key, as the consumer's own do.
 */
export function fillInbox(pool: Pool, consumer: string, count: number): Promise<number> {
  return chunked(count, (from, to) =>
    pool.query(
      `INSERT INTO inbox_messages (consumer, message_id, processed_at)
       SELECT ?, UUID(), NOW(3) - INTERVAL (seq MOD 2505600) SECOND FROM seq_${from}_to_${to}`,
      [consumer],
    ),
  );
}

/**
 * `count` sent outbox rows awaiting cleanup: sent within the last 23 hours, inside the 24-hour
 * OUTBOX_RETENTION, so the cleanup keeps them and every relay claim walks past them.
 */
export function fillSentOutbox(pool: Pool, count: number): Promise<number> {
  return chunked(count, (from, to) =>
    pool.query(
      `INSERT INTO outbox_messages (message_id, exchange, routing_key, message_type, payload, created_at, sent_at, attempts, next_attempt_at)
       SELECT UUID(), 'payments.events', 'payment.succeeded', 'payment.succeeded.v1',
              CONCAT('{"eventId":"', UUID(), '","type":"payment.succeeded","version":1,"data":{"orderId":"', UUID(), '","userId":"grown","amount":"10.00","currency":"CNY"}}'),
              t, t, 1, t
         FROM (SELECT seq, NOW(3) - INTERVAL (seq MOD 82800) SECOND AS t FROM seq_${from}_to_${to}) s`,
    ),
  );
}

/**
 * `count` pending dead letters in `groups` failure groups (fingerprints), exhausted retries (the
 * re-drivable class), each with a valid payment event as payload, from `queue`.
 */
export function fillDeadLetters(pool: Pool, queue: string, count: number, groups = 20): Promise<number> {
  return chunked(count, (from, to) =>
    pool.query(
      `INSERT INTO dead_letters (dead_letter_key, message_id, original_queue, payload, properties, headers, reason, error_code, error_class, error_message,
                                 attempts, first_failed_at, last_failed_at, dead_lettered_at, status, redrive_class, fingerprint, order_id)
       SELECT SHA2(CONCAT('grown-', seq, '-', m), 256), m, ?,
              CONCAT('{"eventId":"', m, '","type":"payment.succeeded","version":1,"occurredAt":"2026-01-01T00:00:00.000Z","data":{"orderId":"', o, '","userId":"grown","amount":"10.00","currency":"CNY"}}'),
              CONCAT('{"messageId":"', m, '","contentType":"application/json","type":"payment.succeeded"}'), '{}',
              'retries-exhausted', CONCAT('GROWN_', seq MOD ?), 'transient', CONCAT('grown failure ', seq MOD ?), 5,
              t, t, t, 'PENDING', 'exhausted', LPAD(LOWER(HEX(seq MOD ?)), 16, '0'), o
         FROM (SELECT seq, UUID() AS m, UUID() AS o, NOW(3) - INTERVAL (seq MOD 604800) SECOND AS t FROM seq_${from}_to_${to}) s`,
      [queue, groups, groups, groups],
    ),
  );
}
