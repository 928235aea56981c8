import { Logger } from '@nestjs/common';
import { ChannelModel, connect, RecoveringChannelModel } from 'amqplib';
import { redactUrl } from '@app/config';

/** Runs after every (re)connect, in registration order, before the connection counts as up. */
export type ConnectHook = (model: ChannelModel) => Promise<void>;

export interface AmqpConnectionOptions {
  url: string;
  /** Shown in the RabbitMQ management UI and `rabbitmqctl list_connections`. */
  connectionName: string;
  heartbeatSeconds?: number;
}

/**
 * One recovering AMQP connection per process, on amqplib's own opt-in recovery: exponential
 * backoff with jitter, forever. Hooks (topology, publisher channel, consumers) run on every
 * reconnect, so a broker restart needs nothing from the application but patience.
 */
export class AmqpConnection {
  private readonly logger = new Logger(AmqpConnection.name);
  private readonly hooks: ConnectHook[] = [];
  private readonly disconnectListeners: Array<(error: Error) => void> = [];
  private recovering?: RecoveringChannelModel;
  private current?: ChannelModel;
  private lastError?: string;

  constructor(private readonly options: AmqpConnectionOptions) {}

  onConnect(hook: ConnectHook): void {
    this.hooks.push(hook);
  }

  onDisconnect(listener: (error: Error) => void): void {
    this.disconnectListeners.push(listener);
  }

  get isConnected(): boolean {
    return this.current !== undefined;
  }

  get status(): { connected: boolean; lastError?: string } {
    return { connected: this.isConnected, lastError: this.isConnected ? undefined : this.lastError };
  }

  /** Starts connecting and resolves at once; `waitUntilConnected` awaits the first connection. */
  async start(): Promise<void> {
    const url = new URL(this.options.url);
    if (this.options.heartbeatSeconds !== undefined) url.searchParams.set('heartbeat', String(this.options.heartbeatSeconds));
    this.recovering = await connect(url.toString(), {
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
      this.logger.log(`connected to ${redactUrl(this.options.url)} as "${this.options.connectionName}"`);
    });
    this.recovering.on('disconnect', (error: Error) => {
      this.current = undefined;
      this.lastError = error.message;
      this.logger.warn(`disconnected: ${error.message}`);
      for (const listener of this.disconnectListeners) listener(error);
    });
    this.recovering.on('connect-failed', (error: Error) => {
      this.lastError = error.message;
      this.logger.warn(`connect failed: ${error.message}`);
    });
    this.recovering.on('reconnect-scheduled', ({ attempt, delay }: { attempt: number; delay: number }) => {
      this.logger.debug(`reconnect attempt ${attempt} in ${Math.round(delay)}ms`);
    });
    this.recovering.on('error', (error: Error) => {
      this.lastError = error.message;
      this.logger.warn(`connection error: ${error.message}`);
    });
    this.recovering.on('blocked', (reason: string) => this.logger.warn(`broker blocked publishing: ${reason}`));
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
