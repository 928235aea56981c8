import 'reflect-metadata';
import { COUPON_CONSUMER } from '@app/contracts';
import { runMain } from '@app/http';
import { instrumentProcess } from '@app/tracing';
import { loadCouponServiceConfig, startCouponService } from './coupon-service.app';

runMain(COUPON_CONSUMER.name, () => {
  const config = loadCouponServiceConfig();
  instrumentProcess(config.observability);
  return startCouponService(config);
});
