import { checkRetryLadder, formatDuration } from '@reliable-payments/config';

export type QueueType = 'classic' | 'quorum';

/** What a consumer needs from the broker; the topology is derived from a list of these. */
export interface ConsumerDeclaration {
  /** Main queue name, prefix included. */
  queue: string;
  exchange: string;
  routingKeys: string[];
  /** Delay per retry level, in ms; empty = no retries (failures go to the dead-letter queue). */
  retryLadderMs: number[];
  queueType: QueueType;
}

export interface ExchangeSpec {
  name: string;
  type: 'topic' | 'direct';
  options: { durable: true; autoDelete: false };
}

export interface QueueSpec {
  name: string;
  options: { durable: true; arguments: Record<string, string | number> };
}

export interface BindingSpec {
  queue: string;
  exchange: string;
  routingKey: string;
}

/** Where one consumer's messages live: its main queue, one delay queue per ladder level, its DLQ. */
export interface ConsumerRoutes {
  queue: string;
  /** `retryQueues[n]` is where the (n+1)-th failure waits; levels with equal delays share a queue. */
  retryQueues: string[];
  retryDelaysMs: number[];
  deadLetterQueue: string;
  /** The consumer's own exchange (`moveExchangeName`): every move between its queues is published there, routing key = queue. */
  moveExchange: string;
}

export interface Topology {
  exchanges: ExchangeSpec[];
  queues: QueueSpec[];
  bindings: BindingSpec[];
  routes: Map<string, ConsumerRoutes>;
}

/**
 * Quorum queues' redelivery cap on the main queue. The consumer never requeues a failed message
 * (it moves it up the ladder by a confirmed publish), so a main-queue message is only redelivered
 * when its consumer's channel goes: a crash, a lost node, a recycled channel. Each such fault adds
 * one delivery, so 20 is far above what faults cause and still stops a message that kills its
 * consumer every time (a crash loop) within minutes: past it the broker dead-letters the message
 * into the DLQ, where it is stored, alerted and re-drivable like any dead letter. Retry levels have
 * no consumer, and the DLQ's consumer requeues a letter it cannot store yet (hold) and has no
 * dead-letter target, so neither gets a limit (one there would drop messages).
 */
export const QUORUM_DELIVERY_LIMIT = 20;

/**
 * Arguments per queue type. Quorum queues (RabbitMQ 3.10, checked on a real cluster): queue-level
 * `x-message-ttl` and dead-lettering work, so the TTL ladder is unchanged; `x-max-priority`,
 * `x-queue-mode` (and exclusive or non-durable queues) are refused, so none is used. Broker
 * dead-lettering (a retry level expiring into the main queue, a main-queue message over the
 * delivery limit into the DLQ) is made at-least-once, which quorum queues support and classic ones
 * do not; it requires `x-overflow: reject-publish` (no length limit is set, so nothing is refused).
 */
function queueArguments(type: QueueType, role: 'main' | 'retry' | 'dlq'): Record<string, string | number> {
  if (type === 'classic') return { 'x-queue-type': 'classic' };
  const args: Record<string, string | number> = { 'x-queue-type': 'quorum' };
  if (role !== 'dlq') Object.assign(args, { 'x-dead-letter-strategy': 'at-least-once', 'x-overflow': 'reject-publish' });
  if (role === 'main') args['x-delivery-limit'] = QUORUM_DELIVERY_LIMIT;
  return args;
}

export const retryQueueName = (queue: string, delayMs: number) => `${queue}.retry.${formatDuration(delayMs)}`;
export const deadLetterQueueName = (queue: string) => `${queue}.dlq`;
/**
 * A consumer's own direct exchange (`<queue>.moves`): its retry levels, its DLQ, its re-drives and
 * the broker's dead-lettering all go through it, never through the default exchange. Write on
 * `amq.default` would let a consumer's broker user publish into any queue of the vhost (RabbitMQ
 * checks the exchange, not the queue a message lands in); write on this one reaches only the
 * queues bound to it, which are the consumer's own.
 */
export const moveExchangeName = (queue: string) => `${queue}.moves`;

/** Every queue one consumer owns: its main queue, its dead-letter queue and one per ladder delay (for cleanup). */
export const consumerExchangeNames = (queue: string): string[] => [moveExchangeName(queue)];

export const consumerQueueNames = (queue: string, ladderMs: number[]): string[] => [
  queue,
  deadLetterQueueName(queue),
  ...new Set(ladderMs.map((ms) => retryQueueName(queue, ms))),
];

