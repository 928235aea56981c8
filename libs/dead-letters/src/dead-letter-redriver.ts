import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { OperatorActions } from '@reliable-payments/http';
import { MessagingService, redriveHeaders, signatureHeaders } from '@reliable-payments/messaging';
import { runInTransaction } from '@reliable-payments/persistence';
import { DeadLetter } from './dead-letter.entity';
import {
  DeadLetterAlreadyRedrivenError,
  DeadLetterDiscardedError,
  DeadLetterEditUnsignableError,
  DeadLetterNotFoundError,
  DeadLetterNotRedrivableError,
} from './dead-letters.errors';
import { validateEditedPayload } from './edited-payload';
import { EXHAUSTED_REASONS } from './redrive-class';

/** Set on a message re-driven with an operator's edited payload: the dead letter it replaces. */
export const EDITED_FROM_HEADER = 'edited-from';
import { DEAD_LETTERS_OPTIONS, DeadLettersOptions } from './dead-letters.options';
import { DeadLetterView, notRedrivableReason, summaryOf, toView } from './dead-letter.view';

export const DEFAULT_BULK_LIMIT = 100;
export const MAX_BULK_LIMIT = 1_000;
/**
 * Letters a bulk call locks, publishes and marks together: one transaction and one wait for the
 * broker's confirms per batch instead of per letter. One letter at a time ran at about 20 letters/s
 * (a persistent publish's confirm and a commit's fsync each), so a call of 1,000 outlived a 30 s
 * request timeout (docs/benchmark.md); 50 keeps a batch's row locks to one confirm round trip.
 */
export const BULK_BATCH = 50;

export interface BulkRedrive {
  /** Only letters of this reason (naming a reason that is not an exhausted one includes poison of it). */
  reason?: string;
  /** Only letters of this failure group; naming a group includes its poison (the operator chose it). */
  fingerprint?: string;
  /** Include letters stored as poison (`redrive_class`), not only those whose retries ran out. */
  includePoison?: boolean;
  /** Most letters re-driven or failed by this call (default 100, at most 1,000). */
  limit?: number;
}

export interface BulkRedriveResult {
  redriven: number;
  skipped: number;
  failed: number;
  errors: string[];
}

/** What the service classified when it stored each letter decides, never a header read now. */
export function includesPoison(request: BulkRedrive): boolean {
  return request.includePoison === true || request.fingerprint !== undefined || (request.reason !== undefined && !EXHAUSTED_REASONS.includes(request.reason));
}

/**
 * Sends dead letters back to this consumer's main queue: the stored message (same message id,
 * failure headers removed so the ladder starts again, `redriven-from` added), with a confirmed
 * publish, then the row marked REDRIVEN in the transaction that locked it. A crash between the
 * two leaves the letter pending; re-driving it again is harmless because consumers dedupe by
 * message id. The row lock is held for one confirm round trip and no longer.
 */
@Injectable()
export class DeadLetterRedriver {
  private readonly logger = new Logger(DeadLetterRedriver.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly messaging: MessagingService,
    @Inject(DEAD_LETTERS_OPTIONS) private readonly options: DeadLettersOptions,
    @Optional() private readonly actions?: OperatorActions,
  ) {}

  /** Re-drives one letter; waits for a concurrent re-drive of the same letter, then answers 409. */
  async redrive(id: string, operator?: string): Promise<DeadLetterView> {
    const view = await runInTransaction(this.dataSource, async (manager) => {
      const letter = await this.lock(manager, id, false);
      if (!letter) throw new DeadLetterNotFoundError(id);
      const sent = await this.send(manager, letter);
      if (operator) await this.actions?.record(manager, { operator, action: 'redrive', target: `dead-letter ${id}`, outcome: 'redriven' });
      return sent;
    });
    this.afterRedrive(view);
    return view;
  }

