import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown, Optional } from '@nestjs/common';
import { trace, Tracer } from '@opentelemetry/api';
import { TRACER } from '@reliable-payments/tracing';
import { FAULT_HOOKS, FaultHooks, NO_FAULTS } from '@reliable-payments/faults';
import { ChannelModel, ConsumeMessage, Options } from 'amqplib';
import { AmqpConnection } from './connection/amqp-connection';
import { ConfirmedPublisher } from './publishing/confirmed-publisher';
import { ConsumeMetadata } from './consume.decorator';
import { createConsumer } from './consumer/consumer-factory';
import { BoundHandler, HandlerDiscovery } from './handler-discovery';
import { ConsumerObserver } from './consumer/consumer-metrics';
import { DeliveryContext, HandleOutcome, MessageConsumer } from './consumer/message-consumer';
import { Publisher } from './publishing/publisher';
import { ConsumerSettings, MESSAGING_OPTIONS, MessagingModuleOptions } from './messaging.options';
import { brokerFacts, queueOptionsFor } from './topology/broker-arguments';
import { buildTopology, ConsumerRoutes, Topology } from './topology/topology';

/**
 * Wires the process's messaging together: finds `@ConsumeEvent` handlers (and takes the dead-letter handlers registered with `handleDeadLetters`),
 * derives the whole topology from them, and on every (re)connect asserts that topology, opens the
 * publisher's confirm channel and restarts every consumer.
 */
