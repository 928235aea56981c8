import {
  BadRequestException,
  Body,
  ConflictException,
  Controller,
  Get,
  Headers,
  HttpCode,
  NotFoundException,
  Param,
  Post,
  UnprocessableEntityException,
} from '@nestjs/common';
import { ZodValidationPipe } from '@reliable-payments/http';
import { CreateOrderDto, createOrderSchema, orderIdSchema } from './orders.dto';
import { IdempotencyKeyInFlightError, IdempotencyKeyReusedError, OrderNotFoundError } from './orders.errors';
import { IdempotentCreate } from './idempotent-create.service';
import { OrdersService, OrderView } from './orders.service';

@Controller('orders')
export class OrdersController {
  constructor(
    private readonly orders: OrdersService,
    private readonly idempotent: IdempotentCreate,
  ) {}

  @Post()
  create(@Body(new ZodValidationPipe(createOrderSchema)) dto: CreateOrderDto, @Headers('idempotency-key') key?: string): Promise<OrderView> {
    if (key === undefined) return this.orders.create(dto);
    // The draft's key is a string; printable ASCII of a bounded length keeps it a key, not a payload.
    if (!/^[\x21-\x7e]{1,255}$/.test(key)) throw new BadRequestException('Idempotency-Key must be 1 to 255 printable ASCII characters');
    return this.idempotent.create(key, dto).catch(mapErrors);
  }

  @Get(':id')
  get(@Param('id', new ZodValidationPipe(orderIdSchema, 'id')) id: string): Promise<OrderView> {
    return this.orders.get(id).catch(mapErrors);
  }

  @Post(':id/pay')
  @HttpCode(200)
  pay(@Param('id', new ZodValidationPipe(orderIdSchema, 'id')) id: string): Promise<OrderView> {
    return this.orders.pay(id).catch(mapErrors);
  }
}

function mapErrors(error: unknown): never {
  if (error instanceof OrderNotFoundError) throw new NotFoundException(error.message);
  if (error instanceof IdempotencyKeyReusedError) throw new UnprocessableEntityException(error.message);
  if (error instanceof IdempotencyKeyInFlightError) throw new ConflictException(error.message);
  throw error;
}
