import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
  Optional,
} from '@nestjs/common';
import { trace, Tracer } from '@opentelemetry/api';
import { TRACER } from '@app/tracing';
import { FAULT_HOOKS, FaultHooks, NO_FAULTS } from '@app/faults';
import { DiscoveryService, ExternalContextCreator, MetadataScanner } from '@nestjs/core';
import { ChannelModel, ConsumeMessage, Options } from 'amqplib';
import { AmqpConnection } from './connection/amqp-connection';
import { ConfirmedPublisher } from './publishing/confirmed-publisher';
import { CONSUME_METADATA, ConsumeMetadata } from './consume.decorator';
import { decodeEvent } from './consumer/event-decoder';
import { ConsumerObserver } from './consumer/consumer-metrics';
import { DeliveryContext, HandleOutcome, MessageConsumer } from './consumer/message-consumer';
import { HOLD } from './retry/retry-policy';
import { Publisher } from './publishing/publisher';
import { ConsumerSettings, MESSAGING_OPTIONS, MessagingModuleOptions } from './messaging.options';
import { buildTopology, ConsumerRoutes, Topology } from './topology/topology';

type Handler = (value: unknown, context: DeliveryContext) => Promise<HandleOutcome>;

/**
 * Wires the process's messaging together: finds `@ConsumeEvent` / `@ConsumeDeadLetters` handlers,
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
  private readonly registered: Array<{ meta: ConsumeMetadata; handler: Handler }> = [];

  constructor(
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingModuleOptions,
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly contextCreator: ExternalContextCreator,
    @Optional() @Inject(TRACER) private readonly tracer: Tracer = trace.getTracer('noop'),
    @Optional() @Inject(FAULT_HOOKS) private readonly faults: FaultHooks = NO_FAULTS,
  ) {
    this.connection = new AmqpConnection({ url: options.url, connectionName: options.connectionName });
    this.publisher = new ConfirmedPublisher(options.confirmTimeoutMs, async (model) => {
      if (this.topology) await this.assertTopology(model, this.topology, options.exchanges.map((e) => this.name(e)));
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
    this.registered.push({ meta: { kind: 'dead-letters', consumer }, handler: handler as Handler });
  }

  async onApplicationBootstrap(): Promise<void> {
    const handlers = [...this.discoverHandlers(), ...this.registered];
    const settings = this.options.consumers ?? {};
    const declarations = Object.entries(settings).map(([key, s]) => ({
      queue: this.name(s.queue),
      exchange: this.name(s.exchange),
      routingKeys: handlers.flatMap(({ meta }) => (meta.kind === 'event' && meta.consumer === key ? [meta.contract.routingKey] : [])),
      retryLadderMs: [...s.retry.levelsMs],
      queueType: this.options.queueType,
    }));
    this.topology = buildTopology(declarations);
    for (const { meta, handler } of handlers) this.createConsumer(meta, handler, settings);
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

  private discoverHandlers(): Array<{ meta: ConsumeMetadata; handler: Handler }> {
    const found: Array<{ meta: ConsumeMetadata; handler: Handler }> = [];
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object' || !wrapper.isDependencyTreeStatic()) continue;
      const prototype = Object.getPrototypeOf(instance) as object;
      for (const method of this.scanner.getAllMethodNames(prototype)) {
        const fn = instance[method];
        if (typeof fn !== 'function') continue;
        const meta = Reflect.getMetadata(CONSUME_METADATA, fn) as ConsumeMetadata | undefined;
        if (meta) found.push({ meta, handler: this.bindHandler(instance, fn as Handler, method) });
      }
    }
    return found;
  }

  /**
   * Binds a handler the way Nest binds its own: guards and interceptors declared on the handler
   * or its class (and global ones) run around every message, with context type `'amqp'` and the
   * arguments (event, DeliveryContext). Exception filters do not: a throw must reach the consumer,
   * which decides between retry, dead letter and hold.
   */
  private bindHandler(instance: object, fn: Handler, method: string): Handler {
    const bound = this.contextCreator.create(instance as Record<string, unknown>, fn as (...args: unknown[]) => unknown, method, undefined, undefined, undefined, undefined, { guards: true, interceptors: true, filters: false }, 'amqp');
    return bound as Handler;
  }

  private createConsumer(meta: ConsumeMetadata, handler: Handler, settings: Record<string, ConsumerSettings>): void {
    const s = settings[meta.consumer];
    if (!s) throw new Error(`handler refers to consumer "${meta.consumer}", which MessagingModule options do not define`);
    const routes = this.routes(meta.consumer);
    if (meta.kind === 'event') {
      const key = routes.queue;
      if (this.consumers.has(key)) throw new Error(`consumer "${meta.consumer}" has two event handlers; use one per queue`);
      const contract = meta.contract;
      this.consumers.set(
        key,
        new MessageConsumer({
          name: meta.consumer,
          routes,
          prefetch: s.prefetch,
          handlerTimeoutMs: s.handlerTimeoutMs,
          decode: (message) => decodeEvent(contract, s.maxMessageBytes, message),
          describe: (value) => contract.logFields?.(value) ?? {},
          handle: handler,
          policy: s.retry,
          pauseOnDependencyDown: s.pauseOnDependencyDown,
          probe: s.probe,
          classify: this.options.classifyError,
          publisher: this.publisher,
          tracer: this.tracer,
          faults: this.faults,
        }),
      );
    } else {
      const key = routes.deadLetterQueue;
      this.consumers.set(
        key,
        new MessageConsumer<ConsumeMessage>({
          name: `${meta.consumer}.dead-letters`,
          routes: { queue: key, retryQueues: [], retryDelaysMs: [], deadLetterQueue: key },
          prefetch: Math.min(s.prefetch, 16),
          handlerTimeoutMs: s.handlerTimeoutMs,
          decode: (message) => message,
          handle: handler as (m: ConsumeMessage, c: DeliveryContext) => Promise<HandleOutcome>,
          // The end of the line: a letter that cannot be stored is held, never moved on.
          policy: HOLD,
          pauseOnDependencyDown: true,
          probe: s.probe,
          classify: this.options.classifyError,
          publisher: this.publisher,
          tracer: this.tracer,
          faults: this.faults,
        }) as MessageConsumer<unknown>,
      );
    }
  }

  private async assertTopology(model: ChannelModel, topology: Topology, exchanges: string[]): Promise<void> {
    const channel = await model.createChannel();
    channel.on('error', (error: Error) => this.logger.error(`topology: ${error.message}`));
    try {
      for (const name of exchanges) await channel.assertExchange(name, 'topic', { durable: true, autoDelete: false });
      for (const e of topology.exchanges) await channel.assertExchange(e.name, e.type, e.options);
      for (const q of topology.queues) await channel.assertQueue(q.name, q.options);
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

  consumer(queue: string): MessageConsumer<unknown> | undefined {
    return this.consumers.get(queue);
  }

  /** Publishes to an exchange (prefix applied; `''` is the default exchange) once the broker confirmed and routed it. */
  publish(exchange: string, routingKey: string, content: Buffer, options: Options.Publish): Promise<void> {
    return this.publisher.publish(exchange === '' ? '' : this.name(exchange), routingKey, content, options);
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
