import { Body, Controller, Delete, Get, HttpCode, HttpException, Param, Post, UseGuards } from '@nestjs/common';
import { z } from 'zod';
import { CONSUMER_NAMES, ConsumerName } from '@reliable-payments/contracts';
import { ZodValidationPipe } from '@reliable-payments/http';
import { ConsoleServices } from '../console.options';
import { PayLoadService } from '../load/pay-load.service';
import { ServiceError } from '../snapshot/service-client';
import { SnapshotService } from '../snapshot/snapshot.service';
import { OperatorGuard } from './operator.guard';

const consumerParam = z.enum(CONSUMER_NAMES, { message: `must be ${CONSUMER_NAMES.join(' or ')}` });
const paySchema = z.strictObject({ count: z.number().int().min(1).max(1000).default(1) });
const steadySchema = z.strictObject({ rate: z.number().min(0.1).max(200) });
const chaosSchema = z.strictObject({
  mode: z.enum(['down', 'hang', 'slow']),
  latencyMs: z.number().int().min(0).max(60_000).optional(),
  durationSeconds: z.number().int().positive().max(86_400).optional(),
});
const redriveSchema = z.union([
  z.strictObject({ ids: z.array(z.string().regex(/^[1-9]\d{0,18}$/, 'must be dead-letter ids')).min(1).max(500) }),
  z.strictObject({ errorCode: z.string().min(1).max(64) }),
]);
const idParam = z.string().regex(/^[1-9]\d{0,18}$/, 'must be a positive integer');
/** A group re-drive takes a snapshot of at most this many letters when it starts. */
const MAX_GROUP = 2_000;

/** Operator actions, forwarded to the services with `Authorization: Bearer`. */
@Controller('api')
@UseGuards(OperatorGuard)
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
  chaos(@Param('consumer', new ZodValidationPipe(consumerParam, 'consumer')) consumer: ConsumerName, @Body(new ZodValidationPipe(chaosSchema)) body: z.infer<typeof chaosSchema>) {
    return this.forward(this.services.consumers[consumer].request('POST', '/chaos/db', { body, operator: true }));
  }

  @Delete('actions/chaos/:consumer')
  heal(@Param('consumer', new ZodValidationPipe(consumerParam, 'consumer')) consumer: ConsumerName) {
    return this.forward(this.services.consumers[consumer].request('DELETE', '/chaos/db', { operator: true }));
  }

  /** One letter, a selection (`ids`), or a group (`errorCode`: every pending letter with it when the request starts). */
  @Post('actions/redrive/:consumer')
  @HttpCode(200)
  async redrive(@Param('consumer', new ZodValidationPipe(consumerParam, 'consumer')) consumer: ConsumerName, @Body(new ZodValidationPipe(redriveSchema)) body: z.infer<typeof redriveSchema>) {
    const client = this.services.consumers[consumer];
    const ids = 'ids' in body ? body.ids : await this.groupIds(consumer, body.errorCode);
    const result = { redriven: 0, skipped: 0, failed: 0, errors: [] as string[] };
    for (const id of ids) {
      const outcome = await client.request('POST', `/dead-letters/${id}/redrive`, { operator: true, allowStatus: [409] }).catch((error: Error) => error);
      if (outcome instanceof Error) {
        result.failed++;
        if (result.errors.length < 5) result.errors.push(outcome.message);
      } else if (outcome.status === 409) result.skipped++;
      else result.redriven++;
    }
    void this.snapshots.poll(); // show the letters leaving at once
    return result;
  }

  /** One letter with its payload (the service's operator routes: the letter, then its payload). */
  @Get('dead-letters/:consumer/:id')
  async deadLetter(@Param('consumer', new ZodValidationPipe(consumerParam, 'consumer')) consumer: ConsumerName, @Param('id', new ZodValidationPipe(idParam, 'id')) id: string) {
    const client = this.services.consumers[consumer];
    const letter = await this.forward(client.request<Record<string, unknown>>('GET', `/dead-letters/${id}`, { operator: true }));
    const payload = await this.forward(client.request<Record<string, unknown>>('GET', `/dead-letters/${id}/payload`, { operator: true }));
    return { ...letter, payload: payload.payload, payloadEncoding: payload.payloadEncoding, storedBytes: payload.storedBytes };
  }

  private async groupIds(consumer: ConsumerName, errorCode: string): Promise<string[]> {
    const ids: string[] = [];
    for (let page = 1; ids.length < MAX_GROUP; page++) {
      // The service pages its listing by at most 100 letters.
      const list = await this.forward(this.services.consumers[consumer].request<{ items: Array<{ id: string; errorCode: string }> }>('GET', `/dead-letters?status=PENDING&limit=100&page=${page}`, { operator: true }));
      for (const item of list.items) if (item.errorCode === errorCode && ids.length < MAX_GROUP) ids.push(String(item.id));
      if (list.items.length < 100) break;
    }
    return ids;
  }

  /** A service's answer, or its error with the service's status (502 when it did not answer). */
  private async forward<T>(call: Promise<{ status: number; body: T }>): Promise<T> {
    try {
      return (await call).body;
    } catch (error) {
      if (error instanceof ServiceError) throw new HttpException({ statusCode: error.status === 503 ? 502 : error.status, message: error.message }, error.status === 503 ? 502 : error.status);
      throw error;
    }
  }
}
