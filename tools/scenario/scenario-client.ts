/** The demo's three REST APIs as the scenario uses them. */
export interface ScenarioTargets {
  orderUrl: string;
  couponUrl: string;
  redPacketUrl: string;
  /** OPERATOR_TOKEN of the demo: sent as `Authorization: Bearer` on the operator routes. */
  operatorToken?: string;
}

/** Routes that change state or reveal stored messages: the services guard them with OPERATOR_TOKEN. */
const isOperatorRoute = (path: string) => path.startsWith('/chaos') || path.startsWith('/dead-letters');

export class ScenarioClient {
  constructor(private readonly targets: ScenarioTargets) {}

  private async call(base: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (isOperatorRoute(path) && this.targets.operatorToken) headers.authorization = `Bearer ${this.targets.operatorToken}`;
    const response = await fetch(`${base}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  }

  /** Creates and pays one order; returns its id only when the service said it is PAID. */
  async payOrder(amount: string, userId: string): Promise<string> {
    const created = await this.call(this.targets.orderUrl, 'POST', '/orders', { userId, amount });
    if (created.status !== 201) throw new Error(`create: HTTP ${created.status} ${JSON.stringify(created.body)}`);
    const paid = await this.call(this.targets.orderUrl, 'POST', `/orders/${created.body.id}/pay`);
    if (paid.status !== 200 || paid.body.status !== 'PAID') throw new Error(`pay: HTTP ${paid.status} ${JSON.stringify(paid.body)}`);
    return created.body.id as string;
  }

  async grants(kind: 'coupon' | 'red-packet', orderId: string): Promise<number> {
    const res =
      kind === 'coupon'
        ? await this.call(this.targets.couponUrl, 'GET', `/coupons?orderId=${orderId}`)
        : await this.call(this.targets.redPacketUrl, 'GET', `/red-packets?orderId=${orderId}`);
    if (res.status !== 200) throw new Error(`${kind} lookup: HTTP ${res.status}`);
    return (res.body as unknown[]).length;
  }

  async health(service: 'order' | 'coupon' | 'red-packet'): Promise<{ status: number; body: any }> {
    const base = { order: this.targets.orderUrl, coupon: this.targets.couponUrl, 'red-packet': this.targets.redPacketUrl }[service];
    return this.call(base, 'GET', '/health');
  }

  async killCouponDatabase(): Promise<void> {
    const res = await this.call(this.targets.couponUrl, 'POST', '/chaos/db', { mode: 'down' });
    if (res.status !== 200) throw new Error(`chaos: HTTP ${res.status} ${JSON.stringify(res.body)} (is CHAOS_ENABLED=true, and OPERATOR_TOKEN the demo's?)`);
  }

  async healCouponDatabase(): Promise<void> {
    const res = await this.call(this.targets.couponUrl, 'DELETE', '/chaos/db');
    if (res.status !== 200) throw new Error(`chaos heal: HTTP ${res.status} ${JSON.stringify(res.body)}`);
  }

  async redriveCouponDeadLetters(): Promise<{ redriven: number; failed: number }> {
    const res = await this.call(this.targets.couponUrl, 'POST', '/dead-letters/redrive');
    if (res.status !== 200) throw new Error(`re-drive: HTTP ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }
}
