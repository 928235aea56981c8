import 'reflect-metadata';
import { loadOrderServiceConfig } from '@app/config';
import { runMain } from '@app/http';
import { startOrderService } from './order-service.app';

runMain('order-service', () => startOrderService(loadOrderServiceConfig()));
