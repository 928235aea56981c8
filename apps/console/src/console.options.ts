import { ConsoleConfig } from '@app/config';
import { ConsumerName } from './ledger/ledger';
import { ServiceClient } from './snapshot/service-client';

export const CONSOLE_CONFIG = Symbol('CONSOLE_CONFIG');

/** The three services as the console talks to them (operator calls carry the token). */
export class ConsoleServices {
  readonly order: ServiceClient;
  readonly consumers: Record<ConsumerName, ServiceClient>;

  constructor(config: ConsoleConfig) {
    this.order = new ServiceClient('order-service', config.services.order, config.operatorToken);
    this.consumers = {
      coupons: new ServiceClient('coupon-service', config.services.coupon, config.operatorToken),
      redPackets: new ServiceClient('red-packet-service', config.services.redPacket, config.operatorToken),
    };
  }
}
