import { FaultProxy } from './fault-proxy';

export const CHAOS_OPTIONS = Symbol('CHAOS_OPTIONS');

export interface ChaosOptions {
  enabled: boolean;
  /** When set, requests must carry it in `X-Chaos-Token`. */
  token?: string;
  /** The proxy between the service and its database; present only when enabled. */
  databaseProxy?: FaultProxy;
}
