import { connect } from 'amqplib';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { PAYMENT_EVENTS_EXCHANGE, PaymentSucceeded } from '@reliable-payments/contracts';
import { pacedLoad } from '../../tools/harness/paced-load';
import { fetchTransport } from '../../tools/harness/http-transport';
import { ServiceClient } from '../../tools/harness/service-client';
import { runScenario, Verdict } from '../../tools/scenario/scenario';
import { waitFor } from '../support/wait-for';
import { ComposeProject } from './compose-project';

/** The single-node demo: every service of docker-compose.yml but Grafana and Jaeger (no Debian package, see docs/containers.md). */
const DEMO = ['rabbitmq', 'order-db', 'coupon-db', 'red-packet-db', 'order-service', 'coupon-service', 'red-packet-service', 'console', 'prometheus'];
const CLUSTER = ['rabbit-1', 'rabbit-2', 'rabbit-3', ...['order', 'coupon', 'red-packet'].flatMap((s) => [`${s}-service-c1`, `${s}-service-c2`])];
/** Published by machine.override.yml: the system broker holds 5672 on this machine. */
const BROKER_PORT = 5682;
const url = (port: number) => `http://127.0.0.1:${port}`;

type ComposeFile = { services: Record<string, { environment?: Record<string, string> }> };
const composeFile = parse(readFileSync(join(__dirname, '..', '..', 'docker-compose.yml'), 'utf8').replace(/\$\{OPERATOR_TOKEN:\?[^}]*\}/g, 'x'), {
  merge: true,
}) as ComposeFile;
/** A service's broker account as docker-compose.yml gives it. */
const brokerAccount = (service: string) => new URL(composeFile.services[service].environment?.RABBITMQ_URL?.split(',')[0] ?? '');

/**
 * The README's compose demo (docs/containers.md), run for real on a Docker engine (`npm run compose:images` builds what
 * it needs): `docker compose up` of the committed file, the demo story through the published ports
 * (pay, break the coupon database both ways docs/demo.md offers, heal, the scenario's verdict), the
 * console's ledger, then the cluster profile with a broker container killed mid-flow, and `down -v`.
 */
