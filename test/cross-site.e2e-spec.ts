import { http, RunningService, TestSystem } from './support/test-system';

/**
 * Issue 20, finding 7: a cross-site form paid an order (Origin: http://evil.example, a form content
 * type, an empty body → 200 PAID). State-changing requests naming another site are refused; curl
 * and server-to-server clients send neither header and keep working.
 */
describe('cross-site requests', () => {
  const system = new TestSystem();
  let order: RunningService;

  beforeAll(async () => {
    order = await system.start('order');
  }, 60_000);
  afterAll(() => system.cleanup());

  const newOrder = async () => (await http(order, 'POST', '/orders', { userId: 'cross-site-user', amount: '5.00' })).body.id as string;
  const formPost = (path: string, headers: Record<string, string>) =>
    fetch(`${order.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: '' });

  it.each([
    ['Origin of another site', { origin: 'http://evil.example' }],
    ['Origin "null" (a sandboxed frame)', { origin: 'null' }],
    ['Sec-Fetch-Site: cross-site', { 'sec-fetch-site': 'cross-site' }],
    ['Sec-Fetch-Site: same-site (another origin of the site)', { 'sec-fetch-site': 'same-site' }],
  ])('refuses a pay with %s: 403, and the order stays CREATED', async (_, headers) => {
    const id = await newOrder();
    const res = await formPost(`/orders/${id}/pay`, headers);
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ statusCode: 403, error: 'Forbidden', message: 'cross-site request refused' });
    expect((await http(order, 'GET', `/orders/${id}`)).body.status).toBe('CREATED');
  });

  it('refuses a cross-site create too', async () => {
    const res = await fetch(`${order.url}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'http://evil.example' },
      body: JSON.stringify({ userId: 'cross-site-user', amount: '5.00' }),
    });
    expect(res.status).toBe(403);
  });

  it('keeps curl and server-to-server clients working (no Origin, no Sec-Fetch-Site), and same-origin callers', async () => {
    const id = await newOrder();
    expect((await formPost(`/orders/${id}/pay`, {})).status).toBe(200);
    const other = await newOrder();
    const host = new URL(order.url).host;
    expect((await formPost(`/orders/${other}/pay`, { origin: `http://${host}`, 'sec-fetch-site': 'same-origin' })).status).toBe(200);
  });

  it('leaves reads alone', async () => {
    const id = await newOrder();
    const res = await fetch(`${order.url}/orders/${id}`, { headers: { origin: 'http://evil.example', 'sec-fetch-site': 'cross-site' } });
    expect(res.status).toBe(200);
  });
});
