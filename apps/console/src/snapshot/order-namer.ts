import { Logger } from '@nestjs/common';
import { CONSUMER_NAMES, ConsumerName } from '@reliable-payments/contracts';
import { ConsoleServices } from '../console.options';
import { Ledger, nameOrders } from '../ledger/ledger';

const PAGE = 1000;
/** At most this many ids are compared (pages of 1,000); past it the console says so instead. */
const MAX_IDS = 200_000;

type Named = Record<ConsumerName, { lost: string[]; duplicated: string[] }>;

/**
 * Names the orders behind a settled loss or duplicate: pages through the paid ids and each
 * consumer's granted ids (both sorted) and merges them. Runs only when a settled ledger is not
 * clean, once per distinct set of counts, in the background of the poll.
 */
export class OrderNamer {
  private readonly logger = new Logger(OrderNamer.name);
  private key?: string;
  private result: Named | null = null;

  constructor(private readonly services: ConsoleServices) {}

  named(ledger: Ledger): Named | null {
    if (!ledger.settled || (ledger.lost === 0 && ledger.duplicated === 0)) return null;
    const key = JSON.stringify([ledger.paid, ledger.granted, ledger.deadLettered]);
    if (key !== this.key) {
      this.key = key;
      this.result = null;
      this.compute()
        .then((named) => this.key === key && (this.result = named))
        .catch((error: Error) => this.logger.warn(`could not name the orders: ${error.message}`));
    }
    return this.result;
  }

  private async compute(): Promise<Named> {
    const paid = await this.ids((after) => this.services.order.get<{ ids: string[] }>(`/ledger/paid-order-ids?after=${after}&limit=${PAGE}`, true));
    const named = {} as Named;
    for (const name of CONSUMER_NAMES) {
      const client = this.services.consumers[name];
      const granted = await this.ids((after) => client.get<{ ids: string[] }>(`/ledger/order-ids?after=${after}&limit=${PAGE}`, true));
      const owed = await client.get<{ ids: string[] }>('/ledger/owed-order-ids', true);
      named[name] = nameOrders(paid, granted, new Set(owed.ids));
    }
    return named;
  }

  private async ids(page: (after: string) => Promise<{ ids: string[] }>): Promise<string[]> {
    const all: string[] = [];
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const { ids } = await page(after);
      all.push(...ids);
      if (ids.length < PAGE) return all;
      if (all.length >= MAX_IDS) throw new Error(`more than ${MAX_IDS} orders; name them from the databases`);
      after = ids[ids.length - 1];
    }
  }
}
