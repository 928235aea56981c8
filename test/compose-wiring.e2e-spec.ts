import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { configVariables, consoleConfigVariables, Env } from '@reliable-payments/config';
import { CONSUMERS } from '@reliable-payments/contracts';
import { consumerQueue } from '@reliable-payments/messaging';
import { brokerDefinitions, matchesRabbitPasswordHash, runtimeGrant } from './support/least-privilege';
import { createAndPay, http, ServiceName, TestSystem } from './support/test-system';
import { waitFor } from './support/wait-for';
import { mysqlUrl, testAmqpUrl, testMysql } from '../tools/harness/test-servers';

const ROOT = join(__dirname, '..');
/** The operator token a user puts in `.env`; compose has no default for it. */
const OPERATOR_TOKEN = 'compose-wiring-operator-token';
const composeText = readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8');
/** Compose's `${NAME:-default}` interpolation with NAME unset as in a fresh shell, and `${NAME:?}` with `.env`'s values. */
const interpolate = (text: string, env: Env) =>
  text
    .replace(/\$\{([A-Z_]+):-([^}]*)\}/g, (_, _name: string, fallback: string) => fallback)
    .replace(/\$\{([A-Z_]+):\?([^}]*)\}/g, (_, name: string, error: string) => env[name] ?? `<missing ${name}: ${error}>`);
type ComposeService = {
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  ports?: string[];
  build?: unknown;
  volumes?: string[];
  cap_drop?: string[];
  cap_add?: string[];
  security_opt?: string[];
  read_only?: boolean;
};
const compose = parse(interpolate(composeText, { OPERATOR_TOKEN }), { merge: true }) as { services: Record<string, ComposeService> };

const APPS: Array<{ compose: string; name: ServiceName; db: string; portVar: string }> = [
  { compose: 'order-service', name: 'order', db: 'order-db', portVar: 'ORDER_PORT' },
  { compose: 'coupon-service', name: 'coupon', db: 'coupon-db', portVar: 'COUPON_PORT' },
  { compose: 'red-packet-service', name: 'red-packet', db: 'red-packet-db', portVar: 'RED_PACKET_PORT' },
];

/**
 * Without an engine (the compose test, test/compose/, runs the file for real), the compose file is checked here: its structure, and the three
 * services started with exactly the environment it gives them, host names mapped to local servers.
 */
