import { connect } from 'amqplib';
import { randomBytes, randomUUID } from 'node:crypto';
import { createPool, RowDataPacket } from 'mysql2/promise';
import { PAYMENT_EVENTS_EXCHANGE, PaymentSucceeded, paymentSucceededV1 } from '@reliable-payments/contracts';
import { ServiceProcess } from '../tools/process/service-process';
import { RunNamespace } from '../tools/harness/run-namespace';
import { testMysql } from '../tools/harness/test-servers';
import { medians } from './percentiles';

/**
 * off: no tracing; untraced: tracing on, every message's trace sampled out upstream (what 90 % of
 * messages cost under 10 % sampling); traced: tracing on, every trace sampled and exported.
 */
export type DrainMode = 'off' | 'untraced' | 'traced';
const MODES: DrainMode[] = ['off', 'untraced', 'traced'];

export interface DrainCost {
  /** Median CPU microseconds the coupon service spends per message, by mode. */
  cpuMicrosPerMessage: Record<DrainMode, number>;
  /** Median messages/s drained, by mode. */
  messagesPerSecond: Record<DrainMode, number>;
}

/**
 * The consumer side of tracing's cost, without the end-to-end run's noise: `count` payment events
 * waiting in the coupon service's queue (published as the relay publishes them, with a
 * `traceparent` header) are drained by the coupon service alone, and its CPU time is divided by
 * the messages. Metrics are off in every mode, so the difference is tracing's. The modes go there
 * and back (off, untraced, traced, traced, untraced, off).
 */
export async function runDrainCost(options: { amqpUrl: string; count: number; sinkUrl: string; logDir: string }): Promise<DrainCost> {
  const cpu = { off: [] as number[], untraced: [] as number[], traced: [] as number[] };
  const rate = { off: [] as number[], untraced: [] as number[], traced: [] as number[] };
  for (const mode of [...MODES, ...[...MODES].reverse()]) {
    const figures = await drainOnce(options, mode);
    cpu[mode].push(figures.cpuMicrosPerMessage);
    rate[mode].push(figures.messagesPerSecond);
  }
  return { cpuMicrosPerMessage: medians(cpu), messagesPerSecond: medians(rate) };
}

async function drainOnce(options: { amqpUrl: string; count: number; sinkUrl: string; logDir: string }, mode: DrainMode) {
  const ns = new RunNamespace('dr', testMysql(), options.amqpUrl);
  const env = { ...ns.serviceEnv(), LOG_FORMAT: 'json', METRICS_ENABLED: 'false', ...(mode === 'off' ? {} : { OTEL_EXPORTER_OTLP_ENDPOINT: options.sinkUrl }) };
  const coupon = new ServiceProcess('coupon', `coupon-drain-${mode}`, env, options.logDir);
  const pool = createPool({ ...testMysql(), database: ns.databases.coupon, connectionLimit: 1 });
  const granted = async () => Number(((await pool.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM coupons'))[0] as RowDataPacket[])[0].n);
  try {
    await coupon.start(); // declares the topology and migrates the database
    await coupon.kill('SIGTERM');
    await publishEvents(ns, options.count, mode);
    await coupon.start();
    // It consumes while it starts: count only what it drains from here on.
    const cpuBefore = coupon.cpuSeconds();
    const started = Date.now();
    const grantedBefore = await granted();
    const deadline = started + 300_000;
    while ((await granted()) < options.count) {
      if (Date.now() > deadline) throw new Error(`the coupon service did not drain ${options.count} messages in 300 s`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const seconds = (Date.now() - started) / 1000;
    const drained = options.count - grantedBefore;
    return { cpuMicrosPerMessage: ((coupon.cpuSeconds() - cpuBefore) * 1e6) / drained, messagesPerSecond: drained / seconds };
  } finally {
    await coupon.kill('SIGTERM');
    await pool.end();
    await ns.dropDatabases();
    await ns.deleteBrokerNames(ns.declaredTopology());
  }
}

/** The events into the run's exchange, with confirms; sampled (flags 01) or sampled-out (00) traceparents, none when off. */
async function publishEvents(ns: RunNamespace, count: number, mode: DrainMode): Promise<void> {
  const connection = await connect(ns.amqpUrl);
  connection.on('error', () => undefined); // a failure surfaces as the rejected confirm wait below
  try {
    const channel = await connection.createConfirmChannel();
    channel.on('error', () => undefined);
    const flags = mode === 'traced' ? '01' : '00';
    for (let i = 0; i < count; i++) {
      const event = paymentSucceededV1({ orderId: randomUUID(), userId: 'drain', amount: '1.00', currency: 'CNY' });
      const headers = mode === 'off' ? {} : { traceparent: `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-${flags}` };
      channel.publish(`${ns.prefix}${PAYMENT_EVENTS_EXCHANGE}`, PaymentSucceeded.routingKey, Buffer.from(JSON.stringify(event)), {
        persistent: true,
        messageId: event.eventId,
        contentType: 'application/json',
        headers,
      });
      if (i % 1000 === 999) await channel.waitForConfirms();
    }
    await channel.waitForConfirms();
  } finally {
    await connection.close();
  }
}
