import { Inject, Injectable, Optional } from '@nestjs/common';
import { trace, Tracer } from '@opentelemetry/api';
import { PaymentSucceeded, PaymentSucceededV1, RED_PACKET_CONSUMER } from '@reliable-payments/contracts';
import { ConsumeEvent, DeliveryContext, HandleOutcome, Outcome, recordedHistory } from '@reliable-payments/messaging';
import { inSpan, TRACER } from '@reliable-payments/tracing';
import { RedPacketsService } from './red-packets.service';

@Injectable()
export class PaymentSucceededHandler {
  constructor(
    private readonly redPackets: RedPacketsService,
    @Optional() @Inject(TRACER) private readonly tracer: Tracer = trace.getTracer('noop'),
  ) {}

  @ConsumeEvent(PaymentSucceeded, { consumer: RED_PACKET_CONSUMER.name })
  async onPaymentSucceeded(event: PaymentSucceededV1, context: DeliveryContext): Promise<HandleOutcome> {
    // Re-formatted from the parsed value: a header is untrusted input, and only well-formed, bounded entries are stored.
    const history = recordedHistory(context);
    // The grant's insert (grouped with other messages' in one transaction) as its own span.
    const result = await inSpan(this.tracer, 'red packet grant insert', { 'order.id': event.data.orderId }, () => this.redPackets.grantFor(event, history));
    return result === 'duplicate' ? Outcome.Duplicate : Outcome.Processed;
  }
}
