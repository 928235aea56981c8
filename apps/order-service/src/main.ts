import 'reflect-metadata';
import { loadOrderServiceConfig } from '@app/config';
import { runMain } from '@app/http';
import { instrumentProcess } from '@app/tracing';
import { startOrderService } from './order-service.app';

runMain('order-service', () => {
  const config = loadOrderServiceConfig();
  instrumentProcess(config.observability);
  return startOrderService(config);
});
