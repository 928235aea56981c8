import { Controller, Get, Query } from '@nestjs/common';
import { GrantQuery, grantQuery, ZodValidationPipe } from '@reliable-payments/http';
import { Coupon } from './coupon.entity';
import { CouponsService } from './coupons.service';

/** A coupon as `GET /coupons` lists it. */
export type CouponView = Omit<Coupon, 'issuedAt'> & { issuedAt: string };

@Controller('coupons')
export class CouponsController {
  constructor(private readonly coupons: CouponsService) {}

  /** The coupons of one order (`?orderId=`) or one user (`?userId=`), newest first, at most 100; 400 without either. */
  @Get()
  async list(@Query(new ZodValidationPipe(grantQuery, 'query')) q: GrantQuery): Promise<CouponView[]> {
    const coupons = await this.coupons.find(q);
    return coupons.map((c: Coupon) => ({ ...c, issuedAt: c.issuedAt.toISOString() }));
  }
}
