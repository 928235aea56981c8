import { Controller, Get, Query } from '@nestjs/common';
import { z } from 'zod';
import { ZodValidationPipe } from '../../zod-validation.pipe';
import { OperatorRoute } from '../operator.guard';
import { MAX_ACTIONS_PAGE, OperatorActions } from './operator-actions.service';

const listQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(MAX_ACTIONS_PAGE, `must be at most ${MAX_ACTIONS_PAGE}`).default(50) });

/** Operator route: the audit trail, newest first. */
@Controller('operator-actions')
@OperatorRoute()
export class OperatorActionsController {
  constructor(private readonly actions: OperatorActions) {}

  @Get()
  list(@Query(new ZodValidationPipe(listQuery, 'query')) query: z.infer<typeof listQuery>) {
    return this.actions.list(query.limit);
  }
}