describe('docker-compose.yml', () => {
  it.each(APPS)('wires $compose: image, entry point, dependencies, health check, port', (app) => {
    const service = compose.services[app.compose];
    expect(service.image).toBe('reliable-payments:local');
    expect(service.build).toMatchObject({ context: '.' });
    const entry = service.command?.find((part) => part.endsWith('.js')) ?? '';
    expect(entry).toBe(`dist/apps/${app.compose}/src/main.js`);
    expect(existsSync(join(ROOT, entry.replace(/^dist\//, '').replace(/\.js$/, '.ts')))).toBe(true);
    expect(service.depends_on).toEqual({ rabbitmq: { condition: 'service_healthy' }, [app.db]: { condition: 'service_healthy' } });
    expect(compose.services[app.db].healthcheck).toBeDefined();
    expect(compose.services.rabbitmq.healthcheck).toBeDefined();
    expect(service.healthcheck).toBeDefined();
    const port = service.environment?.[app.portVar];
    expect(service.ports).toEqual([`127.0.0.1:${port}:${port}`]);
  });

  it.each(APPS)('gives $compose only variables it knows', (app) => {
    const known = new Set(configVariables(app.name));
    const unknown = Object.keys(compose.services[app.compose].environment ?? {}).filter((name) => !known.has(name));
    expect(unknown).toEqual([]);
  });

  describe('least privilege', () => {
    const definitions = brokerDefinitions();
    const credentials = (url: string) => {
      const parsed = new URL(url);
      return {
        user: decodeURIComponent(parsed.username),
        password: decodeURIComponent(parsed.password),
        host: parsed.hostname,
        database: parsed.pathname.slice(1),
      };
    };

    it('publishes every port on 127.0.0.1 only', () => {
      const ports = Object.values(compose.services).flatMap((service) => service.ports ?? []);
      expect(ports.length).toBeGreaterThan(0);
      for (const port of ports) expect(port).toMatch(/^127\.0\.0\.1:\d+:\d+$/);
    });

    it('runs the current lines (the compose engine test runs them): RabbitMQ 4.0, MariaDB 11.8, Node.js 24', () => {
      expect(compose.services.rabbitmq.image).toBe('rabbitmq:4.0-management');
      for (const app of APPS) expect(compose.services[app.db].image).toBe('mariadb:11.8');
      expect(readFileSync(join(ROOT, 'Dockerfile'), 'utf8')).toMatch(/^ARG NODE_IMAGE=node:24-trixie-slim$/m);
    });

    it('loads the broker users from the definitions file, with no guest', () => {
      const volumes = compose.services.rabbitmq.volumes ?? [];
      expect(volumes).toContain('./deploy/rabbitmq/definitions.json:/etc/rabbitmq/definitions.json:ro');
      expect(volumes).toContain('./deploy/rabbitmq/rabbitmq.conf:/etc/rabbitmq/conf.d/90-project.conf:ro');
      expect(readFileSync(join(ROOT, 'deploy/rabbitmq/rabbitmq.conf'), 'utf8')).toMatch(/^load_definitions = \/etc\/rabbitmq\/definitions\.json$/m);
      // The broker refuses bodies over the contract's limit (MAX_MESSAGE_BYTES' default), not 128 MiB.
      expect(readFileSync(join(ROOT, 'deploy/rabbitmq/rabbitmq.conf'), 'utf8')).toMatch(/^max_message_size = 262144$/m);
      expect(definitions.vhosts).toEqual([{ name: '/' }]);
      expect(definitions.users.map((u) => u.name)).not.toContain('guest');
      expect(definitions.users.filter((u) => u.tags.includes('administrator'))).toEqual([]);
    });

    it('gives each service its own broker user, whose password the definitions hold', () => {
      const users = APPS.map((app) => credentials(compose.services[app.compose].environment?.RABBITMQ_URL ?? ''));
      expect(users.map((u) => u.user)).toEqual(['order-service', 'coupon-service', 'red-packet-service']);
      for (const { user, password } of users) {
        const defined = definitions.users.find((u) => u.name === user);
        expect(defined).toBeDefined();
        expect(matchesRabbitPasswordHash(password, defined?.password_hash ?? '')).toBe(true);
        expect(definitions.permissions.filter((p) => p.user === user)).toHaveLength(1);
      }
      // The order service only writes its exchange; it reads nothing.
      expect(definitions.permissions.find((p) => p.user === 'order-service')).toMatchObject({ read: '^$' });
    });

    it.each(CONSUMERS)("gives $name a broker user of that name, allowed to read its own queues and no other consumer's", (consumer) => {
      const permission = definitions.permissions.find((p) => p.user === consumer.name);
      for (const queue of CONSUMERS.map(consumerQueue)) {
        const own = queue === consumerQueue(consumer);
        for (const name of [queue, `${queue}.dlq`, `${queue}.retry.1s`]) expect([name, new RegExp(permission?.read ?? '^$').test(name)]).toEqual([name, own]);
      }
    });

    it.each(APPS)('gives $compose a runtime and a migration account of its own database, never root', (app) => {
      const env = compose.services[app.compose].environment ?? {};
      const prefix = app.portVar.replace(/_PORT$/, '');
      const runtime = credentials(env[`${prefix}_DB_URL`]);
      const migration = credentials(env[`${prefix}_DB_MIGRATION_URL`]);
      const db = compose.services[app.db].environment ?? {};
      expect(runtime.user).not.toBe('root');
      expect(migration.user).not.toBe('root');
      expect(runtime.user).not.toBe(migration.user);
      expect(runtime.host).toBe(app.db);
      expect(migration).toMatchObject({ host: app.db, database: runtime.database });
      // The MariaDB image gives MARIADB_USER all rights on MARIADB_DATABASE: the migration account.
      expect(db).toMatchObject({ MARIADB_DATABASE: runtime.database, MARIADB_USER: migration.user, MARIADB_PASSWORD: migration.password });
      // deploy/mariadb/10-runtime-user.sh creates APP_DB_USER with row rights only.
      expect(db).toMatchObject({ APP_DB_USER: runtime.user, APP_DB_PASSWORD: runtime.password });
      expect(compose.services[app.db].volumes).toContain('./deploy/mariadb/10-runtime-user.sh:/docker-entrypoint-initdb.d/10-runtime-user.sh:ro');
      expect(runtimeGrant()).toBe('SELECT, INSERT, UPDATE, DELETE');
      // Nobody knows the root password, and no health check carries a password.
      expect(db.MARIADB_RANDOM_ROOT_PASSWORD).toBe('1');
      expect(Object.keys(db).filter((k) => /ROOT_PASSWORD$/.test(k) && k !== 'MARIADB_RANDOM_ROOT_PASSWORD')).toEqual([]);
    });

    it('puts no password on a health-check command line', () => {
      for (const service of Object.values(compose.services)) {
        expect((service.healthcheck?.test ?? []).join(' ')).not.toMatch(/-p\S|--password|PASSWORD/i);
      }
    });

    it('runs the console with the same operator token, and reads queue depths as the monitor user, which may open the vhost and nothing more', () => {
      const env = compose.services.console.environment ?? {};
      const known = new Set(consoleConfigVariables());
      expect(Object.keys(env).filter((name) => !known.has(name))).toEqual([]);
      expect(env.OPERATOR_TOKEN).toBe(OPERATOR_TOKEN);
      expect(compose.services.console.ports).toEqual([`127.0.0.1:${env.CONSOLE_PORT}:${env.CONSOLE_PORT}`]);
      const { user, password } = credentials(env.RABBITMQ_URL ?? '');
      expect(user).toBe('monitor');
      expect(matchesRabbitPasswordHash(password, definitions.users.find((u) => u.name === user)?.password_hash ?? '')).toBe(true);
      // An entry that matches no name: the vhost opens (a passive queue declare needs no permission),
      // every configure, write and read is refused (least-privilege.e2e-spec proves both).
      expect(definitions.permissions.filter((p) => p.user === user)).toEqual([{ user, vhost: '/', configure: '^$', write: '^$', read: '^$' }]);
    });

    it('publishes no operator token: OPERATOR_TOKEN must come from the environment or .env', () => {
      expect(composeText).toMatch(/OPERATOR_TOKEN: \$\{OPERATOR_TOKEN:\?[^}]+\}/);
      expect(composeText).not.toMatch(/CHAOS_TOKEN|demo-chaos-token/);
      for (const app of APPS) expect(compose.services[app.compose].environment?.OPERATOR_TOKEN).toBe(OPERATOR_TOKEN);
    });
  });

  describe('container hardening', () => {
    const SERVERS = ['rabbitmq', 'rabbit-1', 'rabbit-2', 'rabbit-3', 'order-db', 'coupon-db', 'red-packet-db'];
    it('drops every capability and forbids privilege gains in every container', () => {
      for (const [name, service] of Object.entries(compose.services)) {
        expect({ name, cap_drop: service.cap_drop, security_opt: service.security_opt }).toEqual({
          name,
          cap_drop: ['ALL'],
          security_opt: ['no-new-privileges:true'],
        });
      }
    });

    it('runs the project image and the servers on a read-only root file system; only the servers keep the capabilities to own their data', () => {
      for (const [name, service] of Object.entries(compose.services)) {
        if (name === 'grafana' || name === 'jaeger') continue; // no stand-in here to prove it on
        expect({ name, read_only: service.read_only }).toEqual({ name, read_only: true });
        const expected = SERVERS.includes(name) ? ['CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'SETGID', 'SETUID'] : undefined;
        expect({ name, cap_add: service.cap_add }).toEqual({ name, cap_add: expected });
      }
    });

    it('gives the cluster no default Erlang cookie: a node refuses to start without one', () => {
      expect(composeText).toMatch(/CLUSTER_ERLANG_COOKIE: \$\{CLUSTER_ERLANG_COOKIE:-\}/);
      expect(compose.services['rabbit-1'].command?.join(' ')).toMatch(/CLUSTER_ERLANG_COOKIE.*-lt 20.*exit 1/s);
    });
  });

  describe('the cluster profile', () => {
    type Profiled = ComposeService & { profiles?: string[]; hostname?: string };
    const services = compose.services as Record<string, Profiled>;
    const nodes = ['rabbit-1', 'rabbit-2', 'rabbit-3'];

    it('runs three broker nodes of the tested line, one cookie, static peer discovery, the same users', () => {
      for (const node of nodes) {
        expect(services[node]).toMatchObject({ image: 'rabbitmq:4.0-management', profiles: ['cluster'], hostname: node });
        expect(services[node].volumes).toEqual(
          expect.arrayContaining([
            './deploy/rabbitmq/definitions.json:/etc/rabbitmq/definitions.json:ro',
            './deploy/rabbitmq/cluster.conf:/etc/rabbitmq/conf.d/91-cluster.conf:ro',
          ]),
        );
      }
      const conf = readFileSync(join(ROOT, 'deploy/rabbitmq/cluster.conf'), 'utf8');
      for (const node of nodes) expect(conf).toContain(`= rabbit@${node}`);
      expect(conf).toMatch(/^cluster_partition_handling = pause_minority$/m);
    });

    it.each(APPS)('runs two instances of $compose on quorum queues, each given all three nodes with its own broker user, in a schema of its own', (app) => {
      const single = services[app.compose].environment ?? {};
      const prefix = app.portVar.replace(/_PORT$/, '');
      const known = new Set(configVariables(app.name));
      for (const instance of ['c1', 'c2']) {
        const service = services[`${app.compose}-${instance}`];
        const env = service.environment ?? {};
        expect(service.profiles).toEqual(['cluster']);
        expect(Object.keys(env).filter((name) => !known.has(name))).toEqual([]);
        expect(env.AMQP_QUEUE_TYPE).toBe('quorum');
        const urls = env.RABBITMQ_URL.split(',').map((url) => new URL(url));
        expect(urls.map((u) => u.hostname)).toEqual(nodes);
        expect(new Set(urls.map((u) => u.username))).toEqual(new Set([new URL(single.RABBITMQ_URL).username]));
        expect(env[`${prefix}_DB_URL`]).toBe(`${single[`${prefix}_DB_URL`]}_cluster`);
        expect(env[`${prefix}_DB_MIGRATION_URL`]).toBe(`${single[`${prefix}_DB_MIGRATION_URL`]}_cluster`);
        expect(env.OPERATOR_TOKEN).toBe(OPERATOR_TOKEN);
        expect(Object.keys(service.depends_on ?? {})).toEqual(expect.arrayContaining([...nodes, app.db]));
      }
      // The database's first start makes that schema and grants it to the same two accounts.
      expect(services[app.db].environment?.CLUSTER_DATABASE).toBe(`${new URL(single[`${prefix}_DB_URL`]).pathname.slice(1)}_cluster`);
    });
  });

  describe('services started with the compose environment', () => {
    const system = new TestSystem();
    afterAll(() => system.cleanup());

    /** Compose host names → the local servers; databases, ports and names → this run's own. */
    function localEnv(app: (typeof APPS)[number]): Env {
      const env: Env = { ...compose.services[app.compose].environment };
      for (const [key, value] of Object.entries(env)) {
        if (typeof value !== 'string') continue;
        // The demo's accounts do not exist on the local servers (least-privilege.e2e-spec.ts
        // proves them on a vhost and accounts of its own): the local admin accounts stand in here.
        env[key] = value
          .replace(/^amqp:\/\/[^@]+@rabbitmq:5672$/, testAmqpUrl())
          .replace(/^mysql:\/\/[^@]+@[a-z-]+-db:3306\/.*$/, mysqlUrl(testMysql(), system.databases[app.name]));
      }
      env[app.portVar] = '0';
      // Compose's 0.0.0.0 is for a container's own network; here the services stay on loopback.
      env.HOST = '127.0.0.1';
      env.AMQP_NAME_PREFIX = system.prefix;
      return env;
    }

    it('pays an order end to end and exposes chaos with the operator token', async () => {
      const [order, coupon, redPacket] = await Promise.all(APPS.map((app) => system.start(app.name, localEnv(app))));
      const id = await createAndPay(order, '66.60', 'compose-user');
      await waitFor(async () => (await http(coupon, 'GET', `/coupons?orderId=${id}`)).body.length === 1);
      await waitFor(async () => (await http(redPacket, 'GET', `/red-packets?orderId=${id}`)).body.length === 1);
      const auth = { authorization: `Bearer ${OPERATOR_TOKEN}` };
      expect((await http(coupon, 'GET', '/chaos', undefined, auth)).body).toMatchObject({ enabled: true });
    });
  });
});
