import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import { z } from 'zod';
import { CONSUMER_NAMES, ConsumerName } from '@reliable-payments/contracts';
import { OperatorCredentials, ZodValidationPipe } from '@reliable-payments/http';
import { ConsoleServices } from '../console.options';
import { ConsoleOperator, ConsoleOperatorGuard } from '../operators/console-operator.guard';
import { RedriveJobTracker } from '../snapshot/redrive-job-tracker';
import { SnapshotService } from '../snapshot/snapshot.service';
import { forwarded } from '../services/forwarded';
import { ConsoleAudit } from '../operators/console-audit';

const consumerParam = z.enum(CONSUMER_NAMES, { message: `must be ${CONSUMER_NAMES.join(' or ')}` });
const idParam = z.string().regex(/^[1-9]\d{0,17}$/, 'must be a positive integer');
// The services own the precise rules (their 400 comes back as it is); these only keep junk out of the forwarded call.
const fingerprint = z.string().regex(/^[0-9a-f]{16}$/, 'must be a fingerprint from GET /api/dead-letters/groups (16 hex characters)');
const comment = z.string({ message: 'is required' }).trim().min(1, 'is required').max(500, 'must be at most 500 characters');
const lettersQuery = z.strictObject({ fingerprint });
const discardBody = z.strictObject({ comment });
const groupDiscardBody = z.strictObject({ fingerprint, comment });
const editBody = z.strictObject({ payload: z.record(z.string(), z.unknown(), { message: 'must be a JSON object' }), comment });
const jobBody = z.strictObject({
  fingerprint,
  ratePerSecond: z.number({ message: 'must be a number' }).int('must be a whole number').min(1).max(1_000, 'must be at most 1000'),
  includePoison: z.boolean().optional(),
});
const actionsQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(200, 'must be at most 200').default(50) });

/** Pages of the service's pending listing read to find one group's letters (100 a page). */
const MAX_PAGES = 20;
/** Letters of one group shown at once. */
const MAX_LETTERS = 100;

type Letter = Record<string, unknown> & { id: string; fingerprint: string };

/**
 * The dead-letters view's routes: failure groups, a group's letters, one letter, and the actions
 * (re-drive, discard with a comment, edit and re-drive, paced group re-drive, group discard),
 * proxied to the consumer services. Actions carry the signed-in operator's own token, so the
 * service writes that operator's name in its audit trail, in the action's transaction.
 */
@Controller('api')
@UseGuards(ConsoleOperatorGuard)
export class ConsoleDeadLettersController {
  constructor(
    private readonly services: ConsoleServices,
    private readonly jobs: RedriveJobTracker,
    private readonly snapshots: SnapshotService,
    private readonly audit: ConsoleAudit,
  ) {}

  /** `{consumers: {<name>: {groups: [{fingerprint, errorCode, count, firstAt, lastAt, sampleError, sampleId}]} | {error}}}`. */
  @Get('dead-letters/groups')
  async groups(@ConsoleOperator() operator: OperatorCredentials) {
    const entries = await Promise.all(
      CONSUMER_NAMES.map(async (name) => {
        const answer = await this.services.consumers[name]
          .request<{ groups: unknown[] }>('GET', '/dead-letters/groups', { token: operator.token })
          .catch((error: Error) => error);
        return [name, answer instanceof Error ? { groups: [], error: answer.message } : { groups: answer.body.groups }] as const;
      }),
    );
    return { consumers: Object.fromEntries(entries) };
  }

  /** One group's pending letters (without payloads), oldest first: `{items, truncated}`. */
  @Get('dead-letters/:consumer/letters')
  async letters(
    @Param('consumer', new ZodValidationPipe(consumerParam, 'consumer')) consumer: ConsumerName,
    @Query(new ZodValidationPipe(lettersQuery, 'query')) query: z.infer<typeof lettersQuery>,
    @ConsoleOperator() operator: OperatorCredentials,
  ) {
    const items: Letter[] = [];
    let truncated = false;
    for (let page = 1; page <= MAX_PAGES; page++) {
      const list = await forwarded(
        this.services.consumers[consumer].request<{ items: Letter[] }>('GET', `/dead-letters?status=PENDING&limit=100&page=${page}`, { token: operator.token }),
      );
      for (const item of list.items) if (item.fingerprint === query.fingerprint) items.push(item);
      if (items.length >= MAX_LETTERS) {
        truncated = true;
        break;
      }
      if (list.items.length < 100) break;
      truncated = page === MAX_PAGES;
    }
    return { items: items.slice(0, MAX_LETTERS), truncated };
  }

  /** One letter: its headers (the services' allow-list), error, and payload (original and edited). */
  @Get('dead-letters/:consumer/:id')
  async letter(
    @Param('consumer', new ZodValidationPipe(consumerParam, 'consumer')) consumer: ConsumerName,
    @Param('id', new ZodValidationPipe(idParam, 'id')) id: string,
    @ConsoleOperator() operator: OperatorCredentials,
  ) {
    const client = this.services.consumers[consumer];
    const letter = await forwarded(client.request<Record<string, unknown>>('GET', `/dead-letters/${id}`, { token: operator.token }));
    const payload = await forwarded(client.request<Record<string, unknown>>('GET', `/dead-letters/${id}/payload`, { token: operator.token }));
    return {
      ...letter,
      payload: payload.payload,
      payloadEncoding: payload.payloadEncoding,
      storedBytes: payload.storedBytes,
      editedPayload: payload.editedPayload ?? null,
    };
  }

