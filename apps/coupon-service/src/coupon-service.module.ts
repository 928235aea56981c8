import { DynamicModule, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { ChaosOptions } from '@reliable-payments/chaos';
import { ConsumerServiceConfig } from '@reliable-payments/config';
import { ConsumerServiceModule, GrantLedgerModule } from '@reliable-payments/consumer-service';
import { COUPON_CONSUMER } from '@reliable-payments/contracts';
import { Coupon } from './coupons/coupon.entity';
import { CouponsModule } from './coupons/coupons.module';
import { CreateCoupons1763700000300 } from './migrations/1763700000300-create-coupons';
import { CouponAttemptHistory1763700000310 } from './migrations/1763700000310-coupon-attempt-history';
import { IndexCouponsUser1763800000300 } from './migrations/1763800000300-index-coupons-user';
import { CouponInboxConsumerName1764000000300 } from './migrations/1764000000300-coupon-inbox-consumer-name';

@Module({})
export class CouponServiceModule {
  static register(config: ConsumerServiceConfig, chaos?: ChaosOptions): DynamicModule {
    return {
      module: CouponServiceModule,
      imports: [
        // Once per application: the dead-letter re-drive jobs and retention run on it.
        ScheduleModule.forRoot(),
        ConsumerServiceModule.forRoot(
          config,
          {
            consumer: COUPON_CONSUMER,
            entities: [Coupon],
            migrations: [CreateCoupons1763700000300, CouponAttemptHistory1763700000310, IndexCouponsUser1763800000300, CouponInboxConsumerName1764000000300],
          },
          chaos,
        ),
        CouponsModule,
        GrantLedgerModule.register({ consumer: COUPON_CONSUMER.name, grantTable: 'coupons' }),
      ],
    };
  }
}
