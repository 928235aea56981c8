import { Controller, Get, Query } from '@nestjs/common';
import { z } from 'zod';
import { ZodValidationPipe } from '@app/http';
import { RedPacket } from './red-packet.entity';
import { RedPacketsService } from './red-packets.service';

const query = z.strictObject({ orderId: z.uuid({ message: 'must be a UUID' }).optional() });

@Controller('red-packets')
export class RedPacketsController {
  constructor(private readonly redPackets: RedPacketsService) {}

  /** The red packets of one order (`?orderId=`), or the latest 100. */
  @Get()
  async list(@Query(new ZodValidationPipe(query, 'query')) q: z.infer<typeof query>) {
    const packets = await this.redPackets.findByOrder(q.orderId);
    return packets.map((p: RedPacket) => ({ ...p, issuedAt: p.issuedAt.toISOString() }));
  }
}
