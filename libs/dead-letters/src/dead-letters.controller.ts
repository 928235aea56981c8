import { BadRequestException, Body, ConflictException, Controller, Delete, Get, HttpCode, NotFoundException, Param, Post, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { OperatorActions, OperatorName, OperatorRoute, ZodValidationPipe } from '@reliable-payments/http';
import { DeadLetterDiscarder } from './dead-letter-discarder';
import { DeadLetterRedriver, MAX_BULK_LIMIT } from './dead-letter-redriver';
import {
  DeadLetterAlreadyRedrivenError,
  DeadLetterDiscardedError,
  DeadLetterNotFoundError,
  DeadLetterNotPendingError,
  DeadLetterEditUnsignableError,
  DeadLetterNotRedrivableError,
} from './dead-letters.errors';
import { DeadLetterEditInvalidError } from './edited-payload';
import { FINGERPRINT_PATTERN } from './failure-fingerprint';
import { RedriveJobNotFoundError, RedriveJobNotRunningError, RedriveJobs } from './redrive-jobs.service';
import { DeadLettersService, MAX_PAGE_SIZE } from './dead-letters.service';

// `page` (with a total) or `after` (an id: keyset paging, each page O(page) however deep, no total), not both.
const listQuery = z
  .strictObject({
    status: z.enum(['PENDING', 'REDRIVEN', 'DISCARDED'], { message: 'must be PENDING, REDRIVEN or DISCARDED' }).optional(),
    page: z.coerce.number().int().min(1).max(1_000_000).optional(),
    after: z
      .string()
      .regex(/^(0|[1-9]\d{0,17})$/, 'must be a letter id (0 for the first page)')
      .optional(),
    limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE, `must be at most ${MAX_PAGE_SIZE}`).default(50),
  })
  .refine((q) => q.page === undefined || q.after === undefined, {
    message: 'page and after do not go together: after pages by id, without a total',
    path: ['after'],
  });
const fingerprint = z.string().regex(FINGERPRINT_PATTERN, 'must be a fingerprint from GET /dead-letters/groups (16 hex characters)');
const comment = z.string({ message: 'is required' }).trim().min(1, 'is required').max(500, 'must be at most 500 characters');
const discardBody = z.strictObject({ comment });
const bulkDiscardBody = z.strictObject({ fingerprint, comment });
// The payload's shape is the consumer's contract's, checked by the redriver (400 naming the field).
const editBody = z.strictObject({ payload: z.record(z.string(), z.unknown(), { message: 'must be a JSON object' }), comment });
const idParam = z.string().regex(/^[1-9]\d{0,17}$/, 'must be a positive integer');
// An empty body (or none) re-drives up to 100 letters whose retries ran out: the everyday call.
const bulkBody = z
  .strictObject({
    reason: z.string().min(1).max(32).optional(),
    fingerprint: fingerprint.optional(),
    ratePerSecond: z.number({ message: 'must be a number' }).int('must be a whole number').min(1).max(1_000, 'must be at most 1000').optional(),
    includePoison: z.boolean({ message: 'must be true or false' }).optional(),
    limit: z.number({ message: 'must be a number' }).int('must be a whole number').min(1).max(MAX_BULK_LIMIT, `must be at most ${MAX_BULK_LIMIT}`).optional(),
  })
  .optional()
  .transform((body) => body ?? {});

/** Operator API: inspect and re-drive this service's dead letters. Every route needs the operator token. */
@Controller('dead-letters')
@OperatorRoute()
export class DeadLettersController {
  constructor(
    private readonly deadLetters: DeadLettersService,
    private readonly redriver: DeadLetterRedriver,
    private readonly discarder: DeadLetterDiscarder,
    private readonly actions: OperatorActions,
    private readonly jobs: RedriveJobs,
  ) {}

  /** A refused action (404, 409, a bad edit) changed nothing; the trail still says who tried what. */
  private refused(operator: string, action: string, target: string, comment?: string) {
    return async (error: unknown): Promise<never> => {
      if (error instanceof Error && 'code' in error && String((error as { code: unknown }).code).startsWith('DEAD_LETTER_')) {
        await this.actions.record(undefined, { operator, action, target, comment, outcome: `refused: ${error.message}` });
      }
      return mapErrors(error);
    };
  }

  /** Letters without payloads, and only the project's own failure headers. */
  @Get()
  list(@Query(new ZodValidationPipe(listQuery, 'query')) query: z.infer<typeof listQuery>) {
    const { after, page, ...rest } = query;
    return after === undefined ? this.deadLetters.list({ ...rest, page: page ?? 1 }) : this.deadLetters.listAfter({ ...rest, after });
  }

