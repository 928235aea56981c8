import { Logger } from '@nestjs/common';
import { AddressInfo, createServer, Server, Socket } from 'node:net';

export type FaultMode = 'up' | 'down' | 'hang' | 'slow';

/**
 * A TCP proxy that can fail the way networks do, so a service sees real driver errors:
 * `down` resets every connection and refuses new ones (ECONNRESET / ECONNREFUSED as the client
 * sees it), `hang` keeps connections open but reads and forwards nothing (a stopped peer: TCP
 * buffers fill and a writer feels back-pressure, as it would from a SIGSTOPped server), `slow`
 * delays every chunk.
 */
export class FaultProxy {
  private readonly logger = new Logger(FaultProxy.name);
  private server?: Server;
  private readonly pairs = new Set<{ client: Socket; upstream: Socket }>();
  private mode: FaultMode = 'up';
  private latencyMs = 0;

  constructor(
    private readonly target: { host: string; port: number },
    private readonly listen: { host?: string; port?: number } = {},
  ) {}

  get port(): number {
    return (this.server?.address() as AddressInfo).port;
  }

  get state(): { mode: FaultMode; latencyMs: number; connections: number } {
    return { mode: this.mode, latencyMs: this.latencyMs, connections: this.pairs.size };
  }

  async start(): Promise<this> {
    this.server = createServer((client) => this.accept(client));
    this.server.on('error', (error) => this.logger.error(`proxy server error: ${error.message}`));
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(this.listen.port ?? 0, this.listen.host ?? '127.0.0.1', () => resolve());
    });
    return this;
  }

  setMode(mode: FaultMode, latencyMs = 0): void {
    const previous = this.mode;
    this.mode = mode;
    this.latencyMs = mode === 'slow' ? latencyMs : 0;
    // Down cuts every connection. Leaving hang cuts them too: the bytes swallowed meanwhile are
    // gone, so those streams are corrupt and the client must see them fail, not wait forever.
    if (mode === 'down' || (previous === 'hang' && mode !== 'hang')) {
      for (const pair of this.pairs) this.destroy(pair);
    }
    if (mode === 'hang') for (const pair of this.pairs) this.stall(pair);
  }

  /** Stops reading both sides: what is in flight stays in the kernel's buffers until they are full. */
  private stall(pair: { client: Socket; upstream: Socket }): void {
    pair.client.pause();
    pair.upstream.pause();
  }

  private accept(client: Socket): void {
    if (this.mode === 'down') {
      client.resetAndDestroy();
      return;
    }
    const upstream = new Socket();
    const pair = { client, upstream };
    this.pairs.add(pair);
    client.on('error', () => this.destroy(pair));
    upstream.on('error', () => this.destroy(pair));
    client.on('close', () => this.destroy(pair));
    upstream.on('close', () => this.destroy(pair));
    upstream.connect(this.target.port, this.target.host);
    this.forward(client, upstream);
    this.forward(upstream, client);
    if (this.mode === 'hang') this.stall(pair);
  }

  private forward(from: Socket, to: Socket): void {
    from.on('data', (chunk: Buffer) => {
      if (this.mode === 'hang') return; // swallowed: the peer waits for an answer that never comes
      const send = () => {
        if (!to.destroyed && to.writable) to.write(chunk);
      };
      if (this.mode === 'slow' && this.latencyMs > 0) {
        from.pause();
        setTimeout(() => {
          send();
          if (this.mode !== 'hang') from.resume();
        }, this.latencyMs);
      } else send();
    });
  }

  private destroy(pair: { client: Socket; upstream: Socket }): void {
    if (!this.pairs.delete(pair)) return;
    if (!pair.client.destroyed) pair.client.resetAndDestroy();
    if (!pair.upstream.destroyed) pair.upstream.destroy();
  }

  async stop(): Promise<void> {
    this.setMode('down');
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
