import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { COUPON_CONSUMER, PaymentSucceededV1 } from '@reliable-payments/contracts';
import { grantFilter, GrantQuery, MAX_GRANTS_LISTED } from '@reliable-payments/http';
import { Inbox } from '@reliable-payments/inbox';
import { couponValue } from './coupon-rule';
import { Coupon } from './coupon.entity';

@Injectable()
export class CouponsService {
  private readonly logger = new Logger(CouponsService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly inbox: Inbox,
  ) {}

  /**
   * Issues the order's coupon once. The inbox row (keyed by eventId) and the coupon (unique per
   * order) commit in one transaction; a redelivery finds the inbox row and changes nothing. The
   * coupons of events handled together go in as one INSERT (Inbox.insertOnce).
   */
  async issueFor(event: PaymentSucceededV1, attemptHistory: string | null = null): Promise<'issued' | 'duplicate'> {
    const coupon: Coupon = {
      id: randomUUID(),
      orderId: event.data.orderId,
      userId: event.data.userId,
      code: couponCode(),
      value: couponValue(event.data.amount),
      currency: event.data.currency,
      issuedAt: new Date(),
      eventId: event.eventId,
      attemptHistory,
    };
    const outcome = await this.inbox.insertOnce(COUPON_CONSUMER.name, event.eventId, Coupon, coupon, { orderId: coupon.orderId });
    if (outcome === 'inserted') return 'issued';
    // A different event for an order that already has its coupon: keep the one we have.
    if (outcome === 'exists') this.logger.warn(`order ${coupon.orderId} already has a coupon; event ${event.eventId} absorbed`);
    return 'duplicate';
  }

  find(query: GrantQuery): Promise<Coupon[]> {
    return this.dataSource.manager.find(Coupon, { where: grantFilter(query), order: { issuedAt: 'DESC' }, take: MAX_GRANTS_LISTED });
  }
}

/**
 * `CPN-` and 12 random hex digits (48 bits). Taken from a v4 UUID's random part: Node draws UUIDs
 * from a buffered pool, where randomBytes(6) asked the system for entropy on every coupon.
 */
function couponCode(): string {
  const uuid = randomUUID(); // xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx
  return `CPN-${uuid.slice(24).toUpperCase()}`;
}
