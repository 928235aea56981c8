import 'reflect-metadata';
import { runMain } from '@app/http';
import { loadCouponServiceConfig, startCouponService } from './coupon-service.app';

runMain('coupon-service', () => startCouponService(loadCouponServiceConfig()));
