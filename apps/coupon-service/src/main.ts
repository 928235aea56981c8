import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { loadCouponServiceConfig, startCouponService } from './coupon-service.app';

try {
  startCouponService(loadCouponServiceConfig()).catch(fail);
} catch (error) {
  fail(error as Error);
}

function fail(error: Error): void {
  new Logger('coupon-service').error(error.message);
  process.exit(1);
}
