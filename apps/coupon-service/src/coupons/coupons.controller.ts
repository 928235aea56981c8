import { Controller, Get, Query } from '@nestjs/common';
import { z } from 'zod';
import { ZodValidationPipe } from '@app/http';
import { Coupon } from './coupon.entity';
import { CouponsService } from './coupons.service';

const query = z.strictObject({ orderId: z.uuid({ message: 'must be a UUID' }).optional() });

@Controller('coupons')
export class CouponsController {
  constructor(private readonly coupons: CouponsService) {}

  /** The coupons of one order (`?orderId=`), or the latest 100. */
  @Get()
  async list(@Query(new ZodValidationPipe(query, 'query')) q: z.infer<typeof query>) {
    const coupons = await this.coupons.findByOrder(q.orderId);
    return coupons.map((c: Coupon) => ({ ...c, issuedAt: c.issuedAt.toISOString() }));
  }
}
