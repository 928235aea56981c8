import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { loadRedPacketServiceConfig, startRedPacketService } from './red-packet-service.app';

try {
  startRedPacketService(loadRedPacketServiceConfig()).catch(fail);
} catch (error) {
  fail(error as Error);
}

function fail(error: Error): void {
  new Logger('red-packet-service').error(error.message);
  process.exit(1);
}
