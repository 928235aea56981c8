import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { PaymentSucceededV1, RED_PACKET_CONSUMER } from '@reliable-payments/contracts';
import { grantFilter, GrantQuery, MAX_GRANTS_LISTED } from '@reliable-payments/http';
import { Inbox } from '@reliable-payments/inbox';
import { redPacketAmount } from './red-packet-rule';
import { RedPacket } from './red-packet.entity';

@Injectable()
export class RedPacketsService {
  private readonly logger = new Logger(RedPacketsService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly inbox: Inbox,
  ) {}

  /** Grants the order's red packet once: inbox row and red packet commit together (see CouponsService). */
  async grantFor(event: PaymentSucceededV1, attemptHistory: string | null = null): Promise<'granted' | 'duplicate'> {
    const packet: RedPacket = {
      id: randomUUID(),
      orderId: event.data.orderId,
      userId: event.data.userId,
      amount: redPacketAmount(event.data.amount),
      currency: event.data.currency,
      issuedAt: new Date(),
      eventId: event.eventId,
      attemptHistory,
    };
    const outcome = await this.inbox.insertOnce(RED_PACKET_CONSUMER.name, event.eventId, RedPacket, packet, { orderId: packet.orderId });
    if (outcome === 'inserted') return 'granted';
    if (outcome === 'exists') this.logger.warn(`order ${packet.orderId} already has a red packet; event ${event.eventId} absorbed`);
    return 'duplicate';
  }

  find(query: GrantQuery): Promise<RedPacket[]> {
    return this.dataSource.manager.find(RedPacket, { where: grantFilter(query), order: { issuedAt: 'DESC' }, take: MAX_GRANTS_LISTED });
  }
}
