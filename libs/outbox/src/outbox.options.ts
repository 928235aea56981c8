import { OutboxRelayConfig } from '@reliable-payments/config';

export const OUTBOX_OPTIONS = Symbol('OUTBOX_OPTIONS');
export type OutboxOptions = OutboxRelayConfig;
