import { connect } from 'amqplib';
import { AMQP_URL } from './broker';
import { ReliabilitySystem } from './reliability-system';

/** Publishes every outbox event `times` more, with the relay's properties, confirmed: duplicate delivery. */
export async function republish(system: ReliabilitySystem, times: number): Promise<number> {
  const rows = await system.query<any>('order', 'SELECT message_id, routing_key, message_type, payload FROM outbox_messages');
  const connection = await connect(AMQP_URL);
  connection.on('error', () => undefined);
  try {
    const channel = await connection.createConfirmChannel();
    channel.on('error', () => undefined);
    for (let i = 0; i < times; i++) {
      for (const row of rows) {
        channel.publish(`${system.prefix}payments.events`, row.routing_key, Buffer.from(row.payload), {
          messageId: row.message_id,
          type: row.message_type,
          contentType: 'application/json',
          persistent: true,
        });
      }
    }
    await channel.waitForConfirms();
  } finally {
    await connection.close().catch(() => undefined);
  }
  return rows.length * times;
}
