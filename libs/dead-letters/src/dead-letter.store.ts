import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ConsumeMessage } from 'amqplib';
import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { FailureHeaders, PUBLISH_ID_HEADER, truncate } from '@app/messaging';
import { isDuplicateKeyError } from '@app/persistence';
import { DeadLetterAlerts } from './dead-letter.alerts';
import { DeadLetter } from './dead-letter.entity';

/** Larger bodies can never be processed (the consumer limit is far lower); keep their head only. */
const MAX_STORED_PAYLOAD_BYTES = 4 * 1024 * 1024;

function header(message: ConsumeMessage, name: string): string | undefined {
  const value = message.properties.headers?.[name];
  return value === undefined || value === null ? undefined : String(value);
}

function dateHeader(message: ConsumeMessage, name: string): Date | null {
  const parsed = Date.parse(header(message, name) ?? '');
  return Number.isFinite(parsed) ? new Date(parsed) : null;
}

/** Stores messages from a dead-letter queue; the DLQ consumer acks only after this committed. */
@Injectable()
export class DeadLetterStore {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly alerts: DeadLetterAlerts,
  ) {}

  async record(message: ConsumeMessage, queue: string): Promise<'stored' | 'duplicate'> {
    const { headers = {}, ...properties } = message.properties;
    const messageId = message.properties.messageId ? String(message.properties.messageId) : null;
    // A message dead-lettered by the broker itself (the main queue's safety net) has no id of ours.
    const key =
      header(message, FailureHeaders.deadLetterId) ??
      createHash('sha256').update(`${messageId}|${header(message, FailureHeaders.lastFailedAt)}|`).update(message.content).digest('hex');
    const xDeath = (headers['x-death'] as Array<{ reason?: string }> | undefined)?.[0];
    const letter: Omit<DeadLetter, 'id'> = {
      deadLetterKey: createHash('sha256').update(key).digest('hex'),
      messageId: messageId ? truncate(messageId, 128) : null,
      originalQueue: header(message, FailureHeaders.originalQueue) ?? queue,
      payload: message.content.subarray(0, MAX_STORED_PAYLOAD_BYTES),
      properties: JSON.stringify({ ...properties, payloadBytes: message.content.length }),
      headers: JSON.stringify({ ...headers, [PUBLISH_ID_HEADER]: undefined }),
      reason: header(message, FailureHeaders.deadLetterReason) ?? (xDeath?.reason ? `broker-${xDeath.reason}` : 'unknown'),
      errorCode: truncate(header(message, FailureHeaders.errorCode) ?? 'UNKNOWN', 64),
      errorClass: truncate(header(message, FailureHeaders.errorClass) ?? 'unknown', 16),
      errorMessage: truncate(header(message, FailureHeaders.errorMessage) ?? 'no error recorded', 512),
      attempts: Number(header(message, FailureHeaders.attempts) ?? 0) || 0,
      firstFailedAt: dateHeader(message, FailureHeaders.firstFailedAt),
      lastFailedAt: dateHeader(message, FailureHeaders.lastFailedAt),
      deadLetteredAt: new Date(),
      status: 'PENDING',
      redrivenAt: null,
    };
    let id: string;
    try {
      const result = await this.dataSource.manager.insert(DeadLetter, letter);
      id = String(result.identifiers[0]?.id ?? result.raw?.insertId);
    } catch (error) {
      if (isDuplicateKeyError(error)) return 'duplicate';
      throw error;
    }
    this.alerts.raise({ ...letter, id });
    return 'stored';
  }
}
