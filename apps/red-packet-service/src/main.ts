import 'reflect-metadata';
import { armCrashPoint } from '@app/config';
import { runMain } from '@app/http';
import { instrumentProcess } from '@app/tracing';
import { loadRedPacketServiceConfig, startRedPacketService } from './red-packet-service.app';

runMain('red-packet-service', () => {
  const config = loadRedPacketServiceConfig();
  armCrashPoint(config.crashAt);
  instrumentProcess(config.observability);
  return startRedPacketService(config);
});
