export class OrderNotFoundError extends Error {
  readonly code = 'ORDER_NOT_FOUND';
  constructor(readonly orderId: string) {
    super(`order ${orderId} not found`);
    this.name = 'OrderNotFoundError';
  }
}

/** The same Idempotency-Key was sent with another request body (IETF Idempotency-Key draft: 422). */
export class IdempotencyKeyReusedError extends Error {
  readonly code = 'IDEMPOTENCY_KEY_REUSED';
  constructor() {
    super('Idempotency-Key was already used with a different request body');
    this.name = 'IdempotencyKeyReusedError';
  }
}

/** A request with this Idempotency-Key is still being processed (IETF Idempotency-Key draft: 409). */
export class IdempotencyKeyInFlightError extends Error {
  readonly code = 'IDEMPOTENCY_KEY_IN_FLIGHT';
  constructor() {
    super('a request with this Idempotency-Key is still being processed; retry later');
    this.name = 'IdempotencyKeyInFlightError';
  }
}
