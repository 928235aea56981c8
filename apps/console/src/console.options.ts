import { ConsoleConfig } from '@reliable-payments/config';
import { ConsumerName, COUPON_CONSUMER, RED_PACKET_CONSUMER } from '@reliable-payments/contracts';
import { ServiceClient } from './services/service-client';

export const CONSOLE_CONFIG = Symbol('CONSOLE_CONFIG');

/** The three services as the console talks to them (its own operator reads carry its read token). */
export class ConsoleServices {
  readonly order: ServiceClient;
  readonly consumers: Record<ConsumerName, ServiceClient>;

  constructor(config: ConsoleConfig) {
    this.order = new ServiceClient('order-service', config.services.order, config.readToken);
    this.consumers = {
      [COUPON_CONSUMER.name]: new ServiceClient(COUPON_CONSUMER.name, config.services.coupon, config.readToken),
      [RED_PACKET_CONSUMER.name]: new ServiceClient(RED_PACKET_CONSUMER.name, config.services.redPacket, config.readToken),
    };
  }
}
