import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { OutboxMessage } from './outbox-message.entity';

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
    // insert(), not save(): one statement, no extra selects inside the business transaction.
    await manager.insert(OutboxMessage, {
      messageId: message.messageId,
      exchange: message.exchange,
      routingKey: message.routingKey,
      messageType: message.type,
      payload: JSON.stringify(message.body),
      createdAt: now,
      sentAt: null,
      attempts: 0,
      nextAttemptAt: now,
      lastError: null,
    });
  }
}
