import { randomBytes } from 'node:crypto';
import { createConnection, Connection } from 'mysql2/promise';
import { testMysql } from '../../../tools/harness/test-servers';
import { checkInvariants } from './invariants';
import { RunDatabase, RunDatabases } from './run-databases';

/**
 * The checker the reliability, cluster and nemesis suites end with must stay linear in the
 * ledger's size. A 30-minute soak paid 355,587 orders and its checker never returned: the
 * half-committed check joined grants to the inbox on `message_id` alone, which the inbox's key
 * (consumer, message_id) cannot serve, so each grant scanned the whole inbox. This ledger of
 * 60,000 orders took minutes that way; read linearly it takes about a second.
 */
const ORDERS = 60_000;
const tag = `inv_${randomBytes(4).toString('hex')}`;
const names: Record<RunDatabase, string> = { order: `${tag}_order`, coupon: `${tag}_coupon`, redPacket: `${tag}_red_packet` };
let admin: Connection;
let dbs: RunDatabases;

beforeAll(async () => {
  const server = testMysql();
  admin = await createConnection({ ...server, multipleStatements: true });
  await admin.query(`CREATE DATABASE ${names.order}`);
  // The sequence engine's seq_1_to_N tables answer in any database; USE picks one.
  await admin.query(`
    USE ${names.order};
    CREATE TABLE ${names.order}.orders (id CHAR(36) NOT NULL PRIMARY KEY, status VARCHAR(16) NOT NULL) COLLATE=utf8mb4_bin;
    CREATE TABLE ${names.order}.outbox_messages (id BIGINT NOT NULL PRIMARY KEY, sent_at DATETIME(3) NULL);
    INSERT INTO ${names.order}.orders SELECT CONCAT('order-', seq), 'PAID' FROM seq_1_to_${ORDERS}`);
  for (const [db, table] of [
    ['coupon', 'coupons'],
    ['redPacket', 'red_packets'],
  ] as const) {
    await admin.query(`CREATE DATABASE ${names[db]}`);
    // The columns the checker reads, with the keys the services' migrations give them.
    await admin.query(`
      USE ${names[db]};
      CREATE TABLE ${names[db]}.${table} (id BIGINT NOT NULL PRIMARY KEY, order_id CHAR(36) NOT NULL UNIQUE, event_id CHAR(36) NOT NULL UNIQUE) COLLATE=utf8mb4_bin;
      CREATE TABLE ${names[db]}.inbox_messages (consumer VARCHAR(128) NOT NULL, message_id VARCHAR(128) NOT NULL, processed_at DATETIME(3) NOT NULL,
        PRIMARY KEY (consumer, message_id)) COLLATE=utf8mb4_bin;
      CREATE TABLE ${names[db]}.dead_letters (id BIGINT NOT NULL PRIMARY KEY, error_message TEXT NULL);
      INSERT INTO ${names[db]}.${table} SELECT seq, CONCAT('order-', seq), CONCAT('event-', seq) FROM seq_1_to_${ORDERS};
      INSERT INTO ${names[db]}.inbox_messages SELECT '${table}-consumer', CONCAT('event-', seq), NOW(3) FROM seq_1_to_${ORDERS}`);
  }
  dbs = new RunDatabases(server, names, () => server);
}, 60_000);

afterAll(async () => {
  await dbs?.end();
  for (const name of Object.values(names)) await admin?.query(`DROP DATABASE IF EXISTS ${name}`);
  await admin?.end();
});

it(
  `checks a ledger of ${ORDERS} orders in linear time, and still finds half-committed work`,
  async () => {
    const clean = await checkInvariants(dbs, new Map([['order-1', 'paid']]), async () => ({}), []);
    expect(clean.violations).toEqual([]);

    // One inbox row without its grant, one grant without its inbox row.
    await admin.query(`INSERT INTO ${names.coupon}.inbox_messages VALUES ('coupons-consumer', 'event-orphan', NOW(3))`);
    await admin.query(`DELETE FROM ${names.redPacket}.inbox_messages WHERE message_id = 'event-7'`);
    const broken = await checkInvariants(dbs, new Map(), async () => ({}), []);
    expect(broken.violations).toEqual([
      'coupons: 1 inbox rows without a grant, 0 grants without an inbox row',
      'red_packets: 0 inbox rows without a grant, 1 grants without an inbox row',
    ]);
  },
  // Two reads of the whole ledger: seconds when linear, many minutes when quadratic.
  60_000,
);
