import { connect } from 'amqplib';
import { createConnection, Connection, RowDataPacket } from 'mysql2/promise';
import { COUPON_CONSUMER, PAYMENT_EVENTS_EXCHANGE, PaymentSucceeded, RED_PACKET_CONSUMER } from '@reliable-payments/contracts';
import { consumerQueue, moveExchangeName } from '@reliable-payments/messaging';
import { BrokerSandbox, DatabaseAccounts } from './support/least-privilege';
import { createAndPay, http, ServiceName, TestSystem } from './support/test-system';
import { waitFor } from './support/wait-for';
import { testMysql } from '../tools/harness/test-servers';

const MYSQL = testMysql();
const OPERATOR_TOKEN = 'least-privilege-operator-token';
const COUPON_QUEUE = consumerQueue(COUPON_CONSUMER);
const RED_PACKET_QUEUE = consumerQueue(RED_PACKET_CONSUMER);
const SERVICES: Array<{ name: ServiceName; broker: string; prefix: string }> = [
  { name: 'order', broker: 'order-service', prefix: 'ORDER' },
  // A consumer's broker user is its consumer name.
  { name: 'coupon', broker: COUPON_CONSUMER.name, prefix: 'COUPON' },
  { name: 'red-packet', broker: RED_PACKET_CONSUMER.name, prefix: 'RED_PACKET' },
];

/** What a broker refusal looks like to the client: the channel closed with 403 ACCESS_REFUSED. */
const ACCESS_REFUSED = /ACCESS_REFUSED/;

/**
 * The compose demo's accounts, proven on the local servers: deploy/rabbitmq/definitions.json
 * applied to a vhost of this run (its user names made unique), and per service a runtime and a
 * migration database account with the grants the demo's MariaDB containers give them. The three
 * services run with nothing else; the broker and the database refuse each one what is not its own.
 */
