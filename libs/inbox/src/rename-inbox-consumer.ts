import { QueryRunner } from 'typeorm';

/**
 * For a migration that renames a consumer: moves its inbox rows to the new key inside the
 * migration's transaction, so a message processed under the old key is still a duplicate under
 * the new one. A message id already recorded under both keys (an instance of the old release ran
 * beside a new one) keeps the new key's row; the old one goes.
 */
export async function renameInboxConsumer(queryRunner: QueryRunner, from: string, to: string): Promise<void> {
  // IGNORE skips exactly the rows whose (to, message_id) exists already; the DELETE removes those.
  await queryRunner.query('UPDATE IGNORE inbox_messages SET consumer = ? WHERE consumer = ?', [to, from]);
  await queryRunner.query('DELETE FROM inbox_messages WHERE consumer = ?', [from]);
}
