import { fromCents, percentOf, toCents } from '@reliable-payments/contracts';

/** A coupon is worth 10% of the order, at least 1.00 and at most 50.00 (in the order's currency). */
export function couponValue(orderAmount: string): string {
  return fromCents(percentOf(toCents(orderAmount), 10, 100, 5_000));
}
