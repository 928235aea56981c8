import 'reflect-metadata';
import { armCrashPoint } from '@app/config';
import { runMain } from '@app/http';
import { instrumentProcess } from '@app/tracing';
import { loadCouponServiceConfig, startCouponService } from './coupon-service.app';

runMain('coupon-service', () => {
  const config = loadCouponServiceConfig();
  armCrashPoint(config.crashAt);
  instrumentProcess(config.observability);
  return startCouponService(config);
});
