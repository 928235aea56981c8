import { MigrationInterface, QueryRunner } from 'typeorm';
import { renameInboxConsumer } from '@reliable-payments/inbox';

/**
 * The red-packet consumer's inbox key was `red-packets`; it is now its one name,
 * `red-packet-service` (RED_PACKET_CONSUMER). The mirror of CouponInboxConsumerName1764000000300.
 */
export class RedPacketInboxConsumerName1764000000400 implements MigrationInterface {
  name = 'RedPacketInboxConsumerName1764000000400';

  async up(queryRunner: QueryRunner): Promise<void> {
    await renameInboxConsumer(queryRunner, 'red-packets', 'red-packet-service');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await renameInboxConsumer(queryRunner, 'red-packet-service', 'red-packets');
  }
}