  @Post('dead-letters/:consumer/:id/redrive')
  @HttpCode(200)
  redrive(
    @Param('consumer', new ZodValidationPipe(consumerParam, 'consumer')) consumer: ConsumerName,
    @Param('id', new ZodValidationPipe(idParam, 'id')) id: string,
    @ConsoleOperator() operator: OperatorCredentials,
  ) {
    return this.act(forwarded(this.services.consumers[consumer].request('POST', `/dead-letters/${id}/redrive`, { token: operator.token })));
  }

  /** `{comment}`: the letter is never re-driven afterwards; the ledger counts it `discarded`. */
  @Post('dead-letters/:consumer/:id/discard')
  @HttpCode(200)
  discard(
    @Param('consumer', new ZodValidationPipe(consumerParam, 'consumer')) consumer: ConsumerName,
    @Param('id', new ZodValidationPipe(idParam, 'id')) id: string,
    @Body(new ZodValidationPipe(discardBody)) body: z.infer<typeof discardBody>,
    @ConsoleOperator() operator: OperatorCredentials,
  ) {
    return this.act(forwarded(this.services.consumers[consumer].request('POST', `/dead-letters/${id}/discard`, { body, token: operator.token })));
  }

  /** `{payload, comment}`: the service validates the payload against its contract (400 naming the field) and re-drives the edited copy. */
  @Post('dead-letters/:consumer/:id/edit-and-redrive')
  @HttpCode(200)
  edit(
    @Param('consumer', new ZodValidationPipe(consumerParam, 'consumer')) consumer: ConsumerName,
    @Param('id', new ZodValidationPipe(idParam, 'id')) id: string,
    @Body(new ZodValidationPipe(editBody)) body: z.infer<typeof editBody>,
    @ConsoleOperator() operator: OperatorCredentials,
  ) {
    return this.act(forwarded(this.services.consumers[consumer].request('POST', `/dead-letters/${id}/edit-and-redrive`, { body, token: operator.token })));
  }

  /** `{fingerprint, comment}` → `{discarded, skipped}`: gives up one group's pending letters. */
  @Post('dead-letters/:consumer/discard')
  @HttpCode(200)
  discardGroup(
    @Param('consumer', new ZodValidationPipe(consumerParam, 'consumer')) consumer: ConsumerName,
    @Body(new ZodValidationPipe(groupDiscardBody)) body: z.infer<typeof groupDiscardBody>,
    @ConsoleOperator() operator: OperatorCredentials,
  ) {
    return this.act(forwarded(this.services.consumers[consumer].request('POST', '/dead-letters/discard', { body, token: operator.token })));
  }

  /** `{fingerprint, ratePerSecond, includePoison?}` → 202 `{jobId}`: a paced job, kept in the service's database; its progress comes with the stream (`jobs`). */
  @Post('dead-letters/:consumer/redrive-jobs')
  @HttpCode(202)
  async startJob(
    @Param('consumer', new ZodValidationPipe(consumerParam, 'consumer')) consumer: ConsumerName,
    @Body(new ZodValidationPipe(jobBody)) body: z.infer<typeof jobBody>,
    @ConsoleOperator() operator: OperatorCredentials,
  ) {
    const started = await forwarded(
      this.services.consumers[consumer].request<{ jobId: string }>('POST', '/dead-letters/redrive', { body, token: operator.token }),
    );
    this.jobs.add(consumer, String(started.jobId), body.fingerprint, operator.name, body.ratePerSecond);
    void this.snapshots.poll();
    return started;
  }

  @Delete('dead-letters/:consumer/redrive-jobs/:jobId')
  cancelJob(
    @Param('consumer', new ZodValidationPipe(consumerParam, 'consumer')) consumer: ConsumerName,
    @Param('jobId', new ZodValidationPipe(idParam, 'jobId')) jobId: string,
    @ConsoleOperator() operator: OperatorCredentials,
  ) {
    return this.act(forwarded(this.services.consumers[consumer].request('DELETE', `/dead-letters/redrive-jobs/${jobId}`, { token: operator.token })));
  }

  /**
   * The audit trail, newest first: each service's `GET /operator-actions` and the console's own
   * (sign-ins), merged. `{items: [{at, source, operator, action, target, comment, outcome}], errors}`.
   */
  @Get('operator-actions')
  async actions(@Query(new ZodValidationPipe(actionsQuery, 'query')) query: z.infer<typeof actionsQuery>, @ConsoleOperator() operator: OperatorCredentials) {
    const errors: string[] = [];
    const lists = await Promise.all(
      CONSUMER_NAMES.map(async (name) => {
        const answer = await this.services.consumers[name]
          .request<{ items: Array<{ at: string }> }>('GET', `/operator-actions?limit=${query.limit}`, { token: operator.token })
          .catch((error: Error) => error);
        if (answer instanceof Error) {
          errors.push(answer.message);
          return [];
        }
        return answer.body.items.map((item) => ({ ...item, source: name }));
      }),
    );
    const own = this.audit.list(query.limit).map((item) => ({ ...item, source: 'console' }));
    const items = [...lists.flat(), ...own].sort((a, b) => b.at.localeCompare(a.at)).slice(0, query.limit);
    return { items, errors };
  }

  /** An action's answer; the next snapshot is taken at once, so the page shows its effect. */
  private async act<T>(call: Promise<T>): Promise<T> {
    const result = await call;
    void this.snapshots.poll();
    return result;
  }
}
