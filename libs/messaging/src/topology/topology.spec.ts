import { buildTopology, ConsumerDeclaration, ConsumerRoutes, nextStep, QUORUM_DELIVERY_LIMIT, QueueSpec } from './topology';

const consumer = (overrides: Partial<ConsumerDeclaration> = {}): ConsumerDeclaration => ({
  queue: 'coupon.payment-succeeded',
  exchange: 'payments.events',
  routingKeys: ['payment.succeeded'],
  retryLadderMs: [1000, 5000],
  queueType: 'classic',
  ...overrides,
});

const queueNamed = (queues: QueueSpec[], name: string): QueueSpec => {
  const found = queues.find((queue) => queue.name === name);
  if (!found) throw new Error(`no queue ${name} in ${queues.map((q) => q.name).join(', ')}`);
  return found;
};

const routesOf = (declaration: ConsumerDeclaration): ConsumerRoutes => {
  const routes = buildTopology([declaration]).routes.get(declaration.queue);
  if (!routes) throw new Error(`no routes for ${declaration.queue}`);
  return routes;
};

describe('buildTopology', () => {
  it('declares the main queue, one retry queue per level and a dead-letter queue, named by delay', () => {
    const { queues } = buildTopology([consumer({ retryLadderMs: [1000, 5000, 120_000] })]);

    expect(queues.map((queue) => queue.name)).toEqual([
      'coupon.payment-succeeded',
      'coupon.payment-succeeded.retry.1s',
      'coupon.payment-succeeded.retry.5s',
      'coupon.payment-succeeded.retry.2m',
      'coupon.payment-succeeded.dlq',
    ]);
  });

  it('makes the main queue dead-letter into its DLQ through its own exchange, not the default one', () => {
    const { queues } = buildTopology([consumer()]);

    expect(queueNamed(queues, 'coupon.payment-succeeded').options).toEqual({
      durable: true,
      arguments: {
        'x-queue-type': 'classic',
        'x-dead-letter-exchange': 'coupon.payment-succeeded.moves',
        'x-dead-letter-routing-key': 'coupon.payment-succeeded.dlq',
      },
    });
  });

  it('gives each retry queue its own TTL and dead-letters it back to the main queue', () => {
    const { queues } = buildTopology([consumer({ retryLadderMs: [1000, 5000] })]);

    expect(queueNamed(queues, 'coupon.payment-succeeded.retry.1s').options).toEqual({
      durable: true,
      arguments: {
        'x-queue-type': 'classic',
        'x-message-ttl': 1000,
        'x-dead-letter-exchange': 'coupon.payment-succeeded.moves',
        'x-dead-letter-routing-key': 'coupon.payment-succeeded',
      },
    });
    expect(queueNamed(queues, 'coupon.payment-succeeded.retry.5s').options.arguments['x-message-ttl']).toBe(5000);
  });

  it('declares the DLQ with only the queue type, so nothing ever expires out of it', () => {
    const { queues } = buildTopology([consumer()]);

    expect(queueNamed(queues, 'coupon.payment-succeeded.dlq').options).toEqual({
      durable: true,
      arguments: { 'x-queue-type': 'classic' },
    });
  });

  it('applies the declared queue type to every queue of the consumer', () => {
    const { queues } = buildTopology([consumer({ queueType: 'quorum' })]);

    expect(queues.map((queue) => queue.options.arguments['x-queue-type'])).toEqual(['quorum', 'quorum', 'quorum', 'quorum']);
  });

  describe('with quorum queues', () => {
    const { queues } = buildTopology([consumer({ queueType: 'quorum', retryLadderMs: [1000, 5000] })]);
    const args = (name: string) => queueNamed(queues, name).options.arguments;
    const atLeastOnce = { 'x-dead-letter-strategy': 'at-least-once', 'x-overflow': 'reject-publish' };

    it('caps redeliveries on the main queue and dead-letters past the cap into the DLQ, at least once', () => {
      expect(args('coupon.payment-succeeded')).toEqual({
        'x-queue-type': 'quorum',
        ...atLeastOnce,
        'x-delivery-limit': QUORUM_DELIVERY_LIMIT,
        'x-dead-letter-exchange': 'coupon.payment-succeeded.moves',
        'x-dead-letter-routing-key': 'coupon.payment-succeeded.dlq',
      });
    });

    it('keeps the queue-level TTL ladder, expiring back into the main queue at least once, with no delivery limit', () => {
      expect(args('coupon.payment-succeeded.retry.5s')).toEqual({
        'x-queue-type': 'quorum',
        ...atLeastOnce,
        'x-message-ttl': 5000,
        'x-dead-letter-exchange': 'coupon.payment-succeeded.moves',
        'x-dead-letter-routing-key': 'coupon.payment-succeeded',
      });
    });

    it('gives the DLQ no delivery limit and no dead-letter target (a held letter must never be dropped)', () => {
      expect(args('coupon.payment-succeeded.dlq')).toEqual({ 'x-queue-type': 'quorum' });
    });

    it('uses no argument quorum queues refuse, and every queue is durable', () => {
      for (const queue of queues) {
        expect(queue.options.durable).toBe(true);
        expect(Object.keys(queue.options.arguments)).not.toEqual(expect.arrayContaining(['x-max-priority']));
        expect(Object.keys(queue.options.arguments)).not.toEqual(expect.arrayContaining(['x-queue-mode']));
        expect(queue.options.arguments['x-overflow'] ?? 'reject-publish').toBe('reject-publish');
      }
    });
  });

  it('keeps classic queues free of quorum-only arguments (an existing deployment redeclares them unchanged)', () => {
    const { queues } = buildTopology([consumer({ queueType: 'classic' })]);
    for (const queue of queues) {
      for (const key of ['x-delivery-limit', 'x-dead-letter-strategy', 'x-overflow']) expect(queue.options.arguments).not.toHaveProperty(key);
    }
  });

  it('shares one retry queue between levels with the same delay', () => {
    const declaration = consumer({ retryLadderMs: [1000, 1000, 5000] });
    const { queues } = buildTopology([declaration]);

    expect(queues.map((queue) => queue.name)).toEqual([
      'coupon.payment-succeeded',
      'coupon.payment-succeeded.retry.1s',
      'coupon.payment-succeeded.retry.5s',
      'coupon.payment-succeeded.dlq',
    ]);
    expect(routesOf(declaration).retryQueues).toEqual([
      'coupon.payment-succeeded.retry.1s',
      'coupon.payment-succeeded.retry.1s',
      'coupon.payment-succeeded.retry.5s',
    ]);
  });

  it('binds the main queue once per routing key, and declares each exchange once', () => {
    const { exchanges, bindings } = buildTopology([
      consumer({ routingKeys: ['payment.succeeded', 'payment.refunded'] }),
      consumer({ queue: 'red-packet.payment-succeeded' }),
    ]);

    expect(bindings.filter((b) => b.exchange === 'payments.events')).toEqual([
      { queue: 'coupon.payment-succeeded', exchange: 'payments.events', routingKey: 'payment.succeeded' },
      { queue: 'coupon.payment-succeeded', exchange: 'payments.events', routingKey: 'payment.refunded' },
      { queue: 'red-packet.payment-succeeded', exchange: 'payments.events', routingKey: 'payment.succeeded' },
    ]);
    const durable = { durable: true, autoDelete: false };
    expect(exchanges).toEqual([
      { name: 'payments.events', type: 'topic', options: durable },
      { name: 'coupon.payment-succeeded.moves', type: 'direct', options: durable },
      { name: 'red-packet.payment-succeeded.moves', type: 'direct', options: durable },
    ]);
  });

  it("binds exactly a consumer's own queues to its own exchange, each by its name (nothing else is reachable through it)", () => {
    const { bindings, queues } = buildTopology([consumer({ retryLadderMs: [1000, 1000, 5000] }), consumer({ queue: 'red-packet.payment-succeeded' })]);
    for (const owner of ['coupon.payment-succeeded', 'red-packet.payment-succeeded']) {
      const own = bindings.filter((b) => b.exchange === `${owner}.moves`);
      expect(own.map((b) => b.queue).sort()).toEqual(
        queues
          .map((q) => q.name)
          .filter((name) => name.startsWith(`${owner}`))
          .sort(),
      );
      for (const b of own) expect(b.routingKey).toBe(b.queue);
    }
  });

  it('records the routes of each consumer, with its delays in ladder order', () => {
    expect(routesOf(consumer({ retryLadderMs: [5000, 1000] }))).toEqual({
      queue: 'coupon.payment-succeeded',
      retryQueues: ['coupon.payment-succeeded.retry.5s', 'coupon.payment-succeeded.retry.1s'],
      retryDelaysMs: [5000, 1000],
      deadLetterQueue: 'coupon.payment-succeeded.dlq',
      moveExchange: 'coupon.payment-succeeded.moves',
    });
  });

  it('declares no retry queue for an empty ladder', () => {
    const declaration = consumer({ retryLadderMs: [] });

    expect(buildTopology([declaration]).queues.map((queue) => queue.name)).toEqual(['coupon.payment-succeeded', 'coupon.payment-succeeded.dlq']);
    expect(routesOf(declaration).retryQueues).toEqual([]);
  });

  it('rejects two consumers declaring the same queue', () => {
    expect(() => buildTopology([consumer(), consumer({ routingKeys: ['other'] })])).toThrow('two consumers declare queue coupon.payment-succeeded');
  });

  it.each([[0], [-1000], [1.5], [99], [86_400_001], [Number.NaN], [Number.POSITIVE_INFINITY]])('rejects a retry delay of %p ms', (delayMs) => {
    expect(() => buildTopology([consumer({ retryLadderMs: [1000, delayMs] })])).toThrow('retry ladder of coupon.payment-succeeded: each delay must be');
  });
});

