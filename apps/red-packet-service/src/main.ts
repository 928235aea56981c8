import 'reflect-metadata';
import { RED_PACKET_CONSUMER } from '@app/contracts';
import { runMain } from '@app/http';
import { instrumentProcess } from '@app/tracing';
import { loadRedPacketServiceConfig, startRedPacketService } from './red-packet-service.app';

runMain(RED_PACKET_CONSUMER.name, () => {
  const config = loadRedPacketServiceConfig();
  instrumentProcess(config.observability);
  return startRedPacketService(config);
});
