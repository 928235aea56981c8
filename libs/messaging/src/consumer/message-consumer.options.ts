import { Tracer } from '@opentelemetry/api';
import { FaultHooks } from '@reliable-payments/faults';
import { ConsumeMessage } from 'amqplib';
import { ConfirmedPublisher } from '../publishing/confirmed-publisher';
import { MessagingError } from '@reliable-payments/errors';
import { FailurePolicy } from '../retry/retry-policy';
import { ConsumerRoutes } from '../topology/topology';
import { ConsumerMetrics } from './consumer-metrics';

/** What a handler learns about the delivery besides the decoded body. */
export interface DeliveryContext {
  messageId: string;
  /** 1 for the first delivery; n+1 after n recorded failures. */
  attempt: number;
  redelivered: boolean;
  raw: ConsumeMessage;
}

/** What a handler may report besides "done" (returning nothing): the message had already been processed. */
export enum Outcome {
  Processed = 'processed',
  /** Counted as a duplicate absorbed, then acked. */
  Duplicate = 'duplicate',
}

/** A handler returns nothing (or `Outcome.Processed`) when done, `Outcome.Duplicate` for a message already processed. */
export type HandleOutcome = void | Outcome;

export interface MessageConsumerOptions<T> {
  name: string;
  routes: ConsumerRoutes;
  prefetch: number;
  /** Bodies over this are moved truncated (`boundedBody`); undefined = moved whole. */
  maxBodyBytes?: number;
  /** A handler still running after this is treated as a transient, dependency-down failure. */
  handlerTimeoutMs?: number;
  decode: (message: ConsumeMessage) => T;
  /** Business keys for log lines about a decoded message (e.g. its orderId). */
  describe?: (value: T) => Record<string, string>;
  handle: (value: T, context: DeliveryContext) => Promise<HandleOutcome>;
  /** A retry ladder ending in the dead-letter queue, or hold (the dead-letter handler: the end of the line). */
  policy: FailurePolicy;
  /** Pause consuming while failures say the dependency is down (see docs/architecture.md, "Dependency down"). */
  pauseOnDependencyDown: boolean;
  /** Resolves when the dependency answers again; polled while paused. */
  probe?: () => Promise<void>;
  classify?: (error: unknown) => MessagingError | undefined;
  publisher: ConfirmedPublisher;
  metrics?: ConsumerMetrics;
  /** Spans per delivery, continuing the trace of the message's `traceparent` header (no-op when tracing is off). */
  tracer?: Tracer;
  /** Test-only fault points (TEST_CRASH_AT); a no-op by default. */
  faults?: FaultHooks;
  /** The clock for failure headers and observed retry delays (tests). */
  now?: () => Date;
}