describe('nextStep', () => {
  const routes = routesOf(consumer({ retryLadderMs: [1000, 5000, 30_000] }));

  it.each([
    [1, 'coupon.payment-succeeded.retry.1s', 1000],
    [2, 'coupon.payment-succeeded.retry.5s', 5000],
    [3, 'coupon.payment-succeeded.retry.30s', 30_000],
  ])('sends the message to level %p after that many failures', (attempts, queue, delayMs) => {
    expect(nextStep(routes, attempts)).toEqual({ action: 'retry', queue, delayMs, level: attempts });
  });

  it('dead-letters the message once the ladder is exhausted', () => {
    expect(nextStep(routes, 4)).toEqual({ action: 'dead-letter', queue: 'coupon.payment-succeeded.dlq' });
  });

  it('dead-letters on the first failure when the ladder is empty', () => {
    const noRetries = routesOf(consumer({ retryLadderMs: [] }));

    expect(nextStep(noRetries, 1)).toEqual({ action: 'dead-letter', queue: 'coupon.payment-succeeded.dlq' });
  });
});

describe('changing the retry ladder between deployments', () => {
  // A queue re-declared with other arguments fails with PRECONDITION_FAILED and closes the channel:
  // whatever ladder a restart brings, a name already on the broker must keep its arguments.
  const ladders: number[][] = [
    [1000, 5000],
    [1000, 2000, 5000],
    [5000, 1000],
    [2000],
    [1000, 1000, 5000],
    [500, 1000, 60_000, 120_000],
    [1000, 5000, 10_000, 30_000, 60_000, 120_000, 180_000, 240_000, 300_000, 360_000, 420_000, 480_000, 540_000, 600_000, 1_200_000, 1_800_000],
  ];

  it('never yields a queue with the same name but different arguments', () => {
    const seen = new Map<string, QueueSpec['options']['arguments']>();
    const conflicts: string[] = [];
    for (const retryLadderMs of ladders) {
      for (const queue of buildTopology([consumer({ retryLadderMs })]).queues) {
        const earlier = seen.get(queue.name);
        if (earlier && JSON.stringify(earlier) !== JSON.stringify(queue.options.arguments)) conflicts.push(queue.name);
        seen.set(queue.name, queue.options.arguments);
      }
    }

    expect(conflicts).toEqual([]);
    // The main queue and the DLQ, plus exactly one retry queue per distinct delay across all ladders.
    expect(seen.size).toBe(2 + new Set(ladders.flat()).size);
  });

  it('keeps the 1s and 5s levels unchanged when a 2s level is inserted between them', () => {
    const before = buildTopology([consumer({ retryLadderMs: [1000, 5000] })]).queues;
    const after = buildTopology([consumer({ retryLadderMs: [1000, 2000, 5000] })]).queues;

    for (const name of ['coupon.payment-succeeded.retry.1s', 'coupon.payment-succeeded.retry.5s']) {
      expect(queueNamed(after, name)).toEqual(queueNamed(before, name));
    }
    expect(queueNamed(after, 'coupon.payment-succeeded.retry.2s').options.arguments['x-message-ttl']).toBe(2000);
  });
});