describe('least privilege: the demo accounts', () => {
  // No name prefix: the vhost is this run's alone, so the topology's names are the demo's own,
  // which is what the definitions' permission patterns are written for.
  const system = new TestSystem({ AMQP_NAME_PREFIX: '', OPERATOR_TOKEN, RETRY_LADDER: '200ms,400ms' });
  const broker = new BrokerSandbox(system.runId);
  let admin: Connection;
  let accounts: Record<ServiceName, DatabaseAccounts>;

  beforeAll(async () => {
    admin = await createConnection(MYSQL);
    accounts = Object.fromEntries(SERVICES.map((s) => [s.name, new DatabaseAccounts(admin, system.databases[s.name])])) as typeof accounts;
    await broker.apply();
    for (const account of Object.values(accounts)) await account.create();
    const env = (s: (typeof SERVICES)[number]) => ({
      RABBITMQ_URL: broker.url(s.broker),
      [`${s.prefix}_DB_URL`]: accounts[s.name].url('runtime'),
      [`${s.prefix}_DB_MIGRATION_URL`]: accounts[s.name].url('migration'),
    });
    await system.startAll({ order: env(SERVICES[0]), coupon: env(SERVICES[1]), 'red-packet': env(SERVICES[2]) });
  }, 120_000);

  afterAll(async () => {
    // Not system.cleanup(): it deletes queues by name on the default vhost; here they live in ours.
    await system.stopAll();
    for (const account of Object.values(accounts ?? {})) await account.drop();
    await admin?.end();
    await broker.remove();
  }, 120_000);

  it('pays an order end to end: one coupon and one red packet', async () => {
    const order = system.service('order');
    const id = await createAndPay(order, '42.00', 'least-privilege-user');
    const coupons = await waitFor(async () => {
      const res = await http(system.service('coupon'), 'GET', `/coupons?orderId=${id}`);
      return res.body.length > 0 && res.body;
    });
    const redPackets = await waitFor(async () => {
      const res = await http(system.service('red-packet'), 'GET', `/red-packets?orderId=${id}`);
      return res.body.length > 0 && res.body;
    });
    expect(coupons).toHaveLength(1);
    expect(redPackets).toHaveLength(1);
  });

  it('dead-letters through its own exchange and re-drives with the consumer account', async () => {
    const coupon = system.service('coupon');
    const auth = { authorization: `Bearer ${OPERATOR_TOKEN}` };
    const letters = async () =>
      (await http(coupon, 'GET', '/dead-letters?status=PENDING', undefined, auth)).body.items as Array<{ id: string; messageId: string }>;
    // Published with the order service's account: it may write to the payment events exchange.
    const connection = await connect(broker.url('order-service'));
    connection.on('error', () => undefined);
    try {
      const channel = await connection.createConfirmChannel();
      channel.publish(PAYMENT_EVENTS_EXCHANGE, PaymentSucceeded.routingKey, Buffer.from('not json'), { messageId: `${system.runId}-poison`, persistent: true });
      await channel.waitForConfirms();
    } finally {
      await connection.close();
    }
    // find(), not filter(): an empty array is truthy and would end the wait before the letter is stored.
    const letter = await waitFor(async () => (await letters()).find((l) => l.messageId === `${system.runId}-poison`), { timeoutMs: 20_000 });
    expect((await http(coupon, 'POST', `/dead-letters/${letter.id}/redrive`, undefined, auth)).status).toBe(200);
    // The re-driven poison reaches the main queue again and is dead-lettered again: a second letter.
    await waitFor(async () => (await letters()).some((l) => l.messageId === `${system.runId}-poison` && l.id !== letter.id), { timeoutMs: 20_000 });
  });

  describe('the broker refuses what is not a service own', () => {
    /** 'allowed', or why the broker said no (the channel's close reason when it gives one). */
    async function refusal(user: string, act: (channel: import('amqplib').ConfirmChannel) => Promise<unknown>): Promise<string> {
      let connection: import('amqplib').ChannelModel | undefined;
      let closedWith: string | undefined;
      try {
        connection = await connect(broker.url(user));
        connection.on('error', () => undefined);
        const channel = await connection.createConfirmChannel();
        channel.on('error', (error: Error) => (closedWith = error.message));
        await act(channel);
        return 'allowed';
      } catch (error) {
        return closedWith ?? (error as Error).message;
      } finally {
        await connection?.close().catch(() => undefined);
      }
    }

    it('the order service may not consume a coupon queue', async () => {
      expect(await refusal('order-service', (ch) => ch.consume(COUPON_QUEUE, () => undefined))).toMatch(ACCESS_REFUSED);
      expect(await refusal('order-service', (ch) => ch.consume(`${COUPON_QUEUE}.dlq`, () => undefined))).toMatch(ACCESS_REFUSED);
    });

    it('a consumer may not read the other consumer queues', async () => {
      expect(await refusal(COUPON_CONSUMER.name, (ch) => ch.consume(RED_PACKET_QUEUE, () => undefined))).toMatch(ACCESS_REFUSED);
      expect(await refusal(RED_PACKET_CONSUMER.name, (ch) => ch.consume(`${COUPON_QUEUE}.dlq`, () => undefined))).toMatch(ACCESS_REFUSED);
    });

    it('a consumer may not publish payment events, nor the order service declare queues', async () => {
      const forged = await refusal(COUPON_CONSUMER.name, async (ch) => {
        ch.publish(PAYMENT_EVENTS_EXCHANGE, PaymentSucceeded.routingKey, Buffer.from('{}'));
        await ch.waitForConfirms();
      });
      expect(forged).toMatch(ACCESS_REFUSED);
      expect(await refusal('order-service', (ch) => ch.assertQueue(`${system.runId}.sneaky`))).toMatch(ACCESS_REFUSED);
    });

    it('a consumer may not publish to another service queue, through the default exchange or any other', async () => {
      // The forged payment.succeeded of issue 20: sendToQueue straight into the coupon queue.
      const forge = (user: string, queue: string) =>
        refusal(user, async (ch) => {
          ch.sendToQueue(queue, Buffer.from('{}'), { messageId: `${system.runId}-forged` });
          await ch.waitForConfirms();
        });
      expect(await forge(RED_PACKET_CONSUMER.name, COUPON_QUEUE)).toMatch(ACCESS_REFUSED);
      expect(await forge(COUPON_CONSUMER.name, RED_PACKET_QUEUE)).toMatch(ACCESS_REFUSED);
      expect(await forge(COUPON_CONSUMER.name, COUPON_QUEUE)).toMatch(ACCESS_REFUSED);
      // Nor through the other consumer's own exchange, nor by binding the other's queue to its own.
      const viaOwnExchange = await refusal(RED_PACKET_CONSUMER.name, async (ch) => {
        ch.publish(moveExchangeName(COUPON_QUEUE), COUPON_QUEUE, Buffer.from('{}'));
        await ch.waitForConfirms();
      });
      expect(viaOwnExchange).toMatch(ACCESS_REFUSED);
      const bound = await refusal(RED_PACKET_CONSUMER.name, (ch) => ch.bindQueue(COUPON_QUEUE, moveExchangeName(RED_PACKET_QUEUE), 'sneaky'));
      expect(bound).toMatch(ACCESS_REFUSED);
    });

    it('the monitoring user reads queue depths (what the console needs) and may touch nothing', async () => {
      const connection = await connect(broker.url('monitor'));
      connection.on('error', () => undefined);
      try {
        const channel = await connection.createChannel();
        channel.on('error', () => undefined);
        expect(await channel.checkQueue(COUPON_QUEUE)).toMatchObject({ queue: COUPON_QUEUE });
      } finally {
        await connection.close().catch(() => undefined);
      }
      expect(await refusal('monitor', (ch) => ch.consume(COUPON_QUEUE, () => undefined))).toMatch(ACCESS_REFUSED);
      expect(await refusal('monitor', (ch) => ch.get(`${COUPON_QUEUE}.dlq`))).toMatch(ACCESS_REFUSED);
      expect(await refusal('monitor', (ch) => ch.assertQueue(`${system.runId}.monitor-sneaky`))).toMatch(ACCESS_REFUSED);
      const published = await refusal('monitor', async (ch) => {
        ch.publish(PAYMENT_EVENTS_EXCHANGE, PaymentSucceeded.routingKey, Buffer.from('{}'));
        await ch.waitForConfirms();
      });
      expect(published).toMatch(ACCESS_REFUSED);
    });
  });

  describe('the database refuses what is not a service own', () => {
    const asUser = async (service: ServiceName, account: 'runtime' | 'migration') => {
      const { user, password } = accounts[service][account];
      return createConnection({ ...MYSQL, user, password, database: system.databases[service] });
    };
    const attempt = async (connection: Connection, sql: string) =>
      connection.query(sql).then(
        () => 'allowed',
        (error: { code?: string }) => error.code ?? 'error',
      );

    it('migrations ran with the migration account, and the runtime account reads and writes rows', async () => {
      const runtime = await asUser('coupon', 'runtime');
      try {
        const [rows] = await runtime.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM migrations');
        expect(Number(rows[0].n)).toBeGreaterThan(0);
        expect(await attempt(runtime, `INSERT INTO inbox_messages VALUES ('probe', '${system.runId}', NOW(3))`)).toBe('allowed');
        expect(await attempt(runtime, `DELETE FROM inbox_messages WHERE consumer = 'probe'`)).toBe('allowed');
      } finally {
        await runtime.end();
      }
    });

    it('the runtime account may not change the schema', async () => {
      const runtime = await asUser('coupon', 'runtime');
      try {
        expect(await attempt(runtime, 'CREATE TABLE sneaky (id INT)')).toBe('ER_TABLEACCESS_DENIED_ERROR');
        expect(await attempt(runtime, 'ALTER TABLE inbox_messages ADD COLUMN sneaky INT')).toBe('ER_TABLEACCESS_DENIED_ERROR');
        expect(await attempt(runtime, 'DROP TABLE inbox_messages')).toBe('ER_TABLEACCESS_DENIED_ERROR');
        expect(await attempt(runtime, 'CREATE DATABASE sneaky_db')).toBe('ER_DBACCESS_DENIED_ERROR');
      } finally {
        await runtime.end();
      }
    });

    it('neither account may touch another service schema', async () => {
      for (const account of ['runtime', 'migration'] as const) {
        const connection = await asUser('order', account);
        try {
          expect(await attempt(connection, `SELECT * FROM \`${system.databases.coupon}\`.coupons`)).toBe('ER_TABLEACCESS_DENIED_ERROR');
        } finally {
          await connection.end();
        }
      }
    });

    it('the migration account may change its own schema', async () => {
      const migration = await asUser('order', 'migration');
      try {
        expect(await attempt(migration, 'CREATE TABLE migration_probe (id INT)')).toBe('allowed');
        expect(await attempt(migration, 'DROP TABLE migration_probe')).toBe('allowed');
      } finally {
        await migration.end();
      }
    });
  });
});
