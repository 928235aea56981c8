import { Controller, Get, Param, Query } from '@nestjs/common';
import { z } from 'zod';
import { OperatorRoute, ZodValidationPipe } from '@reliable-payments/http';
import { GrantLedgerService } from './grant-ledger.service';

const uuid = z.uuid({ message: 'must be a UUID' });
const idsQuery = z.strictObject({
  after: uuid.default('00000000-0000-0000-0000-000000000000'),
  limit: z.coerce.number().int().min(1).max(1000).default(1000),
});
const owedQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(10_000).default(10_000) });
const timelineQuery = z.strictObject({ eventId: uuid.optional() });

/** Read endpoints for the console: cheap counts, one order's rows, and (operator) granted ids. */
@Controller('ledger')
export class GrantLedgerController {
  constructor(private readonly ledger: GrantLedgerService) {}

  @Get('summary')
  summary() {
    return this.ledger.summary();
  }

  /** Operator route: lists business data (order ids); the console sends `Authorization: Bearer`. */
  @OperatorRoute()
  @Get('order-ids')
  async orderIds(@Query(new ZodValidationPipe(idsQuery, 'query')) query: z.infer<typeof idsQuery>) {
    return { ids: await this.ledger.grantedOrderIds(query.after, query.limit) };
  }

  /** Operator route: lists business data (order ids). */
  @OperatorRoute()
  @Get('owed-order-ids')
  async owedOrderIds(@Query(new ZodValidationPipe(owedQuery, 'query')) query: z.infer<typeof owedQuery>) {
    return { ids: await this.ledger.owedOrderIds(query.limit) };
  }

  /** Error codes and times only; payloads stay behind the operator's `/dead-letters/:id`. */
  @Get('orders/:orderId/timeline')
  async timeline(
    @Param('orderId', new ZodValidationPipe(uuid, 'orderId')) orderId: string,
    @Query(new ZodValidationPipe(timelineQuery, 'query')) query: z.infer<typeof timelineQuery>,
  ) {
    return { rows: await this.ledger.timeline(orderId, query.eventId) };
  }
}
