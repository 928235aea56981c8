const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Payloads larger than any event could be are not parsed for an order id (the consumer limit is far lower). */
const MAX_PARSED_BYTES = 1024 * 1024;

/**
 * The order a stored letter is about (`data.orderId`, a UUID), read once when the letter is stored
 * so that the ledger counts letters by an indexed column instead of parsing every payload on every
 * call. Null for poison without one; a value that is not a UUID is not an order id.
 */
export function orderIdOfPayload(payload: Buffer): string | null {
  if (payload.length === 0 || payload.length > MAX_PARSED_BYTES) return null;
  try {
    const event = JSON.parse(payload.toString('utf8')) as { data?: { orderId?: unknown } } | null;
    const orderId = event?.data?.orderId;
    return typeof orderId === 'string' && UUID.test(orderId) ? orderId : null;
  } catch {
    return null;
  }
}
