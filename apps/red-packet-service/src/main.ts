import 'reflect-metadata';
import { RED_PACKET_CONSUMER } from '@reliable-payments/contracts';
import { runMain } from '@reliable-payments/http';
import { instrumentProcess } from '@reliable-payments/tracing';
import { loadRedPacketServiceConfig, startRedPacketService } from './red-packet-service.app';

runMain(RED_PACKET_CONSUMER.name, () => {
  const config = loadRedPacketServiceConfig();
  instrumentProcess(config.observability);
  return startRedPacketService(config);
});