  /**
   * Edit and retry: sends an operator's corrected payload instead of the stored one (same message
   * id, `edited-from` header), after it passed the consumer's own contract; the original stays in
   * `payload`, the edit in `edited_payload`, the comment beside them. A bad edit changes nothing.
   */
  async redriveEdited(id: string, payload: unknown, comment: string, operator: string): Promise<DeadLetterView> {
    const view = await runInTransaction(this.dataSource, async (manager) => {
      const letter = await this.lock(manager, id, false);
      if (!letter) throw new DeadLetterNotFoundError(id);
      const edited = validateEditedPayload(this.options.event, payload, letter.messageId);
      const sent = await this.send(manager, letter, { payload: edited, comment });
      await this.actions?.record(manager, { operator, action: 'edit-and-redrive', target: `dead-letter ${id}`, comment, outcome: 'redriven with the edit' });
      return sent;
    });
    this.afterRedrive(view);
    return view;
  }

  /**
   * Re-drives the pending letters that existed when the call began (ids up to the highest pending
   * one then): a letter that fails again at once comes back as a new row above that bound, so one
   * call never feeds on its own output. Rows another call is re-driving are skipped, not waited
   * for (SKIP LOCKED), so concurrent calls never publish a letter twice.
   */
  async redriveMany(request: BulkRedrive = {}, operator?: string): Promise<BulkRedriveResult> {
    const result = await this.redriveSnapshot(request);
    // Each letter commits in its own transaction (a lock held for one confirm); the call's row sums them up.
    if (operator) {
      const target = request.fingerprint ? `group ${request.fingerprint}` : `filter ${JSON.stringify(request)}`;
      await this.actions?.record(undefined, { operator, action: 'redrive-bulk', target, outcome: JSON.stringify({ ...result, errors: result.errors.length }) });
    }
    return result;
  }

  private async redriveSnapshot(request: BulkRedrive): Promise<BulkRedriveResult> {
    const limit = Math.min(Math.max(request.limit ?? DEFAULT_BULK_LIMIT, 1), MAX_BULK_LIMIT);
    const includePoison = includesPoison(request);
    const result: BulkRedriveResult = { redriven: 0, skipped: 0, failed: 0, errors: [] };
    const upTo = await this.snapshotBound();
    if (upTo === null) return result;
    let afterId = '0';
    let pending: string[] = [];
    // Letters taken so far, counting the batch not yet sent: a skipped one (held elsewhere) frees its place.
    const room = () => limit - result.redriven - result.failed - pending.length;
    const flush = async () => {
      const ids = pending;
      pending = [];
      if (ids.length > 0) await this.redriveBatch(ids, result);
    };
    scan: while (room() > 0) {
      const rows = await this.candidates(request, afterId, upTo, 100);
      if (rows.length === 0) break;
      for (const row of rows) {
        afterId = row.id;
        if (room() <= 0) {
          await flush();
          if (room() <= 0) break scan;
        }
        if (!includePoison && row.redriveClass !== 'exhausted') {
          result.skipped++;
          continue;
        }
        pending.push(row.id);
        if (pending.length >= BULK_BATCH) await flush();
      }
      await flush();
    }
    return result;
  }

