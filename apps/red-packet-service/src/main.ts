import 'reflect-metadata';
import { runMain } from '@app/http';
import { loadRedPacketServiceConfig, startRedPacketService } from './red-packet-service.app';

runMain('red-packet-service', () => startRedPacketService(loadRedPacketServiceConfig()));
