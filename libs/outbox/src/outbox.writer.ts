import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

export interface OutgoingMessage {
  messageId: string;
  exchange: string;
  routingKey: string;
  type: string;
  body: unknown;
  /** W3C trace context of the business operation; the relay publishes under it. */
  traceparent?: string;
}

/**
 * What the writer runs its INSERT on: the business transaction's EntityManager. Only `query` is
 * used, so the bench can fill a backlog through a plain mysql2 connection with the same rows.
 */
export type OutboxSql = Pick<EntityManager, 'query'>;

/** Adds messages to the outbox inside the caller's transaction: they commit with the business change or not at all. */
@Injectable()
export class OutboxWriter {
  /** One plain multi-row INSERT inside the business transaction: no save(), no extra selects. */
  async addAll(manager: OutboxSql, messages: OutgoingMessage[], now = new Date()): Promise<void> {
    if (messages.length === 0) return;
    const rows = messages.map((m) => [m.messageId, m.exchange, m.routingKey, m.type, JSON.stringify(m.body), now, 0, now, m.traceparent ?? null]);
    await manager.query(
      'INSERT INTO outbox_messages (message_id, exchange, routing_key, message_type, payload, created_at, attempts, next_attempt_at, traceparent) VALUES ?',
      [rows],
    );
  }
}
