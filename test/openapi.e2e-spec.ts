import { servedRoutes } from '@reliable-payments/http';
import { z } from 'zod';
import { createOrderSchema } from '../apps/order-service/src/orders/orders.dto';
import { http, RunningService, TestSystem } from './support/test-system';

type Doc = { openapi: string; paths: Record<string, Record<string, any>>; components: any };

/** GET /openapi.json and /docs on every service, kept in step with the routes the server answers. */
describe('OpenAPI description', () => {
  const system = new TestSystem();
  let services: RunningService[];

  beforeAll(async () => {
    const { order, coupon, redPacket } = await system.startAll();
    services = [order, coupon, redPacket];
  });
  afterAll(() => system.cleanup());

  it('documents every route each service serves, and nothing it does not', async () => {
    for (const service of services) {
      const res = await http(service, 'GET', '/openapi.json');
      expect(res.status).toBe(200);
      const doc = res.body as Doc;
      expect(doc.openapi).toMatch(/^3\.1\./);
      const documented = Object.entries(doc.paths).flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`));
      const served = servedRoutes(service.app).map((r) => `${r.method} ${r.url.replace(/:(\w+)/g, '{$1}')}`);
      expect(documented.sort()).toEqual([...new Set(served)].sort());
      for (const route of ['GET /health', 'GET /health/live', 'GET /health/ready', 'GET /metrics', 'GET /openapi.json', 'GET /docs'])
        expect(documented).toContain(route);
    }
  });

  it('describes request bodies and parameters with the zod schemas that validate them', async () => {
    const doc = (await http(services[0], 'GET', '/openapi.json')).body as Doc;
    const orderSchema: Record<string, unknown> = z.toJSONSchema(createOrderSchema, { io: 'input', unrepresentable: 'any' });
    delete orderSchema.$schema;
    expect(doc.paths['/orders'].post.requestBody.content['application/json'].schema).toEqual(orderSchema);
    expect(doc.paths['/orders'].post.requestBody.content['application/json'].schema).toMatchObject({
      required: ['userId', 'amount'],
      additionalProperties: false,
    });
    const pay = doc.paths['/orders/{id}/pay'].post;
    expect(pay.requestBody).toBeUndefined();
    expect(pay.parameters).toEqual([{ name: 'id', in: 'path', required: true, schema: expect.objectContaining({ type: 'string', format: 'uuid' }) }]);
    expect(Object.keys(pay.responses)).toEqual(expect.arrayContaining(['200', '400', '404', 'default']));
    expect(pay.responses['404'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Error' });
    expect(doc.components.schemas.Error.required).toEqual(['statusCode', 'error', 'message']);
  });

  it('marks the operator routes with bearer auth and their 401/403, and no other route', async () => {
    const doc = (await http(services[1], 'GET', '/openapi.json')).body as Doc;
    expect(doc.components.securitySchemes.operatorToken).toEqual(expect.objectContaining({ type: 'http', scheme: 'bearer' }));
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const op of Object.values(methods)) {
        // Operator routes: dead letters, chaos, and the id listings the console names lost orders from.
        const operator =
          path.startsWith('/dead-letters') || path.startsWith('/chaos') || path === '/operator-actions' || /^\/ledger\/(paid-|owed-)?order-ids$/.test(path);
        expect({ path, security: op.security }).toEqual({ path, security: operator ? [{ operatorToken: [] }] : undefined });
        if (operator) expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['401', '403']));
      }
    }
    // Issue 21's operator routes are there, as operator routes (checked by the loop above).
    for (const [path, method] of [
      ['/operator-actions', 'get'],
      ['/dead-letters/{id}/edit-and-redrive', 'post'],
      ['/dead-letters/groups', 'get'],
      ['/dead-letters/discard', 'post'],
      ['/dead-letters/{id}/discard', 'post'],
    ]) {
      expect(doc.paths[path]?.[method]?.security).toEqual([{ operatorToken: [] }]);
    }
    expect(doc.paths['/dead-letters'].get.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`)).toEqual([
      'query:status',
      'query:page',
      'query:after',
      'query:limit',
    ]);
  });

  it('serves a page at /docs that reads the document', async () => {
    for (const service of services) {
      const res = await fetch(`${service.url}/docs`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/html');
      expect(await res.text()).toContain("fetch('openapi.json')");
    }
  });
});
