import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { context, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, Tracer } from '@opentelemetry/api';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { FAULT_HOOKS, FaultHooks, NO_FAULTS, SimulatedCrash } from '@reliable-payments/faults';
import { Publisher, PUBLISHER, signatureHeaders, truncate } from '@reliable-payments/messaging';
import { deleteInChunks, runInTransaction } from '@reliable-payments/persistence';
import { contextFromTraceparent, TRACER, traceparentOf } from '@reliable-payments/tracing';
import { backoffDelay } from './backoff';
import { OUTBOX_OPTIONS, OutboxOptions } from './outbox.options';

interface ClaimedRow {
  id: string;
  message_id: string;
  exchange: string;
  routing_key: string;
  message_type: string;
  payload: string;
  attempts: number;
  traceparent: string | null;
}

/** Per-batch and per-failure observations for a metrics exporter; counts are read from `stats`. */
export interface RelayObserver {
  batch(seconds: number): void;
  publishFailed(error: unknown): void;
}

export interface RelayStats {
  published: number;
  failed: number;
  lastError?: string;
  lastRunAt?: string;
}

/**
 * Moves outbox rows to the broker. Rows are claimed with `FOR UPDATE SKIP LOCKED` in a READ
 * COMMITTED transaction (so a second relay skips them and pay transactions' inserts meet no gap
 * locks), published with confirms and `mandatory`, and marked sent in that same transaction only
 * for the ones the broker acked without returning. Everything else stays pending with a backoff.
 */
