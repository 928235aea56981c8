import type { ConsumerServiceHealth } from '@reliable-payments/consumer-service';
import { pacedLoad } from '../harness/paced-load';
import { fetchTransport } from '../harness/http-transport';
import { eventConsumerOf, ServiceClient } from '../harness/service-client';

/** The demo's three REST APIs. */
export interface ScenarioTargets {
  orderUrl: string;
  couponUrl: string;
  redPacketUrl: string;
  /** OPERATOR_TOKEN of the demo: sent as `Authorization: Bearer` on the operator routes. */
  operatorToken?: string;
}

export interface ScenarioOptions extends ScenarioTargets {
  orders: number;
  /** Orders paid per second, in a steady stream. */
  rate: number;
  /** The coupon database goes down after this many orders... */
  outageAfterOrders: number;
  /** ...and comes back after this long. */
  outageSeconds: number;
  /** Give up waiting for convergence after this long (after the outage ends). */
  convergeTimeoutSeconds: number;
  /** Progress lines are written here (the terminal by default). */
  print?: (line: string) => void;
  /** How the coupon database goes down and comes back: the chaos toggle unless given. */
  outage?: Outage;
}

/** A way to break the coupon database and heal it (the chaos toggle, or stopping its container). */
export interface Outage {
  name: string;
  begin(): Promise<void>;
  heal(): Promise<void>;
}

export interface Verdict {
  paid: number;
  coupons: number;
  redPackets: number;
  lost: number;
  duplicated: number;
  deadLetters: number;
  redriven: number;
  ok: boolean;
  seconds: number;
}

