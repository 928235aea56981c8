import { Injectable } from '@nestjs/common';
import { PaymentSucceeded, PaymentSucceededV1 } from '@app/contracts';
import { ATTEMPT_HISTORY_HEADER, ConsumeEvent, DeliveryContext, formatAttemptHistory, HandleOutcome, parseAttemptHistory } from '@app/messaging';
import { RED_PACKET_CONSUMER, RedPacketsService } from './red-packets.service';

@Injectable()
export class PaymentSucceededHandler {
  constructor(private readonly redPackets: RedPacketsService) {}

  @ConsumeEvent(PaymentSucceeded, { consumer: RED_PACKET_CONSUMER })
  async onPaymentSucceeded(event: PaymentSucceededV1, context: DeliveryContext): Promise<HandleOutcome> {
    // Re-formatted from the parsed value: a header is untrusted input, and only well-formed, bounded entries are stored.
    const history = formatAttemptHistory(parseAttemptHistory(context.raw.properties.headers?.[ATTEMPT_HISTORY_HEADER])) || null;
    return (await this.redPackets.grantFor(event, history)) === 'duplicate' ? 'duplicate' : undefined;
  }
}
