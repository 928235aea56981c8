import { Body, Controller, Delete, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { z } from 'zod';
import { CONSUMER_NAMES, ConsumerName } from '@reliable-payments/contracts';
import { OperatorCredentials, ZodValidationPipe } from '@reliable-payments/http';
import { ConsoleServices } from '../console.options';
import { PayLoadService } from '../load/pay-load.service';
import { SnapshotService } from '../snapshot/snapshot.service';
import { ConsoleOperator, ConsoleOperatorGuard } from '../operators/console-operator.guard';
import { forwarded } from '../services/forwarded';

const consumerParam = z.enum(CONSUMER_NAMES, { message: `must be ${CONSUMER_NAMES.join(' or ')}` });
const paySchema = z.strictObject({ count: z.number().int().min(1).max(1000).default(1) });
const steadySchema = z.strictObject({ rate: z.number().min(0.1).max(200) });
const chaosSchema = z.strictObject({
  mode: z.enum(['down', 'hang', 'slow']),
  latencyMs: z.number().int().min(0).max(60_000).optional(),
  durationSeconds: z.number().int().positive().max(86_400).optional(),
});
const redriveSchema = z.union([
  z.strictObject({
    ids: z
      .array(z.string().regex(/^[1-9]\d{0,18}$/, 'must be dead-letter ids'))
      .min(1)
      .max(500),
  }),
  z.strictObject({ errorCode: z.string().min(1).max(64) }),
  z.strictObject({ fingerprint: z.string().regex(/^[0-9a-f]{16}$/, 'must be a fingerprint from GET /api/dead-letters/groups') }),
]);
/** A group re-drive takes a snapshot of at most this many letters when it starts. */
const MAX_GROUP = 2_000;

/**
 * Operator actions, forwarded to the services with the signed-in operator's own token as
 * `Authorization: Bearer`, so each service's audit trail names the operator who acted.
 */
@Controller('api')
@UseGuards(ConsoleOperatorGuard)
export class ActionsController {
  constructor(
    private readonly load: PayLoadService,
    private readonly services: ConsoleServices,
    private readonly snapshots: SnapshotService,
  ) {}

  @Post('actions/pay')
  @HttpCode(200)
  pay(@Body(new ZodValidationPipe(paySchema)) body: z.infer<typeof paySchema>) {
    return this.load.burst(body.count);
  }

  @Post('actions/steady')
  @HttpCode(200)
  startSteady(@Body(new ZodValidationPipe(steadySchema)) body: z.infer<typeof steadySchema>) {
    this.load.startSteady(body.rate);
    return this.load.steady;
  }

  @Delete('actions/steady')
  stopSteady() {
    this.load.stopSteady();
    return this.load.steady;
  }

  @Post('actions/chaos/:consumer')
  @HttpCode(200)
  chaos(
    @Param('consumer', new ZodValidationPipe(consumerParam, 'consumer')) consumer: ConsumerName,
    @Body(new ZodValidationPipe(chaosSchema)) body: z.infer<typeof chaosSchema>,
    @ConsoleOperator() operator: OperatorCredentials,
  ) {
    return forwarded(this.services.consumers[consumer].request('POST', '/chaos/db', { body, token: operator.token }));
  }

  @Delete('actions/chaos/:consumer')
  heal(@Param('consumer', new ZodValidationPipe(consumerParam, 'consumer')) consumer: ConsumerName, @ConsoleOperator() operator: OperatorCredentials) {
    return forwarded(this.services.consumers[consumer].request('DELETE', '/chaos/db', { token: operator.token }));
  }

  /**
   * One letter, a selection (`ids`), a failure group (`fingerprint`, GET /api/dead-letters/groups),
   * or every pending letter with an error code (`errorCode`), each taken when the request starts.
   */
  @Post('actions/redrive/:consumer')
  @HttpCode(200)
  async redrive(
    @Param('consumer', new ZodValidationPipe(consumerParam, 'consumer')) consumer: ConsumerName,
    @Body(new ZodValidationPipe(redriveSchema)) body: z.infer<typeof redriveSchema>,
    @ConsoleOperator() operator: OperatorCredentials,
  ) {
    const client = this.services.consumers[consumer];
    if ('fingerprint' in body) {
      // One failure group: the service's bulk re-drive takes a snapshot of it and writes one audit row.
      const result = await forwarded(
        client.request<{ redriven: number; skipped: number; failed: number; errors: string[] }>('POST', '/dead-letters/redrive', {
          body: { fingerprint: body.fingerprint, limit: 1_000 },
          token: operator.token,
        }),
      );
      void this.snapshots.poll();
      return result;
    }
    const ids = 'ids' in body ? body.ids : await this.groupIds(consumer, body.errorCode, operator.token);
    const result = { redriven: 0, skipped: 0, failed: 0, errors: [] as string[] };
    for (const id of ids) {
      const outcome = await client.request('POST', `/dead-letters/${id}/redrive`, { token: operator.token, allowStatus: [409] }).catch((error: Error) => error);
      if (outcome instanceof Error) {
        result.failed++;
        if (result.errors.length < 5) result.errors.push(outcome.message);
      } else if (outcome.status === 409) result.skipped++;
      else result.redriven++;
    }
    void this.snapshots.poll(); // show the letters leaving at once
    return result;
  }

  private async groupIds(consumer: ConsumerName, errorCode: string, token: string): Promise<string[]> {
    const ids: string[] = [];
    for (let page = 1; ids.length < MAX_GROUP; page++) {
      // The service pages its listing by at most 100 letters.
      const list = await forwarded(
        this.services.consumers[consumer].request<{ items: Array<{ id: string; errorCode: string }> }>(
          'GET',
          `/dead-letters?status=PENDING&limit=100&page=${page}`,
          { token },
        ),
      );
      for (const item of list.items) if (item.errorCode === errorCode && ids.length < MAX_GROUP) ids.push(String(item.id));
      if (list.items.length < 100) break;
    }
    return ids;
  }
}
