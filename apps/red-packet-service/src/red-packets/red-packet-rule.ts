import { fromCents, percentOf, toCents } from '@reliable-payments/contracts';

/** A red packet holds 5% of the order, at least 0.50 and at most 20.00 (in the order's currency). */
export function redPacketAmount(orderAmount: string): string {
  return fromCents(percentOf(toCents(orderAmount), 5, 50, 2_000));
}
