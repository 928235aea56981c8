import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DeadLetter, DeadLetterStatus } from './dead-letter.entity';
import { DeadLetterNotFoundError } from './dead-letters.errors';
import { DeadLetterPayloadView, DeadLetterSummary, DeadLetterView, toPayloadView, toView } from './dead-letter.view';

/** Most letters one page of the operator API returns. */
export const MAX_PAGE_SIZE = 100;

/** Most failure groups one call returns. */
export const MAX_GROUPS = 100;

export interface FailureGroup {
  fingerprint: string;
  errorCode: string;
  count: number;
  firstAt: string;
  lastAt: string;
  sampleError: string;
  sampleId: string;
}

/** Stored letters by status, lower-case (`pending`, `redriven`); a status with no letters is absent. */
export type DeadLetterCounts = Partial<Record<Lowercase<DeadLetterStatus>, number>>;

/** Reads dead letters for the operator API. Listings never load payloads (a letter may hold 4 MiB). */
@Injectable()
export class DeadLettersService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async list(filter: { status?: DeadLetterStatus; page: number; limit: number }) {
    const limit = Math.min(filter.limit, MAX_PAGE_SIZE);
    // The page's ids first, from the (status, id) index alone, then their rows: OFFSET skips
    // index entries, not whole letters (last of 1,000 pages: 93 ms → 34 ms, docs/benchmark.md).
    const page = this.dataSource.manager
      .createQueryBuilder(DeadLetter, 'p')
      .select('p.id', 'id')
      .orderBy('p.id', 'ASC')
      .offset((filter.page - 1) * limit)
      .limit(limit);
    const count = this.dataSource.manager.createQueryBuilder(DeadLetter, 'd');
    if (filter.status) {
      page.where('p.status = :status', { status: filter.status });
      count.where('d.status = :status', { status: filter.status });
    }
    const qb = this.summaries().innerJoin(`(${page.getQuery()})`, 'k', 'k.id = d.id').setParameters(page.getParameters()).orderBy('d.id', 'ASC');
    const [rows, total] = await Promise.all([qb.getRawMany<RawSummary>(), count.getCount()]);
    return { items: rows.map((row) => toView(fromRaw(row))), total, page: filter.page, limit };
  }

  /**
   * Keyset paging: the letters after id `after`, in id order, and the cursor of the next page
   * (`next`, null on the last). No total and no OFFSET: each page reads its own rows from the
   * primary key or the (status, id) index, however deep it lies (a total is `COUNT(*)`, O(letters)).
   */
  async listAfter(filter: { status?: DeadLetterStatus; after: string; limit: number }) {
    const limit = Math.min(filter.limit, MAX_PAGE_SIZE);
    const qb = this.summaries().where('d.id > :after', { after: filter.after }).orderBy('d.id', 'ASC').limit(limit);
    if (filter.status) qb.andWhere('d.status = :status', { status: filter.status });
    const items = (await qb.getRawMany<RawSummary>()).map((row) => toView(fromRaw(row)));
    return { items, after: filter.after, limit, next: items.length === limit ? items[items.length - 1].id : null };
  }

  async get(id: string): Promise<DeadLetterView> {
    const row = await this.summaries().where('d.id = :id', { id }).getRawOne<RawSummary>();
    if (!row) throw new DeadLetterNotFoundError(id);
    return toView(fromRaw(row));
  }

  async payload(id: string): Promise<DeadLetterPayloadView> {
    const letter = await this.dataSource.manager.findOne(DeadLetter, {
      where: { id },
      select: { id: true, messageId: true, payload: true, properties: true, editedPayload: true },
    });
    if (!letter) throw new DeadLetterNotFoundError(id);
    return toPayloadView(letter);
  }

  async counts(): Promise<DeadLetterCounts> {
    const rows = (await this.dataSource.query('SELECT status, COUNT(*) AS n FROM dead_letters GROUP BY status')) as Array<{ status: string; n: string }>;
    return Object.fromEntries(rows.map((r) => [r.status.toLowerCase(), Number(r.n)])) as DeadLetterCounts;
  }

  /**
   * Pending letters by failure group, largest first (index `status, fingerprint`). The sample is
   * the group's oldest letter: its error message stands for the group's.
   */
  async groups(): Promise<{ groups: FailureGroup[] }> {
    const rows = (await this.dataSource.query(
      `SELECT g.fingerprint, g.n, g.firstAt, g.lastAt, d.id AS sampleId, d.error_code AS errorCode, d.error_message AS sampleError
         FROM (SELECT fingerprint, COUNT(*) AS n, MIN(dead_lettered_at) AS firstAt, MAX(dead_lettered_at) AS lastAt, MIN(id) AS sampleId
                 FROM dead_letters WHERE status = 'PENDING' GROUP BY fingerprint ORDER BY n DESC LIMIT ${MAX_GROUPS}) g
         JOIN dead_letters d ON d.id = g.sampleId
        ORDER BY g.n DESC, g.fingerprint`,
    )) as Array<{ fingerprint: string; n: string | number; firstAt: Date; lastAt: Date; sampleId: string | number; errorCode: string; sampleError: string }>;
    return {
      groups: rows.map((r) => ({
        fingerprint: r.fingerprint,
        errorCode: r.errorCode,
        count: Number(r.n),
        firstAt: r.firstAt.toISOString(),
        lastAt: r.lastAt.toISOString(),
        sampleError: r.sampleError,
        sampleId: String(r.sampleId),
      })),
    };
  }

  private summaries() {
    return this.dataSource.manager
      .createQueryBuilder(DeadLetter, 'd')
      .select([
        'd.id AS id',
        'd.message_id AS messageId',
        'd.original_queue AS originalQueue',
        'd.properties AS properties',
        'd.headers AS headers',
        'd.reason AS reason',
        'd.error_code AS errorCode',
        'd.error_class AS errorClass',
        'd.error_message AS errorMessage',
        'd.attempts AS attempts',
        'd.first_failed_at AS firstFailedAt',
        'd.last_failed_at AS lastFailedAt',
        'd.dead_lettered_at AS deadLetteredAt',
        'd.status AS status',
        'd.redriven_at AS redrivenAt',
        'd.discarded_at AS discardedAt',
        'd.operator_comment AS operatorComment',
        'd.fingerprint AS fingerprint',
        'd.redrive_class AS redriveClass',
        'd.order_id AS orderId',
        'd.dead_letter_key AS deadLetterKey',
        'LENGTH(d.payload) AS storedBytes',
      ]);
  }
}

type RawSummary = Omit<DeadLetterSummary, 'storedBytes' | 'attempts'> & { storedBytes: string | number; attempts: string | number; id: string | number };

function fromRaw(row: RawSummary): DeadLetterSummary {
  return { ...row, id: String(row.id), attempts: Number(row.attempts), storedBytes: Number(row.storedBytes) };
}
