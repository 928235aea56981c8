import 'reflect-metadata';
import { runMain } from '@app/http';
import { instrumentProcess } from '@app/tracing';
import { loadRedPacketServiceConfig, startRedPacketService } from './red-packet-service.app';

runMain('red-packet-service', () => {
  const config = loadRedPacketServiceConfig();
  instrumentProcess(config.observability);
  return startRedPacketService(config);
});
