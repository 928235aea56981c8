import { DynamicModule, Module } from '@nestjs/common';
import { OrdersController } from './orders.controller';
import { IdempotentCreate } from './idempotent-create.service';
import { ORDERS_OPTIONS, OrdersOptions, OrdersService } from './orders.service';

@Module({})
export class OrdersModule {
  static register(options: OrdersOptions): DynamicModule {
    return {
      module: OrdersModule,
      controllers: [OrdersController],
      providers: [{ provide: ORDERS_OPTIONS, useValue: options }, OrdersService, IdempotentCreate],
    };
  }
}
