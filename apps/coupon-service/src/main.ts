import 'reflect-metadata';
import { COUPON_CONSUMER } from '@reliable-payments/contracts';
import { runMain } from '@reliable-payments/http';
import { instrumentProcess } from '@reliable-payments/tracing';
import { loadCouponServiceConfig, startCouponService } from './coupon-service.app';

runMain(COUPON_CONSUMER.name, () => {
  const config = loadCouponServiceConfig();
  instrumentProcess(config.observability);
  return startCouponService(config);
});
