import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { MessagingService, redriveHeaders } from '@app/messaging';
import { runInTransaction } from '@app/persistence';
import { DeadLetter, DeadLetterStatus } from './dead-letter.entity';
import { DeadLetterAlreadyRedrivenError, DeadLetterNotFoundError } from './dead-letters.errors';
import { DEAD_LETTERS_OPTIONS, DeadLettersOptions } from './dead-letters.options';

export interface DeadLetterView {
  id: string;
  messageId: string | null;
  originalQueue: string;
  status: DeadLetterStatus;
  reason: string;
  errorCode: string;
  errorClass: string;
  errorMessage: string;
  attempts: number;
  firstFailedAt: string | null;
  lastFailedAt: string | null;
  deadLetteredAt: string;
  redrivenAt: string | null;
  headers: Record<string, unknown>;
  properties: Record<string, unknown>;
  /** UTF-8 text when the body is valid UTF-8, else base64 (see payloadEncoding). */
  payload: string;
  payloadEncoding: 'utf8' | 'base64';
}

function toView(letter: DeadLetter): DeadLetterView {
  const text = letter.payload.toString('utf8');
  const isText = Buffer.from(text, 'utf8').equals(letter.payload);
  return {
    id: String(letter.id),
    messageId: letter.messageId,
    originalQueue: letter.originalQueue,
    status: letter.status,
    reason: letter.reason,
    errorCode: letter.errorCode,
    errorClass: letter.errorClass,
    errorMessage: letter.errorMessage,
    attempts: letter.attempts,
    firstFailedAt: letter.firstFailedAt?.toISOString() ?? null,
    lastFailedAt: letter.lastFailedAt?.toISOString() ?? null,
    deadLetteredAt: letter.deadLetteredAt.toISOString(),
    redrivenAt: letter.redrivenAt?.toISOString() ?? null,
    headers: JSON.parse(letter.headers) as Record<string, unknown>,
    properties: JSON.parse(letter.properties) as Record<string, unknown>,
    payload: isText ? text : letter.payload.toString('base64'),
    payloadEncoding: isText ? 'utf8' : 'base64',
  };
}

/** Lists dead letters and re-drives them to the consumer's main queue. */
@Injectable()
export class DeadLettersService {
  private readonly logger = new Logger(DeadLettersService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly messaging: MessagingService,
    @Inject(DEAD_LETTERS_OPTIONS) private readonly options: DeadLettersOptions,
  ) {}

  async list(filter: { status?: DeadLetterStatus; page: number; limit: number }) {
    const where = filter.status ? { status: filter.status } : {};
    const [items, total] = await this.dataSource.manager.findAndCount(DeadLetter, {
      where,
      order: { id: 'ASC' },
      skip: (filter.page - 1) * filter.limit,
      take: filter.limit,
    });
    return { items: items.map(toView), total, page: filter.page, limit: filter.limit };
  }

  async get(id: string): Promise<DeadLetterView> {
    const letter = await this.dataSource.manager.findOneBy(DeadLetter, { id });
    if (!letter) throw new DeadLetterNotFoundError(id);
    return toView(letter);
  }

  /**
   * Publishes the original message back to the consumer's main queue (same message id, attempt
   * count reset), confirmed, then marks the letter re-driven in the same transaction that locked
   * it. A crash between the two leaves the letter pending; re-driving it again is harmless
   * because the consumer deduplicates by message id.
   */
  async redrive(id: string): Promise<DeadLetterView> {
    // Always back to this service's own main queue, whatever the stored headers say.
    const queue = this.messaging.routes(this.options.consumer).queue;
    const view = await runInTransaction(this.dataSource, async (manager) => {
      const letter = await manager.createQueryBuilder(DeadLetter, 'd').setLock('pessimistic_write').where('d.id = :id', { id }).getOne();
      if (!letter) throw new DeadLetterNotFoundError(id);
      if (letter.status === 'REDRIVEN') throw new DeadLetterAlreadyRedrivenError(id, letter.redrivenAt);
      const properties = JSON.parse(letter.properties) as Record<string, unknown>;
      const headers = JSON.parse(letter.headers) as Record<string, unknown>;
      await this.messaging.publisher.publish('', queue, letter.payload, {
        messageId: letter.messageId ?? undefined,
        contentType: properties.contentType as string | undefined,
        contentEncoding: properties.contentEncoding as string | undefined,
        type: properties.type as string | undefined,
        timestamp: properties.timestamp as number | undefined,
        headers: redriveHeaders(headers, String(letter.id)),
        persistent: true,
      });
      const redrivenAt = new Date();
      await manager.update(DeadLetter, { id }, { status: 'REDRIVEN', redrivenAt });
      return toView({ ...letter, status: 'REDRIVEN', redrivenAt });
    });
    const consumer = this.messaging.consumer(queue);
    if (consumer) consumer.metrics.redriven++;
    this.logger.log(`dead letter ${id} (message ${view.messageId}) re-driven`);
    return view;
  }

  /** Re-drives every pending letter (optionally only those of one reason); returns the counts. */
  async redriveAll(filter: { reason?: string } = {}): Promise<{ redriven: number; failed: number; errors: string[] }> {
    let redriven = 0;
    let failed = 0;
    const errors: string[] = [];
    let afterId = '0';
    for (;;) {
      const qb = this.dataSource.manager
        .createQueryBuilder(DeadLetter, 'd')
        .select(['d.id'])
        .where('d.status = :status AND d.id > :afterId', { status: 'PENDING', afterId })
        .orderBy('d.id', 'ASC')
        .take(100);
      if (filter.reason) qb.andWhere('d.reason = :reason', { reason: filter.reason });
      const batch = await qb.getMany();
      if (batch.length === 0) break;
      for (const { id } of batch) {
        afterId = String(id);
        try {
          await this.redrive(String(id));
          redriven++;
        } catch (error) {
          if (error instanceof DeadLetterAlreadyRedrivenError) continue;
          failed++;
          if (errors.length < 10) errors.push(`${id}: ${(error as Error).message}`);
        }
      }
    }
    return { redriven, failed, errors };
  }

  async counts(): Promise<Record<string, number>> {
    const rows = (await this.dataSource.query('SELECT status, COUNT(*) AS n FROM dead_letters GROUP BY status')) as Array<{ status: string; n: string }>;
    return Object.fromEntries(rows.map((r) => [r.status.toLowerCase(), Number(r.n)]));
  }
}
