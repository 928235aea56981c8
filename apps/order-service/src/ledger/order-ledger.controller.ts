import { Controller, Get, NotFoundException, Param, Query } from '@nestjs/common';
import { z } from 'zod';
import { OperatorRoute, ZodValidationPipe } from '@reliable-payments/http';
import { orderIdSchema } from '../orders/orders.dto';
import { OrderLedgerService } from './order-ledger.service';

const idsQuery = z.strictObject({
  after: z.uuid({ message: 'must be a UUID' }).default('00000000-0000-0000-0000-000000000000'),
  limit: z.coerce.number().int().min(1).max(1000).default(1000),
});

/** Read endpoints for the console: cheap counts, one order's timeline, and (operator) paid ids. */
@Controller()
export class OrderLedgerController {
  constructor(private readonly ledger: OrderLedgerService) {}

  @Get('ledger/summary')
  summary() {
    return this.ledger.summary();
  }

  /** Operator route: lists business data (order ids); the console sends `Authorization: Bearer`. */
  @OperatorRoute()
  @Get('ledger/paid-order-ids')
  async paidOrderIds(@Query(new ZodValidationPipe(idsQuery, 'query')) query: z.infer<typeof idsQuery>) {
    return { ids: await this.ledger.paidOrderIds(query.after, query.limit) };
  }

  @Get('orders/:id/timeline')
  async timeline(@Param('id', new ZodValidationPipe(orderIdSchema, 'id')) id: string) {
    const timeline = await this.ledger.timeline(id);
    if (!timeline) throw new NotFoundException(`order ${id} not found`);
    return timeline;
  }
}
