import { Module } from '@nestjs/common';
import { CouponsController } from './coupons.controller';
import { CouponsService } from './coupons.service';
import { PaymentSucceededHandler } from './payment-succeeded.handler';

@Module({
  controllers: [CouponsController],
  providers: [CouponsService, PaymentSucceededHandler],
})
export class CouponsModule {}
