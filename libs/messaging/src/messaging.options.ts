import { MessagingError } from './errors';
import { QueueType } from './topology/topology';
import { RetryPolicy } from './retry/retry-policy';

export const MESSAGING_OPTIONS = Symbol('MESSAGING_OPTIONS');

/** Per-consumer settings, referenced by key from `@ConsumeEvent(..., { consumer })`. */
export interface ConsumerSettings {
  /** Main queue, before the name prefix. */
  queue: string;
  /** Exchange the queue binds to, before the name prefix. */
  exchange: string;
  prefetch: number;
  handlerTimeoutMs?: number;
  /** What happens to a failed message: the retry ladder and, past it, the dead-letter queue. */
  retry: RetryPolicy;
  pauseOnDependencyDown: boolean;
  maxMessageBytes: number;
  /** Signing keys by id: when set, an event without a valid signature by one of them is poison (dead-lettered at once). */
  signatureKeys?: ReadonlyMap<string, string>;
  /** Resolves when the consumer's dependency (its database) answers; polled while paused. */
  probe?: () => Promise<void>;
}

export interface MessagingModuleOptions {
  url: string;
  connectionName: string;
  /** Prepended to every exchange and queue name, so test runs never touch the demo's. */
  namePrefix: string;
  queueType: QueueType;
  confirmTimeoutMs: number;
  /** Exchanges this service publishes to, before the prefix. */
  exchanges: string[];
  consumers?: Record<string, ConsumerSettings>;
  /** Maps app-specific errors (e.g. MySQL codes) to transient or permanent failures. */
  classifyError?: (error: unknown) => MessagingError | undefined;
  /** Stop consuming and wait at most this long for in-flight handlers on shutdown. */
  shutdownTimeoutMs?: number;
}
