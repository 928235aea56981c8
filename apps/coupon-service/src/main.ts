import 'reflect-metadata';
import { runMain } from '@app/http';
import { instrumentProcess } from '@app/tracing';
import { loadCouponServiceConfig, startCouponService } from './coupon-service.app';

runMain('coupon-service', () => {
  const config = loadCouponServiceConfig();
  instrumentProcess(config.observability);
  return startCouponService(config);
});
