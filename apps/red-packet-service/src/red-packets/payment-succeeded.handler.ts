import { Injectable } from '@nestjs/common';
import { PaymentSucceeded, PaymentSucceededV1 } from '@app/contracts';
import { ConsumeEvent, HandleOutcome } from '@app/messaging';
import { RED_PACKET_CONSUMER, RedPacketsService } from './red-packets.service';

@Injectable()
export class PaymentSucceededHandler {
  constructor(private readonly redPackets: RedPacketsService) {}

  @ConsumeEvent(PaymentSucceeded, { consumer: RED_PACKET_CONSUMER })
  async onPaymentSucceeded(event: PaymentSucceededV1): Promise<HandleOutcome> {
    return (await this.redPackets.grantFor(event)) === 'duplicate' ? 'duplicate' : undefined;
  }
}
