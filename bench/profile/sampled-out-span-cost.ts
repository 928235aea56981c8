import { context, ROOT_CONTEXT, trace, Tracer } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, ParentBasedSampler, SimpleSpanProcessor, TraceIdRatioBasedSampler } from '@opentelemetry/sdk-trace-base';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { contextFromTraceparent, SampledOutShortcut } from '@reliable-payments/tracing';

/**
 * `node dist/bench/profile/sampled-out-span-cost.js [N]`: what one span of a trace sampled out
 * costs, through the SDK's tracer and through the same tracer behind SampledOutShortcut, alternating in
 * one process so the machine's drift weighs on both alike. Per span as the consumer starts it: a
 * span with the consumer span's four attributes under the message's traceparent, made active, ended.
 */
function main(): void {
  const n = Number(process.argv[2] ?? 200_000);
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable()); // as a service's Tracing does
  const provider = new BasicTracerProvider({
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(0.1) }),
    spanProcessors: [new SimpleSpanProcessor(new InMemorySpanExporter())],
  });
  const sdk = provider.getTracer('sdk');
  const shortcut = new SampledOutShortcut(sdk); // the same tracer behind the shortcut, as Tracing builds it
  const parent = contextFromTraceparent('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00', ROOT_CONTEXT);
  const once = (tracer: Tracer, i: number) => {
    const span = tracer.startSpan(
      'payment.succeeded.coupon process',
      { attributes: { 'messaging.system': 'rabbitmq', 'messaging.destination.name': 'q', 'messaging.message.id': String(i), 'messaging.attempt': 1 } },
      parent,
    );
    context.with(trace.setSpan(parent, span), () => span.end());
  };
  const time = (tracer: Tracer) => {
    const started = process.hrtime.bigint();
    for (let i = 0; i < n; i++) once(tracer, i);
    return Number(process.hrtime.bigint() - started) / n / 1000; // µs per span
  };
  const rounds: Record<'sdk' | 'shortcut', number[]> = { sdk: [], shortcut: [] };
  for (let round = 0; round < 7; round++) {
    rounds.sdk.push(time(sdk));
    rounds.shortcut.push(time(shortcut));
  }
  const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
  process.stdout.write(
    `${process.version}, ${n} spans a round, 7 rounds alternating; µs per sampled-out span (median, rounds):\n` +
      `  SDK tracer      ${median(rounds.sdk).toFixed(2)}  ${rounds.sdk.map((v) => v.toFixed(2)).join(' ')}\n` +
      `  shortcut        ${median(rounds.shortcut).toFixed(2)}  ${rounds.shortcut.map((v) => v.toFixed(2)).join(' ')}\n`,
  );
}

main();
