import { Inject, Injectable, Optional } from '@nestjs/common';
import { trace, Tracer } from '@opentelemetry/api';
import { COUPON_CONSUMER, PaymentSucceeded, PaymentSucceededV1 } from '@reliable-payments/contracts';
import { ConsumeEvent, DeliveryContext, HandleOutcome, Outcome, recordedHistory } from '@reliable-payments/messaging';
import { inSpan, TRACER } from '@reliable-payments/tracing';
import { CouponsService } from './coupons.service';

@Injectable()
export class PaymentSucceededHandler {
  constructor(
    private readonly coupons: CouponsService,
    @Optional() @Inject(TRACER) private readonly tracer: Tracer = trace.getTracer('noop'),
  ) {}

  @ConsumeEvent(PaymentSucceeded, { consumer: COUPON_CONSUMER.name })
  async onPaymentSucceeded(event: PaymentSucceededV1, context: DeliveryContext): Promise<HandleOutcome> {
    // Re-formatted from the parsed value: a header is untrusted input, and only well-formed, bounded entries are stored.
    const history = recordedHistory(context);
    // The grant's insert (grouped with other messages' in one transaction) as its own span.
    const result = await inSpan(this.tracer, 'coupon grant insert', { 'order.id': event.data.orderId }, () => this.coupons.issueFor(event, history));
    return result === 'duplicate' ? Outcome.Duplicate : Outcome.Processed;
  }
}
