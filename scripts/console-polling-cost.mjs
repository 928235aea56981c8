/* global fetch, AbortController, WritableStream */
// Measures what the console's polling costs the three services: their CPU time (from /proc) over
// a window without the console, then over the same window with the console polling at its default
// interval and one browser-like viewer on the event stream. Uses the built services (npm run build)
// on their own databases and queue prefix, and removes them afterwards.
//   node scripts/console-polling-cost.mjs [windowSeconds=60]
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect } from 'amqplib';
import { createConnection } from 'mysql2/promise';
// The built libraries: queue names derived from the consumers' names, as the services derive them.
import contracts from '../dist/libs/contracts/src/index.js';
import messaging from '../dist/libs/messaging/src/index.js';

const windowSeconds = Number(process.argv[2] ?? 60);
const run = `cc${Date.now().toString(36)}`;
const db = (name) => `mysql://root@127.0.0.1:3306/${run}_${name}`;
const env = {
  ...process.env,
  RABBITMQ_URL: process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672',
  AMQP_NAME_PREFIX: `${run}.`,
  ORDER_DB_URL: db('order'),
  COUPON_DB_URL: db('coupon'),
  RED_PACKET_DB_URL: db('red_packet'),
  ORDER_PORT: '23000',
  COUPON_PORT: '23001',
  RED_PACKET_PORT: '23002',
  CHAOS_ENABLED: 'true',
  LOG_LEVEL: 'warn',
};
const services = { order: 'order-service', coupon: 'coupon-service', redPacket: 'red-packet-service' };
const children = {};
const start = (name, entry, extra = {}) => (children[name] = spawn(process.execPath, [entry], { env: { ...env, ...extra }, stdio: 'ignore' }));
for (const [name, app] of Object.entries(services)) start(name, `dist/apps/${app}/src/main.js`);

const ticks = (pid) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime + stime, in clock ticks (100 per second)
};
const cpu = () => Object.fromEntries(Object.keys(services).map((name) => [name, ticks(children[name].pid)]));
const waitUp = async (url) => {
  for (let i = 0; i < 120; i++) {
    if (
      await fetch(url).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${url} did not come up`);
};
const measure = async (label) => {
  const before = cpu();
  const t0 = Date.now();
  await new Promise((r) => setTimeout(r, windowSeconds * 1000));
  const after = cpu();
  const seconds = (Date.now() - t0) / 1000;
  const pct = Object.fromEntries(Object.keys(services).map((n) => [n, (((after[n] - before[n]) / 100 / seconds) * 100).toFixed(2)]));
  console.log(`${label.padEnd(28)} CPU % of one core: order ${pct.order}, coupon ${pct.coupon}, red packet ${pct.redPacket}`);
  return pct;
};

try {
  for (const port of [23000, 23001, 23002]) await waitUp(`http://127.0.0.1:${port}/health`);
  for (let i = 0; i < 200; i++) {
    const order = await (
      await fetch('http://127.0.0.1:23000/orders', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ userId: 'cost', amount: '10.00' }),
      })
    ).json();
    await fetch(`http://127.0.0.1:23000/orders/${order.id}/pay`, { method: 'POST' });
  }
  await new Promise((r) => setTimeout(r, 5000)); // let the grants settle
  const idle = await measure('without the console');
  start('console', 'dist/apps/console/src/main.js', {
    CONSOLE_PORT: '23003',
    ORDER_URL: 'http://127.0.0.1:23000',
    COUPON_URL: 'http://127.0.0.1:23001',
    RED_PACKET_URL: 'http://127.0.0.1:23002',
    OPERATOR_TOKEN: 'cost-measurement-token',
  });
  await waitUp('http://127.0.0.1:23003/api/ledger');
  const viewer = new AbortController();
  fetch('http://127.0.0.1:23003/api/stream', { signal: viewer.signal })
    .then(
      (r) => r.body.pipeTo(new WritableStream()),
      () => undefined,
    )
    .catch(() => undefined);
  const polled = await measure('with the console (1 s poll)');
  viewer.abort();
  for (const n of Object.keys(services)) console.log(`  ${n}: +${(polled[n] - idle[n]).toFixed(2)} points`);
} finally {
  for (const child of Object.values(children)) child.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 3000));
  const admin = await createConnection({ host: '127.0.0.1', user: 'root' });
  for (const name of ['order', 'coupon', 'red_packet']) await admin.query(`DROP DATABASE IF EXISTS \`${run}_${name}\``);
  await admin.end();
  const broker = await connect(env.RABBITMQ_URL);
  broker.on('error', () => undefined);
  const channel = await broker.createChannel();
  channel.on('error', () => undefined);
  for (const queue of contracts.CONSUMERS.map(messaging.consumerQueue)) {
    for (const suffix of [
      '',
      '.dlq',
      ...['1s', '5s', '10s', '30s', '1m', '2m', '3m', '4m', '5m', '6m', '7m', '8m', '9m', '10m', '20m', '30m'].map((d) => `.retry.${d}`),
    ])
      await channel.deleteQueue(`${run}.${queue}${suffix}`).catch(() => undefined);
  }
  await channel.deleteExchange(`${run}.payments.events`).catch(() => undefined);
  await broker.close().catch(() => undefined);
}