interface Snapshot {
  retriedByLevel: Record<string, number>;
  deadLettered: number;
  pendingDeadLetters: number;
  couponDb: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Pays orders in a steady stream, kills the coupon database for a while, heals it, waits until
 * every paid order has its grants (re-driving dead letters if the outage outlasted the ladder),
 * then checks: paid = coupons = red packets, nothing lost, nothing duplicated.
 */
export async function runScenario(options: ScenarioOptions): Promise<Verdict> {
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const services = clientsFor(options);
  const outage = options.outage ?? chaosToggle(services.coupon);
  const started = Date.now();
  for (const [service, client] of Object.entries(services)) {
    const health = await client.health().catch((error: Error) => ({ status: 0, body: { message: error.message } }));
    if (health.status !== 200) throw new Error(`${service} is not healthy (${health.status} ${health.body?.message ?? ''}); start the demo first`);
  }

  /** How many grants of `kind` the order has, from the consumer service's own API. */
  const grants = async (kind: 'coupon' | 'red-packet', orderId: string) =>
    (kind === 'coupon' ? await services.coupon.coupons({ orderId }) : await services['red-packet'].redPackets({ orderId })).length;

  const paid: string[] = [];
  const payFailures: string[] = [];
  const counted = { coupon: new Map<string, number>(), 'red-packet': new Map<string, number>() };
  // An object, not a let: the payer (another async flow) changes it.
  const state: { outage: 'not yet' | 'down' | 'healed' } = { outage: 'not yet' };
  let redriven = 0;

  const snapshot = async (): Promise<Snapshot> => {
    const health = await services.coupon.health<ConsumerServiceHealth>().catch(() => ({ status: 0, body: undefined }));
    const consumer = eventConsumerOf(health.body);
    return {
      retriedByLevel: consumer?.retriedByLevel ?? {},
      deadLettered: consumer?.deadLettered ?? 0,
      pendingDeadLetters: health.body?.checks?.deadLetters?.pending ?? 0,
      couponDb: health.body?.checks?.database?.status ?? 'down',
    };
  };

  /** Re-checks orders whose grants are not yet confirmed; returns how many are complete. */
  const refresh = async (kind: 'coupon' | 'red-packet', reachable = true) => {
    // While its database is down, a consumer's grant reads fail (a stopped container's reads wait
    // out the connect time-out): asking once per order would stretch the outage far past its length.
    for (const id of reachable ? paid : []) {
      if ((counted[kind].get(id) ?? 0) >= 1) continue;
      const n = await grants(kind, id).catch(() => 0);
      if (n > 0) counted[kind].set(id, n);
    }
    return [...counted[kind].values()].filter((n) => n >= 1).length;
  };

  const progress = async () => {
    const s = await snapshot();
    const coupons = await refresh('coupon', state.outage !== 'down' && s.couponDb === 'up');
    const packets = await refresh('red-packet');
    const levels =
      Object.entries(s.retriedByLevel)
        .map(([level, n]) => `L${level}:${n}`)
        .join(' ') || '-';
    print(
      `[${((Date.now() - started) / 1000).toFixed(1).padStart(5)}s] paid ${paid.length}/${options.orders}` +
        ` | coupons ${coupons} | red packets ${packets} | retries ${levels} | dead-lettered ${s.deadLettered}` +
        ` (stored, pending ${s.pendingDeadLetters}) | coupon db ${state.outage === 'down' ? 'DOWN' : s.couponDb}`,
    );
    return { coupons, packets, snapshot: s };
  };

  // 1. A steady stream of payments (one client), with the outage in the middle.
  let outageEndsAt = 0;
  const payer = pacedLoad(options.orders, { concurrency: 1, rate: options.rate }, async (i) => {
    if (i === options.outageAfterOrders && state.outage === 'not yet') {
      await outage.begin();
      state.outage = 'down';
      outageEndsAt = Date.now() + options.outageSeconds * 1000;
      print(`>>> coupon database killed (${outage.name}) for ${options.outageSeconds}s`);
    }
    try {
      paid.push((await services.order.createAndPay({ userId: `scenario-user-${i % 10}`, amount: `${(10 + (i % 90)).toFixed(2)}` })).id);
    } catch (error) {
      payFailures.push((error as Error).message);
    }
  });
  let payerDone = false;
  // Its rejection is awaited below; this branch only notes the end.
  payer.finally(() => (payerDone = true)).catch(() => undefined);
  while (!payerDone || state.outage !== 'healed') {
    if (state.outage === 'down' && Date.now() >= outageEndsAt) {
      await outage.heal();
      state.outage = 'healed';
      print('>>> coupon database back');
    }
    if (state.outage === 'not yet' && payerDone) break;
    await progress();
    // Wake up on time for the heal: the outage should last what was asked, not a tick more.
    await sleep(state.outage === 'down' ? Math.max(0, Math.min(1000, outageEndsAt - Date.now())) : 1000);
  }
  await payer;

  // 2. Convergence: every order has a red packet, and a coupon or a dead letter to re-drive.
  const deadline = Date.now() + options.convergeTimeoutSeconds * 1000;
  let maxDeadLetters = 0;
  for (;;) {
    const { coupons, packets, snapshot: s } = await progress();
    maxDeadLetters = Math.max(maxDeadLetters, s.deadLettered);
    if (s.pendingDeadLetters > 0 && s.couponDb === 'up') {
      const result = await services.coupon.redriveDeadLetters();
      redriven += result.redriven;
      print(`>>> re-drove ${result.redriven} dead letters`);
    }
    if (coupons === paid.length && packets === paid.length) break;
    if (Date.now() > deadline) {
      print('!!! did not converge in time');
      break;
    }
    await sleep(1000);
  }

  // 3. Verdict: count every order's grants once more, from the services' own APIs.
  let lost = 0;
  let duplicated = 0;
  let coupons = 0;
  let redPackets = 0;
  for (const id of paid) {
    const c = await grants('coupon', id);
    const r = await grants('red-packet', id);
    coupons += Math.min(c, 1);
    redPackets += Math.min(r, 1);
    if (c === 0 || r === 0) lost++;
    if (c > 1 || r > 1) duplicated++;
  }
  for (const failure of payFailures.slice(0, 5)) print(`pay failed (not counted as paid): ${failure}`);
  const verdict: Verdict = {
    paid: paid.length,
    coupons,
    redPackets,
    lost,
    duplicated,
    deadLetters: maxDeadLetters,
    redriven,
    ok: lost === 0 && duplicated === 0 && paid.length > 0 && coupons === paid.length && redPackets === paid.length,
    seconds: Math.round((Date.now() - started) / 100) / 10,
  };
  return verdict;
}

/** The coupon service's chaos toggle: `POST /chaos/db {"mode":"down"}`, then `DELETE /chaos/db`. */
function chaosToggle(coupon: ServiceClient): Outage {
  return {
    name: 'chaos toggle',
    begin: async () => {
      await coupon.injectDatabaseFault({ mode: 'down' }).catch((error: Error) => {
        throw new Error(`chaos: ${error.message} (is CHAOS_ENABLED=true, and OPERATOR_TOKEN the demo's?)`);
      });
    },
    heal: async () => {
      await coupon.healDatabase();
    },
  };
}

/** One client per service; a call that hangs fails after 10 s instead of stalling the run. */
function clientsFor(targets: ScenarioTargets) {
  const options = { operatorToken: targets.operatorToken, transport: fetchTransport(10_000) };
  return {
    order: new ServiceClient(targets.orderUrl, options),
    coupon: new ServiceClient(targets.couponUrl, options),
    'red-packet': new ServiceClient(targets.redPacketUrl, options),
  };
}

export function formatVerdict(v: Verdict): string {
  const rows: Array<[string, string | number]> = [
    ['orders paid', v.paid],
    ['coupons (orders with one)', v.coupons],
    ['red packets (orders with one)', v.redPackets],
    ['lost', v.lost],
    ['duplicated', v.duplicated],
    ['dead-lettered (coupon)', v.deadLetters],
    ['re-driven', v.redriven],
    ['seconds', v.seconds],
    ['verdict', v.ok ? 'PASS: nothing lost, nothing duplicated' : 'FAIL'],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, value]) => `  ${k.padEnd(width)}  ${value}`).join('\n');
}
