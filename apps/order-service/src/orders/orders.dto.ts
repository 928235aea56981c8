import { z } from 'zod';
import { fromCents, toCents } from '@reliable-payments/contracts';

export const MAX_AMOUNT_CENTS = 100_000_000; // 1,000,000.00

const amountText = /^(0|[1-9]\d{0,6})(\.\d{1,2})?$/;

/** A decimal string or a JSON number, > 0, ≤ 1,000,000, at most 2 decimals; normalised to "123.40". */
const amount = z.union([z.string(), z.number()], { message: 'must be a decimal string or a number' }).transform((value, ctx) => {
  // A number's shortest decimal form exposes over-precision (0.1 + 0.2 → "0.30000000000000004").
  const text = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : 'NaN') : value;
  if (!amountText.test(text)) {
    ctx.addIssue({ code: 'custom', message: 'must be a positive decimal with at most 2 decimal places, e.g. "99.90"' });
    return z.NEVER;
  }
  const cents = toCents(text);
  if (cents <= 0 || cents > MAX_AMOUNT_CENTS) {
    ctx.addIssue({ code: 'custom', message: 'must be greater than 0 and at most 1000000' });
    return z.NEVER;
  }
  return fromCents(cents);
});

/** Characters a userId may not hold: Unicode categories Cc, Cf and Cs (a lone surrogate). */
const USER_ID_REFUSED = /[\p{Cc}\p{Cf}\p{Cs}]/u;

export const createOrderSchema = z.strictObject(
  {
    userId: z
      .string({ message: 'is required and must be a string' })
      .min(1, 'must not be empty')
      .max(64, 'must be at most 64 characters')
      // Control (NUL, newlines), format (bidi overrides, zero-width) and lone surrogates: invisible
      // or unstorable (MySQL kept U+FFFD while the 201 echoed the original). Issue 20, finding 10.
      .refine((value) => !USER_ID_REFUSED.test(value), 'must not contain control, format (bidi, zero-width) or unpaired surrogate characters'),
    amount,
    currency: z
      .string({ message: 'must be a string' })
      .regex(/^[A-Z]{3}$/, 'must be 3 upper-case letters, e.g. "CNY"')
      .default('CNY'),
  },
  { message: 'must be a JSON object' },
);

export type CreateOrderDto = z.infer<typeof createOrderSchema>;

/** `POST /orders`'s body as a client sends it (before the schema's defaults and normalising). */
export type CreateOrderBody = z.input<typeof createOrderSchema>;

export const orderIdSchema = z.uuid({ message: 'must be a UUID' });