@Injectable()
export class OutboxRelay {
  private readonly logger = new Logger(OutboxRelay.name);
  private running?: Promise<void>;
  private again = false;
  private stopping = false;
  readonly stats: RelayStats = { published: 0, failed: 0 };
  /** Set by the metrics exporter; undefined costs nothing. */
  observer?: RelayObserver;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(PUBLISHER) private readonly publisher: Publisher,
    @Inject(OUTBOX_OPTIONS) private readonly options: OutboxOptions,
    @Optional() @Inject(TRACER) private readonly tracer: Tracer = trace.getTracer('noop'),
    @Optional() @Inject(FAULT_HOOKS) private readonly faults: FaultHooks = NO_FAULTS,
  ) {
    // Flow control: while the broker blocks publishing (memory or disk alarm) the relay claims
    // nothing, so rows stay pending in the database instead of waiting out confirm time-outs
    // under a lock; when the alarm lifts it runs at once.
    publisher.onBlockedChange((blocked) => {
      if (!blocked) this.wake();
    });
  }

  /** Asks for a run now; coalesces with a run in progress. Never throws. */
  wake(): void {
    // Outside the waking request's trace: a run publishes many requests' rows, each under its own.
    void context.with(ROOT_CONTEXT, () => this.run());
  }

  /** Runs until no due row is left (or the relay stops). Overlapping calls share one run. */
  run(): Promise<void> {
    if (this.stopping) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.loop().finally(() => (this.running = undefined));
    return this.running;
  }

  private async loop(): Promise<void> {
    // One claim loop; while its batches come back full (a backlog), helper loops join it, up to
    // OUTBOX_RELAY_CONCURRENCY, to overlap one batch's confirms with the next batch's claim
    // (SKIP LOCKED keeps their rows apart). Under a steady flow a single loop keeps up, and
    // helpers would only add empty claims: four statements each for nothing.
    const helpers: Promise<void>[] = [];
    const onBacklog = () => {
      while (helpers.length < this.options.concurrency - 1 && !this.stopping) helpers.push(this.drain('helper'));
    };
    await this.drain('main', onBacklog);
    await Promise.all(helpers);
  }

  /** The main loop runs until no due row is left and no wake-up came meanwhile; a helper stops at its first short batch. */
  private async drain(role: 'main' | 'helper', onBacklog?: () => void): Promise<void> {
    try {
      let full: boolean;
      do {
        if (role === 'main') this.again = false;
        full = (await this.relayBatch()) >= this.options.batchSize;
        if (full) onBacklog?.();
      } while ((full || (role === 'main' && this.again)) && !this.stopping);
    } catch (error) {
      // @Interval only logs what escapes; the relay records its own failures and tries again next tick.
      this.stats.lastError = (error as Error).message;
      if (error instanceof SimulatedCrash) this.logger.warn(error.message);
      else this.logger.error(`relay run failed: ${(error as Error).message}`);
    }
  }

  /** One claim-publish-mark transaction; returns how many rows it claimed. */
  private async relayBatch(): Promise<number> {
    if (!this.publisher.ready) return 0; // rows stay pending; the next tick after reconnect sends them
    if (this.publisher.blocked) return 0; // the broker refuses publishes now; rows stay pending until unblocked
    this.stats.lastRunAt = new Date().toISOString();
    const started = performance.now();
    const claimed = await runInTransaction(
      this.dataSource,
      async (manager) => {
        // Due order, which the pending index (sent_at, next_attempt_at, and the primary key InnoDB
        // appends) already has: the claim reads just the rows it takes. ORDER BY id sorted the
        // whole backlog on every claim (5-25 ms per batch with 8,000 pending).
        const rows: ClaimedRow[] = await manager.query(
          `SELECT id, message_id, exchange, routing_key, message_type, payload, attempts, traceparent
             FROM outbox_messages
            WHERE sent_at IS NULL AND next_attempt_at <= ?
            ORDER BY next_attempt_at, id
            LIMIT ?
            FOR UPDATE SKIP LOCKED`,
          [new Date(), this.options.batchSize],
        );
        if (rows.length === 0) return 0;
        const results = await Promise.allSettled(rows.map((row) => this.publish(row)));
        // Test-only (TEST_CRASH_AT): confirmed, not yet marked sent. A crash here re-sends the
        // batch, and the consumers dedupe by message id.
        this.faults.at('relay-after-confirm');
        await this.record(manager, rows, results);
        return rows.length;
      },
      { isolation: 'READ COMMITTED' },
    );
    if (claimed > 0) this.observer?.batch((performance.now() - started) / 1000);
    return claimed;
  }

  /**
   * The hand-written hop of the trace: the row's stored `traceparent` is the parent of a PRODUCER
   * span, whose own context goes out in the AMQP header `traceparent` (consumers continue it, and
   * it stays through retries, the dead-letter row and a re-drive). A row without one is published
   * without the header, at no cost.
   */
  private publish(row: ClaimedRow): Promise<void> {
    const options = {
      messageId: row.message_id,
      type: row.message_type,
      contentType: 'application/json',
      contentEncoding: 'utf-8',
      persistent: true,
      timestamp: Math.floor(Date.now() / 1000),
    };
    const content = Buffer.from(row.payload, 'utf8');
    // Signed over these very bytes (the stored payload as published), so a consumer verifies what it received.
    const signature = this.options.signWith ? signatureHeaders(this.options.signWith, row.message_id, content) : undefined;
    if (!row.traceparent) return this.publisher.publish(row.exchange, row.routing_key, content, signature ? { ...options, headers: signature } : options);
    const parent = contextFromTraceparent(row.traceparent);
    const span = this.tracer.startSpan(
      `${row.exchange} publish`,
      {
        kind: SpanKind.PRODUCER,
        attributes: {
          'messaging.system': 'rabbitmq',
          'messaging.destination.name': row.exchange,
          'messaging.message.id': row.message_id,
          'outbox.attempt': row.attempts + 1,
        },
      },
      parent,
    );
    const traceparent = traceparentOf(trace.setSpan(parent, span)) ?? row.traceparent;
    return this.publisher.publish(row.exchange, row.routing_key, content, { ...options, headers: { ...signature, traceparent } }).then(
      () => span.end(),
      (error: Error) => {
        span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
        span.end();
        throw error;
      },
    );
  }

  private async record(manager: EntityManager, rows: ClaimedRow[], results: PromiseSettledResult<void>[]) {
    const now = new Date();
    const sent = rows.filter((_, i) => results[i].status === 'fulfilled').map((row) => row.id);
    if (sent.length > 0) {
      // Marked sent only after the confirm: a crash before this commit re-sends these rows, and consumers dedupe by messageId.
      await manager.query('UPDATE outbox_messages SET sent_at = ?, attempts = attempts + 1, last_error = NULL WHERE id IN (?)', [now, sent]);
      this.stats.published += sent.length;
    }
    for (const [i, row] of rows.entries()) {
      const result = results[i];
      if (result.status === 'fulfilled') continue;
      const attempts = row.attempts + 1;
      const next = new Date(now.getTime() + backoffDelay(attempts, this.options.backoffInitialMs, this.options.backoffMaxMs));
      const message = truncate((result.reason as Error)?.message ?? String(result.reason), 500);
      await manager.query('UPDATE outbox_messages SET attempts = ?, last_error = ?, next_attempt_at = ? WHERE id = ?', [attempts, message, next, row.id]);
      this.stats.failed++;
      this.observer?.publishFailed(result.reason);
      this.stats.lastError = message;
      this.logger.warn(`publish of ${row.message_id} failed (attempt ${attempts}): ${message}; next try at ${next.toISOString()}`, {
        messageId: row.message_id,
        attempt: attempts,
      });
    }
  }

  /** Pending rows, and those pending for longer than the stuck threshold. */
  async backlog(): Promise<{ pending: number; stuck: number; oldestPendingAt: string | null }> {
    const stuckBefore = new Date(Date.now() - this.options.stuckAfterMs);
    const [row] = (await this.dataSource.query(
      `SELECT COUNT(*) AS pending, COALESCE(SUM(created_at < ?), 0) AS stuck, MIN(created_at) AS oldest
         FROM outbox_messages WHERE sent_at IS NULL`,
      [stuckBefore],
    )) as Array<{ pending: string; stuck: string; oldest: Date | null }>;
    return { pending: Number(row.pending), stuck: Number(row.stuck), oldestPendingAt: row.oldest ? new Date(row.oldest).toISOString() : null };
  }

  /** Deletes sent rows older than the retention, in bounded chunks. */
  cleanup(): Promise<number> {
    const before = new Date(Date.now() - this.options.retentionMs);
    return deleteInChunks(
      this.dataSource,
      'DELETE FROM outbox_messages WHERE sent_at IS NOT NULL AND sent_at < ? ORDER BY sent_at',
      [before],
      1000,
      () => this.stopping,
    );
  }

  /** Stops starting new runs and waits for the one in progress. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.running;
  }
}
