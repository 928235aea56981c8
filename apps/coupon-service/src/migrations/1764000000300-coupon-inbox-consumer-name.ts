import { MigrationInterface, QueryRunner } from 'typeorm';
import { renameInboxConsumer } from '@reliable-payments/inbox';

/**
 * The coupon consumer's inbox key was `coupons`; the consumer now has one name, `coupon-service`
 * (COUPON_CONSUMER). Its rows move to the new key, so a redelivery of a message processed before
 * the upgrade is still a duplicate. Literals, not COUPON_CONSUMER.name: a migration records one
 * step and must not move if the name changes again. An instance of the old release still running
 * after this writes rows under the old key; a redelivery of one of those meets the coupon's unique
 * order id instead and is absorbed the same way (no second coupon).
 */
export class CouponInboxConsumerName1764000000300 implements MigrationInterface {
  name = 'CouponInboxConsumerName1764000000300';

  async up(queryRunner: QueryRunner): Promise<void> {
    await renameInboxConsumer(queryRunner, 'coupons', 'coupon-service');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await renameInboxConsumer(queryRunner, 'coupon-service', 'coupons');
  }
}
