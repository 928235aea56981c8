export * from './event-contract';
export * from './payment-succeeded.event';
export * from './money';
