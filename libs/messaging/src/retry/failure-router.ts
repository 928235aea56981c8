import { Classification } from '@reliable-payments/errors';
import { ConsumerRoutes, nextStep } from '../topology/topology';
import { DeadLetterReason } from './failure-headers';
import { FailurePolicy } from './retry-policy';

/** Where a failed delivery goes next, and whether the consumer should pause for its dependency. */
export type FailureRoute =
  | { action: 'hold' }
  | { action: 'retry'; level: number; queue: string; delayMs: number; pause: boolean }
  | { action: 'dead-letter'; reason: DeadLetterReason; queue: string; pause: boolean };

export interface FailureInput {
  failure: Classification;
  /** Failures so far, this one included (1 for a first delivery that failed). */
  attempts: number;
  policy: FailurePolicy;
  routes: ConsumerRoutes;
  /** Pause the consumer when the failure says its dependency is down (PAUSE_ON_DEPENDENCY_DOWN). */
  pauseOnDependencyDown: boolean;
}

/**
 * The consumer's one failure decision, pure: a permanent failure (poison) goes straight to the
 * dead-letter queue; a transient one climbs to retry level `attempts`, and past the last level is
 * dead-lettered as exhausted; a hold policy never moves the message. Unknown errors arrive here
 * classified as transient, so they too are bounded by the ladder.
 */
export function routeFailure({ failure, attempts, policy, routes, pauseOnDependencyDown }: FailureInput): FailureRoute {
  if (policy.kind === 'hold') return { action: 'hold' };
  const pause = failure.kind === 'transient' && failure.dependencyDown && pauseOnDependencyDown;
  if (failure.kind === 'permanent') return { action: 'dead-letter', reason: 'permanent', queue: routes.deadLetterQueue, pause: false };
  const step = nextStep(routes, attempts);
  return step.action === 'retry' ? { ...step, pause } : { action: 'dead-letter', reason: 'retries-exhausted', queue: step.queue, pause };
}
