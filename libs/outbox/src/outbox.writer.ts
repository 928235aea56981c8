import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

export interface OutgoingMessage {
  messageId: string;
  exchange: string;
  routingKey: string;
  type: string;
  body: unknown;
}

/** Adds a message to the outbox inside the caller's transaction: it commits with the business change or not at all. */
@Injectable()
export class OutboxWriter {
  async add(manager: EntityManager, message: OutgoingMessage, now = new Date()): Promise<void> {
    // One plain INSERT inside the business transaction: no save(), no extra selects.
    await manager.query(
      `INSERT INTO outbox_messages (message_id, exchange, routing_key, message_type, payload, created_at, attempts, next_attempt_at)
       VALUES (?, ?, ?, ?, ?, ?, 0, ?)`,
      [message.messageId, message.exchange, message.routingKey, message.type, JSON.stringify(message.body), now, now],
    );
  }
}