  /** Pending letters by failure group: `{groups: [{fingerprint, errorCode, count, firstAt, lastAt, sampleError, sampleId}]}`. */
  @Get('groups')
  groups() {
    return this.deadLetters.groups();
  }

  @Get(':id')
  get(@Param('id', new ZodValidationPipe(idParam, 'id')) id: string) {
    return this.deadLetters.get(id).catch(mapErrors);
  }

  @Get(':id/payload')
  payload(@Param('id', new ZodValidationPipe(idParam, 'id')) id: string) {
    return this.deadLetters.payload(id).catch(mapErrors);
  }

  /** `{fingerprint, comment}` → `{discarded, skipped}`: gives up one failure group's pending letters. */
  @Post('discard')
  @HttpCode(200)
  discardGroup(@Body(new ZodValidationPipe(bulkDiscardBody)) body: z.infer<typeof bulkDiscardBody>, @OperatorName() operator: string) {
    return this.discarder.discardGroup(body.fingerprint, body.comment, operator);
  }

  /** `{comment}` → the letter, DISCARDED: never re-driven afterwards; the ledger counts it `discarded`. */
  @Post(':id/discard')
  @HttpCode(200)
  discard(
    @Param('id', new ZodValidationPipe(idParam, 'id')) id: string,
    @Body(new ZodValidationPipe(discardBody)) body: z.infer<typeof discardBody>,
    @OperatorName() operator: string,
  ) {
    return this.discarder.discard(id, body.comment, operator).catch(this.refused(operator, 'discard', `dead-letter ${id}`, body.comment));
  }

  /** `{reason?, fingerprint?, includePoison?, limit?}` → `{redriven, skipped, failed, errors}`. */
  @Post('redrive')
  @HttpCode(200)
  async redriveMany(
    @Body(new ZodValidationPipe(bulkBody)) body: z.infer<typeof bulkBody>,
    @OperatorName() operator: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { ratePerSecond, ...filter } = body;
    if (ratePerSecond === undefined) return this.redriver.redriveMany(filter, operator);
    // Paced: a job kept in the database, worked by RedriveJobRunner; 202 with its id.
    reply.status(202);
    return this.jobs.start(filter, ratePerSecond, operator);
  }

  /** `{jobId, status: running|done|cancelled|failed, ratePerSecond, total, redriven, skipped, failed}`. */
  @Get('redrive-jobs/:jobId')
  job(@Param('jobId', new ZodValidationPipe(idParam, 'jobId')) jobId: string) {
    return this.jobs.get(jobId).catch(mapJobErrors);
  }

  /** Cancels a running job between letters; 409 when it is no longer running. */
  @Delete('redrive-jobs/:jobId')
  cancelJob(@Param('jobId', new ZodValidationPipe(idParam, 'jobId')) jobId: string, @OperatorName() operator: string) {
    return this.jobs.cancel(jobId, operator).catch(mapJobErrors);
  }

  /** `{payload, comment}` → the letter, REDRIVEN with its edit: the edited event goes to the main queue (same message id, `edited-from`). */
  @Post(':id/edit-and-redrive')
  @HttpCode(200)
  editAndRedrive(
    @Param('id', new ZodValidationPipe(idParam, 'id')) id: string,
    @Body(new ZodValidationPipe(editBody)) body: z.infer<typeof editBody>,
    @OperatorName() operator: string,
  ) {
    return this.redriver
      .redriveEdited(id, body.payload, body.comment, operator)
      .catch(this.refused(operator, 'edit-and-redrive', `dead-letter ${id}`, body.comment));
  }

  @Post(':id/redrive')
  @HttpCode(200)
  redrive(@Param('id', new ZodValidationPipe(idParam, 'id')) id: string, @OperatorName() operator: string) {
    return this.redriver.redrive(id, operator).catch(this.refused(operator, 'redrive', `dead-letter ${id}`));
  }
}

function mapErrors(error: unknown): never {
  if (error instanceof DeadLetterNotFoundError) throw new NotFoundException(error.message);
  if (error instanceof DeadLetterEditInvalidError) throw new BadRequestException(error.message);
  if (
    error instanceof DeadLetterAlreadyRedrivenError ||
    error instanceof DeadLetterNotRedrivableError ||
    error instanceof DeadLetterDiscardedError ||
    error instanceof DeadLetterNotPendingError ||
    error instanceof DeadLetterEditUnsignableError
  ) {
    throw new ConflictException(error.message);
  }
  throw error;
}

function mapJobErrors(error: unknown): never {
  if (error instanceof RedriveJobNotFoundError) throw new NotFoundException(error.message);
  if (error instanceof RedriveJobNotRunningError) throw new ConflictException(error.message);
  throw error;
}
