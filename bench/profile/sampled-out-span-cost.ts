import { context, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { loadOrderServiceConfig } from '@reliable-payments/config';
import { contextFromTraceparent, Tracing } from '@reliable-payments/tracing';

/**
 * `node dist/bench/profile/sampled-out-span-cost.js [N]`: what one span of a trace sampled out
 * costs, through the SDK's tracer and through the service's (SampledOutShortcut), alternating in
 * one process so the machine's drift weighs on both alike. Per span as the consumer starts it: a
 * CONSUMER span with four attributes under the message's traceparent, then made active and ended.
 */
function main(): void {
  const n = Number(process.argv[2] ?? 200_000);
  const config = loadOrderServiceConfig({ OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.1' }).observability;
  const service = new Tracing(config, new InMemorySpanExporter());
  const sdk = trace.getTracerProvider().getTracer('sdk'); // the same provider (registered by Tracing), no shortcut
  const parent = contextFromTraceparent('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00', ROOT_CONTEXT);
  const once = (tracer: typeof sdk, i: number) => {
    const span = tracer.startSpan(
      'payment.succeeded.coupon process',
      { attributes: { 'messaging.system': 'rabbitmq', 'messaging.destination.name': 'q', 'messaging.message.id': String(i), 'messaging.attempt': 1 } },
      parent,
    );
    context.with(trace.setSpan(parent, span), () => span.end());
  };
  const time = (tracer: typeof sdk) => {
    const started = process.hrtime.bigint();
    for (let i = 0; i < n; i++) once(tracer, i);
    return Number(process.hrtime.bigint() - started) / n / 1000; // µs per span
  };
  const rounds: Record<'sdk' | 'shortcut', number[]> = { sdk: [], shortcut: [] };
  for (let round = 0; round < 7; round++) {
    rounds.sdk.push(time(sdk));
    rounds.shortcut.push(time(service.tracer));
  }
  const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
  process.stdout.write(
    `${process.version}, ${n} spans a round, 7 rounds alternating; µs per sampled-out span (median, rounds):\n` +
      `  SDK tracer      ${median(rounds.sdk).toFixed(2)}  ${rounds.sdk.map((v) => v.toFixed(2)).join(' ')}\n` +
      `  service tracer  ${median(rounds.shortcut).toFixed(2)}  ${rounds.shortcut.map((v) => v.toFixed(2)).join(' ')}\n`,
  );
}

main();
