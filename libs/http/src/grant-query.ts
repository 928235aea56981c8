import { z } from 'zod';

/**
 * The query of a grant listing (`GET /coupons`, `GET /red-packets`): one order's grants or one
 * user's, never everybody's (a coupon code is as good as money).
 */
export const grantQuery = z
  .strictObject({
    orderId: z.uuid({ message: 'must be a UUID' }).optional(),
    userId: z.string().min(1, 'must not be empty').max(64, 'must be at most 64 characters').optional(),
  })
  .refine((q) => q.orderId !== undefined || q.userId !== undefined, { message: 'orderId or userId is required' });

export type GrantQuery = z.infer<typeof grantQuery>;

/** Most grants one listing returns (newest first). */
export const MAX_GRANTS_LISTED = 100;

/** The where clause of a grant listing: only the filters given (TypeORM must never see an undefined value). */
export function grantFilter(query: GrantQuery): { orderId?: string; userId?: string } {
  return {
    ...(query.orderId !== undefined && { orderId: query.orderId }),
    ...(query.userId !== undefined && { userId: query.userId }),
  };
}
