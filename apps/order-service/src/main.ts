import 'reflect-metadata';
import { loadOrderServiceConfig } from '@reliable-payments/config';
import { runMain } from '@reliable-payments/http';
import { instrumentProcess } from '@reliable-payments/tracing';
import { startOrderService } from './order-service.app';

runMain('order-service', () => {
  const config = loadOrderServiceConfig();
  instrumentProcess(config.observability);
  return startOrderService(config);
});
