import { Controller, Get, Query } from '@nestjs/common';
import { GrantQuery, grantQuery, ZodValidationPipe } from '@reliable-payments/http';
import { RedPacket } from './red-packet.entity';
import { RedPacketsService } from './red-packets.service';

/** A red packet as `GET /red-packets` lists it. */
export type RedPacketView = Omit<RedPacket, 'issuedAt'> & { issuedAt: string };

@Controller('red-packets')
export class RedPacketsController {
  constructor(private readonly redPackets: RedPacketsService) {}

  /** The red packets of one order (`?orderId=`) or one user (`?userId=`), newest first, at most 100; 400 without either. */
  @Get()
  async list(@Query(new ZodValidationPipe(grantQuery, 'query')) q: GrantQuery): Promise<RedPacketView[]> {
    const packets = await this.redPackets.find(q);
    return packets.map((p: RedPacket) => ({ ...p, issuedAt: p.issuedAt.toISOString() }));
  }
}
