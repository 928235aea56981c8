import type { Options } from 'amqplib';

/** The endpoint fields amqplib's connect options take, read from the current node on each attempt. */
const CONNECT_FIELDS = ['protocol', 'hostname', 'port', 'username', 'password', 'vhost', 'heartbeat'] as const;

/** One broker node of `RABBITMQ_URL`, parsed once; `label` (host:port) is safe to show anywhere. */
export interface BrokerEndpoint {
  protocol: 'amqp' | 'amqps';
  hostname: string;
  port: number;
  username: string;
  password: string;
  /** Raw (still percent-encoded) vhost: amqplib decodes it. */
  vhost: string;
  /** `?heartbeat=` of the URL, seconds. */
  heartbeat?: number;
  label: string;
}

/**
 * "amqp://u:p@a:5672,amqp://u:p@b:5673" → one endpoint per node, in the order given. Each entry
 * must be a full amqp(s) URL (so credentials and vhost are explicit per node). Errors never quote
 * the text: it holds credentials.
 */
export function parseBrokerUrls(text: string): BrokerEndpoint[] {
  const parts = text.split(',').map((part) => part.trim());
  if (parts.length === 0 || parts.some((part) => part.length === 0)) throw new Error('must list one or more amqp:// URLs separated by commas');
  return parts.map((part, index) => {
    let url: URL;
    try {
      url = new URL(part);
    } catch {
      throw new Error(`entry ${index + 1} is not a URL`);
    }
    const protocol = url.protocol.replace(/:$/, '');
    if (protocol !== 'amqp' && protocol !== 'amqps') throw new Error(`entry ${index + 1} must be an amqp:// or amqps:// URL`);
    if (!url.hostname) throw new Error(`entry ${index + 1} has no host`);
    const port = url.port ? Number(url.port) : protocol === 'amqp' ? 5672 : 5671;
    const vhost = url.pathname.length > 1 ? url.pathname.slice(1) : '/';
    const heartbeat = url.searchParams.has('heartbeat') ? Number(url.searchParams.get('heartbeat')) : undefined;
    if (heartbeat !== undefined && !(Number.isInteger(heartbeat) && heartbeat >= 0)) throw new Error(`entry ${index + 1} has a bad heartbeat`);
    return {
      protocol,
      hostname: url.hostname.replace(/^\[|\]$/g, ''),
      port,
      username: decodeURIComponent(url.username || 'guest'),
      password: decodeURIComponent(url.password || 'guest'),
      vhost,
      heartbeat,
      label: `${url.hostname}:${port}`,
    };
  });
}

/**
 * The node list and which node the next connection attempt goes to. A lost connection or a failed
 * attempt moves to the next node, round the list, so a cluster with a dead node is reached on a
 * live one at the next attempt; amqplib's recovery keeps its backoff between attempts.
 */
export class BrokerEndpoints {
  private index = 0;

  constructor(readonly all: readonly BrokerEndpoint[]) {
    if (all.length === 0) throw new Error('BrokerEndpoints needs at least one endpoint');
  }

  static parse(text: string): BrokerEndpoints {
    return new BrokerEndpoints(parseBrokerUrls(text));
  }

  get current(): BrokerEndpoint {
    return this.all[this.index];
  }

  /** Moves to the next node (wrapping) and returns it. */
  advance(): BrokerEndpoint {
    this.index = (this.index + 1) % this.all.length;
    return this.current;
  }

  /**
   * amqplib's connect options for "whichever node is current": amqplib's recovery reuses the object
   * it was given on every attempt, so its fields are getters that read the current node.
   */
  connectOptions(): Options.Connect {
    const options: Options.Connect = {};
    for (const field of CONNECT_FIELDS) Object.defineProperty(options, field, { enumerable: true, get: () => this.current[field] });
    return options;
  }
}
