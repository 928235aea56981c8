import { OutboxRelayConfig } from '@app/config';

export const OUTBOX_OPTIONS = Symbol('OUTBOX_OPTIONS');
export type OutboxOptions = OutboxRelayConfig;
