/**
 * @reliable-payments/contracts — the events services exchange, as versioned zod schemas (payment.succeeded v1),
 * the services that consume them (each under its one name), and money in integer cents. What a
 * consumer validates and a producer writes is the same schema.
 */
export * from './event-contract';
export * from './payment-succeeded.event';
export * from './consumers';
export * from './money';