  /**
   * One batch of a bulk call, in one transaction: its letters locked (SKIP LOCKED: a concurrent
   * call's are skipped, never waited for or published twice) and marked REDRIVEN, then each one
   * published and the confirms awaited together; a letter whose publish failed is set back to
   * pending (failed) before the commit. Every lock is taken before the first publish: two calls'
   * batches side by side deadlocked in the final UPDATE (a gap lock each), and the retry published
   * the whole batch again. A deadlock now comes before anything was sent, and a retry never
   * publishes again what the broker confirmed in an earlier attempt. Should the commit fail, the
   * batch stays pending and counts as failed though it reached the queue: re-driving it again is
   * harmless, consumers dedupe by message id (as after a crash between confirm and commit).
   */
  private async redriveBatch(ids: string[], result: BulkRedriveResult): Promise<void> {
    const confirmed = new Set<string>(); // across attempts
    let counted = { skipped: 0, failed: 0, errors: [] as string[] };
    let sent: DeadLetterView[] = [];
    let taken = 0;
    try {
      sent = await runInTransaction(
        this.dataSource,
        async (manager) => {
          counted = { skipped: 0, failed: 0, errors: [] };
          const letters = await manager
            .createQueryBuilder(DeadLetter, 'd')
            .setLock('pessimistic_write')
            .setOnLocked('skip_locked')
            .where('d.id IN (:...ids)', { ids })
            .orderBy('d.id', 'ASC')
            .getMany();
          // Locked by a concurrent call (it is re-driving them), re-driven or discarded since the snapshot.
          const ready = letters.filter((letter) => letter.status === 'PENDING' && !notRedrivableReason(summaryOf(letter)));
          counted.skipped = ids.length - ready.length;
          taken = ready.length;
          if (ready.length === 0) return [];
          const redrivenAt = new Date();
          await manager.update(DeadLetter, { id: In(ready.map((letter) => letter.id)) }, { status: 'REDRIVEN', redrivenAt });
          const toSend = ready.filter((letter) => !confirmed.has(String(letter.id)));
          const published = await Promise.allSettled(toSend.map((letter) => this.publish(letter)));
          const unsent: string[] = [];
          published.forEach((outcome, i) => {
            const id = String(toSend[i].id);
            if (outcome.status === 'fulfilled') return confirmed.add(id);
            unsent.push(id);
            counted.failed++;
            counted.errors.push(`${id}: ${(outcome.reason as Error).message}`);
          });
          if (unsent.length > 0) await manager.update(DeadLetter, { id: In(unsent) }, { status: 'PENDING', redrivenAt: null });
          return ready
            .filter((letter) => !unsent.includes(String(letter.id)))
            .map((letter) => toView(summaryOf({ ...letter, status: 'REDRIVEN', redrivenAt })));
        },
        // Row locks only, no gap locks: the batches of concurrent calls lie side by side in the primary key.
        { isolation: 'READ COMMITTED' },
      );
    } catch (error) {
      counted = {
        skipped: taken === 0 ? 0 : ids.length - taken,
        failed: taken === 0 ? ids.length : taken,
        errors: [`${ids[0]}…${ids[ids.length - 1]}: ${(error as Error).message}`],
      };
    }
    for (const view of sent) this.afterRedrive(view);
    result.redriven += sent.length;
    result.skipped += counted.skipped;
    result.failed += counted.failed;
    for (const line of counted.errors) if (result.errors.length < 10) result.errors.push(line);
  }

  /** The highest pending id now: a bulk call or job takes no letter above it (never its own output). */
  async snapshotBound(): Promise<string | null> {
    const [{ upTo }] = (await this.dataSource.query("SELECT MAX(id) AS upTo FROM dead_letters WHERE status = 'PENDING'")) as Array<{
      upTo: string | number | null;
    }>;
    return upTo === null ? null : String(upTo);
  }

  /** Pending letters matching a bulk filter after `afterId`, up to the snapshot bound, in id order. */
  async candidates(request: BulkRedrive, afterId: string, upTo: string, count: number): Promise<Array<{ id: string; redriveClass: string }>> {
    const qb = this.dataSource.manager
      .createQueryBuilder(DeadLetter, 'd')
      .select(['d.id AS id', 'd.redrive_class AS redriveClass'])
      .where("d.status = 'PENDING' AND d.id > :afterId AND d.id <= :upTo", { afterId, upTo })
      .orderBy('d.id', 'ASC')
      .limit(count);
    if (request.reason !== undefined) qb.andWhere('d.reason = :reason', { reason: request.reason });
    if (request.fingerprint !== undefined) qb.andWhere('d.fingerprint = :fingerprint', { fingerprint: request.fingerprint });
    const rows = await qb.getRawMany<{ id: string | number; redriveClass: string }>();
    return rows.map((r) => ({ id: String(r.id), redriveClass: r.redriveClass }));
  }

  /** One letter of a bulk call or job: counted as redriven, skipped (held elsewhere, gone) or failed. */
  redriveOne(id: string, result: BulkRedriveResult): Promise<void> {
    return this.redriveOneOfMany(id, result);
  }

