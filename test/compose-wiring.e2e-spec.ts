import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { configVariables, Env } from '@app/config';
import { createAndPay, http, ServiceName, TestSystem } from './support/test-system';
import { waitFor } from './support/wait-for';

const ROOT = join(__dirname, '..');
/** Compose's `${NAME:-default}` interpolation, with NAME unset as in a fresh shell. */
const interpolate = (text: string) => text.replace(/\$\{([A-Z_]+):-([^}]*)\}/g, (_, _name: string, fallback: string) => fallback);
const compose = parse(interpolate(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8')), { merge: true }) as {
  services: Record<string, { command?: string[]; environment?: Record<string, string>; depends_on?: Record<string, { condition: string }>; healthcheck?: unknown; ports?: string[]; build?: unknown }>;
};

const APPS: Array<{ compose: string; name: ServiceName; db: string; portVar: string }> = [
  { compose: 'order-service', name: 'order', db: 'order-db', portVar: 'ORDER_PORT' },
  { compose: 'coupon-service', name: 'coupon', db: 'coupon-db', portVar: 'COUPON_PORT' },
  { compose: 'red-packet-service', name: 'red-packet', db: 'red-packet-db', portVar: 'RED_PACKET_PORT' },
];

/**
 * No Docker engine runs in CI, so the compose file is checked here: its structure, and the three
 * services started with exactly the environment it gives them, host names mapped to local servers.
 */
describe('docker-compose.yml', () => {
  it.each(APPS)('wires $compose: image, entry point, dependencies, health check, port', (app) => {
    const service = compose.services[app.compose];
    expect(service.build).toBe('.');
    const entry = service.command?.find((part) => part.endsWith('.js')) ?? '';
    expect(entry).toBe(`dist/apps/${app.compose}/src/main.js`);
    expect(existsSync(join(ROOT, entry.replace(/^dist\//, '').replace(/\.js$/, '.ts')))).toBe(true);
    expect(service.depends_on).toEqual({ rabbitmq: { condition: 'service_healthy' }, [app.db]: { condition: 'service_healthy' } });
    expect(compose.services[app.db].healthcheck).toBeDefined();
    expect(compose.services.rabbitmq.healthcheck).toBeDefined();
    expect(service.healthcheck).toBeDefined();
    const port = service.environment?.[app.portVar];
    expect(service.ports).toEqual([`${port}:${port}`]);
  });

  it.each(APPS)('gives $compose only variables it knows', (app) => {
    const known = new Set(configVariables(app.name));
    const unknown = Object.keys(compose.services[app.compose].environment ?? {}).filter((name) => !known.has(name));
    expect(unknown).toEqual([]);
  });

  describe('services started with the compose environment', () => {
    const system = new TestSystem();
    afterAll(() => system.cleanup());

    /** Compose host names → the local servers; databases, ports and names → this run's own. */
    function localEnv(app: (typeof APPS)[number]): Env {
      const env: Env = { ...compose.services[app.compose].environment };
      for (const [key, value] of Object.entries(env)) {
        if (typeof value !== 'string') continue;
        env[key] = value
          .replace(/@rabbitmq:5672/, '@127.0.0.1:5672')
          .replace(/^mysql:\/\/root:[^@]*@[a-z-]+-db:3306\/.*$/, `mysql://root@127.0.0.1:3306/${system.databases[app.name]}`);
      }
      env[app.portVar] = '0';
      env.AMQP_NAME_PREFIX = system.prefix;
      return env;
    }

    it('pays an order end to end and exposes chaos with the compose token', async () => {
      const [order, coupon, redPacket] = await Promise.all(APPS.map((app) => system.start(app.name, localEnv(app))));
      const id = await createAndPay(order, '66.60', 'compose-user');
      await waitFor(async () => (await http(coupon, 'GET', `/coupons?orderId=${id}`)).body.length === 1);
      await waitFor(async () => (await http(redPacket, 'GET', `/red-packets?orderId=${id}`)).body.length === 1);
      const token = compose.services['coupon-service'].environment?.CHAOS_TOKEN ?? '';
      expect(token).toBe('demo-chaos-token');
      expect((await http(coupon, 'GET', '/chaos', undefined, { 'x-chaos-token': token })).body).toMatchObject({ enabled: true });
    });
  });
});
