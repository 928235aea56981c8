import { Controller, Get, HttpCode, NotFoundException, ConflictException, Param, Post, Query } from '@nestjs/common';
import { z } from 'zod';
import { ZodValidationPipe } from '@app/http';
import { DeadLetterAlreadyRedrivenError, DeadLetterNotFoundError } from './dead-letters.errors';
import { DeadLettersService } from './dead-letters.service';

const listQuery = z.strictObject({
  status: z.enum(['PENDING', 'REDRIVEN'], { message: 'must be PENDING or REDRIVEN' }).optional(),
  page: z.coerce.number().int().min(1).default(1),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
const idParam = z.string().regex(/^[1-9]\d{0,18}$/, 'must be a positive integer');

/** Operator API: inspect and re-drive this service's dead letters. */
@Controller('dead-letters')
export class DeadLettersController {
  constructor(private readonly deadLetters: DeadLettersService) {}

  @Get()
  list(@Query(new ZodValidationPipe(listQuery, 'query')) query: z.infer<typeof listQuery>) {
    return this.deadLetters.list(query);
  }

  @Get(':id')
  get(@Param('id', new ZodValidationPipe(idParam, 'id')) id: string) {
    return this.deadLetters.get(id).catch(mapErrors);
  }

  @Post('redrive')
  @HttpCode(200)
  redriveAll() {
    return this.deadLetters.redriveAll();
  }

  @Post(':id/redrive')
  @HttpCode(200)
  redrive(@Param('id', new ZodValidationPipe(idParam, 'id')) id: string) {
    return this.deadLetters.redrive(id).catch(mapErrors);
  }
}

function mapErrors(error: unknown): never {
  if (error instanceof DeadLetterNotFoundError) throw new NotFoundException(error.message);
  if (error instanceof DeadLetterAlreadyRedrivenError) throw new ConflictException(error.message);
  throw error;
}
