import { ServiceClient } from '../../../tools/harness/service-client';
import { ServiceProcess } from '../../../tools/process/service-process';

/** Each running consumer process's counters (processed, duplicates, retries per level, dead-lettered, pauses), for the report. */
export async function consumerCounters(consumers: ServiceProcess[]): Promise<Record<string, unknown>> {
  const counters: Record<string, unknown> = {};
  for (const service of consumers) {
    if (!service.pid) continue;
    const main = await new ServiceClient(service.url).eventConsumer().catch(() => undefined);
    if (main)
      counters[service.name] = {
        processed: main.processed,
        duplicates: main.duplicates,
        retriedByLevel: main.retriedByLevel,
        deadLettered: main.deadLettered,
        pauses: main.pauses,
      };
  }
  return counters;
}