  private async redriveOneOfMany(id: string, result: BulkRedriveResult): Promise<void> {
    try {
      const view = await runInTransaction(this.dataSource, async (manager) => {
        const letter = await this.lock(manager, id, true);
        // Locked by a concurrent call (it is re-driving it), or re-driven since the snapshot.
        if (!letter || letter.status !== 'PENDING' || notRedrivableReason(summaryOf(letter))) return undefined;
        return this.send(manager, letter);
      });
      if (!view) {
        result.skipped++;
        return;
      }
      this.afterRedrive(view);
      result.redriven++;
    } catch (error) {
      result.failed++;
      if (result.errors.length < 10) result.errors.push(`${id}: ${(error as Error).message}`);
    }
  }

  private lock(manager: EntityManager, id: string, skipLocked: boolean): Promise<DeadLetter | null> {
    const qb = manager.createQueryBuilder(DeadLetter, 'd').setLock('pessimistic_write').where('d.id = :id', { id });
    if (skipLocked) qb.setOnLocked('skip_locked');
    return qb.getOne();
  }

  private async send(manager: EntityManager, letter: DeadLetter, edit?: { payload: Buffer; comment: string }): Promise<DeadLetterView> {
    if (letter.status === 'REDRIVEN') throw new DeadLetterAlreadyRedrivenError(letter.id, letter.redrivenAt);
    if (letter.status === 'DISCARDED') throw new DeadLetterDiscardedError(letter.id, letter.discardedAt);
    // An edit replaces the payload whole, so a truncated original does not stop it (a stub still has no message id to keep).
    const why = edit && letter.reason !== 'unstorable' ? undefined : notRedrivableReason(summaryOf(letter));
    if (why) throw new DeadLetterNotRedrivableError(letter.id, why);
    await this.publish(letter, edit?.payload);
    const redrivenAt = new Date();
    const changes = edit
      ? { status: 'REDRIVEN' as const, redrivenAt, editedPayload: edit.payload, operatorComment: edit.comment }
      : { status: 'REDRIVEN' as const, redrivenAt };
    await manager.update(DeadLetter, { id: letter.id }, changes);
    return toView(summaryOf({ ...letter, ...changes }));
  }

  /** Publishes a letter back to this service's own main queue, whatever its stored headers say; resolves on the broker's confirm. */
  private async publish(letter: DeadLetter, editedPayload?: Buffer): Promise<void> {
    const properties = JSON.parse(letter.properties) as Record<string, unknown>;
    const headers = JSON.parse(letter.headers) as Record<string, unknown>;
    const outgoing = redriveHeaders(headers, String(letter.id));
    if (editedPayload) Object.assign(outgoing, this.editHeaders(letter, editedPayload));
    await this.messaging.publishToConsumer(this.options.consumer, editedPayload ?? letter.payload, {
      messageId: letter.messageId ?? undefined,
      contentType: properties.contentType as string | undefined,
      contentEncoding: properties.contentEncoding as string | undefined,
      type: properties.type as string | undefined,
      timestamp: properties.timestamp as number | undefined,
      headers: outgoing,
      persistent: true,
    });
  }

  /**
   * A plain re-drive keeps the original `signature` headers: still valid, since the body and id are
   * unchanged. An edit changes the bytes, so it is re-signed with this service's own key
   * (EVENT_SIGNING_KEY_ID); with signing required and no key of its own, it is refused (409) rather
   * than sent to die as SIGNATURE_INVALID. Not "sign with the first key": a consumer that may sign
   * is one more place a forger's event could come from, which an operator opts into, never by default.
   */
  private editHeaders(letter: DeadLetter, payload: Buffer): Record<string, string> {
    const signing = this.options.signing;
    const headers: Record<string, string> = { [EDITED_FROM_HEADER]: String(letter.id) };
    if (!signing) return headers;
    if (!signing.signWith || letter.messageId === null) throw new DeadLetterEditUnsignableError(String(letter.id));
    return { ...headers, ...signatureHeaders(signing.signWith, letter.messageId, payload) };
  }

  private afterRedrive(view: DeadLetterView): void {
    this.messaging.countRedriven(this.options.consumer);
    this.logger.log(`dead letter ${view.id} (message ${view.messageId}) re-driven`);
  }
}
