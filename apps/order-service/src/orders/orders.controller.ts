import { Body, Controller, Get, HttpCode, NotFoundException, Param, Post } from '@nestjs/common';
import { ZodValidationPipe } from '@app/http';
import { CreateOrderDto, createOrderSchema, orderIdSchema } from './orders.dto';
import { OrderNotFoundError } from './orders.errors';
import { OrdersService, OrderView } from './orders.service';

@Controller('orders')
export class OrdersController {
  constructor(private readonly orders: OrdersService) {}

  @Post()
  create(@Body(new ZodValidationPipe(createOrderSchema)) dto: CreateOrderDto): Promise<OrderView> {
    return this.orders.create(dto);
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
  throw error;
}
