import { FaultProxy } from './fault-proxy';

export const CHAOS_OPTIONS = Symbol('CHAOS_OPTIONS');

export interface ChaosOptions {
  enabled: boolean;
  /** The proxy between the service and its database; present only when enabled. */
  databaseProxy?: FaultProxy;
}