@Injectable()
export class MessagingService implements Publisher, OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger(MessagingService.name);
  readonly connection: AmqpConnection;
  readonly publisher: ConfirmedPublisher;
  private readonly consumers = new Map<string, MessageConsumer<unknown>>();
  private topology?: Topology;
  private observer?: ConsumerObserver;
  private readonly registered: Array<{ meta: ConsumeMetadata; handler: BoundHandler }> = [];

  constructor(
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingModuleOptions,
    private readonly handlers: HandlerDiscovery,
    @Optional() @Inject(TRACER) private readonly tracer: Tracer = trace.getTracer('noop'),
    @Optional() @Inject(FAULT_HOOKS) private readonly faults: FaultHooks = NO_FAULTS,
  ) {
    this.connection = new AmqpConnection({ url: options.url, connectionName: options.connectionName });
    this.publisher = new ConfirmedPublisher(options.confirmTimeoutMs, async (model) => {
      if (this.topology)
        await this.assertTopology(
          model,
          this.topology,
          options.exchanges.map((e) => this.name(e)),
        );
      await this.publisher.attach(model);
    });
  }

  /** Exchange or queue name with the configured prefix. */
  name(base: string): string {
    return `${this.options.namePrefix}${base}`;
  }

  /**
   * Registers the handler of consumer `consumer`'s dead-letter queue (call it before the
   * application bootstraps, e.g. from `onModuleInit`). It receives the raw message; a throw holds
   * the message in the DLQ and pauses that handler until its dependency answers.
   */
  handleDeadLetters(consumer: string, handler: (message: ConsumeMessage, context: DeliveryContext) => Promise<HandleOutcome>): void {
    if (this.topology) throw new Error('dead-letter handlers must be registered before the application bootstraps');
    this.registered.push({ meta: { kind: 'dead-letters', consumer }, handler: handler as BoundHandler });
  }

  async onApplicationBootstrap(): Promise<void> {
    const handlers = [...this.handlers.discover(), ...this.registered];
    const settings = this.options.consumers ?? {};
    const declarations = Object.entries(settings).map(([key, s]) => ({
      queue: this.name(s.queue),
      exchange: this.name(s.exchange),
      routingKeys: handlers.flatMap(({ meta }) => (meta.kind === 'event' && meta.consumer === key ? [meta.contract.routingKey] : [])),
      retryLadderMs: [...s.retry.levelsMs],
      queueType: this.options.queueType,
    }));
    this.topology = buildTopology(declarations);
    for (const { meta, handler } of handlers) this.addConsumer(meta, handler, settings);
    if (this.observer) this.observe(this.observer);

    const topology = this.topology;
    const exchanges = this.options.exchanges.map((e) => this.name(e));
    this.connection.onConnect(async (model) => this.assertTopology(model, topology, exchanges));
    this.connection.onConnect(this.publisher.attach);
    for (const consumer of this.consumers.values()) this.connection.onConnect(consumer.attach);
    await this.connection.start();
    if (!(await this.connection.waitUntilConnected(5_000))) {
      this.logger.warn('broker not reachable yet; the service runs and keeps reconnecting');
    }
  }

  private addConsumer(meta: ConsumeMetadata, handler: BoundHandler, settings: Record<string, ConsumerSettings>): void {
    const s = settings[meta.consumer];
    if (!s) throw new Error(`handler refers to consumer "${meta.consumer}", which MessagingModule options do not define`);
    const { queue, consumer } = createConsumer(meta, handler, s, this.routes(meta.consumer), {
      publisher: this.publisher,
      classify: this.options.classifyError,
      tracer: this.tracer,
      faults: this.faults,
    });
    if (this.consumers.has(queue)) throw new Error(`consumer "${meta.consumer}" has two handlers for ${queue}; use one per queue`);
    this.consumers.set(queue, consumer);
  }

  private async assertTopology(model: ChannelModel, topology: Topology, exchanges: string[]): Promise<void> {
    const channel = await model.createChannel();
    channel.on('error', (error: Error) => this.logger.error(`topology: ${error.message}`));
    try {
      for (const name of exchanges) await channel.assertExchange(name, 'topic', { durable: true, autoDelete: false });
      for (const e of topology.exchanges) await channel.assertExchange(e.name, e.type, e.options);
      const broker = brokerFacts(model.connection.serverProperties);
      for (const q of topology.queues) await channel.assertQueue(q.name, queueOptionsFor(q.options, broker));
      for (const b of topology.bindings) await channel.bindQueue(b.queue, b.exchange, b.routingKey);
    } finally {
      await channel.close().catch(() => undefined);
    }
  }

  /** Queue names of a consumer (main, retry levels, DLQ), prefix included. */
  routes(consumer: string): ConsumerRoutes {
    const s = this.options.consumers?.[consumer];
    const routes = s && this.topology?.routes.get(this.name(s.queue));
    if (!routes) throw new Error(`unknown consumer "${consumer}"`);
    return routes;
  }

  /** Every queue and exchange this process declares (prefix included): what a test run cleans up. */
  declaredNames(): { queues: string[]; exchanges: string[] } {
    const queues = this.topology?.queues.map((q) => q.name) ?? [];
    const exchanges = new Set([...(this.topology?.exchanges.map((e) => e.name) ?? []), ...this.options.exchanges.map((e) => this.name(e))]);
    return { queues, exchanges: [...exchanges] };
  }

  /** Per-message observations (metrics) for every consumer, present and future. */
  observe(observer: ConsumerObserver): void {
    this.observer = observer;
    for (const consumer of this.consumers.values()) consumer.metrics.observer = observer;
  }

  /** Publishes to an exchange (prefix applied; `''` is the default exchange) once the broker confirmed and routed it. */
  publish(exchange: string, routingKey: string, content: Buffer, options: Options.Publish): Promise<void> {
    return this.publisher.publish(exchange === '' ? '' : this.name(exchange), routingKey, content, options);
  }

  /** Confirmed publish into a consumer's own main queue, through its own exchange (re-drives; names already prefixed). */
  publishToConsumer(consumer: string, content: Buffer, options: Options.Publish): Promise<void> {
    const { moveExchange, queue } = this.routes(consumer);
    return this.publisher.publish(moveExchange, queue, content, options);
  }

  get ready(): boolean {
    return this.publisher.isReady;
  }

  get blocked(): boolean {
    return this.connection.isBlocked;
  }

  onBlockedChange(listener: (blocked: boolean) => void): void {
    this.connection.onBlockedChange(listener);
  }

  /** Counts a message re-driven from consumer `consumer`'s dead letters (shown with its counters). */
  countRedriven(consumer: string): void {
    const found = this.consumers.get(this.routes(consumer).queue);
    if (found) found.metrics.redriven++;
  }

  status() {
    const connection = this.connection.status;
    return {
      connected: connection.connected,
      /** host:port of the broker node in use; never credentials. */
      node: connection.node,
      /** Set while the broker blocks publishing (memory or disk alarm): the reason it gave. */
      blocked: connection.blocked,
      publisherReady: this.publisher.isReady,
      /** Publishes sent and not yet confirmed. */
      inFlight: this.publisher.inFlight,
      lastError: connection.lastError,
      consumers: [...this.consumers.entries()].map(([key, c]) => ({
        queue: c.queue,
        role: this.topology?.routes.has(key) ? ('events' as const) : ('dead-letters' as const),
        state: c.state,
        inFlight: c.inFlightCount,
        ...c.metrics.snapshot(),
      })),
    };
  }

  async beforeApplicationShutdown(): Promise<void> {
    const timeout = this.options.shutdownTimeoutMs ?? 10_000;
    await Promise.all([...this.consumers.values()].map((c) => c.stop(timeout)));
  }

  async onApplicationShutdown(): Promise<void> {
    this.publisher.stop();
    await this.connection.close();
  }
}

/** What `MessagingService.status()` reports: connection, publisher and every consumer (shown on /health). */
export type MessagingStatus = ReturnType<MessagingService['status']>;

/** One consumer's line in that report: queue, role (`events` or `dead-letters`), state and counters. */
export type ConsumerStatus = MessagingStatus['consumers'][number];
