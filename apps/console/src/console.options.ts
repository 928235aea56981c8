import { ConsoleConfig } from '@reliable-payments/config';
import { ConsumerName, COUPON_CONSUMER, RED_PACKET_CONSUMER } from '@reliable-payments/contracts';
import { ServiceClient } from './snapshot/service-client';

export const CONSOLE_CONFIG = Symbol('CONSOLE_CONFIG');

/** The three services as the console talks to them (operator calls carry the token). */
export class ConsoleServices {
  readonly order: ServiceClient;
  readonly consumers: Record<ConsumerName, ServiceClient>;

  constructor(config: ConsoleConfig) {
    this.order = new ServiceClient('order-service', config.services.order, config.operatorToken);
    this.consumers = {
      [COUPON_CONSUMER.name]: new ServiceClient(COUPON_CONSUMER.name, config.services.coupon, config.operatorToken),
      [RED_PACKET_CONSUMER.name]: new ServiceClient(RED_PACKET_CONSUMER.name, config.services.redPacket, config.operatorToken),
    };
  }
}
