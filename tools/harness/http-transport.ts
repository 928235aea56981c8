import { Agent, request } from 'node:http';

export interface HttpExchange {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
}

/** One HTTP exchange: resolves with the status and the body's text whatever the status; rejects only when no answer came. */
export type HttpTransport = (exchange: HttpExchange) => Promise<{ status: number; text: string }>;

/** fetch (undici): what tests and tools use. With `timeoutMs`, a hung service fails the call instead of stalling it. */
export function fetchTransport(timeoutMs?: number): HttpTransport {
  return async ({ method, url, headers, body }) => {
    const response = await fetch(url, { method, headers, body, signal: timeoutMs === undefined ? undefined : AbortSignal.timeout(timeoutMs) });
    return { status: response.status, text: await response.text() };
  };
}

/**
 * node:http with keep-alive, one socket per concurrent client: the bench's transport. The clients
 * share the machine's two cores with what they measure; fetch (undici) spent 2.7 times the CPU
 * per order there (1.16 against 0.43 ms), and that CPU was taken from the services.
 */
export class KeepAliveTransport {
  private readonly agent: Agent;

  constructor(maxSockets: number) {
    this.agent = new Agent({ keepAlive: true, maxSockets });
  }

  readonly send: HttpTransport = ({ method, url, headers, body }) => {
    const target = new URL(url);
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: target.hostname,
          port: target.port,
          path: `${target.pathname}${target.search}`,
          method,
          agent: this.agent,
          headers: body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  };

  close(): void {
    this.agent.destroy();
  }
}
