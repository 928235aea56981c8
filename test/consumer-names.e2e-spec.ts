import { COUPON_CONSUMER, PAYMENT_EVENTS_EXCHANGE, PaymentSucceeded, RED_PACKET_CONSUMER } from '@reliable-payments/contracts';
import { paymentEvent, systemWithPublisher } from './support/raw-publisher';
import { consumerStats } from './support/test-system';
import { waitFor } from './support/wait-for';

/**
 * Each consumer has one name, and its inbox key changed with it (`coupons` → `coupon-service`,
 * `red-packets` → `red-packet-service`). A database the previous release left holds its inbox rows
 * under the old key: after the upgrade's migration, a redelivery of a message it processed is still
 * a duplicate, and nothing is granted twice.
 */
const UPGRADES = [
  { service: 'coupon' as const, consumer: COUPON_CONSUMER, oldKey: 'coupons', grants: 'coupons', migration: 'CouponInboxConsumerName1764000000300' },
  {
    service: 'red-packet' as const,
    consumer: RED_PACKET_CONSUMER,
    oldKey: 'red-packets',
    grants: 'red_packets',
    migration: 'RedPacketInboxConsumerName1764000000400',
  },
];

describe('one name per consumer: the inbox rows of the old key', () => {
  const { system, raw } = systemWithPublisher();

  it.each(UPGRADES)(
    '$consumer.name: a message processed under "$oldKey" is still a duplicate after the upgrade',
    async ({ service, consumer, oldKey, grants, migration }) => {
      // The previous release's database: every migration but the rename, and its inbox rows under the old key.
      await (await system.start(service)).stop();
      await system.query(service, 'DELETE FROM migrations WHERE name = ?', [migration]);
      const processed = paymentEvent(); // handled by the previous release; no grant row here, so only the inbox can stop one
      const both = paymentEvent(); // recorded under both keys: an old and a new instance ran side by side
      await system.query(service, 'INSERT INTO inbox_messages (consumer, message_id, processed_at) VALUES (?, ?, NOW(3)), (?, ?, NOW(3)), (?, ?, NOW(3))', [
        oldKey,
        processed.eventId,
        oldKey,
        both.eventId,
        consumer.name,
        both.eventId,
      ]);

      const upgraded = await system.start(service); // runs the pending rename
      expect(await system.count(service, 'inbox_messages', 'consumer = ?', [oldKey])).toBe(0);
      expect(await system.count(service, 'inbox_messages', 'consumer = ? AND message_id IN (?)', [consumer.name, [processed.eventId, both.eventId]])).toBe(2);

      const fresh = paymentEvent();
      for (const event of [processed, both, fresh]) {
        await raw.publish(`${system.prefix}${PAYMENT_EVENTS_EXCHANGE}`, PaymentSucceeded.routingKey, JSON.stringify(event), {
          messageId: event.eventId,
          contentType: 'application/json',
        });
      }
      await waitFor(
        async () => {
          const stats = await consumerStats(upgraded);
          return stats.processed + stats.duplicates === 3;
        },
        { message: 'three messages handled' },
      );
      expect(await consumerStats(upgraded)).toMatchObject({ processed: 1, duplicates: 2 });
      expect(await system.count(service, grants, 'order_id IN (?)', [[processed.data.orderId, both.data.orderId]])).toBe(0);
      expect(await system.count(service, grants, 'order_id = ?', [fresh.data.orderId])).toBe(1);
      await upgraded.stop();
    },
  );
});
