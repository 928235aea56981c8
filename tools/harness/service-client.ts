import type { ChaosState, DatabaseFault } from '@reliable-payments/chaos';
import type { BulkRedrive, BulkRedriveResult } from '@reliable-payments/dead-letters';
import type { GrantQuery, HealthReport } from '@reliable-payments/http';
import type { ConsumerStatus } from '@reliable-payments/messaging';
import type { CouponView } from '../../apps/coupon-service/src/coupons/coupons.controller';
import type { CreateOrderBody } from '../../apps/order-service/src/orders/orders.dto';
import type { OrderView } from '../../apps/order-service/src/orders/orders.service';
import type { RedPacketView } from '../../apps/red-packet-service/src/red-packets/red-packets.controller';
import { fetchTransport, HttpTransport } from './http-transport';

/** A status and the parsed body (the text when it is not JSON, so an assertion can show it). */
export interface HttpAnswer<T> {
  status: number;
  body: T;
}

/** A typed call answered with another status than the route's success (or a pay that did not pay). */
export class UnexpectedAnswerError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    message: string,
  ) {
    super(message);
    this.name = 'UnexpectedAnswerError';
  }
}

export interface ServiceClientOptions {
  /** The services' OPERATOR_TOKEN: sent as `Authorization: Bearer` on operator routes (chaos, dead letters). */
  operatorToken?: string;
  /** fetch, without a deadline, unless given. */
  transport?: HttpTransport;
}

/**
 * The services' REST APIs as tests, suites, the scenario tool and the bench call them, typed with
 * the shapes the services declare. One client per base URL; `baseUrl` may be a function, called
 * per request (requests going round several instances of a service).
 */
export class ServiceClient {
  private readonly baseUrl: () => string;
  private readonly transport: HttpTransport;
  /** A private field: printing or diffing a client (util.inspect, a failed test's output) does not show it. */
  readonly #operatorToken: string | undefined;

  constructor(baseUrl: string | (() => string), options: ServiceClientOptions = {}) {
    this.baseUrl = typeof baseUrl === 'string' ? () => baseUrl : baseUrl;
    this.transport = options.transport ?? fetchTransport();
    this.#operatorToken = options.operatorToken;
  }

  /**
   * Any route, whatever the status. An object body goes as JSON; a string goes as it is (malformed
   * input on purpose). `headers` are added last, so they may replace the content type.
   */
  async request<T = any>(
    method: string,
    path: string,
    options: { body?: unknown; headers?: Record<string, string>; operator?: boolean } = {},
  ): Promise<HttpAnswer<T>> {
    const { body } = options;
    const headers: Record<string, string> = {};
    if (body !== undefined && typeof body !== 'string') headers['content-type'] = 'application/json';
    if (options.operator && this.#operatorToken) headers.authorization = `Bearer ${this.#operatorToken}`;
    Object.assign(headers, options.headers);
    const text = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    const answer = await this.transport({ method, url: `${this.baseUrl()}${path}`, headers, body: text });
    return { status: answer.status, body: parseBody(answer.text) as T };
  }

  /** `POST /orders` (201). */
  createOrder(order: CreateOrderBody): Promise<OrderView> {
    return this.expect<OrderView>(201, 'POST', '/orders', { body: order });
  }

  /** `POST /orders/:id/pay` (200): the order as the service says it is now; throws unless PAID. */
  async payOrder(id: string): Promise<OrderView> {
    const path = `/orders/${id}/pay`;
    const paid = await this.expect<OrderView>(200, 'POST', path);
    if (paid.status !== 'PAID') throw new UnexpectedAnswerError(200, paid, `POST ${path}: HTTP 200 but the order is ${paid.status}`);
    return paid;
  }

  /** Creates and pays one order; the paid order. */
  async createAndPay(order: CreateOrderBody): Promise<OrderView> {
    return this.payOrder((await this.createOrder(order)).id);
  }

  /** `GET /coupons` (coupon service): one order's coupons or one user's. */
  coupons(query: GrantQuery): Promise<CouponView[]> {
    return this.expect<CouponView[]>(200, 'GET', `/coupons?${grantSearch(query)}`);
  }

  /** `GET /red-packets` (red-packet service): one order's red packets or one user's. */
  redPackets(query: GrantQuery): Promise<RedPacketView[]> {
    return this.expect<RedPacketView[]>(200, 'GET', `/red-packets?${grantSearch(query)}`);
  }

  /**
   * `GET /health`, 200 or 503 (both carry the checks). `Report` names what the service adds:
   * `OrderServiceHealth` or `ConsumerServiceHealth`.
   */
  health<Report extends HealthReport<object> = HealthReport>(): Promise<HttpAnswer<Report>> {
    return this.request<Report>('GET', '/health');
  }

  /** The counters of the service's event consumer (not its dead-letter handler), from `/health`. */
  async eventConsumer(): Promise<ConsumerStatus> {
    const { status, body } = await this.health();
    const consumer = eventConsumerOf(body);
    if (!consumer) throw new UnexpectedAnswerError(status, body, `GET /health: HTTP ${status} names no event consumer`);
    return consumer;
  }

  /** Operator: `POST /chaos/db` (200; the service must run with CHAOS_ENABLED=true). */
  injectDatabaseFault(fault: DatabaseFault): Promise<ChaosState> {
    return this.expect<ChaosState>(200, 'POST', '/chaos/db', { body: fault, operator: true });
  }

  /** Operator: `DELETE /chaos/db` (200). */
  healDatabase(): Promise<ChaosState> {
    return this.expect<ChaosState>(200, 'DELETE', '/chaos/db', { operator: true });
  }

  /** Operator: `POST /dead-letters/redrive` (200), the defaults of the service unless `request` says otherwise. */
  redriveDeadLetters(request?: BulkRedrive): Promise<BulkRedriveResult> {
    return this.expect<BulkRedriveResult>(200, 'POST', '/dead-letters/redrive', { body: request, operator: true });
  }

  private async expect<T>(status: number, method: string, path: string, options: { body?: unknown; operator?: boolean } = {}): Promise<T> {
    const answer = await this.request<T>(method, path, options);
    if (answer.status !== status)
      throw new UnexpectedAnswerError(answer.status, answer.body, `${method} ${path}: HTTP ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body;
  }
}

/** The event consumer's line of a `/health` report (the dead-letter handler has the role `dead-letters`). */
export function eventConsumerOf(report: Partial<HealthReport<object>> | undefined): ConsumerStatus | undefined {
  return report?.checks?.consumers?.find((c) => c.role === 'events');
}

function grantSearch(query: GrantQuery): string {
  const params = new URLSearchParams();
  if (query.orderId !== undefined) params.set('orderId', query.orderId);
  if (query.userId !== undefined) params.set('userId', query.userId);
  return params.toString();
}

function parseBody(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