/**
 * The one place exchanges, queues, bindings, TTLs and dead-letter arguments are decided.
 * Pure, so it is unit-tested, and asserted again after every reconnect.
 *
 * Retry levels are queues named by their delay (`<queue>.retry.5s`) with a queue-level
 * `x-message-ttl` — per-message TTLs only expire at the head of a queue — and dead-letter back
 * to the consumer's main queue only, through the consumer's own exchange (`moveExchangeName`),
 * to which only its own queues are bound: its broker user needs no write on the default exchange. Naming levels by delay lets a
 * service restart with another ladder without PRECONDITION_FAILED: new delays get new queues, and
 * messages still waiting in a dropped level expire into the main queue as before, so none is lost.
 */
export function buildTopology(consumers: ConsumerDeclaration[]): Topology {
  const exchanges = new Map<string, ExchangeSpec>();
  const queues = new Map<string, QueueSpec>();
  const bindings: BindingSpec[] = [];
  const routes = new Map<string, ConsumerRoutes>();

  const addQueue = (spec: QueueSpec) => {
    const existing = queues.get(spec.name);
    if (existing && JSON.stringify(existing) !== JSON.stringify(spec)) {
      throw new Error(`queue ${spec.name} is declared twice with different arguments`);
    }
    queues.set(spec.name, spec);
  };

  for (const consumer of consumers) {
    if (routes.has(consumer.queue)) throw new Error(`two consumers declare queue ${consumer.queue}`);
    // The same check as RETRY_LADDER's and retryPolicy's (checkRetryLadder), for declarations built by hand.
    try {
      checkRetryLadder(consumer.retryLadderMs);
    } catch (error) {
      throw new Error(`retry ladder of ${consumer.queue}: ${(error as Error).message}`, { cause: error });
    }
    const deadLetterQueue = deadLetterQueueName(consumer.queue);
    const moveExchange = moveExchangeName(consumer.queue);
    const bindOwn = (queue: string) => {
      if (!bindings.some((b) => b.exchange === moveExchange && b.queue === queue)) bindings.push({ queue, exchange: moveExchange, routingKey: queue });
    };

    exchanges.set(consumer.exchange, {
      name: consumer.exchange,
      type: 'topic',
      options: { durable: true, autoDelete: false },
    });
    exchanges.set(moveExchange, { name: moveExchange, type: 'direct', options: { durable: true, autoDelete: false } });
    // The main queue dead-letters into the DLQ as a safety net: nothing rejected there is ever dropped.
    addQueue({
      name: consumer.queue,
      options: {
        durable: true,
        arguments: { ...queueArguments(consumer.queueType, 'main'), 'x-dead-letter-exchange': moveExchange, 'x-dead-letter-routing-key': deadLetterQueue },
      },
    });
    for (const routingKey of consumer.routingKeys) {
      bindings.push({ queue: consumer.queue, exchange: consumer.exchange, routingKey });
    }
    const retryQueues = consumer.retryLadderMs.map((delayMs) => {
      const name = retryQueueName(consumer.queue, delayMs);
      addQueue({
        name,
        options: {
          durable: true,
          arguments: {
            ...queueArguments(consumer.queueType, 'retry'),
            'x-message-ttl': delayMs,
            'x-dead-letter-exchange': moveExchange,
            'x-dead-letter-routing-key': consumer.queue,
          },
        },
      });
      return name;
    });
    addQueue({ name: deadLetterQueue, options: { durable: true, arguments: queueArguments(consumer.queueType, 'dlq') } });
    for (const queue of [consumer.queue, ...retryQueues, deadLetterQueue]) bindOwn(queue);
    routes.set(consumer.queue, {
      moveExchange,
      queue: consumer.queue,
      retryQueues,
      retryDelaysMs: [...consumer.retryLadderMs],
      deadLetterQueue,
    });
  }
  return { exchanges: [...exchanges.values()], queues: [...queues.values()], bindings, routes };
}

/** Which step a message takes after its `attempts`-th failure (1-based). */
export function nextStep(
  routes: ConsumerRoutes,
  attempts: number,
): { action: 'retry'; queue: string; delayMs: number; level: number } | { action: 'dead-letter'; queue: string } {
  if (attempts >= 1 && attempts <= routes.retryQueues.length) {
    return {
      action: 'retry',
      queue: routes.retryQueues[attempts - 1],
      delayMs: routes.retryDelaysMs[attempts - 1],
      level: attempts,
    };
  }
  return { action: 'dead-letter', queue: routes.deadLetterQueue };
}
