import { Classification } from '@reliable-payments/errors';
import { buildTopology } from '../topology/topology';
import { routeFailure } from './failure-router';
import { HOLD, retryPolicy } from './retry-policy';

const ladder = [1_000, 5_000, 30_000];
const policy = retryPolicy(ladder);
const routes = buildTopology([{ queue: 'svc.q', exchange: 'ex', routingKeys: ['k'], retryLadderMs: ladder, queueType: 'classic' }]).routes.get('svc.q')!;

const transient = (dependencyDown = false): Classification => ({ kind: 'transient', code: 'DB_UNAVAILABLE', message: 'down', dependencyDown });
const permanent: Classification = { kind: 'permanent', code: 'SCHEMA_INVALID', message: 'bad', dependencyDown: false };
const unknown: Classification = { kind: 'transient', code: 'UNKNOWN', message: '?', dependencyDown: false };

describe('routeFailure (retry policy → where a failed delivery goes)', () => {
  it('climbs the ladder one level per failure, each to the queue of its delay', () => {
    expect([1, 2, 3].map((attempts) => routeFailure({ failure: transient(), attempts, policy, routes, pauseOnDependencyDown: false }))).toEqual([
      { action: 'retry', level: 1, queue: 'svc.q.retry.1s', delayMs: 1_000, pause: false },
      { action: 'retry', level: 2, queue: 'svc.q.retry.5s', delayMs: 5_000, pause: false },
      { action: 'retry', level: 3, queue: 'svc.q.retry.30s', delayMs: 30_000, pause: false },
    ]);
  });

  it('dead-letters as exhausted past the last level, however many attempts a header claims', () => {
    for (const attempts of [4, 5, 2_147_483_647]) {
      expect(routeFailure({ failure: transient(), attempts, policy, routes, pauseOnDependencyDown: false })).toEqual({
        action: 'dead-letter',
        reason: 'retries-exhausted',
        queue: 'svc.q.dlq',
        pause: false,
      });
    }
  });

  it('sends poison straight to the dead-letter queue, on any attempt, and never pauses for it', () => {
    for (const attempts of [1, 2, 9]) {
      expect(routeFailure({ failure: permanent, attempts, policy, routes, pauseOnDependencyDown: true })).toEqual({
        action: 'dead-letter',
        reason: 'permanent',
        queue: 'svc.q.dlq',
        pause: false,
      });
    }
  });

  it('bounds unknown errors by the ladder like any transient failure', () => {
    expect(routeFailure({ failure: unknown, attempts: 1, policy, routes, pauseOnDependencyDown: true })).toMatchObject({
      action: 'retry',
      level: 1,
      pause: false,
    });
    expect(routeFailure({ failure: unknown, attempts: 4, policy, routes, pauseOnDependencyDown: true })).toMatchObject({
      action: 'dead-letter',
      reason: 'retries-exhausted',
    });
  });

  it('pauses for a dependency that is down only when the policy says so', () => {
    expect(routeFailure({ failure: transient(true), attempts: 1, policy, routes, pauseOnDependencyDown: true })).toMatchObject({
      action: 'retry',
      pause: true,
    });
    expect(routeFailure({ failure: transient(true), attempts: 1, policy, routes, pauseOnDependencyDown: false })).toMatchObject({
      action: 'retry',
      pause: false,
    });
    expect(routeFailure({ failure: transient(true), attempts: 4, policy, routes, pauseOnDependencyDown: true })).toMatchObject({
      action: 'dead-letter',
      pause: true,
    });
  });

  it('with no levels, dead-letters the first transient failure', () => {
    const none = buildTopology([{ queue: 'n.q', exchange: 'ex', routingKeys: ['k'], retryLadderMs: [], queueType: 'classic' }]).routes.get('n.q')!;
    expect(routeFailure({ failure: transient(), attempts: 1, policy: retryPolicy([]), routes: none, pauseOnDependencyDown: false })).toMatchObject({
      action: 'dead-letter',
      reason: 'retries-exhausted',
      queue: 'n.q.dlq',
    });
  });

  it('holds every failure under the hold policy (the dead-letter handler), whatever its kind', () => {
    for (const failure of [transient(), transient(true), permanent, unknown]) {
      expect(routeFailure({ failure, attempts: 1, policy: HOLD, routes, pauseOnDependencyDown: false })).toEqual({ action: 'hold' });
    }
  });

  it('refuses a policy of zero, negative or fractional delays', () => {
    expect(() => retryPolicy([0])).toThrow('each delay must be between 100ms and 24h');
    expect(() => retryPolicy([1.5])).toThrow();
    expect(retryPolicy([1_000]).onExhausted).toBe('dead-letter');
  });
});
