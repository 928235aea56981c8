import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';

export interface ReceivedAlert {
  body: Record<string, unknown>;
  headers: IncomingHttpHeaders;
  raw: string;
}

/**
 * A local HTTP endpoint that records the alerts POSTed to it. `failFirst` answers that many
 * calls with 503, to exercise the sender's retries.
 */
export class WebhookSink {
  readonly received: ReceivedAlert[] = [];
  calls = 0;
  private server?: Server;

  constructor(private failFirst = 0) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      let raw = '';
      req.on('data', (chunk) => (raw += chunk));
      req.on('end', () => {
        this.calls++;
        if (this.failFirst > 0) {
          this.failFirst--;
          res.writeHead(503).end();
          return;
        }
        this.received.push({ body: JSON.parse(raw) as Record<string, unknown>, headers: req.headers, raw });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/alerts`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