describe('docker compose: the demo on a real engine', () => {
  const project = new ComposeProject();
  const scenario = (outage?: Parameters<typeof runScenario>[0]['outage']): Promise<Verdict> =>
    runScenario({
      orderUrl: url(3000),
      couponUrl: url(3001),
      redPacketUrl: url(3002),
      operatorToken: project.operatorToken,
      orders: 40,
      rate: 10,
      outageAfterOrders: 10,
      outageSeconds: 8,
      convergeTimeoutSeconds: 180,
      outage,
      print: () => undefined,
    });
  let paid = 0;

  beforeAll(async () => {
    await ComposeProject.engineReady();
    await ComposeProject.removeStale();
    await project.up(DEMO);
  }, 360_000);

  afterAll(async () => {
    await project.down().catch(() => undefined);
    project.dispose();
  }, 240_000);

  it('starts every service healthy, on the documented ports', async () => {
    for (const port of [3000, 3001, 3002]) expect((await fetch(`${url(port)}/health`)).status).toBe(200);
    const page = await fetch(url(3003));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<html');
  });

  it('pays orders through a coupon database outage from the chaos toggle: nothing lost, nothing duplicated', async () => {
    const verdict = await scenario();
    paid += verdict.paid;
    expect(verdict).toMatchObject({ ok: true, lost: 0, duplicated: 0, paid: 40, coupons: 40, redPackets: 40 });
  }, 300_000);

  it('pays orders through `docker compose stop coupon-db` and `start`: nothing lost, nothing duplicated', async () => {
    const verdict = await scenario({
      name: 'docker compose stop coupon-db',
      begin: async () => void (await project.compose(['stop', 'coupon-db'])),
      heal: async () => void (await project.compose(['start', 'coupon-db'])),
    });
    paid += verdict.paid;
    expect(verdict).toMatchObject({ ok: true, lost: 0, duplicated: 0, paid: 40, coupons: 40, redPackets: 40 });
  }, 300_000);

  it('shows the console ledger settled and fresh, queue depths read as the monitor user', async () => {
    type Ledger = { paid: number; lost: number; duplicated: number; settled: boolean; fresh: boolean };
    const ledger = await waitFor(
      async () => {
        const body = (await (await fetch(`${url(3003)}/api/ledger`)).json()) as Ledger;
        return body.settled && body.fresh && body;
      },
      { timeoutMs: 90_000, intervalMs: 1_000 },
    );
    expect(ledger).toMatchObject({ paid, lost: 0, duplicated: 0 });
    const snapshot = (await (await fetch(`${url(3003)}/api/snapshot`)).json()) as { consumers: Record<string, { queues: { main: { depth: number | null } } }> };
    for (const consumer of Object.values(snapshot.consumers)) expect(consumer.queues.main.depth).toBe(0);
  }, 120_000);

  it("refuses a consumer's broker user publishing payment events", async () => {
    const account = brokerAccount('coupon-service');
    const connection = await connect(`amqp://${account.username}:${account.password}@127.0.0.1:${BROKER_PORT}`);
    connection.on('error', () => undefined);
    let closedWith = '';
    try {
      const channel = await connection.createConfirmChannel();
      channel.on('error', (error: Error) => (closedWith = error.message));
      channel.publish(PAYMENT_EVENTS_EXCHANGE, PaymentSucceeded.routingKey, Buffer.from('{}'));
      await channel.waitForConfirms().catch(() => undefined);
      await waitFor(async () => closedWith !== '', { timeoutMs: 10_000 });
    } finally {
      await connection.close().catch(() => undefined);
    }
    expect(closedWith).toMatch(/ACCESS_REFUSED/);
  });

  it('has Prometheus scraping the three services', async () => {
    type Targets = { data: { activeTargets: Array<{ labels: { instance: string }; health: string }> } };
    const up = await waitFor(
      async () => {
        const targets = (await (await fetch('http://127.0.0.1:9090/api/v1/targets')).json()) as Targets;
        const healthy = targets.data.activeTargets.filter((t) => t.health === 'up').map((t) => t.labels.instance);
        return healthy.length === 3 && healthy.sort();
      },
      { timeoutMs: 60_000, intervalMs: 1_000 },
    );
    expect(up).toEqual(['coupon-service:3001', 'order-service:3000', 'red-packet-service:3002']);
  }, 90_000);

  it('runs the cluster profile on quorum queues through a broker container killed mid-flow: every order granted once', async () => {
    await project.up(CLUSTER, 'cluster');
    const transport = fetchTransport(10_000);
    let turn = 0;
    const order = new ServiceClient(() => url([3100, 3110][turn++ % 2]), { transport });
    const coupons = new ServiceClient(url(3101), { transport });
    const redPackets = new ServiceClient(url(3112), { transport });
    const ids: string[] = [];
    const count = 150;
    let killed = false;
    await pacedLoad(count, { concurrency: 4, rate: 25 }, async (i) => {
      if (i === 50) {
        await project.compose(['kill', 'rabbit-1']);
        killed = true;
      }
      ids.push((await order.createAndPay({ userId: `compose-cluster-${i % 7}`, amount: `${(10 + (i % 50)).toFixed(2)}` })).id);
    });
    expect(killed).toBe(true);
    await project.compose(['start', 'rabbit-1'], 180_000);
    const granted = async (id: string) => [(await coupons.coupons({ orderId: id })).length, (await redPackets.redPackets({ orderId: id })).length];
    await waitFor(
      async () => {
        for (const id of ids) if ((await granted(id)).some((n) => n === 0)) return false;
        return true;
      },
      { timeoutMs: 240_000, intervalMs: 2_000 },
    );
    const counts = await Promise.all(ids.map(granted));
    expect(ids).toHaveLength(count);
    expect(counts.filter(([c, r]) => c !== 1 || r !== 1)).toEqual([]);
  }, 600_000);

  it('leaves nothing behind after `down -v`', async () => {
    await project.down();
    expect(await project.leftovers()).toEqual([]);
  }, 240_000);
});
