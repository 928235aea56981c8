import { hold } from './harness/hold';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { createConnection } from 'mysql2/promise';
import { COUPON_CONSUMER } from '@reliable-payments/contracts';
import { withChannel } from './harness/broker';
import { ReliabilitySystem } from './harness/reliability-system';

/** Scenarios 5 and 8: poison in good traffic; deadlocks and lock-wait timeouts in the consumer's transaction. */
describe('reliability: poison and lock conflicts', () => {
  it('poison messages mixed into good traffic', async () => {
    const system = new ReliabilitySystem({ scenario: '5-poison-mixed-in' });
    const poisonCount = 12;
    try {
      await system.start();
      await system.load(300, {
        fault: async () => {
          await withChannel(async (channel) => {
            const exchange = `${system.prefix}payments.events`;
            const valid = () => ({
              eventId: randomUUID(),
              type: 'payment.succeeded',
              version: 1,
              occurredAt: new Date().toISOString(),
              data: { orderId: randomUUID(), userId: 'u', amount: '1.00', currency: 'CNY' },
            });
            const kinds: Array<[Buffer, object]> = [
              [Buffer.from('not json at all'), { contentType: 'application/json' }],
              [Buffer.from(JSON.stringify({ ...valid(), version: 99 })), { contentType: 'application/json' }],
              [Buffer.from(JSON.stringify({ ...valid(), data: { orderId: 'x' } })), { contentType: 'application/json' }],
              [Buffer.from(JSON.stringify(valid())), { contentType: 'text/plain' }],
            ];
            for (let i = 0; i < poisonCount; i++) {
              const [body, props] = kinds[i % kinds.length];
              channel.publish(exchange, 'payment.succeeded', body, { ...props, persistent: true });
              await hold(100);
            }
          });
          system.healed();
        },
      });
      const result = await system.check({ couponDeadLetters: poisonCount, redPacketDeadLetters: poisonCount });
      expect(result.violations).toEqual([]);
    } finally {
      await system.cleanup();
    }
  });

  it('deadlocks and lock-wait timeouts: the whole transaction is retried, never half-committed', async () => {
    const system = new ReliabilitySystem({
      scenario: '8-deadlocks-and-lock-waits',
      dedicatedCouponDb: true,
      couponDbArgs: ['--innodb-lock-wait-timeout=1'],
      couponEnv: { HANDLER_TIMEOUT: '15s' },
    });
    try {
      await system.start();
      let deadlocksProvoked = 0;
      await system.load(300, {
        fault: async () => {
          const blocker = await createConnection({ host: '127.0.0.1', port: system.couponDb!.port, user: 'root', database: system.databases.coupon });
          // Locking every coupon row and the gap after them makes the consumers' inserts wait.
          // The blocker itself may be the one InnoDB rolls back (it waits on rows the consumers
          // hold): then it starts over, a bounded number of times.
          const lockCoupons = async () => {
            for (let attempt = 1; ; attempt++) {
              try {
                await blocker.query('START TRANSACTION');
                await blocker.query('SELECT id FROM coupons FOR UPDATE');
                return;
              } catch (error) {
                await blocker.query('ROLLBACK').catch(() => undefined);
                const errno = (error as { errno?: number }).errno;
                if (attempt >= 5 || (errno !== 1213 && errno !== 1205)) throw error;
              }
            }
          };
          try {
            // Deadlock: consumers now hold their inbox row and wait on coupons; asking for those
            // inbox rows closes the cycle, and InnoDB rolls one side back.
            await lockCoupons();
            await hold(300);
            const recent = await system.query<any>('order', 'SELECT message_id FROM outbox_messages ORDER BY id DESC LIMIT 30');
            for (const row of recent as Array<{ message_id: string }>) {
              try {
                await blocker.query('INSERT INTO inbox_messages (consumer, message_id, processed_at) VALUES (?, ?, NOW(3))', [
                  COUPON_CONSUMER.name,
                  row.message_id,
                ]);
              } catch (error) {
                if ((error as { errno?: number }).errno === 1213) {
                  deadlocksProvoked++;
                  break;
                }
              }
            }
            await blocker.query('ROLLBACK');
            // Lock-wait timeouts: hold the lock past innodb_lock_wait_timeout (1 s) twice over.
            await lockCoupons();
            await hold(2_500);
          } finally {
            // Never commit: the blocker's inbox rows would mark real events as processed.
            await blocker.query('ROLLBACK').catch(() => undefined);
            await blocker.end();
          }
          system.healed();
        },
      });
      const couponLog = () => system.coupons.map((c) => readFileSync(join(system.logDir, `${c.name}.log`), 'utf8')).join('\n');
      system.notes.deadlocksProvoked = deadlocksProvoked;
      system.notes.consumerDeadlockRetries = (couponLog().match(/transaction retry .*Deadlock/g) ?? []).length;
      system.notes.consumerLockWaitRetries = (couponLog().match(/transaction retry .*Lock wait timeout/g) ?? []).length;
      const result = await system.check();
      expect(result.violations).toEqual([]);
      expect(system.notes.consumerLockWaitRetries).toBeGreaterThan(0);
      expect(deadlocksProvoked + (system.notes.consumerDeadlockRetries as number)).toBeGreaterThan(0);
    } finally {
      await system.cleanup();
    }
  });
});
