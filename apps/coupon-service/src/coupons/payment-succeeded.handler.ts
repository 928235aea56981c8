import { Injectable } from '@nestjs/common';
import { PaymentSucceeded, PaymentSucceededV1 } from '@app/contracts';
import { ConsumeEvent, HandleOutcome } from '@app/messaging';
import { COUPON_CONSUMER, CouponsService } from './coupons.service';

@Injectable()
export class PaymentSucceededHandler {
  constructor(private readonly coupons: CouponsService) {}

  @ConsumeEvent(PaymentSucceeded, { consumer: COUPON_CONSUMER })
  async onPaymentSucceeded(event: PaymentSucceededV1): Promise<HandleOutcome> {
    return (await this.coupons.issueFor(event)) === 'duplicate' ? 'duplicate' : undefined;
  }
}
