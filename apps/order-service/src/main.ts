import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { loadOrderServiceConfig } from '@app/config';
import { startOrderService } from './order-service.app';

try {
  startOrderService(loadOrderServiceConfig()).catch(fail);
} catch (error) {
  fail(error as Error);
}

function fail(error: Error): void {
  new Logger('order-service').error(error.message);
  process.exit(1);
}
