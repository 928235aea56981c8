import { fetchTransport } from '../../../tools/harness/http-transport';
import { pacedLoad } from '../../../tools/harness/paced-load';
import { ServiceClient } from '../../../tools/harness/service-client';
import { ServiceProcess } from '../../../tools/process/service-process';

export interface LoadOptions {
  /** Clients paying at once (8). */
  concurrency?: number;
  /** Orders started per second (60). */
  rate?: number;
  /** The fault starts when this order is due (30 % of the count), and runs while the load goes on. */
  faultAfter?: number;
  fault?: () => Promise<void>;
}

/**
 * The scenario's clients: create and pay orders, and remember what each client was told. Only
 * 'paid' obliges the system; a failed pay is recorded (the first 20 errors kept for the report).
 */
export class OrderLoad {
  readonly told = new Map<string, 'paid' | 'failed'>();
  readonly payErrors: string[] = [];
  private readonly client: ServiceClient;
  private next = 0;

  /** `orders`: the order service's instances; requests go round those running (one may have been killed). */
  constructor(orders: () => ServiceProcess[]) {
    const target = () => {
      const live = orders().filter((o) => o.pid);
      return live.length > 0 ? live[this.next++ % live.length].url : orders()[0].url;
    };
    this.client = new ServiceClient(target, { transport: fetchTransport(15_000) });
  }

  /** Pays `count` orders; resolves when they were all answered and the fault has finished. */
  async run(count: number, options: LoadOptions = {}): Promise<void> {
    const faultAt = options.faultAfter ?? Math.floor(count * 0.3);
    let faultDone: Promise<void> | undefined;
    await pacedLoad(count, { concurrency: options.concurrency ?? 8, rate: options.rate ?? 60 }, async (i) => {
      if (i === faultAt && options.fault) {
        faultDone = options.fault();
        faultDone.catch(() => undefined); // handled: awaited (and rethrown) once the load is done
      }
      await this.payOne(i);
    });
    await faultDone;
  }

  private async payOne(i: number): Promise<void> {
    let id: string | undefined;
    try {
      id = (await this.client.createOrder({ userId: `rel-${i % 20}`, amount: `${(5 + (i % 200)).toFixed(2)}` })).id;
      await this.client.payOrder(id);
      this.told.set(id, 'paid');
    } catch (error) {
      if (id) this.told.set(id, 'failed');
      if (this.payErrors.length < 20) this.payErrors.push((error as Error).message);
    }
  }
}
