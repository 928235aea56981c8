import { Logger } from '@nestjs/common';
import { ChannelModel, connect, RecoveringChannelModel } from 'amqplib';
import { BrokerEndpoints } from './broker-endpoints';

/** Runs after every (re)connect, in registration order, before the connection counts as up. */
export type ConnectHook = (model: ChannelModel) => Promise<void>;

export interface AmqpConnectionOptions {
  /** One broker URL, or several separated by commas (the nodes of a cluster). */
  url: string;
  /** Shown in the RabbitMQ management UI and `rabbitmqctl list_connections`. */
  connectionName: string;
}

/**
 * One recovering AMQP connection per process, on amqplib's own opt-in recovery: exponential
 * backoff with jitter, forever. Hooks (topology, publisher channel, consumers) run on every
 * reconnect, so a broker restart needs nothing from the application but patience. With several
 * URLs, a lost connection or a failed attempt moves to the next node (BrokerEndpoints), and the
 * hooks declare the topology again on whichever node the connection lands on.
 */
export class AmqpConnection {
  private readonly logger = new Logger(AmqpConnection.name);
  private readonly hooks: ConnectHook[] = [];
  private readonly disconnectListeners: Array<(error: Error) => void> = [];
  private readonly blockedListeners: Array<(blocked: boolean, reason?: string) => void> = [];
  private readonly endpoints: BrokerEndpoints;
  private recovering?: RecoveringChannelModel;
  private current?: ChannelModel;
  private currentNode?: string;
  private lastError?: string;
  private blockedReason?: string;

  constructor(private readonly options: AmqpConnectionOptions) {
    this.endpoints = BrokerEndpoints.parse(options.url);
  }

  onConnect(hook: ConnectHook): void {
    this.hooks.push(hook);
  }

  onDisconnect(listener: (error: Error) => void): void {
    this.disconnectListeners.push(listener);
  }

  /** Called with `true` on `connection.blocked` (a memory or disk alarm) and `false` when it lifts or the connection goes. */
  onBlockedChange(listener: (blocked: boolean, reason?: string) => void): void {
    this.blockedListeners.push(listener);
  }

  get isConnected(): boolean {
    return this.current !== undefined;
  }

  /** The broker refuses this connection's publishes (flow control) until it says `unblocked`. */
  get isBlocked(): boolean {
    return this.blockedReason !== undefined;
  }

  /** `node` is host:port of the node in use (never credentials); `nodes` how many the URL lists. */
  get status(): { connected: boolean; node?: string; nodes: number; blocked?: string; lastError?: string } {
    return {
      connected: this.isConnected,
      node: this.currentNode,
      nodes: this.endpoints.all.length,
      blocked: this.blockedReason,
      lastError: this.isConnected ? undefined : this.lastError,
    };
  }

  /** Starts connecting and resolves at once; `waitUntilConnected` awaits the first connection. */
  async start(): Promise<void> {
    this.recovering = await connect(this.endpoints.connectOptions(), {
      clientProperties: { connection_name: this.options.connectionName },
      recovery: {
        waitForConnect: false,
        maxRetries: Infinity,
        calculateDelay: (attempt) => Math.min(10_000, 250 * 2 ** (attempt - 1)) * (0.8 + Math.random() * 0.4),
        setup: async (model: ChannelModel) => {
          // Errors of a half-set-up connection must not crash the process; recovery retries it.
          model.on('error', (error: Error) => this.logger.warn(`connection error during setup: ${error.message}`));
          for (const hook of this.hooks) await hook(model);
        },
      },
    });
    this.recovering.on('connect', (model: ChannelModel) => {
      this.current = model;
      this.currentNode = this.endpoints.current.label;
      this.logger.log(`connected to ${this.currentNode} as "${this.options.connectionName}"`);
    });
    this.recovering.on('disconnect', (error: Error) => {
      this.current = undefined;
      this.currentNode = undefined;
      this.lastError = error.message;
      this.setBlocked(undefined);
      const next = this.endpoints.advance();
      this.logger.warn(`disconnected: ${error.message}; next attempt on ${next.label}`);
      for (const listener of this.disconnectListeners) listener(error);
    });
    this.recovering.on('connect-failed', (error: Error) => {
      this.lastError = `${this.endpoints.current.label}: ${error.message}`;
      const next = this.endpoints.advance();
      this.logger.warn(`connect failed: ${this.lastError}; next attempt on ${next.label}`);
    });
    this.recovering.on('reconnect-scheduled', ({ attempt, delay }: { attempt: number; delay: number }) => {
      this.logger.debug(`reconnect attempt ${attempt} in ${Math.round(delay)}ms`);
    });
    this.recovering.on('error', (error: Error) => {
      this.lastError = error.message;
      this.logger.warn(`connection error: ${error.message}`);
    });
    this.recovering.on('blocked', (reason: string) => this.setBlocked(reason || 'blocked'));
    this.recovering.on('unblocked', () => this.setBlocked(undefined));
  }

  private setBlocked(reason: string | undefined): void {
    if (reason === this.blockedReason) return;
    this.blockedReason = reason;
    if (reason === undefined) this.logger.log('broker unblocked publishing');
    else this.logger.warn(`broker blocked publishing: ${reason}`);
    for (const listener of this.blockedListeners) listener(reason !== undefined, reason);
  }

  async waitUntilConnected(timeoutMs: number): Promise<boolean> {
    if (!this.recovering) throw new Error('AmqpConnection.start() was not called');
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
    try {
      return await Promise.race([this.recovering.waitForConnect().then(() => true as const), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    const recovering = this.recovering;
    this.recovering = undefined;
    this.current = undefined;
    if (recovering) await recovering.close().catch((error: Error) => this.logger.warn(`close: ${error.message}`));
  }
}
